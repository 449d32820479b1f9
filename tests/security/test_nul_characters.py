"""NUL characters, which PostgreSQL refuses in text, never reach a query: a 400 page or a form
message, never a 500. (SQLite accepts them, so these would bite only in production.)"""

import pytest

from knowledge_bank.models import Resource
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "/en/organisations/%00/",
    "/en/organisations/a%00b/edit/",
    "/en/priorities/%00/",
    "/en/priorities/rounds/x/?organisation=%00",
    "/en/working-groups/%00/calendar.ics",
    "/en/knowledge-bank/%00/download/",
    "/en/knowledge-bank/programmes/new/?organisation=%00",
    "/en/organisations/?governorate=%00&q=%00&country=%00",
    "/en/priorities/?author=%00",
    "/en/coverage/?target_group=%00",
    "/en/knowledge-bank/exports/organisations.csv?governorate=%00",
    "/en/organisations/register/similar/?name_ar=%00",
    "/en/organisations/?%00=x",
    "/en/admin/members/organisation/?status=%00",
    "/en/admin/members/organisation/?q=%00",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_nul_in_addresses_and_parameters_is_a_bad_request(client, settings, address):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(make_user(staff=True, coordinator=True))
    response = client.get(address)
    assert response.status_code == 400, address
    assert "Request not understood" in response.content.decode()


def test_the_bad_request_page_speaks_arabic(client):
    page = client.get("/ar/organisations/?q=%00").content.decode()
    assert 'dir="rtl"' in page and "تعذّر فهم الطلب" in page


def test_slugs_in_addresses_are_slugs(client, organisation):
    assert client.get(f"/en/organisations/{organisation.slug}/").status_code == 200
    assert client.get("/en/organisations/a b/").status_code == 404
    assert client.get("/ar/organisations/جمعية-الأمل/").status_code == 404  # a slug: looked up


def test_nul_or_junk_as_publisher_is_a_form_message(client, editor, organisation):
    client.force_login(editor)
    for junk in ["\x00", "abc", "99999999999999999999999", str(organisation.pk + 1000)]:
        response = client.post(
            "/en/knowledge-bank/new/",
            {
                "title_en": "Guide",
                "kind": "guide",
                "language": "en",
                "visibility": "public",
                "url": "https://example.org/guide",
                "publisher": junk,
            },
        )
        assert response.status_code == 200, junk
        assert "publisher" in response.context["form"].errors, junk
    assert not Resource.objects.exists()
