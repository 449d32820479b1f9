"""Playwright drives Debian's Chromium (no browser download) against pytest-django's live server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the live server's ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Install it (apt-get install chromium) or set "
            "CHROMIUM to its path."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture
def site(live_server, settings):
    """The live server's address, with e-mail links pointing at it."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Transactional tests start from a flushed database: replay the data our migrations ship
    (vocabularies, the Coordinators group and its permissions). Every such step is idempotent."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection)
    for (app_label, _name), migration in sorted(loader.disk_migrations.items()):
        if app_label not in {
            "network",
            "members",
            "working_groups",
            "knowledge_bank",
            "news",
            "events",
            "advocacy",
        }:
            continue
        for operation in migration.operations:
            if (
                isinstance(operation, RunPython)
                and "postgres_search_indexes" not in operation.code.__qualname__
            ):
                operation.code(apps, None)
