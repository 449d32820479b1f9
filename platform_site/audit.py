"""Reading the history tables for coordinators: the audit log and "my recent decisions".

Every model registered with django-simple-history keeps one history row per change (who, when,
the whole row as it was). This module reads those rows across all apps, names each object as
people know it (the organisation's name, the statement's title — never «organisation #41»),
and says what changed in its status and why.

platform_site sits below the other apps and must not import them: it finds the history tables
through the app registry.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time

from django.apps import apps
from django.contrib.admin.utils import quote
from django.core.cache import cache
from django.db import connections, models
from django.db.models import Value
from django.db.models.base import ModelState
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext

AUDIT_ROWS = 300
# Described entries are kept this long for the same chosen rows (a coordinator reading the log
# again, or paging through filters and back); any new change chooses other rows at once.
CACHE_SECONDS = 600
# Fields that explain a row's status, in the order they are looked for.
REASON_FIELDS = ("status_reason", "review_comment")


@dataclass
class Entry:
    date: datetime
    kind: str  # the model's verbose name
    label: str  # the model's label, e.g. "members.organisation" (the "what kind" filter)
    object_id: int
    name: str
    change: str  # Created / Changed / Deleted
    status: str  # the status after the change, "Pending review → Active" when it moved
    reason: str
    user: str  # the e-mail of who made the change, "" when not known
    history_url: str


def history_models() -> list[type[models.Model]]:
    """Every history table of the project (simple_history names them Historical…)."""
    return sorted(
        (
            model
            for model in apps.get_models()
            if model.__name__.startswith("Historical") and hasattr(model, "history_date")
        ),
        key=lambda model: model.instance_type._meta.label_lower,
    )


def kinds() -> list[tuple[str, str]]:
    """(label, verbose name) of every model with a history, for the "what kind" filter."""
    return [
        (model.instance_type._meta.label_lower, str(model.instance_type._meta.verbose_name))
        for model in history_models()
    ]


def _relations(history_model) -> list[str]:
    """The forward foreign keys a history row carries (its own user aside)."""
    return [
        field.name
        for field in history_model._meta.concrete_fields
        if field.many_to_one and field.name not in {"history_user", "history_relation"}
    ]


def _blank_instance(original):
    """A function that makes an unsaved `original` from a history row's values, cheaply: the
    fields the history keeps, defaults for the others (never a query for a missing field). It
    skips the model's `__init__` (and modeltranslation's, a tenth of a millisecond a row),
    as Django does for rows it reads."""
    fields = [(field.attname, field.get_default()) for field in original._meta.concrete_fields]

    def make(row):
        instance = original.__new__(original)
        instance._state = ModelState()
        instance._state.adding = True
        values = row.__dict__
        instance.__dict__.update(
            {attname: values.get(attname, default) for attname, default in fields}
        )
        return instance

    return make


def _name(row, make, relations: list[str]) -> str:
    """The object as its own `__str__` names it, built from the history row without a query
    per row: the related objects come from `select_related` and are handed over. (The
    history's own `instance` reads the fields the history leaves out from the live row.)"""
    instance = make(row)
    for relation in relations:
        related = getattr(row, relation, None)
        if related is None and getattr(row, f"{relation}_id", None) is not None:
            return ""  # the related object is gone: the caller falls back to kind and number
        setattr(instance, relation, related)
    try:
        return str(instance)
    except Exception:  # noqa: BLE001 - a name is a courtesy; the number still identifies it
        return ""


def _status_labels(history_model) -> dict[str, str]:
    """The model's status choices, translated, or {} when it has no status."""
    for field in history_model._meta.concrete_fields:
        if field.name == "status":
            return {key: str(label) for key, label in field.flatchoices}
    return {}


def reason(row) -> str:
    if row.history_change_reason:
        return row.history_change_reason
    for field in REASON_FIELDS:
        value = getattr(row, field, "")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


URL_PLACEHOLDER = "object-id-placeholder"


def _history_urls(model):
    """A function from an object's id to its history page in the admin ("" when the model
    has none there): the address is worked out once per model, not once per row."""
    try:
        pattern = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_history",
            args=[URL_PLACEHOLDER],
        )
    except NoReverseMatch:
        return lambda object_id: ""
    before, after = pattern.rsplit(URL_PLACEHOLDER, 1)
    return lambda object_id: f"{before}{quote(str(object_id))}{after}"


