import pytest
from django.core import mail
from icalendar import Calendar

from tests.conftest import login_verified, make_group, make_meeting, make_organisation, make_user
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db


def url(group, suffix="", language="en"):
    return f"/{language}/working-groups/{group.slug}/{suffix}"


# --- list and group pages ---------------------------------------------------------------


def test_list_shows_groups_with_counts_and_leads(client, group, organisation):
    GroupMembership.objects.create(group=group, organisation=organisation, status="active")
    make_group(name_en="Old Group", status="archived")
    response = client.get("/en/working-groups/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Test Group" in html and "1 member organisation" in html and "Lead Org" in html
    assert [g.name_en for g in response.context["groups"]] == ["Test Group"]
    assert "Old Group" in html  # listed apart, as archived


def test_list_query_count_is_flat(client, django_assert_max_num_queries):
    def grow(n):
        for i in range(n):
            lead_org = make_organisation(name_en=f"Lead {i}")
            make_group(name_en=f"G{i}", leads=[lead_org], members=[make_organisation()])

    grow(3)
    with django_assert_max_num_queries(6) as small:
        client.get("/ar/working-groups/")
    grow(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/ar/working-groups/")


def test_group_page_query_count_is_flat(client, group, lead, django_assert_max_num_queries):
    client.force_login(lead)
    for _ in range(3):
        GroupMembership.objects.create(
            group=group, organisation=make_organisation(), status="active"
        )
        make_meeting(group)
    with django_assert_max_num_queries(40) as small:
        client.get(url(group))
    for _ in range(20):
        GroupMembership.objects.create(
            group=group, organisation=make_organisation(), status="active"
        )
        make_meeting(group, days=-3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url(group))


def test_group_page_lists_public_organisations_and_never_people(client, group, lead):
    hidden = make_organisation(name_en="Quiet Org", low_profile=True)
    visible = make_organisation(name_en="Open Org")
    for organisation in (hidden, visible):
        GroupMembership.objects.create(group=group, organisation=organisation, status="active")
    html = client.get(url(group)).content.decode()
    assert "Open Org" in html and "Quiet Org" not in html
    assert lead.email not in html
    client.force_login(lead)
    assert "Quiet Org" in client.get(url(group)).content.decode()


def test_meetings_by_visibility(client, group, lead, other_org_editor, coordinator):
    for visibility in ("public", "network", "members"):
        make_meeting(group, visibility=visibility)

    def agendas(user):
        client.logout()
        if user == coordinator:
            login_verified(client, user)
        elif user:
            client.force_login(user)
        html = client.get(url(group)).content.decode()
        return {v for v in ("public", "network", "members") if f"Agenda for {v}" in html}

    assert agendas(None) == {"public"}
    assert agendas(make_user()) == {"public"}  # signed in, no active organisation
    assert agendas(other_org_editor) == {"public", "network"}
    assert agendas(lead) == {"public", "network", "members"}
    assert agendas(coordinator) == {"public", "network", "members"}
    client.logout()
    client.force_login(coordinator)  # password only: a signed-in person without organisation
    assert {
        v
        for v in ("public", "network", "members")
        if f"Agenda for {v}" in client.get(url(group)).content.decode()
    } == {"public"}


def test_member_organisation_sees_members_meetings(client, group, organisation, editor):
    make_meeting(group, visibility="members")
    GroupMembership.objects.create(group=group, organisation=organisation, status="active")
    client.force_login(editor)
    assert "Agenda for members" in client.get(url(group)).content.decode()


def test_unknown_group_is_404(client):
    assert client.get("/en/working-groups/nope/").status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_pages_refuse_other_methods(client, group, method):
    assert getattr(client, method)("/en/working-groups/").status_code == 405
    assert getattr(client, method)(url(group)).status_code == 405


# --- joining ----------------------------------------------------------------------------


def test_editor_asks_to_join_and_leads_are_emailed(
    client, group, organisation, editor, lead, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(group, "join/"), {"organisation": organisation.pk, "note": "Hi"})
    assert response.status_code == 302
    membership = GroupMembership.objects.get(group=group, organisation=organisation)
    assert membership.status == "requested" and membership.requested_by == editor
    assert {tuple(m.to) for m in mail.outbox} == {(lead.email,), (coordinator.email,)}


def test_double_submission_leaves_one_request(client, group, organisation, editor):
    client.force_login(editor)
    for _ in range(3):
        client.post(url(group, "join/"), {"organisation": organisation.pk})
    assert GroupMembership.objects.filter(group=group, organisation=organisation).count() == 1


@pytest.mark.parametrize("status", ["closed", "archived"])
def test_closed_and_archived_groups_take_no_requests(client, organisation, editor, status):
    group = make_group(status=status)
    client.force_login(editor)
    response = client.post(
        url(group, "join/", "ar"), {"organisation": organisation.pk}, follow=True
    )
    assert not GroupMembership.objects.exists()
    assert "لا تقبل" in response.content.decode()


def test_request_for_another_organisation_is_refused(client, group, organisation, other_org_editor):
    client.force_login(other_org_editor)
    client.post(url(group, "join/"), {"organisation": organisation.pk})
    assert not GroupMembership.objects.exists()


def test_join_requires_login_and_post(client, group, organisation, editor):
    assert client.post(url(group, "join/"), {"organisation": organisation.pk}).status_code == 302
    client.force_login(editor)
    assert client.get(url(group, "join/")).status_code == 405
    assert not GroupMembership.objects.exists()


def test_suspended_organisation_cannot_join(client, group):
    user = make_user()
    suspended = make_organisation(status="suspended", members=[(user, "admin")])
    client.force_login(user)
    client.post(url(group, "join/"), {"organisation": suspended.pk})
    assert not GroupMembership.objects.exists()


def test_lead_accepts_and_organisation_is_emailed_in_its_language(
    client, group, organisation, org_admin, editor, lead, django_capture_on_commit_callbacks
):
    organisation.memberships.update(language="ar")
    membership = GroupMembership.objects.create(group=group, organisation=organisation)
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(group, f"requests/{membership.pk}/decide/"), {"accept": "1"})
    membership.refresh_from_db()
    assert membership.status == "active" and membership.decided_by == lead
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [org_admin.email, editor.email]
    )
    assert "أصبحت" in mail.outbox[0].body
    assert organisation in client.get(url(group)).context["members"]


