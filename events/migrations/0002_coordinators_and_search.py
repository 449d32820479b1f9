"""Coordinators edit this app's content in the admin (with its history); PostgreSQL search indexes."""

from django.db import migrations

from platform_site.permissions import grant_coordinators
from platform_site.search import postgres_search_indexes

PERMISSIONS = {"events": {"event": ["view", "add", "change", "delete"], "historicalevent": ["view"], "material": ["view", "add", "change", "delete"], "historicalmaterial": ["view"], "registration": ["view", "change"], "historicalregistration": ["view"]}}


def forwards(apps, schema_editor):
    grant_coordinators(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_events_and_registrations"), ("members", "0002_reference_data")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        postgres_search_indexes("events_event"),
    ]