def _earlier_statuses(history_model, rows) -> dict[int, str]:
    """For each history row, the status the object had just before it (one query)."""
    if not rows or not any(f.name == "status" for f in history_model._meta.concrete_fields):
        return {}
    timeline = (
        history_model.objects.filter(
            id__in={row.id for row in rows},
            history_date__lte=max(row.history_date for row in rows),
        )
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_id", "status")
    )
    before, last = {}, {}
    for object_id, history_id, status in timeline:
        if object_id in last:
            before[history_id] = last[object_id]
        last[object_id] = status
    return before


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entries(
    *,
    user=None,
    email: str = "",
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
    limit: int = AUDIT_ROWS,
) -> list[Entry]:
    """The latest history rows across the site, newest first, filtered by who (a user or part
    of an e-mail address), what kind of object (a model label) and when (dates, inclusive)."""
    # First the dates of the newest rows of every table (two columns, from the index on the
    # date), then whole rows, with their relations, only for the newest `limit` across all
    # tables: the big tables (organisations, programmes) no longer hand over `limit` whole rows
    # each to be thrown away.
    tables = {}  # the newest (date, id, table number) of each table, asked in one query
    for number, history_model in enumerate(history_models()):
        original = history_model.instance_type
        if kind and original._meta.label_lower != kind:
            continue
        rows = history_model.objects.all()
        if user is not None:
            rows = rows.filter(history_user=user)
        if email:
            rows = rows.filter(history_user__email__icontains=email)
        if since:
            rows = rows.filter(history_date__gte=_start_of(since))
        if until:
            rows = rows.filter(history_date__lt=_start_of(until) + timezone.timedelta(days=1))
        tables[number] = (
            history_model,
            rows.annotate(table=Value(number, output_field=models.IntegerField())).values_list(
                "history_date", "history_id", "table"
            ),
        )
    if not tables:
        return []
    order = ("-history_date", "-history_id")
    first, *others = [newest for _model, newest in tables.values()]
    if not others:
        newest = first.order_by(*order)[:limit]
    elif connections[first.db].features.supports_slicing_ordering_in_compound:
        # PostgreSQL: each table gives only its newest `limit` (from its index on the date).
        first, *others = [part.order_by(*order)[:limit] for part in (first, *others)]
        newest = first.union(*others, all=True).order_by(*order)[:limit]
    else:  # SQLite allows no LIMIT inside a UNION: the whole (small) tables, sorted once
        first, *others = [part.order_by() for part in (first, *others)]
        newest = first.union(*others, all=True).order_by(*order)[:limit]
    newest = [(number, pk) for _when, pk, number in newest]
    # The rows chosen name the answer: a new change, a deletion or a person erased (their rows
    # go) chooses other rows. Names and statuses are described in the active language.
    key = "audit:" + hashlib.sha256(repr((get_language(), newest)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _describe(tables, newest, limit)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _describe(tables, newest, limit) -> list[Entry]:
    """The entries of the chosen history rows (each a table number and a history id)."""
    # Only the newest rows across all tables are described (names, status changes).
    wanted: dict = {}
    for number, pk in newest:
        wanted.setdefault(tables[number][0], []).append(pk)
    chosen = {
        history_model: list(
            history_model.objects.select_related("history_user", *_relations(history_model))
            .filter(history_id__in=pks)
            .order_by("-history_date", "-history_id")
        )
        for history_model, pks in wanted.items()
    }
    found: list[Entry] = []
    for history_model, rows in chosen.items():
        original = history_model.instance_type
        relations = _relations(history_model)
        make, history_url = _blank_instance(original), _history_urls(original)
        statuses = _earlier_statuses(history_model, rows)
        # Labels are translated once per table, not once per row.
        kind_name = str(original._meta.verbose_name)
        changes = {key: str(label) for key, label in history_model.history_type.field.choices}
        status_labels = _status_labels(history_model)
        for row in rows:
            status = status_labels.get(getattr(row, "status", None), "")
            before = statuses.get(row.history_id)
            if before is not None and before != row.status:
                # The arrow points the way the language reads: ← in Arabic.
                status = pgettext("a status change", "%(before)s → %(after)s") % {
                    "before": status_labels.get(before, before),
                    "after": status,
                }
            found.append(
                Entry(
                    date=row.history_date,
                    kind=kind_name,
                    label=original._meta.label_lower,
                    object_id=row.id,
                    name=_name(row, make, relations) or f"{kind_name} #{row.id}",
                    change=changes.get(row.history_type, row.history_type),
                    status=status,
                    reason=reason(row),
                    user=row.history_user.email if row.history_user else "",
                    history_url=history_url(row.id),
                )
            )
    found.sort(key=lambda entry: entry.date, reverse=True)
    return found[:limit]
