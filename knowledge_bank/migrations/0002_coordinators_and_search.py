"""Coordinators curate the knowledge bank; PostgreSQL search indexes for resources."""

from django.db import migrations

from platform_site.permissions import grant_coordinators
from platform_site.search import postgres_search_indexes

PERMISSIONS = {
    "knowledge_bank": {
        "programme": ["view", "change"],
        "historicalprogramme": ["view"],
        "resource": ["view", "add", "change", "delete"],
        "historicalresource": ["view"],
    }
}


def forwards(apps, schema_editor):
    grant_coordinators(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge_bank", "0001_initial"),
        ("members", "0002_reference_data"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        postgres_search_indexes("knowledge_bank_resource"),
    ]
