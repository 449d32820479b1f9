"""Directory search: what describes an organisation, who may find it by what, and why it matched.

Each organisation has three normalised documents (`platform_site.text.index_text`):

- `search_names`: names in both languages, acronym and other names — the ranking's first tier;
- `search_text`: everything the public may read about it: the names, its descriptions,
  governorates (Arabic and English names, p-codes), sub-sectors, target groups, type and
  countries of operation (in both languages), and the titles of its *public* programmes;
- `search_text_members`: the same with the titles of every programme network members may read.

Anonymous visitors and people without an active organisation search `search_text`, so a
members-only programme title never makes an organisation findable by them; members and
coordinators search `search_text_members`. Which rows are searched at all is always
`Organisation.objects.visible_to(audience)`: search only ever narrows it.

Programmes live in `knowledge_bank`, above this app: they are read through `django.apps` by
label (as `platform_site.audience` does), through their own `visible_to` verb.
"""

from collections import defaultdict
from functools import cache

from django.apps import apps
from django.db import connection
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _

from members.models import Country, Governorate, Organisation, Subsector, TargetGroup
from platform_site.audience import ANONYMOUS_AUDIENCE, MEMBER, Audience
from platform_site.search import remember_words
from platform_site.text import index_text, query_stems

# What any network member may read (no organisation of their own: nothing more).
NETWORK_MEMBER = Audience(kind=MEMBER)
BATCH = 1000
MAX_REASONS = 3


def document_column(audience) -> str:
    return "search_text_members" if Audience.of(audience).is_member else "search_text"


@cache
def _both_languages(choices: tuple) -> dict[str, tuple[str, str]]:
    labels = {}
    for language in ("ar", "en"):
        with translation.override(language):
            for code, label in choices:
                labels[code] = (*labels.get(code, ()), str(label))
    return labels


def _labels(choices, code) -> tuple[str, str]:
    """A choice's label in both languages."""
    return _both_languages(tuple(choices)).get(code, ("", ""))


def _programme_titles(ids, audience) -> dict[int, list[str]]:
    Programme = apps.get_model("knowledge_bank", "Programme")
    titles = defaultdict(list)
    rows = (
        Programme.objects.visible_to(audience)
        .filter(organisation__in=ids)
        .values_list("organisation_id", "title_ar", "title_en")
    )
    for organisation_id, title_ar, title_en in rows:
        titles[organisation_id] += [title_ar, title_en]
    return titles


def _vocabulary_words(ids) -> dict[str, dict[int, list[str]]]:
    """{"governorates": {organisation id: words}, …}: the names (and p-codes) of the
    organisations' governorates, sub-sectors and target groups, one query per column (a
    prefetch builds a queryset per organisation and column, which a 10,000-row import felt)."""
    columns = {
        "governorates": ("governorate", ("name_ar", "name_en", "pcode")),
        "subsectors": ("subsector", ("name_ar", "name_en")),
        "target_groups": ("targetgroup", ("name_ar", "name_en")),
    }
    found = {}
    for key, (target, names) in columns.items():
        field = Organisation._meta.get_field(key)
        through, ordering = field.remote_field.through, field.related_model._meta.ordering
        words = defaultdict(list)
        rows = (
            through.objects.filter(organisation_id__in=ids)
            .order_by(*(f"{target}__{name}" for name in ordering), f"{target}_id")
            .values_list("organisation_id", *(f"{target}__{name}" for name in names))
        )
        for organisation_id, *values in rows:
            words[organisation_id] += values
        found[key] = words
    return found


def _described_by(organisation, vocabulary_words) -> list[str]:
    parts = [organisation.description_ar, organisation.description_en, organisation.hq_city]
    for key in ("governorates", "subsectors", "target_groups"):
        parts += vocabulary_words[key].get(organisation.pk, [])
    parts += _labels(Organisation.Type.choices, organisation.org_type)
    for code in organisation.host_country_codes:
        parts += [*_labels(Country.choices, code), code]
    return parts


