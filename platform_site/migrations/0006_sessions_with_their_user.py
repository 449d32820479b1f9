"""Sessions that name their user (platform_site.sessions), carrying over the signed-in people's
sessions from Django's table so that nobody is signed out by the change."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

# The backends' new names (settings.AUTHENTICATION_BACKENDS): a session names the backend its
# person signed in with, and Django signs out a session whose backend is no longer listed.
RENAMED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "platform_site.sessions.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "platform_site.sessions.AccountBackend",
}


def carry_sessions_over(apps, schema_editor):
    from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    old, new = apps.get_model("sessions", "Session"), apps.get_model("platform_site", "Session")
    codec = SessionStore()  # the same signing salt as platform_site.sessions.SessionStore
    rows = []
    for row in old.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=1000):
        data = codec.decode(row.session_data)
        if not data:  # signed with another secret, or damaged: Django would ignore it too
            continue
        backend = data.get(BACKEND_SESSION_KEY)
        data[BACKEND_SESSION_KEY] = RENAMED_BACKENDS.get(backend, backend)
        if data[BACKEND_SESSION_KEY] is None:
            del data[BACKEND_SESSION_KEY]
        user_id = data.get(SESSION_KEY)
        rows.append(
            new(
                session_key=row.session_key,
                session_data=codec.encode(data),
                expire_date=row.expire_date,
                user_id=int(user_id) if str(user_id).isdigit() else None,
            )
        )
    new.objects.bulk_create(rows, batch_size=1000)
    # Django's table is no longer read: what it held about people goes with it.
    old.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("platform_site", "0005_email_category_account"),
        ("sessions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40, primary_key=True, serialize=False, verbose_name="session key"
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "abstract": False,
            },
        ),
        migrations.RunPython(carry_sessions_over, migrations.RunPython.noop, elidable=True),
    ]
