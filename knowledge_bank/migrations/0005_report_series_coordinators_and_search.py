"""Coordinators edit this app's content in the admin (with its history); PostgreSQL search indexes."""

from django.db import migrations

from platform_site.permissions import grant_coordinators
from platform_site.search import postgres_search_indexes

PERMISSIONS = {"knowledge_bank": {"reportseries": ["view", "add", "change", "delete"], "historicalreportseries": ["view"]}}


def forwards(apps, schema_editor):
    grant_coordinators(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("knowledge_bank", "0004_report_series"), ("members", "0002_reference_data")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        postgres_search_indexes("knowledge_bank_reportseries"),
    ]
