"""Rate limits key on the real client behind the trusted proxies, and their answers are the
site's own translated pages (finding 3 of issue 14: the contact form keyed on REMOTE_ADDR, the
proxy's, so five messages from one visitor gave a 429 to everybody; the 429 was bare English)."""

import subprocess
import sys

import pytest
from django.test import RequestFactory

from advocacy.models import ContactMessage
from platform_site.ratelimit import client_address
from tests.advocacy.test_contact import MESSAGE

pytestmark = pytest.mark.django_db
PROXY = "127.0.0.1"  # nginx, in front of every request


def post_from(client, address, url="/en/contact/", data=MESSAGE, forwarded=None):
    return client.post(
        url,
        data,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded or f"{address}",
    )


def test_client_address_honours_the_trusted_proxy_count(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.9"  # what our nginx appended; 6.6.6.6 is forged
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "6.6.6.6"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == PROXY  # no proxy trusted: the header is ignored


def test_one_visitors_contact_limit_is_not_everybodys(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        assert post_from(client, "203.0.113.1").status_code == 302
    assert post_from(client, "203.0.113.1").status_code == 429
    # A forged left part of the header does not open a new allowance.
    assert post_from(client, "", forwarded="198.51.100.7, 203.0.113.1").status_code == 429
    # Another visitor behind the same proxy is not affected.
    assert post_from(client, "203.0.113.2").status_code == 302
    assert ContactMessage.objects.count() == 6


def test_the_login_limit_answers_with_the_sites_translated_page(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    data = {"login": "someone@example.org", "password": "wrong"}
    statuses = [
        post_from(client, "203.0.113.5", "/ar/accounts/login/", data).status_code for _ in range(31)
    ]
    assert statuses[-1] == 429
    response = post_from(client, "203.0.113.5", "/ar/accounts/login/", data)
    page = response.content.decode()
    assert response.status_code == 429
    assert 'lang="ar" dir="rtl"' in page and "css/site.css" in page
    assert "محاولات كثيرة" in page
    assert "Too Many Requests" not in page
    english = post_from(client, "203.0.113.5", "/en/accounts/login/", data).content.decode()
    assert "Too many attempts" in english
    # Another visitor behind the same proxy can still log in.
    assert post_from(client, "203.0.113.6", "/ar/accounts/login/", data).status_code == 200


def test_make_run_shows_the_sites_own_404_not_the_debug_page(tmp_path):
    """`make run` runs with DEBUG off: a mistyped address gets the site's page, styled."""
    dry_run = subprocess.run(
        ["make", "-n", "run"], capture_output=True, text=True, check=True
    ).stdout
    assert "DEBUG=false" in dry_run and "scripts/run_dev.py" in dry_run  # runserver + worker
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/ar/no-such-page/'); print(r.status_code); print(r.content.decode()); "
        "print(Client().get('/static/css/site.css').status_code)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "platform_site.settings",
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "404" and lines[-1] == "200"  # CSS still served (WhiteNoise)
    page = "\n".join(lines[1:-1])
    assert "الصفحة غير موجودة" in page or "غير موجودة" in page
    assert "Using the URLconf" not in page  # Django's debug page