def refresh_search_documents(ids) -> int:
    """Rebuild the search documents of these organisations (ids), in batches; returns how many.

    Called when an organisation is saved (`Organisation.save`), after its many-to-many fields
    or its programmes change, and by `manage.py rebuild_search_text` for existing rows.
    """
    ids = list(ids)
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        public = _programme_titles(chunk, ANONYMOUS_AUDIENCE)
        members = _programme_titles(chunk, NETWORK_MEMBER)
        organisations = list(Organisation.objects.filter(pk__in=chunk))
        vocabulary_words = _vocabulary_words(chunk)
        for organisation in organisations:
            names = [organisation.name_ar, organisation.name_en]
            names += [organisation.acronym, organisation.aliases]
            described = _described_by(organisation, vocabulary_words)
            organisation.search_names = index_text(*names)
            organisation.search_text = index_text(*names, *described, *public[organisation.pk])
            organisation.search_text_members = index_text(
                *names, *described, *members[organisation.pk]
            )
        _write_documents(organisations)
        remember_words(*(organisation.search_text_members for organisation in organisations))
        done += len(organisations)
    return done


DOCUMENTS = ["search_names", "search_text", "search_text_members"]


def _write_documents(organisations) -> None:
    """One UPDATE for the batch. On PostgreSQL the values travel as arrays (`unnest`): Django's
    `bulk_update` builds a CASE WHEN per row and column, which costs more Python time than the
    documents themselves (a 10,000-row import spent half its time there)."""
    if connection.vendor != "postgresql":
        Organisation.objects.bulk_update(organisations, DOCUMENTS)
        return
    table = connection.ops.quote_name(Organisation._meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(name)} = v.{name}" for name in DOCUMENTS)
    arrays = [[organisation.pk for organisation in organisations]]
    arrays += [[getattr(o, name) for o in organisations] for name in DOCUMENTS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS o SET {columns} "  # noqa: S608 - names from the model
            f"FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) "
            f"AS v(id, {', '.join(DOCUMENTS)}) WHERE o.id = v.id",
            arrays,
        )


# --- why a result matched ----------------------------------------------------------------


def _holds(text: str | None, stems) -> bool:
    words = index_text(text).split()
    return any(word.startswith(stem) for stem in stems for word in words)


def explain_matches(organisations, query: str, audience) -> None:
    """Set `organisation.search_reasons` (short translated phrases) on each organisation of a
    page of results whose names do not hold every word of the query: "works in Aleppo",
    "sub-sector: …", "programme: …". Expects governorates, sub-sectors and target groups
    prefetched; reads the programmes this audience may see with one query."""
    stems = query_stems(query)
    pending = []
    for organisation in organisations:
        organisation.search_reasons = []
        if not stems:
            continue
        names = organisation.search_names.split()
        if not all(any(word.startswith(stem) for word in names) for stem in stems):
            pending.append(organisation)
    if not pending:
        return
    Programme = apps.get_model("knowledge_bank", "Programme")
    titles = defaultdict(list)
    for programme in Programme.objects.visible_to(audience).filter(organisation__in=pending):
        titles[programme.organisation_id].append(programme)
    for organisation in pending:
        organisation.search_reasons = _reasons(organisation, stems, titles[organisation.pk])


def _reasons(organisation, stems, programmes) -> list[str]:
    reasons = []
    for alias in organisation.aliases.splitlines():
        if _holds(alias, stems):
            reasons.append(_("also known as %(name)s") % {"name": alias.strip()})
    for governorate in organisation.governorates.all():
        if _holds(f"{governorate.name_ar} {governorate.name_en} {governorate.pcode}", stems):
            reasons.append(_("works in %(place)s") % {"place": governorate.name})
    for code, label in zip(
        organisation.host_country_codes, organisation.get_host_countries_display(), strict=True
    ):
        if _holds(" ".join([*_labels(Country.choices, code), code]), stems):
            reasons.append(_("works in %(place)s") % {"place": label})
    for subsector in organisation.subsectors.all():
        if _holds(f"{subsector.name_ar} {subsector.name_en}", stems):
            reasons.append(_("sub-sector: %(name)s") % {"name": subsector.name})
    for group in organisation.target_groups.all():
        if _holds(f"{group.name_ar} {group.name_en}", stems):
            reasons.append(_("works with: %(name)s") % {"name": group.name})
    if _holds(" ".join(_labels(Organisation.Type.choices, organisation.org_type)), stems):
        reasons.append(_("type: %(name)s") % {"name": organisation.get_org_type_display()})
    for programme in programmes:
        if _holds(f"{programme.title_ar} {programme.title_en}", stems):
            reasons.append(_("programme: %(title)s") % {"title": programme})
    if _holds(f"{organisation.description_ar} {organisation.description_en}", stems):
        reasons.append(_("mentioned in its description"))
    return reasons[:MAX_REASONS]


