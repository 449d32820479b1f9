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

import hashlib
from array import array
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache

from django.apps import apps
from django.db import connection
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from members.models import (
    Country,
    Governorate,
    Organisation,
    SearchTerm,
)
from platform_site.audience import ANONYMOUS_AUDIENCE, MEMBER, Audience
from platform_site.cache import SEARCH_DOCUMENTS, bump_content_generation, cached_result
from platform_site.process_cache import process_cached
from platform_site.search import _primary_keys, close_words, remember_words
from platform_site.text import index_text, normalise, query_stems, strip_prefix

# What any network member may read (no organisation of their own: nothing more).
NETWORK_MEMBER = Audience(kind=MEMBER)
BATCH = 1000
MAX_REASONS = 3


def document_column(audience) -> str:
    return "search_text_members" if Audience.of(audience).is_member else "search_text"


# --- matching: the word index (SearchTerm) ------------------------------------------------

_DOCUMENT_BITS = {
    "search_names": SearchTerm.NAMES,
    "search_text": SearchTerm.PUBLIC,
    "search_text_members": SearchTerm.MEMBERS,
}


def _terms(documents: dict[int, str]) -> dict[str, int]:
    """word → which of the documents (bits of SearchTerm) hold it."""
    words = {}
    for bit, document in documents.items():
        for word in (whole[: SearchTerm.LONGEST] for whole in document.split()):
            words[word] = words.get(word, 0) | bit
    return words


@dataclass(frozen=True)
class _WordIndex:
    """The word index (SearchTerm) of every organisation, whatever its status, kept per
    process until organisations or programmes change: each word with the primary keys of the
    organisations holding it, grouped by the documents (bits of SearchTerm) that hold it. Who
    may find what is decided by intersecting with the rows the access policy gives the reader
    (`_visible_ids`). Its size follows the vocabulary and the number of (word, organisation)
    pairs: 5 MB and half a second to build for the bench's 10,000 organisations (templated
    descriptions, 20,000 words); real free-text descriptions give more words (roughly 350
    bytes each, plus 4 per organisation holding it)."""

    words: list[str]  # sorted, for the words beginning with a typed stem
    holders: dict[str, list[tuple[int, array]]]  # word → [(documents, organisation ids)]

    def holding(self, stem: str, bit: int) -> set[int]:
        """The organisations whose document `bit` holds a word beginning with `stem`."""
        found = set()
        position = bisect_left(self.words, stem)
        while position < len(self.words) and self.words[position].startswith(stem):
            for documents, ids in self.holders[self.words[position]]:
                if documents & bit:
                    found.update(ids)
            position += 1
        return found

    def holding_every(self, alternatives: list[list[str]], bit: int) -> set[int]:
        """The organisations whose document `bit` holds, for every query word, a word
        beginning with one of its alternatives (the word itself, or its close words)."""
        every = None
        for words in sorted(alternatives, key=len):
            found = set().union(*(self.holding(word, bit) for word in words))
            every = found if every is None else every & found
            if not every:
                return set()
        return every or set()


def _build_word_index() -> _WordIndex:
    holders = defaultdict(list)
    for (word, documents), ids in _grouped(SearchTerm, ("word", "documents"), "organisation"):
        holders[word].append((documents, array("i", map(int, ids))))
    return _WordIndex(words=sorted(holders), holders=dict(holders))


def _word_index() -> _WordIndex:
    """The word index, built by the first worker that needs it after a change and shared
    (about 5 MB, read in a tenth of the time it takes to build) with the others."""
    sources = (SEARCH_DOCUMENTS,)  # renewed when documents are rewritten, not by any change
    return process_cached(
        "directory-word-index",
        sources,
        lambda: cached_result("directory-word-index", sources, (), _build_word_index),
    )


class _Rows(bytes):
    """Which organisations a queryset holds, one byte per primary key (1: held): a tenth of
    the memory of a set of keys, for a value kept per audience rule and filters."""

    @classmethod
    def of(cls, ids) -> "_Rows":
        ids = list(ids)
        held = bytearray(max(ids, default=-1) + 1)
        for pk in ids:
            held[pk] = 1
        return cls(held)

    def among(self, ids) -> set[int]:
        """The keys of `ids` held."""
        size = len(self)
        return {pk for pk in ids if pk < size and self[pk]}

    def keys(self) -> list[int]:
        return [pk for pk, held in enumerate(self) if held]


