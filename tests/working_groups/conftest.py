from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_organisation, make_user
from working_groups.models import GroupMembership, Meeting, WorkingGroup


def make_group(*, status="open", leads=(), members=(), **fields):
    group = WorkingGroup.objects.create(
        name_ar=fields.pop("name_ar", "مجموعة الاختبار"),
        name_en=fields.pop("name_en", "Test Group"),
        mandate_en=fields.pop("mandate_en", "Coordinate testing."),
        status=status,
        **fields,
    )
    group.lead_organisations.set(leads)
    for organisation in members:
        GroupMembership.objects.create(group=group, organisation=organisation, status="active")
    return group


def make_meeting(group, *, visibility="members", days=7, **fields):
    return Meeting.objects.create(
        group=group,
        title=fields.pop("title", f"Meeting {visibility}"),
        starts_at=timezone.now() + timedelta(days=days),
        agenda=fields.pop("agenda", f"Agenda for {visibility}"),
        minutes=fields.pop("minutes", f"Minutes for {visibility}"),
        visibility=visibility,
        **fields,
    )


@pytest.fixture
def lead(db):
    """A user of the group's lead organisation."""
    return make_user("lead@lead-org.example.org")


@pytest.fixture
def lead_org(lead):
    return make_organisation(name_en="Lead Org", members=[(lead, "editor")])


@pytest.fixture
def group(lead_org):
    return make_group(leads=[lead_org])
