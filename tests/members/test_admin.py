"""Coordinators moderate organisations in the Django admin."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from members.models import Contact, Organisation
from tests.conftest import login_verified, make_organisation, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = "/ar/admin/members/organisation/"


@pytest.fixture
def admin_client(client, coordinator, settings):
    settings.STAFF_REQUIRE_MFA = False  # the two-factor step has its own tests below
    client.force_login(coordinator)
    return client


def act(client, action, organisations, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(o.pk) for o in organisations], **extra},
        follow=True,
    )


def test_coordinators_group_has_the_permissions_it_needs_and_no_more():
    codenames = set(
        Group.objects.get(name="Coordinators").permissions.values_list("codename", flat=True)
    )
    assert {
        "change_organisation",
        "view_organisation",
        "view_historicalorganisation",
        "change_contact",
        "delete_contact",
        "view_user",
    } <= codenames
    assert "delete_organisation" not in codenames
    assert not {"add_user", "change_user", "delete_user"} & codenames


def test_pending_applications_come_first(admin_client):
    make_organisation(name_en="Active Earlier")
    pending = make_organisation(name_en="Pending Later", status="pending")
    make_organisation(name_en="Active Later")
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list)[0] == pending


def test_approve_action_calls_the_service_and_emails_in_the_applicants_language(
    admin_client, coordinator, django_capture_on_commit_callbacks
):
    applicant = make_user()
    pending = make_organisation(
        name_ar="جمعية الأمل", name_en="Hope", status="pending", members=[(applicant, "admin")]
    )
    pending.memberships.update(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        act(admin_client, "approve", [pending])
    pending.refresh_from_db()
    assert pending.status == "active" and pending.approved_by == coordinator
    assert pending.approved_at and pending.verified_at
    assert mail.outbox[0].to == [applicant.email]
    assert "Welcome" in mail.outbox[0].body and "Hope" in mail.outbox[0].body
    assert pending.history.first().history_user == coordinator


def test_reject_asks_for_a_reason_then_records_it(admin_client, django_capture_on_commit_callbacks):
    applicant = make_user()
    pending = make_organisation(status="pending", members=[(applicant, "admin")])
    page = act(admin_client, "reject", [pending])
    assert "admin/action_text.html" in [t.name for t in page.templates]
    pending.refresh_from_db()
    assert pending.status == "pending"
    act(admin_client, "reject", [pending], apply="1", text="")  # empty reason: asked again
    pending.refresh_from_db()
    assert pending.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        act(admin_client, "reject", [pending], apply="1", text="لا تعمل في التعليم")
    pending.refresh_from_db()
    assert pending.status == "rejected" and pending.status_reason == "لا تعمل في التعليم"
    assert "لا تعمل في التعليم" in mail.outbox[0].body


def test_suspend_reactivate_archive_and_invalid_transitions(admin_client):
    organisation = make_organisation()
    act(admin_client, "suspend", [organisation], apply="1", text="Inactive for two years")
    organisation.refresh_from_db()
    assert organisation.status == "suspended"
    act(admin_client, "reactivate", [organisation])
    organisation.refresh_from_db()
    assert organisation.status == "active"
    act(admin_client, "archive", [organisation])
    organisation.refresh_from_db()
    assert organisation.status == "archived"
    response = act(admin_client, "suspend", [organisation], apply="1", text="x")
    organisation.refresh_from_db()
    assert organisation.status == "archived"
    assert response.status_code == 200  # reported as a message, not a 500


def test_mark_verified_action(admin_client):
    organisation = make_organisation()
    act(admin_client, "mark_verified", [organisation])
    organisation.refresh_from_db()
    assert organisation.is_fresh


def test_admin_search_uses_normalised_text(admin_client):
    target = make_organisation(name_ar="جمعيّة المدرسة", acronym="JMS")
    make_organisation(name_ar="مؤسسة أخرى")
    for term in ("مدرسه", "jms", "الْمَدْرَسَة"):
        response = admin_client.get(CHANGELIST, {"q": term})
        assert list(response.context["cl"].result_list) == [target], term


@pytest.mark.parametrize(
    "query",
    [
        "status__exact=pending",
        "org_type__exact=network",
        "freshness=stale",
        "freshness=fresh",
        "governorates__id__exact=1",
        "subsectors__id__exact=1",
    ],
)
def test_admin_filters(admin_client, query):
    make_organisation()
    assert admin_client.get(f"{CHANGELIST}?{query}").status_code == 200


def test_admin_pages_render(admin_client):
    organisation = make_organisation()
    for url in (
        "/ar/admin/",
        f"/ar/admin/members/organisation/{organisation.pk}/change/",
        f"/ar/admin/members/organisation/{organisation.pk}/history/",
        "/ar/admin/members/contact/",
        "/ar/admin/members/joinrequest/",
        "/ar/admin/members/governorate/",
        "/ar/admin/members/subsector/",
        "/ar/admin/autocomplete/?app_label=members&model_name=organisation&field_name=governorates",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_contact_made_public_in_admin_needs_consent(admin_client, coordinator):
    organisation = make_organisation()
    url = "/ar/admin/members/contact/add/"
    data = {"organisation": organisation.pk, "name": "Named", "visibility": "public"}
    response = admin_client.post(url, data)
    assert response.status_code == 200 and not Contact.objects.exists()
    admin_client.post(url, {**data, "public_consent": "on"})
    contact = Contact.objects.get()
    assert contact.public_consent_by == coordinator


def test_non_staff_cannot_open_admin(client, editor):
    client.force_login(editor)
    response = client.get("/ar/admin/", follow=True)
    assert "/login/" in response.redirect_chain[0][0]
    assert "members/organisation" not in response.content.decode()


def test_admin_login_goes_through_allauth(client):
    response = client.get("/ar/admin/login/?next=/ar/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ar/accounts/login/")


def test_staff_without_totp_is_sent_to_set_it_up(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/ar/admin/members/organisation/")
    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/2fa/totp/activate/"


def test_staff_with_totp_may_use_admin(client, coordinator):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    client.force_login(coordinator)  # the password alone: asked for a code first
    response = client.get("/ar/admin/members/organisation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ar/accounts/2fa/reauthenticate/")
    login_verified(client, coordinator)
    assert client.get("/ar/admin/members/organisation/").status_code == 200


def test_organisation_change_form_save(admin_client):
    organisation = make_organisation()
    url = f"/ar/admin/members/organisation/{organisation.pk}/change/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert Organisation.objects.get(pk=organisation.pk).status == "active"
