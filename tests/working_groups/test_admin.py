import pytest
from django.contrib.auth.models import Group

from tests.conftest import make_group, make_meeting
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, coordinator, settings):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(coordinator)
    return client


def test_coordinators_may_run_groups():
    codenames = set(
        Group.objects.get(name="Coordinators").permissions.values_list("codename", flat=True)
    )
    assert {
        "add_workinggroup",
        "change_workinggroup",
        "change_groupmembership",
        "add_meeting",
    } <= codenames
    assert "delete_workinggroup" not in codenames


def test_admin_pages_render(admin_client, group, organisation):
    GroupMembership.objects.create(group=group, organisation=organisation)
    meeting = make_meeting(group)
    for path in (
        "/ar/admin/working_groups/workinggroup/",
        f"/ar/admin/working_groups/workinggroup/{group.pk}/change/",
        "/ar/admin/working_groups/workinggroup/add/",
        "/ar/admin/working_groups/groupmembership/?status__exact=requested",
        f"/ar/admin/working_groups/meeting/{meeting.pk}/change/",
        f"/ar/admin/working_groups/workinggroup/{group.pk}/history/",
    ):
        assert admin_client.get(path).status_code == 200, path


def test_coordinator_accepts_requests_in_admin(admin_client, group, organisation, coordinator):
    membership = GroupMembership.objects.create(group=group, organisation=organisation)
    closed = make_group(name_en="Closed", status="closed")
    decided = GroupMembership.objects.create(
        group=closed, organisation=organisation, status="declined"
    )
    admin_client.post(
        "/ar/admin/working_groups/groupmembership/",
        {"action": "accept", "_selected_action": [membership.pk, decided.pk]},
    )
    membership.refresh_from_db()
    decided.refresh_from_db()
    assert membership.status == "active" and membership.decided_by == coordinator
    assert decided.status == "declined"  # already decided: reported, not changed


def test_editors_cannot_open_the_admin(client, editor):
    client.force_login(editor)
    response = client.get("/ar/admin/working_groups/workinggroup/")
    assert response.status_code == 302