def test_lead_declines(client, group, organisation, lead):
    membership = GroupMembership.objects.create(group=group, organisation=organisation)
    client.force_login(lead)
    client.post(url(group, f"requests/{membership.pk}/decide/"), {"accept": "0"})
    membership.refresh_from_db()
    assert membership.status == "declined"


@pytest.mark.parametrize("person", ["editor", "other_org_editor", "outsider"])
def test_only_leads_and_coordinators_decide(client, group, organisation, person, request):
    membership = GroupMembership.objects.create(group=group, organisation=organisation)
    client.force_login(request.getfixturevalue(person))
    response = client.post(url(group, f"requests/{membership.pk}/decide/"), {"accept": "1"})
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.status == "requested"


def test_coordinator_decides_on_the_group_page(client, group, organisation, coordinator):
    membership = GroupMembership.objects.create(group=group, organisation=organisation)
    login_verified(client, coordinator)
    client.post(url(group, f"requests/{membership.pk}/decide/"), {"accept": "1"})
    membership.refresh_from_db()
    assert membership.status == "active"


def test_decide_refuses_get_bad_input_and_decided_requests(client, group, organisation, lead):
    membership = GroupMembership.objects.create(group=group, organisation=organisation)
    client.force_login(lead)
    decide = url(group, f"requests/{membership.pk}/decide/")
    assert client.get(decide).status_code == 405
    client.post(decide, {"accept": "perhaps"})
    membership.refresh_from_db()
    assert membership.status == "requested"
    client.post(decide, {"accept": "0"})
    assert client.post(decide, {"accept": "1"}).status_code == 404  # no longer waiting
    membership.refresh_from_db()
    assert membership.status == "declined"


def test_leave_then_ask_again(client, group, organisation, editor):
    membership = GroupMembership.objects.create(
        group=group, organisation=organisation, status="active"
    )
    client.force_login(editor)
    client.post(url(group, "leave/"), {"membership": membership.pk})
    membership.refresh_from_db()
    assert membership.status == "left"
    client.post(url(group, "join/"), {"organisation": organisation.pk})
    assert GroupMembership.objects.filter(group=group, organisation=organisation).count() == 2
    assert (
        GroupMembership.objects.live().get(group=group, organisation=organisation).status
        == "requested"
    )


def test_nobody_else_can_make_an_organisation_leave(client, group, organisation, other_org_editor):
    membership = GroupMembership.objects.create(
        group=group, organisation=organisation, status="active"
    )
    client.force_login(other_org_editor)
    client.post(url(group, "leave/"), {"membership": membership.pk})
    membership.refresh_from_db()
    assert membership.status == "active"


