"""The network's structure on the About page, the membership page and the code of conduct
accepted with each application."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Organisation
from network.models import Body, CodeOfConduct, MembershipCriterion, TeamMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure():
    body = Body.objects.create(
        name_ar="الهيئة التنسيقية",
        name_en="Coordinating body",
        description_en="Coordinates the network.",
    )
    TeamMember.objects.create(
        body=body,
        name_ar="ريم",
        name_en="Reem Named",
        role_en="Coordinator",
        named_consent_at=timezone.now(),
    )
    TeamMember.objects.create(body=body, name_ar="سري", name_en="Unnamed Person")
    return body


@pytest.fixture
def conduct():
    MembershipCriterion.objects.create(text_ar="منظمة سورية", text_en="A Syrian organisation")
    return CodeOfConduct.objects.create(
        version=1,
        text_ar="نعمل باستقلالية",
        text_en="We work independently",
        published_at=timezone.now() - timedelta(days=5),
    )


PEOPLE = ["anonymous", "outsider", "editor", "coordinator"]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("who", PEOPLE)
def test_about_names_only_people_who_agreed(client_for, structure, request, who, language):
    client = client_for(None if who == "anonymous" else request.getfixturevalue(who))
    page = client.get(f"/{language}/about/").content.decode()
    assert ("الهيئة التنسيقية" if language == "ar" else "Coordinating body") in page
    assert ("ريم" if language == "ar" else "Reem Named") in page
    assert "Unnamed Person" not in page and "سري" not in page


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("who", PEOPLE)
def test_membership_page(client_for, conduct, request, who, language):
    client = client_for(None if who == "anonymous" else request.getfixturevalue(who))
    response = client.get(f"/{language}/about/membership/")
    assert response.status_code == 200
    page = response.content.decode()
    assert ("منظمة سورية" if language == "ar" else "A Syrian organisation") in page
    assert ("نعمل باستقلالية" if language == "ar" else "We work independently") in page
    assert client.post(f"/{language}/about/membership/").status_code == 405


def test_versions_are_kept_and_drafts_are_hidden(client, client_for, coordinator, conduct):
    CodeOfConduct.objects.create(version=2, text_en="Second text", published_at=timezone.now())
    CodeOfConduct.objects.create(version=3, text_en="Draft text")
    page = client.get("/en/about/membership/").content.decode()
    assert "Second text" in page and "Version 1" in page and "Draft text" not in page
    old = client.get("/en/about/membership/code-of-conduct/1/").content.decode()
    assert "We work independently" in old and "This is not the version in force." in old
    assert client.get("/en/about/membership/code-of-conduct/3/").status_code == 404
    assert client.get("/en/about/membership/code-of-conduct/99/").status_code == 404
    coordinator_client = client_for(coordinator)
    assert coordinator_client.get("/en/about/membership/code-of-conduct/3/").status_code == 200


APPLICATION = {
    "name_ar": "جمعية الأمل",
    "name_en": "Hope Society",
    "org_type": "local_ngo",
    "contact-name": "Salma",
    "contact-email": "salma@hope.example.org",
    "contact-visibility": "members",
}


def test_no_published_code_means_nothing_to_accept(client_for, outsider):
    page = client_for(outsider).get("/en/organisations/register/").content.decode()
    assert "accept_conduct" not in page


def test_application_records_the_accepted_version(client_for, outsider, coordinator, conduct):
    client = client_for(outsider)
    page = client.get("/en/organisations/register/").content.decode()
    assert "accept_conduct" in page and "(version 1)" in page
    # Without accepting: refused with a message, nothing saved.
    response = client.post("/en/organisations/register/", {**APPLICATION, "conduct_version": 1})
    assert response.status_code == 200
    assert "Applications are accepted only with the code of conduct." in response.content.decode()
    assert not Organisation.objects.filter(name_en="Hope Society").exists()
    response = client.post(
        "/en/organisations/register/",
        {**APPLICATION, "conduct_version": 1, "accept_conduct": "on"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name_en="Hope Society")
    assert organisation.conduct_version == conduct
    assert organisation.conduct_accepted_by == outsider
    assert organisation.conduct_accepted_at is not None
    # Coordinators see it with the application.
    admin_page = (
        client_for(coordinator)
        .get(f"/en/admin/members/organisation/{organisation.pk}/change/")
        .content.decode()
    )
    assert "Code of conduct, version 1" in admin_page


def test_a_new_version_is_asked_again_at_the_next_application(client_for, outsider, conduct):
    client = client_for(outsider)
    client.post(
        "/en/organisations/register/",
        {**APPLICATION, "conduct_version": 1, "accept_conduct": "on"},
    )
    CodeOfConduct.objects.create(version=2, text_en="New rules", published_at=timezone.now())
    second = {**APPLICATION, "name_ar": "جمعية النور", "name_en": "Light Society"}
    # Accepting the version shown before the change is not enough.
    response = client.post(
        "/en/organisations/register/", {**second, "conduct_version": 1, "accept_conduct": "on"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The code of conduct changed (version 2)" in page
    assert not Organisation.objects.filter(name_en="Light Society").exists()
    response = client.post(
        "/en/organisations/register/", {**second, "conduct_version": 2, "accept_conduct": "on"}
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name_en="Light Society").conduct_version.version == 2
    assert Organisation.objects.get(name_en="Hope Society").conduct_version.version == 1


def test_a_version_in_force_is_read_only_in_the_admin(client_for, coordinator, conduct):
    client = client_for(coordinator)
    page = client.get(f"/ar/admin/network/codeofconduct/{conduct.pk}/change/").content.decode()
    assert 'name="text_ar"' not in page
    add = client.get("/ar/admin/network/codeofconduct/add/").content.decode()
    assert 'value="2"' in add


def test_consent_is_recorded_by_the_coordinator_who_sets_it(client_for, coordinator, structure):
    person = TeamMember.objects.get(name_en="Unnamed Person")
    client = client_for(coordinator)
    response = client.post(
        f"/en/admin/network/teammember/{person.pk}/change/",
        {
            "body": structure.pk,
            "name_ar": "سري",
            "name_en": "Unnamed Person",
            "position": 0,
            "named_consent_at_0": "2026-11-01",
            "named_consent_at_1": "10:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.named_consent_by == coordinator
    assert "Unnamed Person" in client_for(None).get("/en/about/").content.decode()