# --- facets and filters that match the words typed -----------------------------------------

# Facet name (the directory's URL parameter) → how an organisation's value is read.
FACETS = {
    "governorate": ("governorates__pcode", Governorate, "pcode"),
    "subsector": ("subsectors__code", Subsector, "code"),
    "target_group": ("target_groups__code", TargetGroup, "code"),
    "org_type": ("org_type", None, None),
}


def _facet_values(name):
    """(code, label, both-language text) of every value of a facet."""
    field, model, code_field = FACETS[name]
    if model is None:
        return [
            (code, label, " ".join(_labels(Organisation.Type.choices, code)))
            for code, label in Organisation.Type.choices
        ]
    values = []
    for row in model.objects.all():
        code = getattr(row, code_field)
        values.append((code, row.name, f"{row.name_ar} {row.name_en} {code}"))
    return values


def _filtered(filterset, queryset, *, skip=()):
    """`queryset` with the (validated) filters of `filterset` applied, except those in `skip`."""
    for name, value in filterset.form.cleaned_data.items():
        if name not in skip and value not in (None, "", [], ()):
            queryset = filterset.filters[name].filter(queryset, value)
    return queryset.order_by()


def _counts(queryset, name, codes=None) -> dict[str, int]:
    """Organisations of `queryset` per value of facet `name` (only `codes`, if given).

    Many-to-many facets count rows of the link table (one per organisation and value), so
    no DISTINCT over a join is needed."""
    field, _model, code_field = FACETS[name]
    ids = queryset.values("pk")
    if "__" not in field:
        rows = Organisation.objects.filter(pk__in=ids).values(field)
        key = field
    else:
        relation = field.split("__")[0]
        through = getattr(Organisation, relation).through
        target = getattr(Organisation, relation).field.m2m_reverse_field_name()
        key = f"{target}__{code_field}"
        rows = through.objects.filter(organisation__in=ids).values(key)
    if codes is not None:
        rows = rows.filter(**{f"{key}__in": list(codes)})
    counts = rows.annotate(n=Count("pk")).order_by()
    return {row[key]: row["n"] for row in counts if row[key]}


def facet_counts(filterset, queryset) -> dict[str, list[dict]]:
    """For each facet, how many organisations each value would give: the current search and
    filters of a validated `filterset` with this facet's own filter replaced by the value (so
    each count equals the total shown after following it). `queryset` is what the reader may
    see. Values with no organisation are left out."""
    facets = {}
    for name in FACETS:
        counts = _counts(_filtered(filterset, queryset, skip={name}), name)
        selected = filterset.data.get(name, "")
        facets[name] = [
            {"code": code, "label": label, "count": counts[code], "selected": code == selected}
            for code, label, _text in _facet_values(name)
            if code in counts
        ]
    return facets


def matching_filters(query: str, filterset, queryset) -> list[dict]:
    """Filter values whose names hold a word of the query («حلب» → the Aleppo filter), each
    with the number of organisations it gives (the query itself dropped, the other filters of
    the validated `filterset` kept; `queryset` is what the reader may see); values that give
    none are left out."""
    stems = query_stems(query)
    if not stems:
        return []
    offers = []
    for name in FACETS:
        matched = {code: label for code, label, text in _facet_values(name) if _holds(text, stems)}
        if not matched:
            continue
        base = _filtered(filterset, queryset, skip={"q", name})
        for code, count in _counts(base, name, matched).items():
            params = filterset.data.copy()
            for key in ("q", "page", name):
                params.pop(key, None)
            params[name] = code
            offers.append(
                {
                    "facet": name,
                    "code": code,
                    "label": matched[code],
                    "count": count,
                    "query": params.urlencode(),
                }
            )
    return sorted(offers, key=lambda offer: -offer["count"])[:8]
