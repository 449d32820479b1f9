"""Arabic-aware search over a normalised search document (DESIGN §6).

Models store `platform_site.text.index_text(...)` of their searchable fields in a text column
(`search_text`) and use `SearchQuerySet` for their queryset; migrations add the PostgreSQL
indexes with `postgres_search_indexes`.

Matching is the same on both databases, so that SQLite and PostgreSQL give the same results:
every query word, stemmed (`platform_site.text.query_stems`), must begin a word of the
document. PostgreSQL answers this from a trigram index; only when nothing matches does it
look for words close to the typed ones (trigram word similarity, typos); SQLite then compares
the typed words with the words of the documents (small data only).
"""

import difflib

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, migrations, models
from django.db.models import Case, FloatField, Q, Value, When

from platform_site.text import query_stems

# SQLite's typo tolerance reads the words of at most this many documents (small data only).
SQLITE_VOCABULARY_ROWS = 5000


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
    if not names_column:
        return Value(0.0, output_field=FloatField())
    return Case(
        When(every_word(names_column, stems), then=Value(2.0)),
        When(any_word(names_column, stems), then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )


class SearchQuerySet(models.QuerySet):
    def search(self, query: str, *, column: str = "search_text", names_column: str | None = None):
        """Rows whose document (`column`) holds every query word, with a `rank` for ordering.

        `rank` is higher when the words are in `names_column` (names and acronyms first).
        When no row holds every word, words may be close to the typed ones (typos).
        """
        stems = query_stems(query)
        if not stems:
            return self
        matches = self.filter(every_word(column, stems))
        if matches.exists():
            return matches.annotate(rank=name_rank(names_column, stems))
        if connection.vendor == "postgresql":
            return self._close_matches_postgresql(stems, column, names_column)
        return self._close_matches_sqlite(stems, column, names_column)

    def _close_matches_postgresql(self, stems, column, names_column):
        # Trigram word similarity, from the trigram index (`%>`); ranked by it, names first.
        close = Q()
        for stem in stems:
            close &= begins_a_word(column, stem) | Q(**{f"{column}__trigram_word_similar": stem})
        typed = " ".join(stems)
        similarity = TrigramWordSimilarity(typed, names_column or column)
        return self.filter(close).annotate(rank=similarity)

    def _close_matches_sqlite(self, stems, column, names_column):
        vocabulary = set()
        for text in self.values_list(column, flat=True)[:SQLITE_VOCABULARY_ROWS]:
            vocabulary.update(text.split())
        close = Q()
        for stem in stems:
            near = [stem, *difflib.get_close_matches(stem, vocabulary, n=5, cutoff=0.75)]
            close &= any_word(column, near)
        return self.filter(close).annotate(rank=name_rank(names_column, stems))


def postgres_search_indexes(
    table: str, column: str = "search_text", *, full_text: bool = True
) -> migrations.RunPython:
    """GIN indexes for full-text and trigram search on `<table>.<column>`, PostgreSQL only.

    (A GinIndex in Meta.indexes would break `migrate` on SQLite.) The trigram index answers
    the word-prefix matching and the typo tolerance of `SearchQuerySet.search`; the
    full-text one (`arabic` configuration) is optional, for full-text queries.
    """
    prefix = f"{table}_search" if column == "search_text" else f"{table}_{column}"
    statements = [
        f"CREATE INDEX IF NOT EXISTS {prefix}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
    ]
    if full_text:
        statements.append(
            f"CREATE INDEX IF NOT EXISTS {prefix}_fts ON {table} "
            f"USING gin (to_tsvector('arabic'::regconfig, COALESCE({column}, '')))"
        )

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {prefix}_fts")
            schema_editor.execute(f"DROP INDEX IF EXISTS {prefix}_trgm")

    return migrations.RunPython(forwards, backwards)
