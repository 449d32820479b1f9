"""Coordinators edit this app's content in the admin (with its history)."""

from django.db import migrations

from platform_site.permissions import grant_coordinators

PERMISSIONS = {"network": {"body": ["view", "add", "change", "delete"], "teammember": ["view", "add", "change", "delete"], "membershipcriterion": ["view", "add", "change", "delete"], "codeofconduct": ["view", "add", "change", "delete"], "historicalbody": ["view"], "historicalteammember": ["view"], "historicalmembershipcriterion": ["view"], "historicalcodeofconduct": ["view"]}}


def forwards(apps, schema_editor):
    grant_coordinators(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("network", "0001_structure_and_code_of_conduct"), ("members", "0002_reference_data")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
