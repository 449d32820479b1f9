import pytest
from django.core import mail

from members.models import Contact, Organisation, OrganisationMember
from tests.conftest import make_organisation, make_user

pytestmark = pytest.mark.django_db

URL = "/ar/organisations/register/"


def application(**overrides):
    data = {
        "name_ar": "جمعية بذور المعرفة",
        "name_en": "Seeds of Knowledge",
        "acronym": "SOK",
        "org_type": "local_ngo",
        "description_ar": "نعمل مع الأطفال خارج المدرسة.",
        "description_en": "We work with out-of-school children.",
        "founded_year": "٢٠١٥",  # Arabic-Indic digits are accepted
        "registration_country": "TR",
        "hq_country": "SY",
        "hq_city": "إدلب",
        "governorates": ["7"],
        "host_countries": ["TR", "LB"],
        "website": "https://seeds.example.org",
        "public_email": "info@seeds.example.org",
        "contact-name": "سلمى الحلبي",
        "contact-title": "مديرة البرامج",
        "contact-email": "salma@seeds.example.org",
        "contact-visibility": "members",
    }
    data.update(overrides)
    return data


def test_applying_creates_a_pending_organisation_and_tells_coordinators(
    client, coordinator, django_capture_on_commit_callbacks
):
    applicant = make_user()
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, application())
    assert response.status_code == 302
    organisation = Organisation.objects.get(acronym="SOK")
    assert organisation.status == "pending"
    assert organisation.founded_year == 2015
    assert organisation.host_countries == "TR LB"
    assert organisation.slug == "seeds-of-knowledge"
    assert OrganisationMember.objects.get(organisation=organisation).user == applicant
    assert OrganisationMember.objects.get(organisation=organisation).role == "admin"
    assert Contact.objects.get(organisation=organisation).visibility == "members"
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert "Seeds of Knowledge" in mail.outbox[0].body or "بذور" in mail.outbox[0].body
    dashboard = client.get("/ar/dashboard/").content.decode()
    assert "جمعية بذور المعرفة" in dashboard


def test_similar_organisations_are_offered_before_submission(client, organisation):
    client.force_login(make_user())
    data = application(name_ar="جمعيه المدرسه الاولى", name_en="", acronym="")
    response = client.post(URL, data)
    assert response.status_code == 200
    assert organisation in response.context["similar"]
    assert not Organisation.objects.filter(name_ar="جمعيه المدرسه الاولى").exists()
    response = client.post(URL, {**data, "confirm_new": "on"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name_ar="جمعيه المدرسه الاولى").exists()


SIMILAR = "/ar/organisations/register/similar/"


def test_similar_organisations_are_shown_while_the_names_are_typed(client, organisation):
    client.force_login(make_user())
    hint = client.get(SIMILAR, {"name_ar": "جمعيه المدرسه", "name_en": "", "acronym": ""})
    assert hint.status_code == 200
    html = hint.content.decode()
    assert organisation.get_absolute_url() in html and "جمعية المدرسة الأولى" in html
    assert "ask to join" not in html  # the Arabic fragment
    assert (
        organisation.get_absolute_url() in client.get(SIMILAR, {"acronym": "fss"}).content.decode()
    )
    assert client.get(SIMILAR, {"name_en": "Nothing alike"}).content.decode().strip() == ""
    assert client.get(SIMILAR).content.decode().strip() == ""


def test_the_live_hint_shows_only_what_the_applicant_may_see(client):
    make_organisation(name_ar="جمعية الظل", low_profile=True)
    make_organisation(name_ar="جمعية الظل الثانية", status="pending")
    make_organisation(name_ar="جمعية الظل المرفوضة", status="rejected")
    client.force_login(make_user())
    assert client.get(SIMILAR, {"name_ar": "جمعية الظل"}).content.decode().strip() == ""


def test_the_live_hint_is_for_signed_in_applicants_and_takes_any_input(client, organisation):
    response = client.get(SIMILAR, {"name_ar": "جمعية المدرسة"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    unverified = make_user(verified=False)
    client.force_login(unverified)
    assert (
        "جمعية المدرسة الأولى"
        not in client.get(SIMILAR, {"name_ar": "جمعية المدرسة"}).content.decode()
    )
    client.force_login(make_user())
    assert client.post(SIMILAR, {"name_ar": "جمعية المدرسة"}).status_code == 405
    for value in ["%" * 10_000, "\x01", "'; DROP TABLE x; --", "ـــ", " " * 50]:
        assert client.get(SIMILAR, {"name_ar": value, "acronym": value}).status_code == 200
    # NUL: refused before the view (tests/security/test_nul_characters.py).
    assert client.get(SIMILAR, {"acronym": "\x00"}).status_code == 400


def test_nul_characters_are_refused_with_a_message_not_an_error(client, organisation):
    client.force_login(make_user())
    response = client.post(URL, application(acronym="S\x00K", name_en="Seeds\x00"))
    assert response.status_code == 200
    assert {"acronym", "name_en"} <= set(response.context["form"].errors)
    assert not Organisation.objects.filter(acronym__startswith="S").exclude(pk=organisation.pk)


def test_same_acronym_is_offered(client, organisation):
    client.force_login(make_user())
    response = client.post(URL, application(acronym="fss"))
    assert organisation in response.context["similar"]


def test_others_pending_applications_are_not_offered(client):
    make_organisation(name_ar="جمعية بذور المعرفة", status="pending")
    client.force_login(make_user())
    response = client.post(URL, application())
    assert response.status_code == 302


def test_posting_fields_not_on_the_form_changes_nothing(client, organisation):
    intruder = make_user()
    client.force_login(intruder)
    client.post(
        URL,
        application(
            status="active",
            approved_by=str(intruder.pk),
            low_profile="on",
            organisation=str(organisation.pk),
            slug="hijack",
        ),
    )
    created = Organisation.objects.get(acronym="SOK")
    assert created.status == "pending" and created.approved_by is None
    assert not created.low_profile and created.slug != "hijack"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("website", "javascript:alert(1)"),
        ("website", "data:text/html,hi"),
        ("website", "ftp://files.example.org"),
        ("founded_year", "1200"),
        ("founded_year", "abc"),
        ("org_type", "bank"),
        ("public_email", "not-an-email"),
        ("governorates", ["999"]),
    ],
)
def test_bad_input_is_refused_with_a_message(client, field, value):
    client.force_login(make_user())
    response = client.post(URL, application(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_a_name_is_required_in_at_least_one_language(client):
    client.force_login(make_user())
    response = client.post(URL, application(name_ar="", name_en=""))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_public_contact_needs_consent(client):
    client.force_login(make_user())
    response = client.post(URL, application(**{"contact-visibility": "public"}))
    assert "public_consent" in response.context["contact_form"].errors
    user = make_user()
    client.force_login(user)
    client.post(
        URL, application(**{"contact-visibility": "public", "contact-public_consent": "on"})
    )
    contact = Contact.objects.get()
    assert contact.public_consent_by == user and contact.public_consent_at


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/ar/accounts/login/")


def test_unverified_email_cannot_apply(client):
    client.force_login(make_user(verified=False))
    response = client.post(URL, application())
    assert not Organisation.objects.exists()
    assert response.status_code == 200  # allauth's "verify your e-mail first" page


def test_wrong_method(client, outsider):
    client.force_login(outsider)
    assert client.put(URL).status_code == 405
