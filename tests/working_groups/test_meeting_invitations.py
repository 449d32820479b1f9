"""Meeting invitations with a calendar file, answers on the site, changes and cancellations."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_group, make_meeting, make_organisation, make_user
from working_groups.models import Meeting, MeetingAnswer

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    return make_user("member@group-member.example.org")


@pytest.fixture
def team(lead_org, member):
    member_org = make_organisation(name_en="Member Org", members=[(member, "editor")])
    return make_group(leads=[lead_org], members=[member_org])


def calendar_of(message):
    (attachment,) = [a for a in message.attachments if a[0] == "meeting.ics"]
    assert attachment[2] == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment[1])
    (event,) = calendar.walk("VEVENT")
    return event


def create(client, lead, team, **fields):
    client.force_login(lead)
    starts = (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "Teacher training plan",
        "starts_at": starts,
        "location_or_link": "https://meet.example.org/abc",
        "visibility": "members",
        "agenda": "1. Plans",
        "minutes": "",
        **fields,
    }
    response = client.post(reverse("working_groups:meeting_create", args=[team.slug]), data)
    assert response.status_code == 302
    return Meeting.objects.get(group=team), data


def test_scheduling_invites_the_groups_people_with_a_calendar_file(
    client, lead, member, team, other_org_editor, outsider
):
    meeting, _data = create(client, lead, team)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([lead.email, member.email])
    message = next(m for m in mail.outbox if m.to == [member.email])
    assert "Teacher training plan" in message.subject
    event = calendar_of(message)
    assert str(event["SUMMARY"]) == "Teacher training plan"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"
    assert str(event["STATUS"]) == "CONFIRMED" and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == meeting.starts_at
    assert str(event["LOCATION"]) == "https://meet.example.org/abc"
    assert f"/ar/working-groups/{team.slug}/" in message.body  # where to answer


def test_a_change_of_time_notifies_again_and_raises_the_sequence(client, lead, team):
    meeting, data = create(client, lead, team)
    invitation_subject = mail.outbox[0].subject
    mail.outbox.clear()
    url = reverse("working_groups:meeting_edit", args=[team.slug, meeting.pk])
    later = (timezone.localtime() + timedelta(days=11)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, {**data, "starts_at": later})
    assert len(mail.outbox) == 2
    assert all(m.subject != invitation_subject for m in mail.outbox)
    assert all("Teacher training plan" in m.subject for m in mail.outbox)
    assert int(calendar_of(mail.outbox[0])["SEQUENCE"]) == 1
    mail.outbox.clear()
    client.post(url, {**data, "starts_at": later, "minutes": "Notes only"})
    assert mail.outbox == []  # minutes and agenda edits stay quiet


def test_cancelling_sends_a_cancelled_calendar_entry(client, lead, member, team):
    meeting, _data = create(client, lead, team)
    mail.outbox.clear()
    url = reverse("working_groups:meeting_cancel", args=[team.slug, meeting.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.sequence == 1
    assert len(mail.outbox) == 2
    event = calendar_of(mail.outbox[0])
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    # The group's calendar feed says so too, and a second cancel is refused with a message.
    client.force_login(member)
    feed = client.get(reverse("working_groups:calendar", args=[team.slug]))
    (listed,) = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(listed["STATUS"]) == "CANCELLED" and int(listed["SEQUENCE"]) == 1
    client.force_login(lead)
    response = client.post(url, follow=True)
    assert "already cancelled" in response.content.decode()
    edit = client.get(reverse("working_groups:meeting_edit", args=[team.slug, meeting.pk]))
    assert edit.status_code == 302


def test_only_leads_cancel(client, member, team, other_org_editor):
    meeting = make_meeting(team)
    url = reverse("working_groups:meeting_cancel", args=[team.slug, meeting.pk])
    for person in (member, other_org_editor):
        client.force_login(person)
        assert client.post(url).status_code == 404
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_members_answer_and_the_lead_sees_the_counts(client, lead, member, team):
    meeting = make_meeting(team)
    url = reverse("working_groups:meeting_answer", args=[team.slug, meeting.pk])
    client.force_login(member)
    assert client.get(url).status_code == 405
    assert client.post(url, {"answer": "attending"}).status_code == 302
    assert client.post(url, {"answer": "maybe"}).status_code == 302  # changes the answer
    client.force_login(lead)
    client.post(url, {"answer": "not_attending"})
    assert dict(MeetingAnswer.objects.values_list("user__email", "answer")) == {
        member.email: "maybe",
        lead.email: "not_attending",
    }
    page = client.get(team.get_absolute_url()).content.decode()
    assert "Attending: 0" in page and "Not attending: 1" in page and "Maybe: 1" in page
    client.force_login(member)
    page = client.get(team.get_absolute_url()).content.decode()
    assert "Not attending: 1" not in page  # counts are for the leads
    assert 'value="maybe" aria-pressed="true"' in page


def test_outsiders_cannot_answer_and_bad_answers_change_nothing(
    client, member, team, other_org_editor
):
    meeting = make_meeting(team)
    url = reverse("working_groups:meeting_answer", args=[team.slug, meeting.pk])
    client.force_login(other_org_editor)
    assert client.post(url, {"answer": "attending"}).status_code == 404
    client.force_login(member)
    response = client.post(url, {"answer": "sometimes"}, follow=True)
    assert response.status_code == 200
    assert "Choose attending" in response.content.decode()
    past = make_meeting(team, days=-3)
    response = client.post(
        reverse("working_groups:meeting_answer", args=[team.slug, past.pk]),
        {"answer": "attending"},
        follow=True,
    )
    assert "no longer takes answers" in response.content.decode()
    assert not MeetingAnswer.objects.exists()


def test_invitations_respect_muted_meetings(client, lead, member, team):
    from platform_site.models import Preferences

    Preferences.objects.create(user=member, muted_categories=["meetings"])
    create(client, lead, team)
    assert [m.to for m in mail.outbox] == [[lead.email]]
