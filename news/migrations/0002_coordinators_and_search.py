"""Coordinators edit this app's content in the admin (with its history); PostgreSQL search indexes."""

from django.db import migrations

from platform_site.permissions import grant_coordinators
from platform_site.search import postgres_search_indexes

PERMISSIONS = {"news": {"newsitem": ["view", "add", "change", "delete"], "historicalnewsitem": ["view"]}}


def forwards(apps, schema_editor):
    grant_coordinators(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("news", "0001_news_items"), ("members", "0002_reference_data")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        postgres_search_indexes("news_newsitem"),
    ]