def _visible_ids(queryset) -> _Rows:
    """The primary keys of `queryset` (what a reader may see: its SQL names the audience's
    rule), kept per process until organisations change."""
    sql = str(queryset.order_by().query)
    return process_cached(
        f"directory-visible-ids-{_digest(sql)}",
        ("members",),
        lambda: _Rows.of(_primary_keys(queryset)),
        group="directory-visible",
    )


def hidden_names_holding(words, audience) -> list[int]:
    """The organisations hidden from `audience` (not in its `visible_to`) whose names hold a
    word beginning with one of `words`: what must never make anything findable by them (a
    statement by its author's name: advocacy.filters.search_statements)."""
    index = _word_index()
    holding = set().union(*(index.holding(word, SearchTerm.NAMES) for word in words))
    return sorted(holding - _visible_ids(Organisation.objects.visible_to(audience)).among(holding))


def matching_ids(queryset, query: str, column: str = "search_text") -> list[int] | None:
    """The primary keys of the organisations of `queryset` whose document `column` holds
    every word of the query (each word begins a word of the document), read from the word
    index; when none does, a word that begins no word is replaced by the close words of the
    vocabulary (typos), as `platform_site.search.SearchQuerySet.matching_ids` does for other
    models. None for a query without words."""
    stems = query_stems(query)
    if not stems:
        return None
    index, bit, visible = _word_index(), _DOCUMENT_BITS[column], _visible_ids(queryset)
    found = visible.among(index.holding_every([[stem] for stem in stems], bit))
    if not found:
        alternatives = [[stem, *close_words(stem)] for stem in stems]
        found = visible.among(index.holding_every(alternatives, bit))
    return sorted(found)


@cache
def _both_languages(choices) -> dict[str, tuple[str, str]]:
    labels = {}
    for language in ("ar", "en"):
        with translation.override(language):
            for code, label in choices.choices:
                labels[code] = (*labels.get(code, ()), str(label))
    return labels


def _labels(choices, code) -> tuple[str, str]:
    """A choice's label in both languages; `choices`: a `TextChoices` class."""
    return _both_languages(choices).get(code, ("", ""))


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


_ARTICLES = {"al", "ar", "as", "ad", "an", "el", "ash", "az"}  # "Ar-Raqqa", "Al-Hasakeh"


def _place_key(text: str) -> str:
    words = [strip_prefix(word) for word in normalise(text).split()]
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def city_names(city: str, governorates) -> tuple[str, str] | None:
    """The Arabic and English names of the governorate whose name a headquarters city is
    («حلب», "Aleppo", "aleppo", «الرقة»): the city is typed in one language and found in both.
    `governorates`: rows with `name_ar` and `name_en`."""
    key = _place_key(city)
    for governorate in governorates if key else ():
        if key in (_place_key(governorate.name_ar), _place_key(governorate.name_en)):
            return governorate.name_ar, governorate.name_en
    return None


def _described_by(organisation, vocabulary_words, governorates) -> list[str]:
    parts = [organisation.description_ar, organisation.description_en, organisation.hq_city]
    parts += city_names(organisation.hq_city, governorates) or ()
    for key in ("governorates", "subsectors", "target_groups"):
        parts += vocabulary_words[key].get(organisation.pk, [])
    parts += _labels(Organisation.Type, organisation.org_type)
    for code in organisation.host_country_codes:
        parts += [*_labels(Country, code), code]
    return parts


_INDEX_WORDS_POSTGRESQL = f"""
INSERT INTO members_searchterm (organisation_id, word, documents)
SELECT id, left(word, {SearchTerm.LONGEST}), bit_or(bit)::smallint FROM (
    SELECT id, unnest(string_to_array(search_names, ' ')) AS word, {SearchTerm.NAMES} AS bit
    FROM members_organisation WHERE id = ANY(%(ids)s)
    UNION ALL
    SELECT id, unnest(string_to_array(search_text, ' ')), {SearchTerm.PUBLIC}
    FROM members_organisation WHERE id = ANY(%(ids)s)
    UNION ALL
    SELECT id, unnest(string_to_array(search_text_members, ' ')), {SearchTerm.MEMBERS}
    FROM members_organisation WHERE id = ANY(%(ids)s)
) AS words
WHERE word <> ''
GROUP BY id, left(word, {SearchTerm.LONGEST})
"""


