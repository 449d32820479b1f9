"""Adding users is by invitation (finding 2 of issue 14: "The user was added" / "No account uses
this e-mail address" told an administrator, pending ones too, which addresses have accounts, and
attached found accounts silently)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from members.models import Invitation, OrganisationMember
from members.services import INVITATIONS_PER_SENDER_PER_HOUR
from tests.conftest import make_organisation, make_user

pytestmark = pytest.mark.django_db
SAME_ANSWER = "If this address belongs to a person, they will get an invitation."


def invite(client, organisation, email, role="editor", *, commit):
    with commit(execute=True):
        return client.post(
            f"/en/organisations/{organisation.slug}/users/invite/",
            {"email": email, "role": role},
            follow=True,
        )


def invitation_path(message):
    return re.search(r"/\w\w/invitations/[\w-]+/", message.body).group(0)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_the_answer_is_the_same_whether_or_not_an_account_uses_the_address(
    client, organisation, org_admin, commit
):
    make_user("colleague@org.example.org")
    client.force_login(org_admin)
    known = invite(client, organisation, "colleague@org.example.org", commit=commit)
    unknown = invite(client, organisation, "nobody@nowhere.example.org", commit=commit)
    assert SAME_ANSWER in known.content.decode() and SAME_ANSWER in unknown.content.decode()
    assert [m.to for m in mail.outbox] == [
        ["colleague@org.example.org"],
        ["nobody@nowhere.example.org"],
    ]
    # Nobody was attached: the person must accept.
    assert not OrganisationMember.objects.filter(user__email="colleague@org.example.org").exists()


def test_a_pending_organisations_admin_learns_nothing_either(client, commit):
    admin = make_user("pending-admin@example.org")
    pending = make_organisation(status="pending", members=[(admin, "admin")])
    make_user("exists@example.org")
    client.force_login(admin)
    answers = {
        invite(client, pending, email, commit=commit).content.decode().count(SAME_ANSWER)
        for email in ("exists@example.org", "missing@example.org")
    }
    assert answers == {1}


def test_the_invited_person_accepts_by_link_then_joins(client, organisation, org_admin, commit):
    colleague = make_user("colleague@org.example.org")
    client.force_login(org_admin)
    invite(client, organisation, "Colleague@org.example.org", "admin", commit=commit)
    path = invitation_path(mail.outbox[-1])
    assert "/en/invitations/" in path
    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and b"Log in" in page.content
    assert client.post(path)["Location"].startswith("/en/accounts/login/")
    client.force_login(colleague)
    page = client.get(path)
    assert b"Join the organisation" in page.content
    response = client.post(path)
    assert response["Location"] == "/en/dashboard/"
    membership = OrganisationMember.objects.get(user=colleague, organisation=organisation)
    assert membership.role == "admin"
    assert client.get(path).status_code == 404  # used


def test_someone_else_cannot_use_the_link(client, organisation, org_admin, outsider, commit):
    client.force_login(org_admin)
    invite(client, organisation, "colleague@org.example.org", commit=commit)
    path = invitation_path(mail.outbox[-1])
    client.force_login(outsider)
    assert b"another e-mail address" in client.get(path).content
    client.post(path)
    assert not OrganisationMember.objects.filter(user=outsider).exists()


def test_an_unconfirmed_address_cannot_accept(client, organisation, org_admin, commit):
    person = make_user("unconfirmed@example.org", verified=False)
    client.force_login(org_admin)
    invite(client, organisation, "unconfirmed@example.org", commit=commit)
    client.force_login(person)
    client.post(invitation_path(mail.outbox[-1]))
    assert not OrganisationMember.objects.filter(user=person).exists()


def test_invitations_expire(client, organisation, org_admin, commit):
    colleague = make_user("colleague@org.example.org")
    client.force_login(org_admin)
    invite(client, organisation, colleague.email, commit=commit)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(colleague)
    path = invitation_path(mail.outbox[-1])
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert not OrganisationMember.objects.filter(user=colleague).exists()


def test_an_invitation_can_be_withdrawn(client, organisation, org_admin, editor, commit):
    colleague = make_user("colleague@org.example.org")
    client.force_login(org_admin)
    invite(client, organisation, colleague.email, commit=commit)
    invitation = Invitation.objects.get()
    page = client.get(f"/en/organisations/{organisation.slug}/users/")
    assert colleague.email in page.content.decode()
    url = f"/en/organisations/{organisation.slug}/invitations/{invitation.pk}/withdraw/"
    assert client.get(url).status_code == 405
    client.force_login(editor)  # not an administrator
    assert client.post(url).status_code == 404
    client.force_login(org_admin)
    assert client.post(url).status_code == 302
    client.force_login(colleague)
    assert client.get(invitation_path(mail.outbox[-1])).status_code == 404


def test_invitations_are_rate_limited_per_sender_and_per_organisation(
    client, organisation, org_admin, commit, settings
):
    client.force_login(org_admin)
    for n in range(INVITATIONS_PER_SENDER_PER_HOUR):
        invite(client, organisation, f"person{n}@example.org", commit=commit)
    response = invite(client, organisation, "one-more@example.org", commit=commit)
    assert "Too many invitations" in response.content.decode()
    assert Invitation.objects.count() == INVITATIONS_PER_SENDER_PER_HOUR
    # Another administrator of the same organisation shares the organisation's daily limit.
    from django.core.cache import cache

    cache.clear()
    second = make_user("second-admin@org.example.org")
    OrganisationMember.objects.create(user=second, organisation=organisation, role="admin")
    client.force_login(second)
    from members import services

    settings_limit = services.INVITATIONS_PER_ORGANISATION_PER_DAY
    services.INVITATIONS_PER_ORGANISATION_PER_DAY = 3
    try:
        for n in range(3):
            invite(client, organisation, f"again{n}@example.org", commit=commit)
        response = invite(client, organisation, "over@example.org", commit=commit)
    finally:
        services.INVITATIONS_PER_ORGANISATION_PER_DAY = settings_limit
    assert "Too many invitations" in response.content.decode()


def test_bad_input_gets_a_message(client, organisation, org_admin, commit):
    client.force_login(org_admin)
    for data in ({"email": "nope", "role": "editor"}, {"email": "a@b.org", "role": "owner"}):
        with commit(execute=True):
            response = client.post(
                f"/en/organisations/{organisation.slug}/users/invite/", data, follow=True
            )
        assert "Enter a valid e-mail address" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_invitation_emails_are_in_the_senders_language(client, organisation, org_admin, commit):
    client.force_login(org_admin)
    with commit(execute=True):
        client.post(
            f"/ar/organisations/{organisation.slug}/users/invite/",
            {"email": "x@example.org", "role": "editor"},
        )
    assert "/ar/invitations/" in mail.outbox[-1].body


def test_erasing_an_account_deletes_invitations_to_its_address(organisation, org_admin):
    from members import services

    person = make_user("erase-me@example.org")
    services.invite_member(
        organisation=organisation, email="Erase-Me@example.org", role="editor", by=org_admin,
        language="en",
    )  # fmt: skip
    services.erase_user(user=person)
    assert not Invitation.objects.exists()
