import io

import pytest
from PIL import Image

from members.models import Contact, Organisation
from tests import files
from tests.conftest import make_contact, make_organisation, make_user

pytestmark = pytest.mark.django_db


def edit_url(organisation, language="en"):
    return f"/{language}/organisations/{organisation.slug}/edit/"


def form_data(client, organisation, **overrides):
    """The edit form as the browser would submit it, with `overrides` applied."""
    response = client.get(edit_url(organisation))
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    data = {}
    for bound in [*form, *formset.management_form, *[f for sub in formset for f in sub]]:
        value = bound.value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        elif value is True:
            data[bound.html_name] = "on"
        else:
            data[bound.html_name] = str(value)
    data.pop("logo_upload", None)
    data.update(overrides)
    return data


def test_editor_saves_profile_in_both_languages(client, organisation, editor):
    client.force_login(editor)
    data = form_data(
        client,
        organisation,
        description_ar="وصف جديد",
        description_en="New text",
        founded_year="١٩٩٩",
        **{"contacts-0-name": "Rana", "contacts-0-visibility": "private"},
    )
    response = client.post(edit_url(organisation), data)
    assert response.status_code == 302, response.context["form"].errors
    organisation.refresh_from_db()
    assert (organisation.description_ar, organisation.description_en) == ("وصف جديد", "New text")
    assert organisation.founded_year == 1999
    assert Contact.objects.get(organisation=organisation).name == "Rana"
    assert organisation.history.first().history_user == editor


def test_logo_is_reencoded_with_a_thumbnail(client, organisation, editor):
    client.force_login(editor)
    data = form_data(client, organisation)
    data["logo_upload"] = files.jpeg_with_gps()
    response = client.post(edit_url(organisation), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    with organisation.logo.open("rb") as stored:
        content = stored.read()
    assert b"Test Camera Maker" not in content
    assert not Image.open(io.BytesIO(content)).getexif()
    assert Image.open(organisation.logo_thumbnail.path).format == "WEBP"


@pytest.mark.parametrize(
    "make",
    [files.svg, files.gif_renamed_png, files.png_with_html, files.png_pixel_bomb, files.oversized],
)
def test_bad_logo_gets_a_translated_message_and_changes_nothing(client, organisation, editor, make):
    client.force_login(editor)
    data = form_data(client, organisation, description_en="Should not be saved")
    data["logo_upload"] = make()
    response = client.post(edit_url(organisation).replace("/en/", "/ar/"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["logo_upload"]
    assert any("\u0600" <= char <= "\u06ff" for char in errors[0])
    organisation.refresh_from_db()
    assert not organisation.logo and organisation.description_en != "Should not be saved"


def test_concurrent_edit_is_refused(client, organisation, editor, org_admin):
    client.force_login(editor)
    stale = form_data(client, organisation, description_en="Editor's text")
    client.force_login(org_admin)
    fresh = form_data(client, organisation, description_en="Admin's text")
    assert client.post(edit_url(organisation), fresh).status_code == 302
    client.force_login(editor)
    response = client.post(edit_url(organisation), stale)
    assert response.status_code == 200
    assert "loaded_at" in response.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.description_en == "Admin's text"


def test_public_contact_records_consent(client, organisation, editor):
    client.force_login(editor)
    data = form_data(
        client,
        organisation,
        **{
            "contacts-0-name": "Public Person",
            "contacts-0-visibility": "public",
        },
    )
    response = client.post(edit_url(organisation), data)
    assert response.status_code == 200  # consent box not ticked
    data["contacts-0-public_consent"] = "on"
    assert client.post(edit_url(organisation), data).status_code == 302
    contact = Contact.objects.get(name="Public Person")
    assert contact.public_consent_by == editor and contact.public_consent_at


def test_low_profile_switch_hides_from_public(client, organisation, editor):
    client.force_login(editor)
    client.post(edit_url(organisation), form_data(client, organisation, low_profile="on"))
    client.logout()
    assert client.get(organisation.get_absolute_url()).status_code == 404


def test_fields_not_on_the_form_are_ignored(client, organisation, editor):
    client.force_login(editor)
    data = form_data(
        client,
        organisation,
        status="archived",
        approved_by=str(editor.pk),
        slug="stolen",
        verified_at="2020-01-01",
    )
    assert client.post(edit_url(organisation), data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == "active" and organisation.slug != "stolen"


@pytest.mark.parametrize("person", ["anonymous", "outsider", "other_org_editor", "coordinator"])
def test_wrong_people_cannot_edit(client, organisation, person, request):
    user = None if person == "anonymous" else request.getfixturevalue(person)
    if user:
        client.force_login(user)
    before = organisation.updated_at
    response = client.post(edit_url(organisation), {"name_en": "Hijacked"})
    expected = 302 if person == "anonymous" else 404
    assert response.status_code == expected
    assert client.get(edit_url(organisation)).status_code == expected
    organisation.refresh_from_db()
    assert organisation.updated_at == before and organisation.name_en != "Hijacked"


def test_suspended_organisation_cannot_be_edited(client, editor):
    suspended = make_organisation(status="suspended", members=[(editor, "editor")])
    client.force_login(editor)
    assert client.get(edit_url(suspended)).status_code == 404


def test_verify_button_sets_verified_at(client, organisation, editor):
    client.force_login(editor)
    assert client.get(f"/en/organisations/{organisation.slug}/verify/").status_code == 405
    response = client.post(f"/en/organisations/{organisation.slug}/verify/")
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.is_fresh


def test_verify_by_another_organisation_is_404(client, organisation, other_org_editor):
    client.force_login(other_org_editor)
    assert client.post(f"/en/organisations/{organisation.slug}/verify/").status_code == 404
    organisation.refresh_from_db()
    assert organisation.verified_at is None


def test_profile_page_shows_contacts_by_visibility(client, organisation, editor, other_org_editor):
    public = make_contact(organisation, visibility="public", name="Open Person")
    members = make_contact(organisation, visibility="members", name="Member Person")
    private = make_contact(organisation, visibility="private", name="Private Person")
    organisation.registration_number = "REG-7788"
    organisation.save()
    url = organisation.get_absolute_url()

    def shown(user):
        client.logout()
        if user:
            client.force_login(user)
        html = client.get(url).content.decode()
        return {
            c.name for c in (public, members, private) if c.name in html or c.email in html
        }, html

    anonymous_names, html = shown(None)
    assert anonymous_names == {"Open Person"} and "REG-7788" not in html
    assert members.phone not in html and private.email not in html
    other_names, html = shown(other_org_editor)
    assert other_names == {"Open Person", "Member Person"} and "REG-7788" in html
    own_names, _ = shown(editor)
    assert own_names == {"Open Person", "Member Person", "Private Person"}
    signed_in_names, html = shown(make_user())
    assert signed_in_names == {"Open Person"} and "REG-7788" not in html


def test_profile_has_edit_link_only_for_its_editors(client, organisation, editor, other_org_editor):
    client.force_login(editor)
    page = client.get(f"/ar/organisations/{organisation.slug}/").content.decode()
    assert edit_url(organisation, "ar") in page
    client.force_login(other_org_editor)
    assert "/edit/" not in client.get(organisation.get_absolute_url()).content.decode()


def test_profile_refuses_post(client, organisation):
    assert client.post(organisation.get_absolute_url()).status_code == 405


def test_organisation_history_is_kept(organisation):
    organisation.name_en = "Renamed"
    organisation.save()
    assert organisation.history.count() == 2
    assert Organisation.history.model.objects.filter(name_en="First School Society").exists()
