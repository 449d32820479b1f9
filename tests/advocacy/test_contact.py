import pytest
from django.core import mail

from advocacy.models import ContactMessage

pytestmark = pytest.mark.django_db

MESSAGE = {
    "name": "Dana",
    "organisation": "A Foundation",
    "email": "dana@donor.example.org",
    "topic": "partnership",
    "message": "We would like to fund teacher training.",
}


def test_message_is_stored_and_coordinators_emailed(
    client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/contact/", MESSAGE)
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.language == "en" and message.topic == "partnership"
    assert mail.outbox[0].to == [coordinator.email]
    assert "dana@donor.example.org" not in mail.outbox[0].body  # details stay in the admin


def test_honeypot_pretends_success_and_stores_nothing(client):
    response = client.post("/en/contact/", {**MESSAGE, "website": "http://spam.example"})
    assert response.status_code == 302 and not ContactMessage.objects.exists()


def test_rate_limit(client):
    for _ in range(5):
        client.post("/ar/contact/", MESSAGE)
    response = client.post("/ar/contact/", MESSAGE)
    assert response.status_code == 429
    assert ContactMessage.objects.count() == 5
    assert "محاولة" in response.content.decode() or "رسائل" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"), [("email", "nope"), ("topic", "spam"), ("message", ""), ("name", "")]
)
def test_bad_input(client, field, value):
    response = client.post("/en/contact/", {**MESSAGE, field: value})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not ContactMessage.objects.exists()


def test_other_methods(client):
    assert client.get("/en/contact/").status_code == 200
    assert client.put("/en/contact/").status_code == 405


def test_messages_are_in_admin_for_coordinators_only(client, coordinator, editor, settings):
    settings.STAFF_REQUIRE_MFA = False
    ContactMessage.objects.create(language="en", **MESSAGE)
    client.force_login(coordinator)
    assert "Dana" in client.get("/en/admin/advocacy/contactmessage/").content.decode()
    client.force_login(editor)
    assert client.get("/en/admin/advocacy/contactmessage/").status_code == 302
