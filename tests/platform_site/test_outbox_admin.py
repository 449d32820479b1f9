"""Coordinators see waiting and failed e-mails in the admin and send them again."""

import pytest
from django.core import mail

from members import services as member_services
from platform_site.models import Email
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db

URL = "/en/admin/platform_site/email/"


@pytest.fixture
def failed(org_admin, coordinator):
    organisation = make_organisation(status="pending", members=[(org_admin, "admin")])
    member_services.approve_organisation(organisation=organisation, by=coordinator)
    email = Email.objects.get(address=org_admin.email)
    Email.objects.filter(pk=email.pk).update(
        status="failed", attempts=8, last_error="SMTPServerDisconnected: gone"
    )
    mail.outbox.clear()
    return email


def test_coordinators_see_failed_emails_and_send_them_again(client_for, coordinator, failed):
    client = client_for(coordinator)
    page = client.get(URL, {"status__exact": "failed"})
    assert page.status_code == 200
    assert failed.subject in page.content.decode()
    detail = client.get(f"{URL}{failed.pk}/change/")
    assert "SMTPServerDisconnected" in detail.content.decode()
    response = client.post(URL, {"action": "send_again", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "sent" and failed.attempts == 1
    assert [m.to for m in mail.outbox] == [[failed.address]]


def test_a_sent_email_is_not_sent_again(client_for, coordinator, failed):
    Email.objects.filter(pk=failed.pk).update(status="sent")
    client = client_for(coordinator)
    response = client.post(
        URL, {"action": "send_again", "_selected_action": [failed.pk]}, follow=True
    )
    assert "left alone" in response.content.decode()
    assert mail.outbox == []


def test_members_and_password_only_staff_do_not_see_the_outbox(client, editor, coordinator):
    client.force_login(editor)
    assert client.get(URL).status_code == 302
    client.force_login(coordinator)  # no second factor: a signed-in person
    assert client.get(URL).status_code in (302, 403)
