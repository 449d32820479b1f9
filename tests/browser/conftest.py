"""Playwright drives Debian's Chromium (no browser download) against pytest-django's live server."""

import os
import shutil

import pytest

from tests.conftest import replay_data_migrations

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
    """Transactional tests start from a flushed database: replay the data our migrations ship."""
    replay_data_migrations()
