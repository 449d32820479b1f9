"""The group page speaks to a lead as a lead; the priorities page offers to write a statement."""

import pytest

from tests.conftest import make_organisation
from working_groups.models import GroupMembership

pytestmark = pytest.mark.django_db


def test_the_lead_is_addressed_as_a_lead(client, lead, group):
    GroupMembership.objects.create(group=group, organisation=make_organisation(name_en="Asker"))
    client.force_login(lead)
    html = client.get(f"/en/working-groups/{group.slug}/").content.decode()
    assert "Your organisation leads this group" in html
    assert "1 request to join is waiting" in html
    assert f"/en/priorities/new/?author=group:{group.pk}" in html
    assert "Only users of an active member organisation can ask to join." not in html


def test_a_member_of_another_organisation_is_not_told_it_leads(client, editor, organisation, group):
    client.force_login(editor)
    html = client.get(f"/en/working-groups/{group.slug}/").content.decode()
    assert "leads this group" not in html
    assert "Ask to join" in html


def test_writing_for_the_group_starts_with_the_group_chosen(client, lead, group):
    client.force_login(lead)
    response = client.get(f"/en/priorities/new/?author=group:{group.pk}")
    assert response.context["form"]["author"].value() == f"group:{group.pk}"
    # Junk in the address is ignored, not an error.
    assert client.get("/en/priorities/new/?author=group:999999").status_code == 200


@pytest.mark.parametrize(
    ("person", "offered"),
    [(None, False), ("outsider", False), ("editor", True), ("lead", True)],
)
def test_the_priorities_page_offers_to_write_a_statement(
    client, request, organisation, group, person, offered
):
    if person:
        client.force_login(request.getfixturevalue(person))
    html = client.get("/en/priorities/").content.decode()
    assert ('href="/en/priorities/new/"' in html) is offered