def _index_words(organisations) -> None:
    """Rewrite the word index (SearchTerm) of these organisations from their documents, as
    saved: on PostgreSQL in the database (the documents are not sent back and forth)."""
    ids = [organisation.pk for organisation in organisations]
    # No signals for the index's rows (a delete with listeners would read each row first).
    SearchTerm.objects.filter(organisation__in=ids)._raw_delete(SearchTerm.objects.db)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_INDEX_WORDS_POSTGRESQL, {"ids": ids})
        return
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(organisation_id=organisation.pk, word=word, documents=documents)
            for organisation in organisations
            for word, documents in _terms(
                {
                    SearchTerm.NAMES: organisation.search_names,
                    SearchTerm.PUBLIC: organisation.search_text,
                    SearchTerm.MEMBERS: organisation.search_text_members,
                }
            ).items()
        ],
        batch_size=2000,
    )


def refresh_search_documents(ids) -> int:
    """Rebuild the search documents of these organisations (ids), in batches; returns how many.

    Called when an organisation is saved (`Organisation.save`), after its many-to-many fields
    or its programmes change, and by `manage.py rebuild_search_text` for existing rows.
    """
    ids = list(ids)
    done, governorates = 0, list(Governorate.objects.all())
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        public = _programme_titles(chunk, ANONYMOUS_AUDIENCE)
        members = _programme_titles(chunk, NETWORK_MEMBER)
        organisations = list(Organisation.objects.filter(pk__in=chunk))
        vocabulary_words = _vocabulary_words(chunk)
        for organisation in organisations:
            names = [organisation.name_ar, organisation.name_en]
            names += [organisation.acronym, organisation.aliases]
            described = _described_by(organisation, vocabulary_words, governorates)
            organisation.search_names = index_text(*names)
            organisation.search_text = index_text(*names, *described, *public[organisation.pk])
            organisation.search_text_members = index_text(
                *names, *described, *members[organisation.pk]
            )
        _write_documents(organisations)
        _index_words(organisations)
        remember_words(*(organisation.search_text_members for organisation in organisations))
        done += len(organisations)
    # The documents and the word index are written without signals: what workers keep of
    # them (the word index, the cards) is retired here, whoever called (a save, an import,
    # `manage.py rebuild_search_text`).
    bump_content_generation("members")
    bump_content_generation(SEARCH_DOCUMENTS)
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


# --- relevance order ----------------------------------------------------------------------


