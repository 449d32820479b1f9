"""The coordinators' long lists in the admin run a bounded number of queries, whatever the data
(issue 17): organisations, programmes and the audit log (the history of every table).

Each list is read by a coordinator with a verified session once with a little data and once
with more; the second reading may not run more queries than the first, and neither more than
the list's budget below. When a list legitimately needs another query, raise its budget here,
in review.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledge_bank.models import Programme
from members.models import Organisation, pending_first
from platform_site import admin_paging
from tests.conftest import login_verified, make_organisation, make_user
from tests.knowledge_bank.test_knowledge_bank import make_programme

pytestmark = pytest.mark.django_db

BUDGETS = {
    "organisations": ("/ar/admin/members/organisation/", 14),
    "organisations, filtered": ("/ar/admin/members/organisation/?status__exact=active", 13),
    "programmes": ("/ar/admin/knowledge_bank/programme/", 16),
    "audit log": ("/ar/admin/audit/", 14),
}


def _grow(n, coordinator):
    """Organisations with programmes, and changes that leave history rows of several kinds."""
    for k in range(n):
        organisation = make_organisation(status="pending" if k % 3 == 0 else "active")
        organisation.approved_by = coordinator
        organisation._change_reason = "checked"
        organisation.save()
        make_programme(organisation, start_date=date(2020 + k % 6, 1 + k % 12, 1))
        make_programme(organisation, start_date=date(2024, 5, 1), status="planned")


@pytest.mark.parametrize("page", BUDGETS)
def test_admin_lists_run_a_bounded_number_of_queries(client, page):
    coordinator = make_user(coordinator=True)
    login_verified(client, coordinator)
    _grow(2, coordinator)
    path, budget = BUDGETS[page]
    counts = []
    for more in (0, 12):
        _grow(more, coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (page, response.status_code)
        counts.append(len(queries))
    assert counts[1] <= counts[0] <= budget, (page, counts)


def test_admin_lists_count_once(client):
    """No second COUNT of the whole table beside a filtered list."""
    login_verified(client, make_user(coordinator=True))
    _grow(3, None)
    with CaptureQueriesContext(connection) as queries:
        client.get("/ar/admin/members/organisation/?status__exact=active")
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1, counts


def test_audit_log_reads_whole_rows_only_for_what_it_shows(client):
    """The newest rows of every history table are chosen in one query; whole rows (with their
    relations) are read only for the rows shown."""
    login_verified(client, make_user(coordinator=True))
    _grow(4, None)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ar/admin/audit/")
    assert response.status_code == 200
    history_reads = [q["sql"] for q in queries if "historical" in q["sql"]]
    if connection.features.supports_slicing_ordering_in_compound:  # PostgreSQL
        assert len([sql for sql in history_reads if "UNION ALL" in sql]) == 1
    organisations = Organisation.history.model._meta.db_table
    assert sum(f'FROM "{organisations}"' in sql for sql in history_reads) <= 3


def test_estimated_count_only_for_unfiltered_lists_on_postgresql(monkeypatch):
    _grow(3, None)
    paginator = admin_paging.EstimatedCountPaginator(Organisation.objects.all(), 50)
    filtered = admin_paging.EstimatedCountPaginator(
        Organisation.objects.filter(status="active"), 50
    )
    assert admin_paging.estimated_count(Organisation.objects.filter(status="active")) is None
    if connection.vendor != "postgresql":
        assert admin_paging.estimated_count(Organisation.objects.all()) is None
        assert paginator.count == Organisation.objects.count()
        return
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{Organisation._meta.db_table}"')
    monkeypatch.setattr(admin_paging, "ESTIMATE_FROM", 1)
    assert admin_paging.estimated_count(Organisation.objects.all()) == Organisation.objects.count()
    assert paginator.count == Organisation.objects.count()
    assert filtered.count == Organisation.objects.filter(status="active").count()


def test_the_first_pages_can_be_read_from_their_indexes():
    """The admin's orders match the indexes (members 0012, knowledge_bank 0008): with
    sequential scans forbidden, PostgreSQL reads the first page from the index."""
    if connection.vendor != "postgresql":
        pytest.skip("query plans of PostgreSQL")
    _grow(3, None)
    queries = {
        "organisation_admin_order": Organisation.objects.order_by(
            pending_first().asc(), "-created_at", "-pk"
        )[:50],
        "programme_order_idx": Programme.objects.order_by("-start_date", "pk")[:100],
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        for index, queryset in queries.items():
            sql, params = queryset.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert index in plan and "Sort" not in plan.replace("Sort Key", ""), plan


def test_audit_log_shows_a_new_change_at_once(client):
    """Described entries are cached by the rows chosen: a new change chooses other rows."""
    login_verified(client, make_user(coordinator=True))
    _grow(2, None)
    organisation = make_organisation(name_en="Renamed Later Org")
    assert b"Renamed Later Org" in client.get("/en/admin/audit/").content
    organisation.name_en = "Freshly Renamed Org"
    organisation.status = "suspended"
    organisation.save()
    page = client.get("/en/admin/audit/").content
    assert b"Freshly Renamed Org" in page and b"Active \xe2\x86\x92 Suspended" in page
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/en/admin/audit/").content
    assert b"Freshly Renamed Org" in again  # described once, read from the cache
    assert not [q for q in queries if '"history_id" IN (' in q["sql"]]


def test_the_years_of_the_date_hierarchy_are_djangos_own(client):
    """The programmes' years come from the index (platform_site.admin_paging) and are the ones
    Django's own query finds; the links of the list show them."""
    from platform_site.admin_paging import _with_indexed_years

    _grow(8, None)
    indexed = Programme.objects.all()
    indexed.__class__ = _with_indexed_years(type(indexed))
    expected = list(Programme.objects.dates("start_date", "year"))
    assert list(indexed.dates("start_date", "year")) == expected
    assert list(indexed.dates("start_date", "year", order="DESC")) == expected[::-1]
    filtered = indexed.filter(status="planned")
    assert list(filtered.dates("start_date", "year")) == list(
        Programme.objects.filter(status="planned").dates("start_date", "year")
    )
    login_verified(client, make_user(coordinator=True))
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/en/admin/knowledge_bank/programme/").content.decode()
    for year in expected:
        assert f"start_date__year={year.year}" in page
    assert not [q for q in queries if "DATE_TRUNC" in q["sql"]] or connection.vendor != "postgresql"


def test_the_rows_checkbox_is_djangos_markup():
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin

    organisation = make_organisation(name_en="Org <b>&</b>")
    model_admin = admin.site._registry[Organisation]
    assert model_admin.action_checkbox(organisation) == ModelAdmin.action_checkbox(
        model_admin, organisation
    )


def test_audit_log_of_one_kind(client):
    login_verified(client, make_user(coordinator=True))
    _grow(2, None)
    make_organisation(name_en="Only Organisations Here")
    page = client.get("/en/admin/audit/?kind=members.organisation").content.decode()
    assert "Only Organisations Here" in page and "Catch-up classes" not in page
