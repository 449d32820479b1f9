"""Staff two-factor set-up needs a second proof: a one-time, expiring link e-mailed to the
account (finding 1 of issue 14: the password alone used to reach the TOTP set-up page)."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from credentials.models import EnrolmentLink
from tests.conftest import PASSWORD, authenticator_code, login_verified, make_user

pytestmark = pytest.mark.django_db
COMMIT = None


def password_login(client, user):
    """A real password login (allauth records it): what an attacker with the password has."""
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def link_from_outbox():
    body = mail.outbox[-1].body
    return re.search(r"https?://\S+/accounts/staff-enrolment/[\w-]+/", body).group(0)


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    """E-mails leave after the commit: run those callbacks when each request ends."""
    global COMMIT
    COMMIT = django_capture_on_commit_callbacks


def ask_for_link(client):
    with COMMIT(execute=True):
        response = client.post("/en/accounts/staff-enrolment/")
    assert response.status_code == 302
    return link_from_outbox()


def test_the_password_alone_never_reaches_the_set_up_page(client, coordinator):
    password_login(client, coordinator)
    for url in ("/en/admin/", "/en/accounts/2fa/totp/activate/", "/en/accounts/2fa/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/en/accounts/staff-enrolment/", url
    # The set-up form cannot be posted either.
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": "123456"})
    assert response["Location"] == "/en/accounts/staff-enrolment/"
    assert not Authenticator.objects.filter(user=coordinator).exists()


def lenient_templates(settings):
    """allauth's own field element reads keys its TOTP secret field does not have
    (`attrs.errors`): fine in production, an error under the strict test setting."""
    import copy

    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = ""
    settings.TEMPLATES = templates


def test_enrolment_by_the_emailed_link_then_recovery_codes_once_then_the_admin(
    client, coordinator, settings
):
    lenient_templates(settings)
    password_login(client, coordinator)
    page = client.get("/en/accounts/staff-enrolment/")
    assert page.status_code == 200 and b"Send the set-up link" in page.content
    link = ask_for_link(client)
    assert mail.outbox[-1].to == [coordinator.email]
    path = link.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    assert client.get(path).status_code == 200  # GET only shows a button (mail scanners)
    assert EnrolmentLink.objects.usable().filter(user=coordinator).exists()
    response = client.post(path)
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth then asks for the password again (a recent re-authentication), as for anyone.
    response = client.get(response["Location"])
    assert response["Location"].startswith("/en/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    assert client.get("/en/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    with COMMIT(execute=True):  # allauth announces the new authenticator after the commit
        response = client.post(
            "/en/accounts/2fa/totp/activate/", {"code": authenticator_code(secret)}
        )
    assert response.status_code == 302
    # allauth sends the new coordinator to its recovery-codes page; ours shows them once.
    response = client.get(response["Location"])
    assert response["Location"] == reverse("credentials:enrolment_done")
    done = client.get(response["Location"])
    assert done.status_code == 200 and len(done.context["codes"]) >= 8
    assert reverse("admin:index") in done.content.decode()
    assert client.get(reverse("credentials:enrolment_done")).status_code == 404  # only once
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/admin/members/organisation/").status_code == 200


def test_a_link_works_once_and_only_for_its_own_account(client, coordinator):
    password_login(client, coordinator)
    path = "/" + ask_for_link(client).split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 302
    assert client.post(path).status_code == 404  # used
    other = make_user("other-staff@example.org", coordinator=True)
    client.logout()
    password_login(client, other)
    assert client.post(path).status_code == 404


def test_an_expired_link_is_refused(client, coordinator):
    password_login(client, coordinator)
    path = "/" + ask_for_link(client).split("://", 1)[1].split("/", 1)[1]
    EnrolmentLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.post(path).status_code == 404
    assert client.get("/en/accounts/2fa/totp/activate/")["Location"].endswith("staff-enrolment/")


def test_a_new_link_cancels_the_earlier_one(client, coordinator):
    password_login(client, coordinator)
    first = "/" + ask_for_link(client).split("://", 1)[1].split("/", 1)[1]
    second = "/" + ask_for_link(client).split("://", 1)[1].split("/", 1)[1]
    assert client.post(first).status_code == 404
    assert client.post(second).status_code == 302


def test_links_asked_for_are_rate_limited(client, coordinator):
    password_login(client, coordinator)
    for _ in range(3):
        ask_for_link(client)
    with COMMIT(execute=True):
        assert client.post("/en/accounts/staff-enrolment/").status_code == 429
    assert len(mail.outbox) == 3


def test_the_enrolment_pages_are_for_staff_without_an_authenticator(client, editor, coordinator):
    client.force_login(editor)
    assert client.get("/en/accounts/staff-enrolment/").status_code == 404
    assert client.post("/en/accounts/staff-enrolment/").status_code == 404
    login_verified(client, coordinator)  # already has an authenticator
    assert client.get("/en/accounts/staff-enrolment/").status_code == 404
    assert client.put("/en/accounts/staff-enrolment/").status_code in {404, 405}
    client.logout()
    response = client.get("/en/accounts/staff-enrolment/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_removing_the_last_authenticator_removes_the_powers(client, coordinator):
    login_verified(client, coordinator)
    assert client.get("/en/admin/").status_code == 200
    Authenticator.objects.filter(user=coordinator).delete()
    response = client.get("/en/admin/")
    assert response["Location"] == "/en/accounts/staff-enrolment/"
    # The old session cannot set up a new one with the password either.
    response = client.get("/en/accounts/2fa/totp/activate/")
    assert response["Location"] == "/en/accounts/staff-enrolment/"


def test_staff_with_an_authenticator_but_an_unverified_session_are_asked_for_a_code(
    client, coordinator
):
    login_verified(client, coordinator)
    client.logout()
    client.force_login(coordinator)  # password only
    for url in ("/en/admin/", "/en/accounts/2fa/recovery-codes/"):
        response = client.get(url)
        assert response["Location"].startswith("/en/accounts/2fa/reauthenticate/"), url


def test_invite_coordinator_creates_the_account_and_emails_the_link():
    with COMMIT(execute=True):
        call_command("invite_coordinator", "New.Coordinator@Example.org")
    link = link_from_outbox()
    assert mail.outbox[-1].to == ["new.coordinator@example.org"]
    assert "/accounts/password/reset/" in mail.outbox[-1].body  # no password yet
    assert "/accounts/staff-enrolment/" in link
    user = EnrolmentLink.objects.get().user
    assert user.is_staff and user.groups.filter(name="Coordinators").exists()
    assert not user.has_usable_password()


def test_invite_coordinator_refuses_a_non_address():
    with pytest.raises(CommandError):
        call_command("invite_coordinator", "not-an-address")


def test_seed_demo_refuses_to_run_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    from members.models import Organisation

    assert not Organisation.objects.exists()


def test_the_password_alone_cannot_change_where_set_up_links_go(client, coordinator):
    """With only the password, staff cannot add an address of their own and make it primary."""
    password_login(client, coordinator)
    for method in ("get", "post"):
        response = getattr(client, method)(
            "/en/accounts/email/", {"action_add": "", "email": "attacker@evil.example.org"}
        )
        assert response["Location"] == "/en/accounts/staff-enrolment/"
    assert not coordinator.emailaddress_set.filter(email="attacker@evil.example.org").exists()
