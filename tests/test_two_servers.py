"""Two gunicorn app servers on one PostgreSQL and one Redis: a login session, the login rate
limit and the invalidation of cached pages hold across both (docs/product.md §2: app servers keep no
local state). Runs where production's parts are: CI's PostgreSQL + Redis pass."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import PASSWORD, make_organisation, make_user

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Keeps cookies by hand: the production cookies are Secure, and this talks plain HTTP."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), content

    def log_in(self, port, email, password):
        _status, _headers, page = self.request(port, "GET", "/en/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = f"csrfmiddlewaretoken={token}&login={email}&password={password}"
        return self.request(
            port,
            "POST",
            "/en/accounts/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )


@pytest.fixture
def servers(transactional_db):
    if connection.vendor != "postgresql" or not settings.CACHES["default"]["BACKEND"].endswith(
        "RedisCache"
    ):
        pytest.skip("needs PostgreSQL and Redis, as in production")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_HOST": "localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.CACHES["default"]["LOCATION"],
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", "sep"),
        "STATIC_ROOT": str(ROOT / "var" / "two-servers-static"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    ports, processes = [free_port(), free_port()], []
    for port in ports:
        processes.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "gunicorn"),
                    "-c",
                    "deploy/gunicorn.conf.py",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    try:
        for port in ports:
            for _ in range(60):
                try:
                    if Browser().request(port, "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.25)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def production_user(email):
    """A user whose password hash production can check (the test settings use a fast MD5)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user = make_user(email)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "benchsalt123")
    user.save(update_fields=["password"])
    return user


def test_a_session_from_one_server_works_on_the_other(servers):
    first, second = servers
    user = production_user("traveller@example.org")
    make_organisation(name_en="Traveller Org", members=[(user, "admin")])
    browser = Browser()
    status, headers, _ = browser.log_in(first, user.email, PASSWORD)
    assert status == 302, headers
    status, _headers, page = browser.request(second, "GET", "/en/dashboard/")
    assert status == 200 and "Traveller Org" in page


def test_the_login_rate_limit_is_shared(servers):
    first, second = servers
    user = production_user("target@example.org")
    for n in range(5):
        Browser().log_in([first, second][n % 2], user.email, "wrong-password")
    status, _headers, page = Browser().log_in(second, user.email, PASSWORD)
    assert status == 200 and "Too many failed login attempts" in page


def test_a_change_invalidates_cached_pages_on_both(servers):
    first, second = servers
    organisation = make_organisation(name_en="Before Change")
    for port in servers:  # both now serve the page from the shared cache
        assert "Before Change" in Browser().request(port, "GET", "/en/organisations/")[2]
    organisation.name_en = "After Change"
    organisation.save()
    for port in (first, second):
        page = Browser().request(port, "GET", "/en/organisations/")[2]
        assert "After Change" in page and "Before Change" not in page
