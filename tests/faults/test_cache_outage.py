"""Redis stopped, slow and restarted under the app (a redis-server of the test's own): pages
still answer, limits still hold, nothing stale is served when it returns, one log line per
outage (platform_site.resilient_cache, docs/deploy.md "Outages")."""

import logging
import time

import pytest

from advocacy.models import ContactMessage
from members.models import Organisation
from platform_site import resilient_cache as resilient_cache_module
from tests.advocacy.test_statements import make_statement
from tests.conftest import PASSWORD
from tests.faults.conftest import wait_for_retry

pytestmark = pytest.mark.django_db

PAGES = [
    "/ar/",
    "/en/",
    "/ar/organisations/",
    "/en/organisations/?q=school",
    "/ar/organisations/?q=مدرسة",
    "/en/priorities/",
    "/ar/coverage/",
    "/en/working-groups/",
    "/en/knowledge-bank/",
]


def outage_lines(caplog, words):
    return [r for r in caplog.records if r.name == "platform_site.cache" and words in r.message]


@pytest.fixture
def statement(organisation, editor, coordinator):
    return make_statement(organisation, by=editor, publish_by=coordinator)


def test_pages_answer_while_redis_is_stopped_and_are_cached_again_after(
    client, shared_cache, redis_server, organisation, statement, caplog
):
    pages = [*PAGES, organisation.get_absolute_url(), statement.get_absolute_url()]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert int(redis_server.command("DBSIZE")[1:]) > 0  # pages and results were cached

    redis_server.stop()
    caplog.set_level(logging.INFO, logger="platform_site.cache")
    for _ in range(2):
        for url in pages:
            assert client.get(url).status_code == 200, url
    assert client.get("/en/organisations/?q=school").content.count(b"First School Society") >= 1
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert (
        ready.json().items()
        >= {
            "status": "degraded",
            "database": "ok",
            "cache": "unavailable",
        }.items()
    )
    assert len(outage_lines(caplog, "unavailable")) == 1  # one warning for the whole outage
    assert "rate limits count in each process" in outage_lines(caplog, "unavailable")[0].message

    redis_server.start()
    wait_for_retry()
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert len(outage_lines(caplog, "available again")) == 1
    assert (
        client.get("/readyz").json().items()
        >= {
            "status": "ok",
            "database": "ok",
            "cache": "ok",
        }.items()
    )
    assert int(redis_server.command("DBSIZE")[1:]) > 0  # caching again, without a restart


def test_a_redis_that_does_not_answer_costs_one_timeout_per_retry(
    client, shared_cache, redis_server, caplog
):
    assert client.get("/en/organisations/").status_code == 200
    assert redis_server.command("CLIENT", "PAUSE", "4000", "ALL") == "+OK"  # Redis hangs
    caplog.set_level(logging.INFO, logger="platform_site.cache")
    started = time.monotonic()
    assert client.get("/en/organisations/").status_code == 200
    first = time.monotonic() - started
    started = time.monotonic()
    for _ in range(5):
        assert client.get("/en/organisations/").status_code == 200
    others = time.monotonic() - started
    # 0.5 s read timeout once, then the circuit; a plain RedisCache would wait for ever here.
    assert first < 2.5 and others < first + 2.5
    assert "TimeoutError" in outage_lines(caplog, "unavailable")[0].message


def test_changes_made_while_redis_was_away_show_when_it_returns(
    client, shared_cache, redis_server, organisation
):
    """Redis comes back with its old keys (a network cut, not a restart): the changes made
    meanwhile could not renew the content generations, so its return renews them all."""
    assert "First School Society" in client.get("/en/organisations/").content.decode()
    redis_server.stop(keep_data=True)
    organisation.name_en = "Renamed During The Outage"
    organisation.save()
    page = client.get("/en/organisations/").content.decode()
    assert "Renamed During The Outage" in page
    redis_server.start()
    assert int(redis_server.command("DBSIZE")[1:]) > 0  # the old cached page is back
    wait_for_retry()
    page = client.get("/en/organisations/").content.decode()
    assert "Renamed During The Outage" in page and "First School Society" not in page


def test_login_limits_hold_per_process_while_redis_is_away(client, shared_cache, redis_server):
    redis_server.stop()
    for _ in range(5):
        response = client.post(
            "/en/accounts/login/", {"login": "admin@org.example.org", "password": "wrong"}
        )
        assert response.status_code == 200
    response = client.post(
        "/en/accounts/login/", {"login": "admin@org.example.org", "password": PASSWORD}
    )
    assert response.status_code == 200  # refused, not signed in
    assert "Too many failed login attempts" in response.content.decode()


def test_a_person_signs_in_while_redis_is_away(client, shared_cache, redis_server, org_admin):
    redis_server.stop()
    response = client.post("/en/accounts/login/", {"login": org_admin.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/en/dashboard/").status_code == 200


CONTACT = {
    "name": "Dana",
    "organisation": "A Foundation",
    "email": "dana@donor.example.org",
    "topic": "partnership",
    "message": "We would like to fund teacher training in Idleb.",
}


def test_the_contact_form_refuses_politely_while_redis_is_away(client, shared_cache, redis_server):
    redis_server.stop()
    response = client.post("/ar/contact/", CONTACT)
    assert response.status_code == 503
    page = response.content.decode()
    assert "لا يمكن استقبال الرسائل حالياً" in page
    assert "teacher training in Idleb" in page  # what they wrote is still there
    response = client.post("/en/contact/", CONTACT)
    assert response.status_code == 503
    assert "Messages cannot be received right now" in response.content.decode()
    assert not ContactMessage.objects.exists()

    redis_server.start()
    wait_for_retry()
    assert client.post("/en/contact/", CONTACT).status_code == 302
    assert ContactMessage.objects.count() == 1


def test_a_restarted_redis_is_used_at_once(client, shared_cache, redis_server, caplog):
    """A quick restart: the broken pooled connection is re-opened, no outage is declared."""
    assert client.get("/en/organisations/").status_code == 200
    redis_server.stop()
    redis_server.start()
    caplog.set_level(logging.INFO, logger="platform_site.cache")
    assert client.get("/en/organisations/").status_code == 200
    assert shared_cache.available and not outage_lines(caplog, "unavailable")


def test_the_log_names_no_password(settings, monkeypatch, caplog):
    monkeypatch.setattr(resilient_cache_module, "RETRY_AFTER", 0.2)
    settings.CACHES = {
        "default": {
            "BACKEND": "platform_site.resilient_cache.ResilientRedisCache",
            "LOCATION": "redis://:s3cret-word@127.0.0.1:1/3",
        }
    }
    from django.core.cache import cache

    caplog.set_level(logging.INFO, logger="platform_site.cache")
    assert cache.get("anything", "default") == "default"
    assert cache.add("lock", True) and not cache.add("lock", True)  # the stand-in answers
    message = outage_lines(caplog, "unavailable")[0].message
    assert "s3cret" not in message and "redis://127.0.0.1:1/3" in message


def test_organisation_rows_are_untouched_by_the_outage(
    client, shared_cache, redis_server, organisation, editor
):
    redis_server.stop()
    client.force_login(editor)
    response = client.post(f"/en/organisations/{organisation.slug}/verify/")
    assert response.status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).verified_at is not None
