"""What /readyz checks: one small function per dependency (docs/deploy.md, "Outages").

A check returns "ok", returns None when the dependency is not configured (it is then left out
of the answer), returns what is wrong ("stuck: …"), or raises ("unavailable"). `CHECKS` says
which dependencies the site cannot serve without: when a required one fails, /readyz answers
503 and a load balancer takes the server out of rotation; when only optional ones fail, it
answers 200 with `"status": "degraded"` (the site serves, more slowly, without uploads or with
e-mails waiting: alert someone, keep the server in rotation).

To check one more dependency, write its function and add one line to `CHECKS`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection


def database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def shared_cache() -> str | None:
    if not hasattr(cache, "ping"):  # the in-process cache of development and tests
        return None
    if not cache.ping():
        raise ConnectionError("the shared cache does not answer")
    return "ok"


def object_storage() -> str | None:
    if not settings.STORAGES["default"]["BACKEND"].endswith("S3Storage"):
        return None
    default_storage.exists("readyz-probe")  # a HEAD request: 404 is an answer, no answer raises
    return "ok"


def task_queue() -> str:
    """The e-mail outbox's queue (platform_site.queue_health): "stuck: …" when no worker takes
    its tasks."""
    from platform_site.queue_health import queue_is_healthy

    _healthy, detail = queue_is_healthy()
    return detail


@dataclass(frozen=True)
class Check:
    name: str
    function: Callable[[], str | None]
    required: bool


CHECKS = [
    Check("database", database, required=True),
    Check("cache", shared_cache, required=False),
    Check("object_storage", object_storage, required=False),
    Check("task_queue", task_queue, required=False),
]


def readiness() -> tuple[dict, int]:
    """The answer of /readyz and its status code."""
    answer, failed = {}, []
    for check in CHECKS:
        try:
            result = check.function()
        except Exception:  # noqa: BLE001 - any failure means "unavailable"
            result = "unavailable"
        if result not in ("ok", None):  # "unavailable", or what is wrong ("stuck: …")
            failed.append(check)
        if result is not None:
            answer[check.name] = result
    if any(check.required for check in failed):
        return {"status": "unavailable", **answer}, 503
    return {"status": "degraded" if failed else "ok", **answer}, 200
