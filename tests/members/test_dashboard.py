"""The member's home page (/<lang>/dashboard/): one panel per organisation of the user."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advocacy import services as advocacy_services
from platform_site.cache import bump_content_generation
from tests.advocacy.test_rounds import make_round, points
from tests.advocacy.test_statements import make_statement
from tests.conftest import make_group, make_meeting, make_organisation, make_user
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db


def panel(html, organisation):
    """The part of the page about one organisation."""
    start = html.index(f'id="organisation-{organisation.pk}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_a_lead_sees_the_group_it_leads_and_the_requests_waiting(client, lead, lead_org, group):
    make_meeting(group, title="Planning meeting", visibility="members")
    for name in ("Asker One", "Asker Two"):
        GroupMembership.objects.create(group=group, organisation=make_organisation(name_en=name))
    other_group = make_group(name_en="Other Group", name_ar="مجموعة أخرى", slug="other")
    GroupMembership.objects.create(group=other_group, organisation=lead_org, status="active")
    client.force_login(lead)
    html = panel(client.get("/en/dashboard/").content.decode(), lead_org)
    assert "not in any working group" not in html
    assert "Test Group" in html and "Lead" in html
    assert "2 requests to join are waiting for your decision" in html
    assert "Other Group" in html
    assert "Planning meeting" in html
    assert "Write a statement" in html


def test_a_lead_sees_its_groups_statement_in_review(client, lead, lead_org, group):
    statement = make_statement(group, by=lead, title_en="Group position")
    advocacy_services.submit_statement(statement=statement, by=lead)
    client.force_login(lead)
    html = panel(client.get("/en/dashboard/").content.decode(), lead_org)
    assert "Group position" in html and "In review by the secretariat" in html


def test_the_editor_of_a_pending_organisation(client):
    applicant = make_user("applicant@example.org")
    pending = make_organisation(
        name_en="Waiting Society", status="pending", members=[(applicant, "admin")]
    )
    client.force_login(applicant)
    html = panel(client.get("/en/dashboard/").content.decode(), pending)
    assert "Waiting Society" in html and "Pending review" in html
    assert "The secretariat is reviewing the application" in html
    assert "Edit profile" in html and "Invite a colleague" in html
    # Nothing a pending organisation cannot do yet.
    assert "Write a statement" not in html and "Priority-setting rounds" not in html
    assert "Working groups" not in html


def test_a_member_with_an_open_round_and_statements(client, organisation, editor, coordinator):
    round_ = make_round()
    round_.title_en = "Priorities 2027"
    round_.save()
    in_review = make_statement(organisation, by=editor, title_en="Under review")
    advocacy_services.submit_statement(statement=in_review, by=editor)
    returned = make_statement(organisation, by=editor, title_en="Needs work")
    advocacy_services.submit_statement(statement=returned, by=editor)
    advocacy_services.send_back(statement=returned, by=coordinator, comments="Shorter, please.")
    elsewhere = make_organisation(name_en="Elsewhere Author")
    make_statement(elsewhere, title_en="Please endorse", publish_by=coordinator)
    client.force_login(editor)

    html = panel(client.get("/en/dashboard/").content.decode(), organisation)
    assert "Priorities 2027" in html and "has not voted yet" in html
    assert round_.closes_at.strftime("%Y") in html
    assert "Under review" in html and "In review by the secretariat" in html
    assert "Needs work" in html and "Sent back with comments" in html
    assert "Please endorse" in html
    assert "is not in any working group yet" in html

    advocacy_services.cast_ballot(
        round_=round_, organisation=organisation, by=editor, points=points(round_, 100, 0, 0)
    )
    html = panel(client.get("/en/dashboard/").content.decode(), organisation)
    assert "Your organisation has voted" in html and "has not voted yet" not in html


def test_an_endorser_is_asked_to_confirm_after_a_substantive_change(
    client, organisation, editor, coordinator
):
    author = make_organisation(name_en="Author Org")
    statement = make_statement(author, title_en="Changing text", publish_by=coordinator)
    advocacy_services.endorse(statement=statement, organisation=organisation, by=editor)
    statement.body_en = "A different text."
    advocacy_services.save_draft(statement=statement, by=coordinator)
    advocacy_services.submit_statement(statement=statement, by=coordinator)
    advocacy_services.publish_statement(statement=statement, by=coordinator, substantive=True)
    client.force_login(editor)
    html = panel(client.get("/en/dashboard/").content.decode(), organisation)
    assert "confirm your endorsement of version 2" in html


def test_the_dashboard_in_arabic(client, lead, lead_org, group):
    GroupMembership.objects.create(group=group, organisation=make_organisation())
    client.force_login(lead)
    html = client.get("/ar/dashboard/").content.decode()
    assert "قائدة" in html
    assert "كتابة بيان" in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, lead, lead_org, group, coordinator, django_assert_max_num_queries
):
    """Guards against one query per statement, ballot, group request or meeting."""
    second = make_organisation(name_en="Second Org", members=[(lead, "admin")])
    client.force_login(lead)

    def add_one_of_each(n):
        make_statement(lead_org, by=lead, title_en=f"Draft {n}")
        make_statement(make_organisation(), title_en=f"Published {n}", publish_by=coordinator)
        GroupMembership.objects.create(group=group, organisation=make_organisation())
        make_meeting(group, title=f"Meeting {n}", days=n + 1)
        make_round(slug=f"round-{n}")

    def computed(url) -> int:
        """Queries of a reading after a change: the panels computed, not shared copies."""
        bump_content_generation("working_groups")
        return _queries(client, url)

    add_one_of_each(0)
    few = computed("/en/dashboard/")
    for n in range(1, 7):
        add_one_of_each(n)

    assert panel(client.get("/en/dashboard/").content.decode(), second)
    assert computed("/en/dashboard/") == few
    with django_assert_max_num_queries(30):
        client.get("/en/dashboard/")


# --- the panels are shared until something they show changes, or time moves past them -------


def test_the_panels_read_again_come_from_the_shared_cache(client, lead, lead_org, group):
    make_meeting(group, title="Planning meeting")
    make_round()
    client.force_login(lead)
    client.get("/en/dashboard/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/en/dashboard/").content.decode()
    assert "Planning meeting" in html and "Test round" in html
    read = " ".join(query["sql"] for query in queries)
    for table in ("working_groups_meeting", "advocacy_priorityround", "advocacy_prioritystatement"):
        assert table not in read


def test_a_change_shows_at_once(client, lead, lead_org, group):
    client.force_login(lead)
    assert "New meeting" not in client.get("/en/dashboard/").content.decode()
    make_meeting(group, title="New meeting")
    assert "New meeting" in client.get("/en/dashboard/").content.decode()


def test_a_meeting_that_has_started_leaves_the_panel_without_any_change(
    client, lead, lead_org, group, clock_cache
):
    # Within the hour the shared copies are otherwise kept (platform_site.cache.DATA_TIMEOUT).
    make_meeting(group, title="Meeting soon", days=20 / (24 * 60))
    make_meeting(group, title="Meeting next week", days=7)
    client.force_login(lead)
    html = client.get("/en/dashboard/").content.decode()
    assert "Meeting soon" in html and "Meeting next week" in html
    with time_machine.travel(timezone.now() + timedelta(minutes=21)):
        html = client.get("/en/dashboard/").content.decode()
    assert "Meeting soon" not in html and "Meeting next week" in html


def test_a_round_that_has_closed_leaves_the_panel_and_one_that_opens_joins_it(
    client, organisation, editor, clock_cache
):
    now = timezone.now()
    # Within the hour the shared copies are otherwise kept (platform_site.cache.DATA_TIMEOUT).
    closing = make_round(slug="closing", closes_at=now + timedelta(minutes=20))
    opening = make_round(
        slug="opening", opens_at=now + timedelta(minutes=40), closes_at=now + timedelta(days=3)
    )
    for round_, title in ((closing, "Closing round"), (opening, "Opening round")):
        round_.title_en = title
        round_.save()
    client.force_login(editor)
    html = panel(client.get("/en/dashboard/").content.decode(), organisation)
    assert "Closing round" in html and "Opening round" not in html
    with time_machine.travel(now + timedelta(minutes=21)):
        html = panel(client.get("/en/dashboard/").content.decode(), organisation)
        assert "Closing round" not in html and "Opening round" not in html
    with time_machine.travel(now + timedelta(minutes=41)):
        html = panel(client.get("/en/dashboard/").content.decode(), organisation)
        assert "Opening round" in html


def test_people_of_other_organisations_do_not_share_a_panel(client, lead, lead_org, group):
    make_meeting(group, title="Leads only meeting")
    client.force_login(lead)
    assert "Leads only meeting" in client.get("/en/dashboard/").content.decode()
    stranger = make_user("stranger@example.org")
    other = make_organisation(name_en="Stranger Org", members=[(stranger, "admin")])
    client.force_login(stranger)
    html = client.get("/en/dashboard/").content.decode()
    assert "Stranger Org" in html and "Leads only meeting" not in html
    assert panel(html, other)
