"""Arabic-aware search over a normalised search document (docs/product.md §6).

Models store `platform_site.text.index_text(...)` of their searchable fields in a text column
(`search_text`) and use `SearchQuerySet` for their queryset; migrations add the PostgreSQL
indexes with `postgres_search_indexes`.

Matching is the same on both databases, so that SQLite and PostgreSQL give the same results:
every query word, stemmed (`platform_site.text.query_stems`), must begin a word of the
document. PostgreSQL answers this from a trigram index. Only when nothing matches are typed
words compared with the vocabulary of the documents (`SearchWord`, typos): by trigram
similarity on PostgreSQL, by difflib on SQLite.
"""

import difflib

from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, migrations, models
from django.db.models import Case, FloatField, Q, Value, When
from django.db.models.expressions import RawSQL

from platform_site.cache import APPS
from platform_site.models import SearchWord
from platform_site.process_cache import process_cached
from platform_site.text import query_stems

# Typos: how many close words replace a typed word, the shortest word worth remembering, and
# how much of the vocabulary SQLite compares (small data only).
CORRECTIONS = 3
MIN_VOCABULARY_WORD = 3
SQLITE_VOCABULARY_WORDS = 20000


def begins_a_word(column: str, stem: str) -> Q:
    """`stem` begins one of the words of `column` (words are separated by single spaces)."""
    return Q(**{f"{column}__startswith": stem}) | Q(**{f"{column}__contains": f" {stem}"})


def every_word(column: str, stems) -> Q:
    condition = Q()
    for stem in stems:
        condition &= begins_a_word(column, stem)
    return condition


def any_word(column: str, stems) -> Q:
    condition = Q(pk__in=[])
    for stem in stems:
        condition |= begins_a_word(column, stem)
    return condition


def name_rank(names_column: str | None, stems) -> Case | Value:
    """2 when every word is in the names, 1 when one of them is, else 0."""
    if not names_column or not stems:  # a query of punctuation alone has no words
        return Value(0.0, output_field=FloatField())
    return Case(
        When(every_word(names_column, stems), then=Value(2.0)),
        When(any_word(names_column, stems), then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def remember_words(*documents: str) -> None:
    """Add the words of these documents to the vocabulary used for typos (SearchWord)."""
    words = {
        word
        for document in documents
        for word in document.split()
        if MIN_VOCABULARY_WORD <= len(word) <= 60 and not word.isdigit()
    }
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True, batch_size=2000
    )


def close_words(stem: str) -> list[str]:
    """Words of the vocabulary close to a typed one: trigram similarity on PostgreSQL (from a
    trigram index on the short words, not on the documents), difflib on SQLite (small data).

    Kept per process until content changes (words join the vocabulary when content is saved),
    so that a typo looked up by every kind of the whole-site search is looked up once."""
    known = process_cached("close-words", APPS, dict)
    if stem not in known:
        if len(known) > 10000:
            known.clear()
        known[stem] = _close_words(stem)
    return list(known[stem])


def _close_words(stem: str) -> list[str]:
    if connection.vendor == "postgresql":
        return list(
            SearchWord.objects.filter(word__trigram_similar=stem)
            .annotate(similarity=TrigramSimilarity("word", stem))
            .order_by("-similarity", "word")
            .values_list("word", flat=True)[:CORRECTIONS]
        )
    vocabulary = SearchWord.objects.values_list("word", flat=True)[:SQLITE_VOCABULARY_WORDS]
    return difflib.get_close_matches(stem, list(vocabulary), n=CORRECTIONS, cutoff=0.75)


class SearchQuerySet(models.QuerySet):
    def search(self, query: str, *, column: str = "search_text", names_column: str | None = None):
        """Rows whose document (`column`) holds every query word, with a `rank` for ordering.

        `rank` is higher when the words are in `names_column` (names and acronyms first).
        When no row holds every word, a word that begins no word of the documents is replaced
        by the close words of the vocabulary (typos), on both databases alike.
        """
        return self.search_words(query, column=column, names_column=names_column)[0]

    def search_words(
        self, query: str, *, column: str = "search_text", names_column: str | None = None
    ):
        """`search(...)`, and the word beginnings it looked for: the query's, and the close
        words that replaced them when it fell back to typos."""
        stems = query_stems(query)
        if not stems:  # nothing to look for (punctuation alone): every row, unranked
            return self.annotate(rank=Value(0.0, output_field=FloatField())), []
        matches = self.filter(every_word(column, stems))
        if matches.exists():
            return matches.annotate(rank=name_rank(names_column, stems)), stems
        alternatives = [[stem, *close_words(stem)] for stem in stems]
        close = Q()
        for words in alternatives:
            close &= any_word(column, words)
        found = self.filter(close).annotate(rank=name_rank(names_column, stems))
        return found, [word for words in alternatives for word in words]

    def matching_ids(self, query: str, *, column: str = "search_text") -> list[int] | None:
        """The primary keys of the rows `search` finds (None for a query without words), read
        once: pages that count, list and facet the same matches filter on these instead of
        matching the documents again for every query."""
        stems = query_stems(query)
        if not stems:
            return None
        ids = _primary_keys(self.filter(every_word(column, stems)))
        if ids:
            return ids
        return _primary_keys(self.filter(_close_to(column, stems)))


def _primary_keys(queryset) -> list[int]:
    """The primary keys of a queryset, read straight from the cursor: thousands of rows would
    otherwise each pass through the translation layer's row handling."""
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a condition nothing can meet (`pk IN ()`: no match at all)
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def pk_in(ids) -> Q:
    """`pk IN ids`; on PostgreSQL as one array parameter, so that thousands of matches cost
    nothing to compile and send (as a list, each id would be a parameter of its own)."""
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::integer[])", (list(ids),)))
    return Q(pk__in=ids)


def _close_to(column: str, stems) -> Q:
    """Every word, or one of the vocabulary's words close to it (typos)."""
    close = Q()
    for stem in stems:
        close &= any_word(column, [stem, *close_words(stem)])
    return close


def postgres_search_indexes(
    table: str, column: str = "search_text", *, full_text: bool = False
) -> migrations.RunPython:
    """A GIN trigram index on `<table>.<column>`, PostgreSQL only.

    (A GinIndex in Meta.indexes would break `migrate` on SQLite.) It answers the word-prefix
    matching and the typo tolerance of `SearchQuerySet.search`. `full_text` is ignored: the
    full-text (`to_tsvector`) indexes older migrations asked for were never queried and are
    no longer created (members migration 0012 drops those that exist).
    """
    prefix = f"{table}_search" if column == "search_text" else f"{table}_{column}"
    statement = (
        f"CREATE INDEX IF NOT EXISTS {prefix}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
    )

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {prefix}_trgm")

    return migrations.RunPython(forwards, backwards)
