"""Coordinators review, publish and curate statements and read messages; search indexes."""

from django.db import migrations

from platform_site.permissions import grant_coordinators
from platform_site.search import postgres_search_indexes

PERMISSIONS = {
    "advocacy": {
        "prioritystatement": ["view", "change"],
        "historicalprioritystatement": ["view"],
        "statementversion": ["view"],
        "endorsement": ["view"],
        "historicalendorsement": ["view"],
        "contactmessage": ["view", "change", "delete"],
    }
}


def forwards(apps, schema_editor):
    grant_coordinators(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("advocacy", "0001_initial"),
        ("members", "0002_reference_data"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        postgres_search_indexes("advocacy_prioritystatement"),
    ]
