"""Coordinators run working groups in admin: create groups, set leads, decide requests."""

from django.db import migrations

from platform_site.permissions import grant_coordinators

PERMISSIONS = {
    "working_groups": {
        "workinggroup": ["view", "add", "change"],
        "historicalworkinggroup": ["view"],
        "groupmembership": ["view", "change"],
        "historicalgroupmembership": ["view"],
        "meeting": ["view", "add", "change", "delete"],
        "historicalmeeting": ["view"],
    }
}


def forwards(apps, schema_editor):
    grant_coordinators(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("working_groups", "0001_initial"),
        ("members", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
