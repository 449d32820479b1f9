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
