"""A mail server that refuses: the person's action is saved and answered, the failure is
kept in the outbox for the worker to retry (platform_site.mail, platform_site.tasks)."""

import logging

import pytest

from advocacy.models import ContactMessage, Endorsement
from members.models import JoinRequest, Organisation
from platform_site.models import Email
from tests.advocacy.test_statements import make_statement
from tests.members.test_profile import edit_url, form_data

pytestmark = pytest.mark.django_db

REFUSING = "tests.faults.conftest.RefusingEmailBackend"


@pytest.fixture
def refusing_mail(settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = REFUSING
    caplog.set_level(logging.ERROR, logger="platform_site.mail")
    return caplog


def test_asking_to_join_is_saved_when_the_mail_server_refuses(
    client, organisation, outsider, refusing_mail, django_capture_on_commit_callbacks
):
    client.force_login(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/organisations/{organisation.slug}/join/", {"message": "We work in Idleb too."}
        )
    assert response.status_code == 302
    assert JoinRequest.objects.filter(user=outsider, organisation=organisation).exists()
    waiting = Email.objects.filter(template="members/email/join_requested")
    assert waiting.count() == 1  # kept for the worker, which retries while the server refuses


def test_a_contact_message_is_kept_when_the_mail_server_refuses(
    client, coordinator, refusing_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/contact/",
            {
                "name": "Dana",
                "organisation": "A Foundation",
                "email": "dana@donor.example.org",
                "topic": "partnership",
                "message": "Hello.",
            },
        )
    assert response.status_code == 302 and ContactMessage.objects.count() == 1


def test_profile_edit_and_endorsement_work_when_the_mail_server_refuses(
    client,
    organisation,
    editor,
    coordinator,
    other_org_editor,
    refusing_mail,
    django_capture_on_commit_callbacks,
):
    client.force_login(editor)
    data = form_data(client, organisation, description_en="Edited while mail is down")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit_url(organisation), data).status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).description_en == (
        "Edited while mail is down"
    )
    with django_capture_on_commit_callbacks(execute=True):
        statement = make_statement(organisation, by=editor, publish_by=coordinator)
    client.force_login(other_org_editor)
    other_org = other_org_editor.organisation_memberships.get().organisation
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/priorities/{statement.slug}/endorse/",
            {"organisation": other_org.pk, "confirm": "on"},
        )
    assert response.status_code == 302
    assert Endorsement.objects.filter(statement=statement, organisation=other_org).exists()


def test_signing_up_and_resetting_a_password_work_when_the_mail_server_refuses(
    client, outsider, refusing_mail, django_capture_on_commit_callbacks
):
    """allauth's own e-mails go through the outbox too (platform_site.account_adapter)."""
    password = "a-long-new-password-2026"
    with django_capture_on_commit_callbacks(execute=True):
        signed_up = client.post(
            "/ar/accounts/signup/",
            {
                "email": "new-person@example.org",
                "display_name": "رنا",
                "password1": password,
                "password2": password,
            },
        )
    assert signed_up.status_code == 302
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        reset = client.post("/en/accounts/password/reset/", {"email": outsider.email})
    assert reset.status_code == 302
    kept = Email.objects.filter(category="account").order_by("pk")
    assert [email.address for email in kept] == ["new-person@example.org", outsider.email]
    assert kept[0].language == "ar" and "/accounts/confirm-email/" in kept[0].body_text
    assert all(email.status == Email.Status.PENDING for email in kept)  # the worker retries


def test_account_emails_are_kept_from_coordinators_and_erased_once_sent(
    client, outsider, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.conftest import login_verified

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/accounts/password/reset/", {"email": outsider.email})
    assert "/accounts/password/reset/key/" in mailoutbox[-1].body  # delivered by the task
    email = Email.objects.get(category="account")
    assert email.status == Email.Status.SENT and email.body_text == email.body_html == ""
    Email.objects.filter(pk=email.pk).update(body_text="a secret link", status="failed")
    login_verified(client, coordinator)
    page = client.get(f"/en/admin/platform_site/email/{email.pk}/change/").content.decode()
    assert outsider.email in page and "a secret link" not in page
