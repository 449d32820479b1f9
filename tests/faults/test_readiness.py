"""/readyz: one entry per dependency, 503 only when the site cannot serve; /healthz stays
cheap (platform_site.readiness)."""

import pytest
from django.db import OperationalError

from platform_site import readiness

pytestmark = pytest.mark.django_db


def fails():
    raise OperationalError("connection refused")


def test_a_database_that_fails_takes_the_server_out_of_rotation(client, monkeypatch):
    monkeypatch.setattr(readiness, "CHECKS", [readiness.Check("database", fails, required=True)])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert response["Cache-Control"] == "no-store"


def test_one_more_dependency_is_one_more_line(client, monkeypatch):
    monkeypatch.setattr(
        readiness,
        "CHECKS",
        [*readiness.CHECKS, readiness.Check("task_queue", fails, required=False)],
    )
    response = client.get("/readyz")
    assert response.status_code == 200
    answer = response.json()
    assert answer.pop("cache", "ok") == "ok"  # the shared Redis, when the tests run with one
    assert answer == {"status": "degraded", "database": "ok", "task_queue": "unavailable"}


def test_healthz_asks_nothing(client, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(readiness, "CHECKS", [readiness.Check("database", fails, required=True)])
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
