"""Create the demo data set: `python manage.py seed_demo` (idempotent)."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

# Apps in dependency order; each may provide `<app>/demo.py` with `seed(stdout) -> list[str]`.
DEMO_APPS = ["network", "members", "working_groups", "knowledge_bank", "news", "events", "advocacy"]


class Command(BaseCommand):
    help = "Create a fictional demo data set in Arabic and English and print demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds organisations.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and apps.get_model("members", "Organisation").objects.exists():
            self.stdout.write("The database already has data; demo data not added.")
            return
        lines = []
        # Demo data is created through the same service functions as real data; their
        # notification e-mails are not sent (delivered at once, to nowhere).
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            ),
            transaction.atomic(),
        ):
            for app in DEMO_APPS:
                if find_spec(f"{app}.demo") is not None:
                    lines += import_module(f"{app}.demo").seed()
        for line in lines:
            self.stdout.write(line)
