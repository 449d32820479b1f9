"""The directory's word index (members.SearchTerm), filled from the search documents already
stored; and the unused full-text indexes dropped.

Search matches word beginnings everywhere (platform_site.search), which the trigram indexes
and this word index answer; nothing queries `to_tsvector`, so the `*_fts` GIN indexes only
slowed every write. `postgres_search_indexes` no longer creates them; databases migrated
before lose them here (DROP INDEX IF EXISTS: harmless where they never existed). So does the
trigram index of the organisations' names, which no query reads any more."""

import django.db.models.deletion
from django.db import migrations, models

LONGEST = 100
FULL_TEXT_INDEXES = [
    "members_organisation_search_fts",
    "advocacy_prioritystatement_search_fts",
    "knowledge_bank_resource_search_fts",
    "knowledge_bank_reportseries_search_fts",
    "events_event_search_fts",
    "news_newsitem_search_fts",
    # Names are matched from the word index; `search_names` is only compared row by row for
    # the rank, which never reads this index.
    "members_organisation_search_names_trgm",
]
FILL_POSTGRESQL = f"""
INSERT INTO members_searchterm (organisation_id, word, documents)
SELECT id, word, bit_or(bit)::smallint FROM (
    SELECT id, unnest(string_to_array(search_names, ' ')) AS word, 1 AS bit
    FROM members_organisation
    UNION ALL
    SELECT id, unnest(string_to_array(search_text, ' ')), 2 FROM members_organisation
    UNION ALL
    SELECT id, unnest(string_to_array(search_text_members, ' ')), 4 FROM members_organisation
) AS words
WHERE word <> '' AND length(word) <= {LONGEST}
GROUP BY id, word
"""


def fill_word_index(apps, schema_editor):
    # "index" in the name: tests replaying reference data (tests/conftest.py) skip it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_POSTGRESQL)
        for index in FULL_TEXT_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        return
    Organisation = apps.get_model("members", "Organisation")
    SearchTerm = apps.get_model("members", "SearchTerm")
    rows = Organisation.objects.values_list(
        "pk", "search_names", "search_text", "search_text_members"
    )
    terms = []
    for pk, *documents in rows.iterator():
        words = {}
        for bit, document in zip((1, 2, 4), documents, strict=True):
            for word in (document or "").split():
                if len(word) <= LONGEST:
                    words[word] = words.get(word, 0) | bit
        terms += [SearchTerm(organisation_id=pk, word=w, documents=d) for w, d in words.items()]
    SearchTerm.objects.bulk_create(terms, batch_size=2000)


def restore_full_text_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS members_organisation_search_names_trgm "
            "ON members_organisation USING gin (search_names gin_trgm_ops)"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS members_organisation_search_fts ON members_organisation "
            "USING gin (to_tsvector('arabic'::regconfig, COALESCE(search_text, '')))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0012_admin_order_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.TextField(editable=False)),
                ("documents", models.PositiveSmallIntegerField(editable=False)),
                (
                    "organisation",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="members.organisation",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["word", "documents", "organisation"],
                        name="searchterm_word_prefix",
                        opclasses=["text_pattern_ops", "int2_ops", "int8_ops"],
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "word"), name="searchterm_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(fill_word_index, restore_full_text_index),
    ]