def _name_order(language: str) -> list[int]:
    """Every organisation's primary key in the directory's order by name in this language, as
    the database sorts it (`OrganisationQuerySet.order_by_name`); kept per process."""

    def ordered():
        sql, params = (
            Organisation.objects.order_by_name(language).values("pk").query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    return process_cached(f"directory-name-order-{language}", ("members",), ordered)


def _in_names(stems) -> tuple[set[int], set[int]]:
    """The organisations whose names hold every query word, and those holding one of them."""
    index = _word_index()
    holding = [index.holding(stem, SearchTerm.NAMES) for stem in stems]
    return set.intersection(*holding), set.union(*holding)


def relevance_order(ids, query: str, language: str) -> list[int]:
    """`ids` in the directory's relevance order: organisations whose names hold every word of
    the query, then those whose names hold one of them, then the others; by name within each
    (the same order as `OrganisationFilter.qs` gives with the `rank` annotation)."""
    stems = query_stems(query)
    every, some = _in_names(stems) if stems else (set(), set())
    matched = set(ids)
    ordered = [pk for pk in _name_order(language) if pk in matched]
    if len(ordered) < len(matched):  # saved since the order was read: last, by key
        ordered += sorted(matched.difference(ordered))
    return [
        *(pk for pk in ordered if pk in every),
        *(pk for pk in ordered if pk in some and pk not in every),
        *(pk for pk in ordered if pk not in some),
    ]


class RankedResults:
    """Search results in relevance order, for a paginator or a slice: the order is decided on
    the primary keys alone (relevance_order) and only the rows shown are read, from
    `queryset` (what the reader may see), so thousands of matches are never read to show
    twenty; a card's governorates, sub-sectors and target groups come from the facet index."""

    def __init__(self, queryset, ids: list[int]):
        self.queryset, self.ids = queryset, ids

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        wanted = self.ids[index]
        found = self.queryset.filter(pk__in=wanted).defer("search_text", "search_text_members")
        rows = {row.pk: row for row in found.order_by()}
        return [rows[pk] for pk in wanted if pk in rows]

    def __iter__(self):
        return iter(self[:])


def ranked_results(filterset, language: str) -> RankedResults | None:
    """The directory's results of a validated filterset in relevance order (a search, sorted
    by relevance), or None when they are not ranked (no search, or another order asked)."""
    if not filterset.is_valid():
        return None
    data = filterset.form.cleaned_data
    query = data.get("q")
    if not query or data.get("sort") or not query_stems(query):
        return None
    others = [name for name, value in data.items() if name not in {"q", "sort"} and value]
    if others:  # the other filters, applied by the database to the matches
        ids = _primary_keys(filterset.qs)
    else:
        ids = filterset.matches(query, filterset.queryset)
    return RankedResults(filterset.queryset, relevance_order(ids, query, language))


# --- why a result matched ----------------------------------------------------------------


@lru_cache(maxsize=4096)
def _words(text: str | None) -> tuple[str, ...]:
    return tuple(index_text(text).split())


def _holds(text: str | None, stems) -> bool:
    words = _words(text) if text is None or len(text) < 200 else index_text(text).split()
    return any(word.startswith(stem) for stem in stems for word in words)


def explain_matches(organisations, query: str, audience) -> None:
    """Set `organisation.search_reasons` (short translated phrases) on each organisation of a
    page of results whose names do not hold every word of the query: "works in Aleppo",
    "sub-sector: …", "programme: …". Governorates, sub-sectors and target groups come from
    the facet index; the programmes this audience may see are read with one query."""
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
    rows = (
        Programme.objects.visible_to(audience)
        .filter(organisation__in=[organisation.pk for organisation in pending])
        .order_by()
        .values_list("organisation_id", "title_ar", "title_en")
    )
    for organisation_id, title_ar, title_en in rows:
        titles[organisation_id].append((title_ar, title_en))
    index = _facet_index()
    for organisation in pending:
        linked = {name: rows.get(organisation.pk, ()) for name, rows in index.related.items()}
        organisation.search_reasons = _reasons(
            organisation, stems, titles[organisation.pk], linked, index.values["governorate"]
        )


def _reasons(organisation, stems, programmes, linked, governorates) -> list[str]:
    """Why `organisation` matched; `linked`: its governorates, sub-sectors and target groups
    (rows, by relation name); `governorates`: every governorate (a city may be named like
    one)."""
    reasons, english = [], (get_language() or "ar").startswith("en")
    for alias in organisation.aliases.splitlines():
        if _holds(alias, stems):
            reasons.append(_("also known as %(name)s") % {"name": alias.strip()})
    for governorate in linked["governorates"]:
        if _holds(f"{governorate.name_ar} {governorate.name_en} {governorate.pcode}", stems):
            reasons.append(_("works in %(place)s") % {"place": governorate.name})
    for code, label in zip(
        organisation.host_country_codes, organisation.get_host_countries_display(), strict=True
    ):
        if _holds(" ".join([*_labels(Country, code), code]), stems):
            reasons.append(_("works in %(place)s") % {"place": label})
    for subsector in linked["subsectors"]:
        if _holds(f"{subsector.name_ar} {subsector.name_en}", stems):
            reasons.append(_("sub-sector: %(name)s") % {"name": subsector.name})
    for group in linked["target_groups"]:
        if _holds(f"{group.name_ar} {group.name_en}", stems):
            reasons.append(_("works with: %(name)s") % {"name": group.name})
    city = organisation.hq_city
    named = city_names(city, governorates)
    if _holds(" ".join([city, *(named or ())]), stems):
        if named:  # in the page's language
            city = (named[1] or named[0]) if english else (named[0] or named[1])
        reasons.append(_("headquarters in %(city)s") % {"city": city})
    if _holds(" ".join(_labels(Organisation.Type, organisation.org_type)), stems):
        reasons.append(_("type: %(name)s") % {"name": organisation.get_org_type_display()})
    for title_ar, title_en in programmes:
        if _holds(f"{title_ar} {title_en}", stems):
            title = (title_en or title_ar) if english else (title_ar or title_en)
            reasons.append(_("programme: %(title)s") % {"title": title})
    if _holds(f"{organisation.description_ar} {organisation.description_en}", stems):
        reasons.append(_("mentioned in its description"))
    return reasons[:MAX_REASONS]


# --- facets and filters that match the words typed -----------------------------------------

# Facet name (the directory's URL parameter) → the many-to-many field it reads (None: a column).
FACETS = {
    "governorate": "governorates",
    "subsector": "subsectors",
    "target_group": "target_groups",
    "org_type": None,
}
# Filters counted like facets (the other facets' counts follow them) but not shown as facets.
_COUNTED_FILTERS = (*FACETS, "country")


@dataclass(frozen=True)
class _FacetValue:
    code: str
    name_ar: str
    name_en: str
    text: str  # both languages and the code: what the words typed are compared with

    @property
    def label(self) -> str:
        if (get_language() or "ar").startswith("en"):
            return self.name_en or self.name_ar
        return self.name_ar or self.name_en


@dataclass(frozen=True)
class _FacetIndex:
    """Every facet value, and for each the organisations that have it, as a bitmask of
    primary keys (bit n set: organisation n has it), across every organisation whatever its
    status: what a reader may see is always decided by the ids the access policy gives, which
    are intersected with these masks. Also each organisation's governorates, sub-sectors and
    target groups (the rows, in their models' order), which a page of results shows. Kept per
    process (platform_site.process_cache)."""

    values: dict[str, list[_FacetValue]]
    masks: dict[str, dict[str, int]]
    related: dict[str, dict[int, list]]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _mask(ids) -> int:
    ids = list(ids)
    if not ids:
        return 0
    bits = bytearray(max(ids) // 8 + 1)
    for pk in ids:
        bits[pk >> 3] |= 1 << (pk & 7)
    return int.from_bytes(bits, "little")


def _grouped(model, key: str | tuple[str, ...], value: str) -> list[tuple]:
    """(key, the values of that key's rows) for every `key` of `model`'s table (a tuple of
    fields: their values as a tuple), the values aggregated by the database into one text
    each: tens of thousands of rows come back as a few, and are split in Python far faster
    than a driver builds rows."""
    quote = connection.ops.quote_name
    keys = key if isinstance(key, tuple) else (key,)
    key_column = ", ".join(quote(model._meta.get_field(name).column) for name in keys)
    value_column = quote(model._meta.get_field(value).column)
    if connection.vendor == "postgresql":
        aggregate = f"string_agg({value_column}::text, ' ')"
    else:
        aggregate = f"group_concat({value_column}, ' ')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key_column}, {aggregate} FROM {quote(model._meta.db_table)} "
            f"GROUP BY {key_column}"
        )
        rows = cursor.fetchall()
    if isinstance(key, tuple):
        return [(tuple(group), values.split()) for *group, values in rows]
    return [(group, values.split()) for group, values in rows]


def _build_facet_index() -> _FacetIndex:
    values, masks, related = {}, {}, {}
    for name, relation in FACETS.items():
        if relation is None:
            continue
        field = getattr(Organisation, relation)
        rows = list(field.rel.model.objects.all())  # in the model's order
        code_field = "pcode" if field.rel.model is Governorate else "code"
        values[name] = [
            _FacetValue(
                getattr(row, code_field),
                row.name_ar,
                row.name_en,
                f"{row.name_ar} {row.name_en} {getattr(row, code_field)}",
            )
            for row in rows
        ]
        holders = dict(
            _grouped(
                field.through, field.field.m2m_reverse_field_name(), field.field.m2m_field_name()
            )
        )
        linked = defaultdict(list)
        masks[name] = {}
        for row in rows:  # in the model's order, so each organisation's list is too
            pks = [int(pk) for pk in holders.get(row.pk, ())]
            if pks:
                masks[name][getattr(row, code_field)] = _mask(pks)
            for pk in pks:
                linked[pk].append(row)
        related[relation] = dict(linked)
    values["org_type"] = [
        _FacetValue(code, *labels, " ".join(labels))
        for code, _label in Organisation.Type.choices
        for labels in [_labels(Organisation.Type, code)]
    ]
    masks["org_type"] = {
        code: _mask(map(int, pks)) for code, pks in _grouped(Organisation, "org_type", "id")
    }
    by_country = defaultdict(list)
    for countries, pks in _grouped(Organisation, "host_countries", "id"):
        for code in countries.split():
            by_country[code] += map(int, pks)
    masks["country"] = {code: _mask(pks) for code, pks in by_country.items()}
    return _FacetIndex(values=values, masks=masks, related=related)


def attach_related(organisations) -> None:
    """Give these organisations their governorates, sub-sectors and target groups from the
    facet index, as `prefetch_related` would (`organisation.governorates.all()` reads them),
    without a query."""
    index = _facet_index()
    for organisation in organisations:
        cache = organisation.__dict__.setdefault("_prefetched_objects_cache", {})
        for relation, by_organisation in index.related.items():
            rows = by_organisation.get(organisation.pk, [])
            model = getattr(Organisation, relation).rel.model
            queryset = model.objects.none()
            queryset._result_cache, queryset._prefetch_done = list(rows), True
            cache[relation] = queryset


def _facet_index() -> _FacetIndex:
    return process_cached("directory-facet-index", ("members",), _build_facet_index)


def _selected(filterset, skip=()) -> dict[str, str]:
    """The codes of the facet-like filters a validated filterset applies (except `skip`)."""
    selected = {}
    for name in _COUNTED_FILTERS:
        value = filterset.form.cleaned_data.get(name)
        if name not in skip and value not in (None, "", [], ()):
            selected[name] = getattr(value, "pcode", None) or getattr(value, "code", value)
    return selected


def _visible(filterset, queryset, *, with_query: bool) -> int:
    """The organisations the reader may see (`queryset`), with the search of the filterset
    when `with_query` (the word index, matched once per filter set), as a mask, before the
    facet-like filters: those are applied from the facet index."""
    query = filterset.form.cleaned_data.get("q") if with_query else ""
    if query:
        ids = filterset.matches(query, queryset)
        if ids is not None:
            return _mask(ids)
    return _visible_mask(queryset)


def _visible_mask(queryset) -> int:
    """The rows of `queryset` (what a reader may see: its SQL names the audience's rule), as
    a mask, kept per process until organisations change."""
    sql = str(queryset.order_by().query)
    return process_cached(
        f"directory-visible-{_digest(sql)}",
        ("members",),
        lambda: _mask(_visible_ids(queryset).keys()),
        group="directory-visible",
    )


def _counts(index, base: int, selected: dict[str, str], name: str, codes=None) -> dict[str, int]:
    """Organisations of `base` (a mask) per value of facet `name` (only `codes`, if given),
    the other `selected` filters applied."""
    for other, code in selected.items():
        if other != name:
            base &= index.masks[other].get(code, 0)
    masks = index.masks[name]
    if codes is not None:
        masks = {code: masks[code] for code in codes if code in masks}
    counts = {code: (base & mask).bit_count() for code, mask in masks.items()}
    return {code: count for code, count in counts.items() if count}


def facet_counts(filterset, queryset) -> dict[str, list[dict]]:
    """For each facet, how many organisations each value would give: the current search and
    filters of a validated `filterset` with this facet's own filter replaced by the value (so
    each count equals the total shown after following it). `queryset` is what the reader may
    see: the organisations counted are always its rows (and the search's matches), the facet
    index only says which of them have which value. Values with no organisation are left
    out."""
    index = _facet_index()
    base = _visible(filterset, queryset, with_query=True)
    selected = _selected(filterset)
    facets = {}
    for name in FACETS:
        counts = _counts(index, base, selected, name)
        facets[name] = [
            {
                "code": value.code,
                "label": value.label,
                "count": counts[value.code],
                "selected": value.code == selected.get(name),
            }
            for value in index.values[name]
            if value.code in counts
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
    index = _facet_index()
    matched = {
        name: {value.code: value.label for value in values if _holds(value.text, stems)}
        for name, values in index.values.items()
    }
    if not any(matched.values()):
        return []
    base = _visible(filterset, queryset, with_query=False)
    selected = _selected(filterset)
    offers = []
    for name in FACETS:
        if not matched[name]:
            continue
        for code, count in _counts(index, base, selected, name, matched[name]).items():
            params = filterset.data.copy()
            for key in ("q", "page", name):
                params.pop(key, None)
            params[name] = code
            offers.append(
                {
                    "facet": name,
                    "code": code,
                    "label": matched[name][code],
                    "count": count,
                    "query": params.urlencode(),
                }
            )
    return sorted(offers, key=lambda offer: -offer["count"])[:8]
