"""Nothing personal on public surfaces; erasure; an organisation's own data."""

import json

import pytest
from django.contrib.auth import get_user_model

from members.models import Contact

pytestmark = pytest.mark.django_db


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def public_urls(world, language):
    slug = world.organisation.slug
    base = f"/{language}"
    return [
        f"{base}/",
        f"{base}/about/",
        f"{base}/organisations/",
        f"{base}/organisations/{slug}/",
        f"{base}/organisations/?q=person",
        f"{base}/organisations/?q=Private",
        f"{base}/working-groups/",
        f"{base}/working-groups/{world.group.slug}/",
        f"{base}/working-groups/{world.group.slug}/calendar.ics",
        f"{base}/priorities/",
        f"{base}/priorities/?q=draft",
        f"{base}/priorities/feed/",
        f"{base}/priorities/by-subsector/",
        f"{base}/priorities/{world.statement.slug}/",
        f"{base}/priorities/{world.statement.slug}/versions/1/",
        f"{base}/priorities/rounds/",
        f"{base}/priorities/rounds/{world.round.slug}/",
        f"{base}/knowledge-bank/",
        f"{base}/knowledge-bank/?q=note",
        f"{base}/knowledge-bank/{world.resource.slug}/",
        f"{base}/knowledge-bank/programmes/",
        f"{base}/knowledge-bank/statistics/",
        f"{base}/coverage/",
        f"{base}/knowledge-bank/exports/organisations.csv",
        f"{base}/knowledge-bank/exports/organisations.hxl",
        f"{base}/knowledge-bank/exports/programmes.csv",
        f"{base}/knowledge-bank/exports/programmes.hxl",
        f"{base}/news/",
        f"{base}/news/{world.news.slug}/",
        f"{base}/news/feed/",
        f"{base}/events/",
        f"{base}/events/past/",
        f"{base}/events/calendar.ics",
        f"{base}/events/{world.event.slug}/",
        f"{base}/about/membership/",
        f"{base}/knowledge-bank/series/",
        f"{base}/knowledge-bank/series/{world.series.slug}/",
        f"{base}/knowledge-bank/series/{world.series.slug}/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/api/v1/organisations/",
        f"/api/v1/organisations/{slug}/",
        "/api/v1/programmes/",
        "/api/v1/working-groups/",
        "/api/v1/statements/",
        f"/api/v1/statements/{world.statement.slug}/",
        "/api/v1/resources/",
        "/api/v1/coverage/",
    ]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_no_personal_data_on_any_public_surface(client, world, language):
    for url in public_urls(world, language):
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        leaked = [item for item in world.personal if item in text]
        assert not leaked, (url, leaked)


def test_searching_for_a_persons_name_finds_nothing(client, world):
    for language in ("ar", "en"):
        response = client.get(f"/{language}/organisations/", {"q": world.contacts[0].name})
        assert response.context["paginator"].count == 0


def test_the_public_contact_is_shown_because_it_was_consented(client, world):
    assert "Public Person" in body(client.get(world.organisation.get_absolute_url()))


def test_xlsx_exports_carry_no_personal_data(client, world):
    import io

    from openpyxl import load_workbook

    for url in (
        "/ar/knowledge-bank/exports/organisations.xlsx",
        "/en/knowledge-bank/exports/programmes.xlsx",
    ):
        workbook = load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content)))
        cells = " ".join(str(c.value) for row in workbook.active.iter_rows() for c in row)
        assert not [item for item in world.personal if item in cells], url


def test_deleting_a_contact_erases_its_history(world):
    contact = world.contacts[0]
    contact.phone = "+963 900 000 000"
    contact.save()
    history = Contact.history.model.objects.filter(id=contact.pk)
    assert history.count() >= 2
    contact.delete()
    assert not history.exists()
    assert not Contact.history.model.objects.filter(email=contact.email).exists()


def test_erasing_a_user_leaves_no_trace_of_them(world, editor):
    from django.apps import apps
    from django.core.management import call_command

    from members.models import JoinRequest, OrganisationMember

    pk, email = editor.pk, editor.email
    membership = world.organisation.memberships.get(user=editor)
    membership.role = "admin"
    membership.save()  # a role change: a history row about this person
    world.organisation.description_en = "Changed by the editor"
    world.organisation._history_user = editor
    world.organisation.save()
    call_command("erase_user", email)
    assert not get_user_model().objects.filter(pk=pk).exists()
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            assert not model.objects.filter(history_user_id=pk).exists(), model
    assert not OrganisationMember.history.model.objects.filter(user_id=pk).exists()
    assert not JoinRequest.history.model.objects.filter(user_id=pk).exists()
    assert world.organisation.history.filter(description_en="Changed by the editor").exists()


@pytest.mark.parametrize("how", ["delete page", "bulk action"])
def test_deleting_a_user_in_the_admin_erases_them_too(client, world, editor, settings, how):
    from members.models import OrganisationMember
    from tests.conftest import make_user

    settings.STAFF_REQUIRE_MFA = False  # the two-factor step has its own tests
    superuser = make_user(staff=True)
    superuser.is_superuser = True
    superuser.save()
    pk = editor.pk
    membership = world.organisation.memberships.get(user=editor)
    membership.role = "admin"
    membership.save()  # a history row about this person
    client.force_login(superuser)
    if how == "delete page":
        response = client.post(f"/en/admin/auth/user/{pk}/delete/", {"post": "yes"})
    else:
        response = client.post(
            "/en/admin/auth/user/",
            {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=pk).exists()
    assert not OrganisationMember.history.model.objects.filter(user_id=pk).exists()
    assert get_user_model().objects.filter(pk=superuser.pk).exists()


def test_organisation_admin_downloads_own_data(client, world, org_admin, editor, other_org_editor):
    url = f"/en/organisations/{world.organisation.slug}/export.json"
    client.force_login(org_admin)
    response = client.get(url)
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["organisation"]["slug"] == world.organisation.slug
    assert {c["name"] for c in data["contacts"]} >= {"Private Person", "Members Person"}
    assert {u["email"] for u in data["users"]} == {org_admin.email, editor.email}
    assert "Public programme" in data["programmes"]
    client.force_login(editor)  # an editor, not an administrator
    assert client.get(url).status_code == 404
    client.force_login(other_org_editor)
    assert client.get(url).status_code == 404
