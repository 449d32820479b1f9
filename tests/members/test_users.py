"""Joining an organisation and managing its users."""

import pytest
from django.core import mail

from members.models import JoinRequest, OrganisationMember
from tests.conftest import make_organisation, make_user

pytestmark = pytest.mark.django_db


def users_url(organisation, suffix=""):
    return f"/en/organisations/{organisation.slug}/users/{suffix}"


def test_ask_to_join_then_admin_accepts(
    client, organisation, org_admin, django_capture_on_commit_callbacks
):
    newcomer = make_user()
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ar/organisations/{organisation.slug}/join/", {"message": "أعمل هنا"}
        )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get(user=newcomer)
    assert join_request.language == "ar"
    assert mail.outbox[0].to == [org_admin.email]
    # A second click leaves one request.
    client.post(f"/ar/organisations/{organisation.slug}/join/", {"message": "again"})
    assert JoinRequest.objects.filter(user=newcomer).count() == 1

    client.force_login(org_admin)
    page = client.get(users_url(organisation))
    assert newcomer.email in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            users_url(organisation).replace("users/", f"requests/{join_request.pk}/decide/"),
            {"accept": "1"},
        )
    membership = OrganisationMember.objects.get(user=newcomer, organisation=organisation)
    assert membership.role == "editor"
    assert mail.outbox[-1].to == [newcomer.email]
    assert "تعديل" in mail.outbox[-1].body  # sent in the requester's language (Arabic)


def test_admin_declines(client, organisation, org_admin):
    newcomer = make_user()
    join_request = JoinRequest.objects.create(user=newcomer, organisation=organisation)
    client.force_login(org_admin)
    client.post(
        f"/en/organisations/{organisation.slug}/requests/{join_request.pk}/decide/", {"accept": "0"}
    )
    join_request.refresh_from_db()
    assert join_request.status == "declined" and join_request.decided_by == org_admin
    assert not OrganisationMember.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("person", ["editor", "other_org_editor", "outsider"])
def test_only_admins_decide(client, organisation, person, request):
    join_request = JoinRequest.objects.create(user=make_user(), organisation=organisation)
    client.force_login(request.getfixturevalue(person))
    url = f"/en/organisations/{organisation.slug}/requests/{join_request.pk}/decide/"
    assert client.post(url, {"accept": "1"}).status_code == 404
    assert client.get(users_url(organisation)).status_code == 404
    join_request.refresh_from_db()
    assert join_request.status == "requested"


def test_decide_refuses_get_and_bad_input(client, organisation, org_admin):
    join_request = JoinRequest.objects.create(user=make_user(), organisation=organisation)
    client.force_login(org_admin)
    url = f"/en/organisations/{organisation.slug}/requests/{join_request.pk}/decide/"
    assert client.get(url).status_code == 405
    client.post(url, {"accept": "maybe"})
    join_request.refresh_from_db()
    assert join_request.status == "requested"


def test_join_requests_only_for_active_organisations(client):
    pending = make_organisation(status="pending", members=[(make_user(), "admin")])
    client.force_login(make_user())
    assert client.post(f"/en/organisations/{pending.slug}/join/").status_code == 404
    assert not JoinRequest.objects.exists()


def test_existing_member_cannot_ask_to_join(client, organisation, editor):
    client.force_login(editor)
    client.post(f"/en/organisations/{organisation.slug}/join/", {"message": ""})
    assert not JoinRequest.objects.exists()


def test_join_refuses_get_and_anonymous(client, organisation):
    assert client.post(f"/en/organisations/{organisation.slug}/join/").status_code == 302
    client.force_login(make_user())
    assert client.get(f"/en/organisations/{organisation.slug}/join/").status_code == 405
    assert not JoinRequest.objects.exists()


def test_admin_changes_roles_but_not_the_last_admin(client, organisation, org_admin, editor):
    client.force_login(org_admin)
    admin_membership = OrganisationMember.objects.get(user=org_admin)
    editor_membership = OrganisationMember.objects.get(user=editor)
    response = client.post(
        users_url(organisation, f"{admin_membership.pk}/role/"), {"role": "editor"}, follow=True
    )
    admin_membership.refresh_from_db()
    assert admin_membership.role == "admin"
    assert "at least one administrator" in response.content.decode()
    client.post(users_url(organisation, f"{editor_membership.pk}/role/"), {"role": "admin"})
    editor_membership.refresh_from_db()
    assert editor_membership.role == "admin"
    client.post(users_url(organisation, f"{admin_membership.pk}/role/"), {"role": "editor"})
    admin_membership.refresh_from_db()
    assert admin_membership.role == "editor"


def test_last_admin_cannot_be_removed(client, organisation, org_admin, editor):
    client.force_login(org_admin)
    admin_membership = OrganisationMember.objects.get(user=org_admin)
    client.post(users_url(organisation, f"{admin_membership.pk}/remove/"))
    assert OrganisationMember.objects.filter(pk=admin_membership.pk).exists()
    editor_membership = OrganisationMember.objects.get(user=editor)
    client.post(users_url(organisation, f"{editor_membership.pk}/remove/"))
    assert not OrganisationMember.objects.filter(pk=editor_membership.pk).exists()


def test_editor_cannot_manage_users(client, organisation, editor, org_admin):
    client.force_login(editor)
    admin_membership = OrganisationMember.objects.get(user=org_admin)
    assert client.post(users_url(organisation, f"{admin_membership.pk}/remove/")).status_code == 404
    assert (
        client.post(
            users_url(organisation, "add/"), {"email": editor.email, "role": "admin"}
        ).status_code
        == 404
    )
    assert OrganisationMember.objects.filter(pk=admin_membership.pk).exists()


def test_membership_of_another_organisation_is_404(
    client, organisation, org_admin, other_org_editor
):
    foreign = OrganisationMember.objects.get(user=other_org_editor)
    client.force_login(org_admin)
    assert client.post(users_url(organisation, f"{foreign.pk}/remove/")).status_code == 404
    assert OrganisationMember.objects.filter(pk=foreign.pk).exists()


def test_dashboard_lists_requests_and_reminders(client, organisation, org_admin):
    JoinRequest.objects.create(user=make_user("waiting@x.org"), organisation=organisation)
    client.force_login(org_admin)
    html = client.get("/en/dashboard/").content.decode()
    assert "waiting@x.org" in html
    assert "has not been confirmed for a year" in html


def test_dashboard_requires_login_and_get(client, outsider):
    assert client.get("/en/dashboard/").status_code == 302
    client.force_login(outsider)
    assert client.get("/en/dashboard/").status_code == 200
    assert client.post("/en/dashboard/").status_code == 405