def test_live_membership_is_unique_in_the_database(group, organisation):
    from django.db import IntegrityError, transaction

    GroupMembership.objects.create(group=group, organisation=organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMembership.objects.create(group=group, organisation=organisation, status="active")
    GroupMembership.objects.create(group=group, organisation=organisation, status="left")


# --- meetings ---------------------------------------------------------------------------


def test_lead_creates_and_edits_a_meeting_in_damascus_time(client, group, lead):
    client.force_login(lead)
    response = client.post(
        url(group, "meetings/new/"),
        {
            "title": "Kick-off",
            "starts_at": "2027-01-10T11:00",
            "location_or_link": "https://meet.example.org/x",
            "visibility": "members",
            "agenda": "1. Hello",
            "minutes": "",
        },
    )
    assert response.status_code == 302
    meeting = group.meetings.get()
    assert meeting.starts_at.isoformat() == "2027-01-10T08:00:00+00:00"  # 11:00 in Damascus (UTC+3)
    client.post(
        url(group, f"meetings/{meeting.pk}/edit/"),
        {
            "title": "Kick-off",
            "starts_at": "2027-01-10T11:00",
            "location_or_link": "",
            "visibility": "public",
            "agenda": "1. Hello",
            "minutes": "We met.",
        },
    )
    meeting.refresh_from_db()
    assert meeting.minutes == "We met." and meeting.visibility == "public"


def test_bad_meeting_input_is_refused(client, group, lead):
    client.force_login(lead)
    response = client.post(
        url(group, "meetings/new/", "ar"),
        {"title": "", "starts_at": "not a date", "visibility": "secret"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "starts_at", "visibility"}
    assert not group.meetings.exists()


@pytest.mark.parametrize("person", ["editor", "other_org_editor", "outsider"])
def test_only_leads_manage_meetings(client, group, person, request):
    meeting = make_meeting(group)
    client.force_login(request.getfixturevalue(person))
    assert client.get(url(group, "meetings/new/")).status_code == 404
    assert (
        client.post(url(group, f"meetings/{meeting.pk}/edit/"), {"title": "Hijacked"}).status_code
        == 404
    )
    meeting.refresh_from_db()
    assert meeting.title != "Hijacked"


def test_meeting_of_another_group_is_404(client, group, lead):
    other = make_group(name_en="Other")
    meeting = make_meeting(other)
    client.force_login(lead)
    assert client.get(url(group, f"meetings/{meeting.pk}/edit/")).status_code == 404


# --- calendar ---------------------------------------------------------------------------


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_calendar_parses_and_hides_members_meetings_from_anonymous(client, group, lead):
    for visibility in ("public", "network", "members"):
        make_meeting(
            group, visibility=visibility, title=f"اجتماع {visibility}, مع فاصلة; وفاصلة منقوطة"
        )
    response = client.get(url(group, "calendar.ics"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    assert list(found) == ["اجتماع public, مع فاصلة; وفاصلة منقوطة"]
    assert "Agenda for members" not in response.content.decode()

    client.force_login(lead)
    assert len(events(client.get(url(group, "calendar.ics")))) == 3


def test_personal_calendar_link_for_calendar_applications(client, group, lead):
    make_meeting(group, visibility="members")
    client.force_login(lead)
    link = client.get(url(group)).context["private_calendar_url"]
    client.logout()
    assert len(events(client.get(link))) == 1
    assert client.get(link.replace("token=", "token=x")).status_code == 404
    assert client.post(link).status_code == 405


def test_lead_organisation_is_not_offered_to_join_its_own_group(client, group, lead, lead_org):
    client.force_login(lead)
    assert client.get(url(group)).context["join_form"] is None
    client.post(url(group, "join/"), {"organisation": lead_org.pk})
    assert not GroupMembership.objects.exists()


def test_group_page_shows_its_statements_and_resources(client, group, lead, coordinator):
    from advocacy import services as advocacy_services
    from advocacy.models import PriorityStatement
    from knowledge_bank.models import Resource

    statement = advocacy_services.save_draft(
        statement=PriorityStatement(author_group=group, title_en="Group position", body_en="Text"),
        by=lead,
    )
    advocacy_services.submit_statement(statement=statement, by=lead)
    advocacy_services.publish_statement(statement=statement, by=coordinator)
    Resource.objects.create(
        title_en="Group toolkit",
        kind="tool",
        language="en",
        url="https://e.org/t",
        working_group=group,
    )
    Resource.objects.create(
        title_en="Internal minutes",
        kind="report",
        language="en",
        url="https://e.org/m",
        working_group=group,
        visibility="members",
    )
    html = client.get(url(group)).content.decode()
    assert "Group position" in html and "Group toolkit" in html and "Internal minutes" not in html
