from django.db import migrations

from platform_site.permissions import grant_coordinators


class Migration(migrations.Migration):
    dependencies = [("members", "0008_length_caps")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_coordinators(
                apps, {"members": {"invitation": ["view"]}}
            ),
            migrations.RunPython.noop,
        ),
    ]
