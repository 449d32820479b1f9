from django.db import migrations

from platform_site.permissions import grant_coordinators


def forwards(apps, schema_editor):
    """Coordinators see who holds API tokens and may revoke one (never read a key)."""
    grant_coordinators(apps, {"api": {"apitoken": ["view", "change"]}})


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_tokens"),
        ("members", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
