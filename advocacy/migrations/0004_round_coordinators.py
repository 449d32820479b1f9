"""Coordinators run priority-setting rounds. Ballots stay out of their reach: nobody reads
points before a round is closed."""

from django.db import migrations

from platform_site.permissions import grant_coordinators

PERMISSIONS = {
    "advocacy": {
        "priorityround": ["view", "add", "change"],
        "candidate": ["view", "add", "change", "delete"],
    }
}


def forwards(apps, schema_editor):
    grant_coordinators(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("advocacy", "0003_priority_rounds")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
