from django.db import migrations

from platform_site.permissions import grant_coordinators


def forwards(apps, schema_editor):
    grant_coordinators(apps, {"corrections": {"correction": ["view"]}})


class Migration(migrations.Migration):
    dependencies = [
        ("corrections", "0001_suggested_corrections"),
        ("members", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
