"""Counting the coordinators' long lists in the admin (issue 17).

Django's change list counts its rows exactly, twice (the page's and the whole list's), with
COUNT(*), which reads every row of the table: 1–2 ms at 10,000 organisations and 30,000
programmes (bench/results.md), but it grows with the table. Lists that mix this in:

- count once: the whole list is not counted again beside a filtered one ("show all" instead);
- count an unfiltered list from PostgreSQL's own estimate (pg_class.reltuples, kept by
  ANALYZE and autovacuum) once the table holds more than `ESTIMATE_FROM` rows; filtered lists,
  smaller tables and other databases are counted exactly.
"""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

ESTIMATE_FROM = 100_000


def estimated_count(queryset) -> int | None:
    """The planner's row estimate of an unfiltered queryset's table, or None when the list is
    filtered, not on PostgreSQL, or the table was never analysed."""
    query = queryset.query
    connection = connections[queryset.db]
    if (
        connection.vendor != "postgresql"
        or query.where
        or query.distinct
        or query.combinator
        or query.is_sliced
    ):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self):
        estimate = estimated_count(self.object_list) if hasattr(self.object_list, "query") else None
        if estimate is not None and estimate >= ESTIMATE_FROM:
            return estimate
        return super().count


class LongListAdmin:
    """Mix into a ModelAdmin of a table that grows into the hundreds of thousands."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
