"""Arabic-aware search over a normalised `search_text` column (docs/product.md §6).

Models store `platform_site.text.index_text(...)` of their searchable fields in `search_text`
and use `SearchQuerySet` for their queryset; migrations add the PostgreSQL indexes with
`postgres_search_indexes`.
"""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection, migrations, models
from django.db.models import Q

from platform_site.text import search_words


class SearchQuerySet(models.QuerySet):
    def search(self, query: str):
        """Rows whose search text holds every query word.

        The column stores each word with and without its «ال»-style prefix, so a contains-match
        is enough on SQLite. On PostgreSQL, when nothing matches exactly, words may also be
        close to one in the text (trigram word similarity: typos); rows carry a `rank`
        (full-text rank with the `arabic` configuration plus trigram similarity) for ordering.
        """
        words = search_words(query)
        if not words:
            return self
        every_word = Q()
        for word in words:
            every_word &= Q(search_text__contains=word)
        if connection.vendor != "postgresql":
            return self.filter(every_word)
        normalised = " ".join(words)
        rank = SearchRank(
            SearchVector("search_text", config="arabic"),
            SearchQuery(normalised, config="arabic"),
        )
        matches = self.filter(every_word)
        if matches.exists():
            return matches.annotate(rank=rank)
        # Nothing contains every word: allow typos (trigram word similarity), and rank by it
        # too. Only then, because PostgreSQL computes the similarity row by row (120 ms at
        # 10,000 rows); where every word is contained the similarity is 1 for every row.
        close = Q()
        for word in words:
            close &= Q(search_text__contains=word) | Q(search_text__trigram_word_similar=word)
        return self.filter(close).annotate(
            rank=rank + TrigramWordSimilarity(normalised, "search_text")
        )


def postgres_search_indexes(table: str) -> migrations.RunPython:
    """GIN indexes for full-text and trigram search on `<table>.search_text`, PostgreSQL only.

    (A GinIndex in Meta.indexes would break `migrate` on SQLite.)
    """
    statements = [
        f"CREATE INDEX IF NOT EXISTS {table}_search_fts ON {table} "
        "USING gin (to_tsvector('arabic'::regconfig, COALESCE(search_text, '')))",
        f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} "
        "USING gin (search_text gin_trgm_ops)",
    ]

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_fts")
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")

    return migrations.RunPython(forwards, backwards)
