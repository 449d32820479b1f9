"""Coordinators see the outbox (and send failed e-mails again) and people's preferences."""

from django.db import migrations

from platform_site.permissions import grant_coordinators

PERMISSIONS = {"platform_site": {"email": ["view"], "preferences": ["view"]}}


def forwards(apps, schema_editor):
    grant_coordinators(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("platform_site", "0001_email_outbox_and_preferences"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
