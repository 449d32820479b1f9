"""Personal calendar links: a random token, rotatable, gone with the account (finding 6 of
issue 14: tokens never expired, could not be revoked and held the user id); and calendar text
escaped by icalendar (finding 4: a bare CR in a title went into the .ics as a line break)."""

import pytest
from django.core.management import call_command
from icalendar import Calendar

from credentials.models import CalendarToken
from tests.conftest import make_meeting

pytestmark = pytest.mark.django_db


def events(response):
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def personal_link(client, group, lead):
    client.force_login(lead)
    return client.get(f"/en/working-groups/{group.slug}/").context["private_calendar_url"]


def test_the_token_is_random_and_does_not_name_the_user(client, group, lead):
    link = personal_link(client, group, lead)
    token = link.split("token=", 1)[1]
    assert len(token) >= 40
    assert ":" not in token  # not a signed user id
    assert CalendarToken.objects.get(user=lead).token == token


def test_the_calendar_page_shows_the_links_and_rotation_revokes_them(client, group, lead):
    make_meeting(group, visibility="members")
    old = personal_link(client, group, lead)
    page = client.get("/en/accounts/calendar/")
    assert page.status_code == 200 and old in page.content.decode()
    client.logout()
    assert len(events(client.get(old))) == 1
    client.force_login(lead)
    response = client.post("/en/accounts/calendar/")
    assert response.status_code == 302
    new = personal_link(client, group, lead)
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert len(events(client.get(new))) == 1


def test_the_calendar_page_is_for_signed_in_people(client):
    response = client.get("/en/accounts/calendar/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post("/en/accounts/calendar/").status_code == 302
    assert not CalendarToken.objects.exists()


def test_the_calendar_page_refuses_other_methods(client, lead):
    client.force_login(lead)
    assert client.put("/en/accounts/calendar/").status_code == 405


def test_erasing_the_account_revokes_the_token(client, group, lead):
    link = personal_link(client, group, lead)
    client.logout()
    call_command("erase_user", lead.email)
    assert client.get(link).status_code == 404
    assert not CalendarToken.objects.exists()


def test_a_deactivated_account_has_no_calendar(client, group, lead):
    link = personal_link(client, group, lead)
    lead.is_active = False
    lead.save()
    client.logout()
    assert client.get(link).status_code == 404


def test_a_carriage_return_in_a_title_stays_inside_the_summary(client, group):
    make_meeting(
        group, visibility="public", title="Meet2\rDTSTART:19990101T000000Z", agenda="a\rb\nc"
    )
    response = client.get(f"/en/working-groups/{group.slug}/calendar.ics")
    (event,) = events(response)
    # The CR is escaped as a line break of the title's text (\n), never a line of the file.
    assert str(event["SUMMARY"]).replace("\r", "\n") == "Meet2\nDTSTART:19990101T000000Z"
    assert event.decoded("DTSTART").year != 1999
    assert b"\rDTSTART" not in response.content
    lines = response.content.decode().split("\r\n")
    assert not any(line.startswith("DTSTART:1999") for line in lines)
