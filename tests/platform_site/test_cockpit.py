"""The admin's front page as the coordinators' cockpit, and the audit log inside the admin."""

from datetime import timedelta

import pytest
from django.utils import timezone

from advocacy import services as advocacy_services
from advocacy.models import ContactMessage
from members import services as member_services
from members.models import Organisation
from tests.advocacy.test_statements import make_statement
from tests.conftest import make_group, make_organisation, make_user
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, coordinator, settings):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(coordinator)
    return client


@pytest.fixture
def queues(organisation, editor, coordinator):
    """Two of each waiting thing, next to things that wait for nobody."""
    now = timezone.now()
    Organisation.objects.filter(pk=organisation.pk).update(verified_at=now)
    make_organisation(name_en="Applicant One", status="pending")
    make_organisation(name_en="Applicant Two", status="pending")
    make_organisation(name_en="Rejected", status="rejected")
    make_organisation(name_en="Stale One", verified_at=now - timedelta(days=400))
    make_organisation(name_en="Stale Two", verified_at=None)
    make_organisation(name_en="Fresh", verified_at=now - timedelta(days=10))
    make_organisation(name_en="Suspended and old", status="suspended", verified_at=None)
    group = make_group(leads=[organisation])
    for name, status in [("A", "requested"), ("B", "requested"), ("C", "active"), ("D", "left")]:
        GroupMembership.objects.create(
            group=group, organisation=make_organisation(name_en=f"Member {name}"), status=status
        )
    # The member organisations above are fresh, so they are not stale profiles.
    Organisation.objects.filter(name_en__startswith="Member ").update(verified_at=now)
    for title in ("In review 1", "In review 2"):
        statement = make_statement(organisation, by=editor, title_en=title)
        advocacy_services.submit_statement(statement=statement, by=editor)
    make_statement(organisation, by=editor, title_en="Still a draft")
    make_statement(organisation, by=editor, title_en="Published", publish_by=coordinator)
    for handled in (False, False, True):
        ContactMessage.objects.create(
            name="Donor",
            email="d@example.org",
            topic="other",
            message="Hi",
            language="en",
            handled=handled,
        )
    from platform_site.models import Email

    for status in ("failed", "failed", "sent", "pending"):
        Email.objects.create(
            address="someone@example.org",
            language="en",
            category="organisation",
            template="members/email/approved",
            subject="Subject",
            body_text="Text",
            body_html="<p>Text</p>",
            status=status,
        )


EXPECTED = {
    "applications": 2,
    "group_requests": 2,
    "statements": 2,
    "stale_profiles": 2,
    "contact_messages": 2,
    "failed_emails": 2,
}


def test_the_front_page_counts_every_queue(admin_client, queues):
    response = admin_client.get("/en/admin/")
    assert response.status_code == 200
    found = {queue["key"]: queue for queue in response.context["cockpit_queues"]}
    assert {key: queue["count"] for key, queue in found.items()} == EXPECTED
    html = response.content.decode()
    assert "Requests to join a working group" in html and "Audit log" in html
    # Each link opens the admin list whose rows the count counted.
    for key, queue in found.items():
        listing = admin_client.get(queue["url"])
        assert listing.status_code == 200, key
        assert listing.context["cl"].result_count == EXPECTED[key], key


def test_the_front_page_in_arabic(admin_client, queues):
    response = admin_client.get("/ar/admin/")
    assert response.status_code == 200
    assert "بانتظار الأمانة العامة" in response.content.decode()


def test_my_recent_decisions_are_mine_with_names(admin_client, coordinator, organisation):
    pending = make_organisation(name_en="Waiting Society", status="pending")
    member_services.approve_organisation(organisation=pending, by=coordinator)
    other = make_organisation(name_en="Someone Else's Decision", status="pending")
    member_services.reject_organisation(
        organisation=other, by=make_user(coordinator=True), reason="Duplicate."
    )
    decisions = admin_client.get("/en/admin/").context["cockpit_decisions"]
    assert [d.name for d in decisions] == ["Waiting Society"]
    assert decisions[0].status == "Pending review → Active"


