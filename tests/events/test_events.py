"""Events: who sees which, registration with places and a waiting list, calendar, record."""

import threading
from datetime import timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from events import services
from events.models import Event, Material, Registration
from tests import files
from tests.conftest import make_organisation, make_user
from tests.security.conftest import snapshot

pytestmark = pytest.mark.django_db


def make_event(*, title_en="Training", title_ar="تدريب", days=7, hours=3, **fields):
    starts = timezone.now() + timedelta(days=days)
    return Event.objects.create(
        title_ar=title_ar,
        title_en=title_en,
        summary_en=fields.pop("summary_en", "About the event"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        status=fields.pop("status", Event.Status.PUBLISHED),
        **fields,
    )


@pytest.fixture
def events(group):
    return {
        "public": make_event(title_en="Public training", title_ar="تدريب عام"),
        "members": make_event(
            title_en="Members workshop", title_ar="ورشة للأعضاء", audience="members"
        ),
        "group": make_event(
            title_en="Group meeting",
            title_ar="اجتماع المجموعة",
            audience="group",
            working_group=group,
        ),
        "draft": make_event(title_en="Draft event", title_ar="فعالية مسودة", status="draft"),
        "past": make_event(title_en="Past session", title_ar="جلسة سابقة", days=-30),
    }


PEOPLE = ["anonymous", "outsider", "editor", "lead", "coordinator"]
SEES = {
    "anonymous": {"public"},
    "outsider": {"public"},
    "editor": {"public", "members"},
    "lead": {"public", "members", "group"},
    "coordinator": {"public", "members", "group", "draft"},
}


def person(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("who", PEOPLE)
def test_event_pages_by_audience_and_language(
    client_for, events, request, who, language, organisation, django_assert_max_num_queries
):
    client = client_for(person(request, who))
    with django_assert_max_num_queries(15):
        listing = client.get(f"/{language}/events/").content.decode()
    for key, event in events.items():
        if key == "past":
            continue
        title = event.title_ar if language == "ar" else event.title_en
        assert (title in listing) == (key in SEES[who]), (who, key)
        status = client.get(f"/{language}/events/{event.slug}/").status_code
        assert status == (200 if key in SEES[who] else 404), (who, key, status)
    past = client.get(f"/{language}/events/past/").content.decode()
    assert (events["past"].title_ar if language == "ar" else events["past"].title_en) in past


def test_calendar_parses_and_holds_only_visible_events(client, client_for, events, lead):
    calendar = icalendar.Calendar.from_ical(client.get("/en/events/calendar.ics").content)
    titles = {str(component["summary"]) for component in calendar.walk("VEVENT")}
    assert "Public training" in titles and "Past session" in titles
    assert not {"Members workshop", "Group meeting", "Draft event"} & titles
    response = client_for(lead).get("/en/events/calendar.ics")
    assert response["Cache-Control"] == "private, no-store"
    titles = {
        str(c["summary"]) for c in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert {"Members workshop", "Group meeting"} <= titles


# --- registration ----------------------------------------------------------------------


@pytest.fixture
def open_event():
    return make_event(title_en="Open workshop", registration_open=True, capacity=1)


def test_a_member_registers_and_cancels(client_for, editor, organisation, open_event):
    client = client_for(editor)
    response = client.post(
        f"/en/events/{open_event.slug}/register/", {"organisation": organisation.pk}, follow=True
    )
    assert "your place is confirmed" in response.content.decode()
    registration = Registration.objects.get(person=editor)
    assert registration.status == "confirmed" and registration.organisation == organisation
    page = client.get(f"/ar/events/{open_event.slug}/").content.decode()
    assert "إلغاء تسجيلي" in page
    response = client.post(
        f"/en/events/{open_event.slug}/registrations/{registration.pk}/cancel/", follow=True
    )
    assert "Your registration was cancelled." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_registering_twice_changes_nothing(client_for, editor, organisation, open_event):
    client = client_for(editor)
    url = f"/en/events/{open_event.slug}/register/"
    client.post(url, {"organisation": organisation.pk})
    before = snapshot()
    response = client.post(url, {"organisation": organisation.pk}, follow=True)
    assert "already registered" in response.content.decode()
    assert snapshot() == before


def test_beyond_capacity_goes_to_the_waiting_list_and_moves_up(
    client_for, editor, org_admin, organisation, open_event
):
    services.register_for_event(event=open_event, person=editor, organisation=organisation)
    response = client_for(org_admin).post(
        f"/ar/events/{open_event.slug}/register/", {"organisation": organisation.pk}, follow=True
    )
    assert "قائمة الانتظار" in response.content.decode()
    waiting = Registration.objects.get(person=org_admin)
    assert waiting.status == "waiting"
    services.cancel_registration(registration=Registration.objects.get(person=editor), by=editor)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_people_are_told_of_their_place_the_waiting_list_and_a_freed_place(
    client_for, editor, org_admin, organisation, open_event, mailoutbox
):
    organisation.memberships.filter(user=org_admin).update(language="en")
    client_for(editor).post(
        f"/ar/events/{open_event.slug}/register/", {"organisation": organisation.pk}
    )
    confirmed = mailoutbox[-1]
    assert confirmed.to == [editor.email] and confirmed.subject.startswith("تم التسجيل")
    assert "، الساعة " in confirmed.body and "(بتوقيت دمشق)" in confirmed.body  # Arabic comma
    calendar = icalendar.Calendar.from_ical(confirmed.attachments[0][1])
    assert [str(entry["SUMMARY"]) for entry in calendar.walk("VEVENT")] == ["تدريب"]
    services.register_for_event(event=open_event, person=org_admin, organisation=organisation)
    waiting = mailoutbox[-1]
    assert waiting.to == [org_admin.email] and "waiting list" in waiting.body
    assert not waiting.attachments  # no place yet: nothing for the calendar
    services.cancel_registration(registration=Registration.objects.get(person=editor), by=editor)
    promoted = mailoutbox[-1]
    assert (
        promoted.to == [org_admin.email] and promoted.subject == "A place is yours: Open workshop"
    )
    assert promoted.attachments[0][0] == "event.ics"
    assert len(mailoutbox) == 3


def test_full_without_waiting_list_and_per_organisation_limit(editor, org_admin, organisation):
    event = make_event(registration_open=True, capacity=1, waiting_list=False)
    services.register_for_event(event=event, person=editor, organisation=organisation)
    with pytest.raises(ValidationError) as refused:
        services.register_for_event(event=event, person=org_admin, organisation=organisation)
    assert refused.value.code == "full"
    limited = make_event(registration_open=True, places_per_organisation=1)
    services.register_for_event(event=limited, person=editor, organisation=organisation)
    with pytest.raises(ValidationError) as refused:
        services.register_for_event(event=limited, person=org_admin, organisation=organisation)
    assert refused.value.code == "organisation_full"
    assert Registration.objects.filter(person=org_admin).count() == 0


def test_non_members_cannot_register(client_for, outsider, editor, organisation, open_event):
    members_event = make_event(audience="members", registration_open=True)
    client = client_for(outsider)
    before = snapshot()
    # A members' event does not exist for them; a public one answers with a message.
    assert client.post(f"/en/events/{members_event.slug}/register/", {}).status_code == 404
    response = client.post(
        f"/en/events/{open_event.slug}/register/", {"organisation": organisation.pk}, follow=True
    )
    assert "Registration is for users of active member organisations." in response.content.decode()
    assert snapshot() == before
    # A member cannot register another organisation.
    other = make_organisation(name_en="Not theirs")
    response = client_for(editor).post(
        f"/en/events/{open_event.slug}/register/", {"organisation": other.pk}, follow=True
    )
    assert not Registration.objects.exists()


def test_registration_closed_for_past_events(editor, organisation):
    past = make_event(days=-2, registration_open=True)
    with pytest.raises(ValidationError) as refused:
        services.register_for_event(event=past, person=editor, organisation=organisation)
    assert refused.value.code == "closed"


def test_someone_else_cannot_cancel_a_registration(
    client_for, editor, org_admin, organisation, open_event
):
    registration = services.register_for_event(
        event=open_event, person=editor, organisation=organisation
    )
    response = client_for(org_admin).post(
        f"/en/events/{open_event.slug}/registrations/{registration.pk}/cancel/"
    )
    assert response.status_code == 404
    assert (
        client_for(editor)
        .get(f"/en/events/{open_event.slug}/registrations/{registration.pk}/cancel/")
        .status_code
        == 405
    )


@pytest.mark.django_db(transaction=True)
def test_two_registrations_at_once_take_one_last_place(settings):
    """On PostgreSQL the event row is locked while places are counted: two people asking for
    the last place at the same moment get one confirmed place and one waiting-list place."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are tested on PostgreSQL")
    people = [make_user(f"racer{n}@example.org") for n in range(2)]
    organisations = [make_organisation(members=[(user, "editor")]) for user in people]
    event = make_event(registration_open=True, capacity=1)
    start = threading.Barrier(2)
    errors = []

    def register(user, organisation):
        try:
            start.wait()
            services.register_for_event(event=event, person=user, organisation=organisation)
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=register, args=pair)
        for pair in zip(people, organisations, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == ["confirmed", "waiting"]


@pytest.mark.django_db(transaction=True)
def test_the_same_person_twice_at_once_registers_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    user = make_user("twice@example.org")
    organisation = make_organisation(members=[(user, "editor")])
    event = make_event(registration_open=True, capacity=5)
    start = threading.Barrier(2)
    outcomes = []

    def register():
        try:
            start.wait()
            services.register_for_event(event=event, person=user, organisation=organisation)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Registration.objects.filter(event=event).count() == 1


# --- admin and the record -------------------------------------------------------------


def test_admin_refuses_an_end_before_the_start(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(
        "/en/admin/events/event/add/",
        {
            "title_ar": "تدريب",
            "kind": "training",
            "language": "ar",
            "starts_at_0": "2027-03-10",
            "starts_at_1": "10:00",
            "ends_at_0": "2027-03-09",
            "ends_at_1": "10:00",
            "audience": "public",
            "status": "published",
            "places_per_organisation": "2",
            "materials-TOTAL_FORMS": "0",
            "materials-INITIAL_FORMS": "0",
            "registrations-TOTAL_FORMS": "0",
            "registrations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "The event cannot end before it starts." in response.content.decode()
    assert not Event.objects.exists()


def test_past_events_keep_their_materials(client, events):
    material = Material(event=events["past"], title_en="Slides", file_type="pdf")
    material.file.save("slides.pdf", files.pdf(), save=False)
    material.save()
    page = client.get(f"/en/events/{events['past'].slug}/").content.decode()
    assert "Slides" in page
    download = client.get(f"/en/events/{events['past'].slug}/materials/{material.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    upcoming = Material(event=events["members"], title_en="Members slides", file_type="pdf")
    upcoming.file.save("m.pdf", files.pdf(), save=False)
    upcoming.save()
    url = f"/en/events/{events['members'].slug}/materials/{upcoming.pk}/"
    assert client.get(url).status_code == 404


def test_sitemap_and_search(client, events):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert events["public"].slug in sitemap and events["members"].slug not in sitemap
    assert events["public"] in Event.objects.search("training")
    assert events["public"] in Event.objects.search("والتدريب")


def test_a_coordinator_cancels_a_registration_and_the_waiting_list_moves_up(
    client_for, coordinator, editor, org_admin, organisation, open_event
):
    first = services.register_for_event(event=open_event, person=editor, organisation=organisation)
    second = services.register_for_event(
        event=open_event, person=org_admin, organisation=organisation
    )
    client = client_for(coordinator)
    response = client.post(
        "/en/admin/events/registration/",
        {"action": "cancel", "_selected_action": [first.pk]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("cancelled", "confirmed")
    assert client.get(f"/en/admin/events/event/{open_event.pk}/change/").status_code == 200
    assert client.get(f"/en/admin/events/event/{open_event.pk}/history/").status_code == 200


def test_event_e_mails_follow_their_own_switch_not_the_meetings_one(
    editor, org_admin, organisation, open_event, mailoutbox
):
    from platform_site.models import Category, Email, Preferences

    # Turned off meeting invitations: still told of their registration.
    Preferences.objects.create(user=editor, muted_categories=[Category.MEETINGS])
    services.register_for_event(event=open_event, person=editor, organisation=organisation)
    assert [message.to for message in mailoutbox] == [[editor.email]]
    assert Email.objects.get(recipient=editor).category == Category.EVENTS
    # Turned off event e-mails: registered, not e-mailed.
    Preferences.objects.create(user=org_admin, muted_categories=[Category.EVENTS])
    services.register_for_event(event=open_event, person=org_admin, organisation=organisation)
    assert Registration.objects.filter(person=org_admin).exists()
    assert len(mailoutbox) == 1
