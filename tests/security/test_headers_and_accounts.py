"""Security headers and cookies on every kind of response; account protections."""

import json
import subprocess
import sys

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from platform_site import urls as site_urls
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def crash(request):
    raise RuntimeError("boom")


def forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def fine(request):
    return HttpResponse("<p>fine</p>")


# The site's own URLs plus two that fail on purpose, to see the error pages' headers.
urlpatterns = [
    path("crash/", crash),
    path("forbidden/", forbidden),
    path("fine/", fine),
    *site_urls.urlpatterns,
]


def check_headers(response, where):
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp
        and "frame-ancestors 'none'" in csp
    ), where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    assert "camera=()" in response["Permissions-Policy"], where


@override_settings(ROOT_URLCONF=__name__)
def test_headers_on_pages_and_error_pages(client):
    client.raise_request_exception = False
    for url, status in (
        ("/ar/", 200),
        ("/en/organisations/", 200),
        ("/ar/no-such-page/", 404),
        ("/forbidden/", 403),
        ("/crash/", 500),
        ("/ar/accounts/login/", 200),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        check_headers(response, url)
    assert client.put("/ar/").status_code == 405
    check_headers(client.put("/ar/"), "405")


@override_settings(ROOT_URLCONF=__name__)
def test_error_pages_are_translated(client):
    client.raise_request_exception = False
    assert "حدث خلل من جهتنا" in client.get("/crash/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "لا تملك صلاحية" in client.get("/forbidden/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()


def test_production_settings_protect_transport_and_cookies():
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ['SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', "
        "'LANGUAGE_COOKIE_SECURE', 'STAFF_REQUIRE_MFA', 'DEBUG']}))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "platform_site.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "s" * 64,
        "ALLOWED_HOSTS": "edu.example.org",
        "EMAIL_HOST": "smtp.example.org",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    values = json.loads(result.stdout)
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert (
        values["SECURE_SSL_REDIRECT"]
        and values["SESSION_COOKIE_SECURE"]
        and values["CSRF_COOKIE_SECURE"]
    )
    assert values["SESSION_COOKIE_HTTPONLY"] and values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SAMESITE"] == "Lax" and values["LANGUAGE_COOKIE_SECURE"]
    assert (
        values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
        and values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    )
    assert values["STAFF_REQUIRE_MFA"] and not values["DEBUG"]


@override_settings(
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SESSION_COOKIE_NAME="__Host-sessionid",
    CSRF_COOKIE_NAME="__Host-csrftoken",
)
def test_cookies_carry_their_flags(client):
    make_user("cookie@example.org")
    page = client.get("/en/accounts/login/", secure=True)
    csrf = page.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax" and csrf["path"] == "/"
    response = client.post(
        "/en/accounts/login/", {"login": "cookie@example.org", "password": PASSWORD}, secure=True
    )
    session = response.cookies["__Host-sessionid"]
    assert (
        session["secure"]
        and session["httponly"]
        and session["samesite"] == "Lax"
        and session["path"] == "/"
    )


# --- accounts -------------------------------------------------------------------------


def login(client, email, password, address="10.0.0.1"):
    return client.post(
        "/en/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address
    )


def refused(client, response) -> bool:
    """A login that did not happen, with allauth's "too many attempts" message (or a 429)."""
    too_many = (
        response.status_code == 429 or "Too many failed login attempts" in response.content.decode()
    )
    return too_many and "_auth_user_id" not in client.session


def test_failed_logins_are_limited_per_account(client):
    make_user("target@example.org")
    for n in range(5):
        assert (
            login(client, "target@example.org", "wrong-password", f"10.0.0.{n}").status_code == 200
        )
    # From yet another address, even the right password is refused for a while.
    assert refused(client, login(client, "target@example.org", PASSWORD, "10.0.1.1"))


def test_failed_logins_are_limited_per_address(client):
    make_user("innocent@example.org")
    for n in range(10):
        login(client, f"nobody{n}@example.org", "wrong-password", "10.9.9.9")
    assert refused(client, login(client, "innocent@example.org", PASSWORD, "10.9.9.9"))
    assert not refused(client, login(client, "innocent@example.org", PASSWORD, "10.9.9.10"))


def test_login_limits_hold_across_workers(client):
    """Another process (another worker) fails four times; this one hits the limit on the fifth.

    Needs what production has: the shared Redis cache and a database both processes reach
    (CI runs it in its PostgreSQL + Redis pass).
    """
    import os

    from django.conf import settings
    from django.db import connection

    if (
        not settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
        or connection.vendor != "postgresql"
    ):
        pytest.skip("needs the shared Redis cache and PostgreSQL, as in production")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "platform_site.settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    make_user("shared@example.org")
    script = (
        "import django; django.setup(); from django.test import Client; c = Client(); "
        "[c.post('/en/accounts/login/', {'login': 'shared@example.org', 'password': 'wrong'}, REMOTE_ADDR='10.1.0.%d' % n) "
        "for n in range(4)]"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True)
    assert (
        login(client, "shared@example.org", "wrong", "10.2.0.1").status_code == 200
    )  # fifth failure
    assert refused(client, login(client, "shared@example.org", PASSWORD, "10.2.0.2"))


def test_password_reset_answers_the_same_for_known_and_unknown(client):
    make_user("known@example.org")
    known = client.post("/en/accounts/password/reset/", {"email": "known@example.org"})
    unknown = client.post("/en/accounts/password/reset/", {"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_sign_up_answers_the_same_for_known_and_new_addresses(client):
    make_user("taken@example.org")
    data = {
        "display_name": "Visitor",
        "password1": "a-fine-password-123",
        "password2": "a-fine-password-123",
    }
    taken = client.post("/en/accounts/signup/", {**data, "email": "taken@example.org"})
    new = client.post("/en/accounts/signup/", {**data, "email": "new@example.org"})
    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"]
    assert len(mail.outbox) == 2  # the owner of the taken address is told, not the visitor


def test_changing_email_asks_for_recent_authentication(client):
    user = make_user("change@example.org")
    client.force_login(user)  # a session without a recent password check
    response = client.post("/en/accounts/email/", {"action_add": "", "email": "other@example.org"})
    assert response.status_code == 302 and "/reauthenticate/" in response["Location"]
    assert not user.emailaddress_set.filter(email="other@example.org").exists()


def test_setting_up_two_factor_asks_for_recent_authentication(client):
    client.force_login(make_user("mfa@example.org"))
    response = client.get("/en/accounts/2fa/totp/activate/")
    assert response.status_code == 302 and "/reauthenticate/" in response["Location"]


def test_changing_password_needs_the_current_one(client):
    user = make_user("pw@example.org")
    client.force_login(user)
    client.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": "wrong",
            "password1": "new-password-999x",
            "password2": "new-password-999x",
        },
    )
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_deactivated_users_next_request_is_anonymous(client, editor, organisation):
    client.force_login(editor)
    assert client.get("/en/dashboard/").status_code == 200
    editor.is_active = False
    editor.save()
    response = client.get("/en/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_without_totp_cannot_use_the_admin(client, coordinator):
    client.force_login(coordinator)
    for url in ("/en/admin/", "/en/admin/members/organisation/", "/en/admin/audit/"):
        response = client.get(url)
        assert response.status_code == 302 and "/2fa/totp/activate/" in response["Location"], url


def test_audit_log_records_actor_and_time(client, coordinator, organisation, settings):
    from members import services

    settings.STAFF_REQUIRE_MFA = False
    pending = organisation.__class__.objects.create(name_en="Applicant", org_type="local_ngo")
    services.approve_organisation(organisation=pending, by=coordinator)
    client.force_login(coordinator)
    rows = client.get("/en/admin/audit/").context["rows"]
    approval = next(row for row in rows if row.object_id == pending.pk and row.change == "Changed")
    assert approval.user == coordinator.email
    client.force_login(make_user("plain-staff@example.org", staff=True))
    assert client.get("/en/admin/audit/").status_code == 403