def test_plain_staff_do_not_reach_the_cockpit(client, settings):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(make_user(staff=True))
    response = client.get("/en/admin/")
    assert response.status_code == 200
    assert response.context["cockpit_queues"] == []  # no permission on any queue's model


# --- the audit log ----------------------------------------------------------------------


def test_audit_log_names_objects_and_gives_reasons(admin_client, coordinator, organisation):
    applicant = make_organisation(name_en="Needs A Reason", status="pending")
    member_services.reject_organisation(
        organisation=applicant, by=coordinator, reason="Not an education actor."
    )
    response = admin_client.get("/en/admin/audit/")
    html = response.content.decode()
    row = next(r for r in response.context["rows"] if r.name == "Needs A Reason" and r.reason)
    assert row.reason == "Not an education actor."
    assert row.status == "Pending review → Rejected"
    assert row.user == coordinator.email
    assert "#" + str(applicant.pk) not in html  # named, not numbered
    assert "None" not in html
    # Rows about users of an organisation are named through the organisation, in one query.
    assert any(organisation.name_en in r.name for r in response.context["rows"] if "user" in r.kind)


def test_audit_log_filters_by_who_what_and_when(admin_client, coordinator, organisation, editor):
    other_coordinator = make_user("second@secretariat.example.org", coordinator=True)
    first = make_organisation(name_en="By The First", status="pending")
    second = make_organisation(name_en="By The Second", status="pending")
    member_services.approve_organisation(organisation=first, by=coordinator)
    member_services.approve_organisation(organisation=second, by=other_coordinator)
    make_statement(organisation, by=editor, title_en="Drafted statement")

    def names(**query):
        response = admin_client.get("/en/admin/audit/", query)
        assert response.status_code == 200
        return {row.name for row in response.context["rows"]}

    assert {"By The First", "By The Second", "Drafted statement"} <= names()
    by_second = names(email="second@")
    assert "By The Second" in by_second and "By The First" not in by_second
    statements = names(kind="advocacy.prioritystatement")
    assert statements == {"Drafted statement"}
    today = timezone.localdate()
    assert "By The First" in names(since=today.isoformat(), until=today.isoformat())
    assert names(until=(today - timedelta(days=1)).isoformat()) == set()


def test_audit_log_refuses_bad_filters_with_a_message(admin_client):
    response = admin_client.get(
        "/en/admin/audit/", {"kind": "auth.user", "since": "2026-13-45", "until": "x" * 300}
    )
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert response.context["form"].errors
    response = admin_client.get("/en/admin/audit/", {"since": "2026-05-02", "until": "2026-05-01"})
    assert "The first date must come before the second." in response.content.decode()


def test_audit_log_query_count_does_not_grow_with_rows(
    admin_client, coordinator, django_assert_max_num_queries
):
    for n in range(30):
        applicant = make_organisation(name_en=f"Applicant {n}", status="pending")
        member_services.approve_organisation(organisation=applicant, by=coordinator)
    from platform_site.audit import history_models

    # One query per history table, plus the session, user and permission checks: flat in the
    # number of rows, whatever the number of tables.
    with django_assert_max_num_queries(len(history_models()) + 6) as few:
        admin_client.get("/en/admin/audit/")
    for n in range(30, 40):
        applicant = make_organisation(name_en=f"Applicant {n}", status="pending")
        member_services.approve_organisation(organisation=applicant, by=coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get("/en/admin/audit/")


def test_object_history_says_no_none(admin_client, coordinator):
    applicant = make_organisation(name_en="History Page", status="pending")
    member_services.reject_organisation(organisation=applicant, by=coordinator, reason="Why not.")
    response = admin_client.get(f"/en/admin/members/organisation/{applicant.pk}/history/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Why not." in html
    assert ">None<" not in html.replace(" ", "").replace("\n", "")
