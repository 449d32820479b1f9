"""NUL characters, which PostgreSQL refuses in text, never reach a query: a 404 or a form
message, never a 500. (SQLite accepts them, so these bite only in production.)"""

import pytest

from knowledge_bank.models import Resource

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "/en/organisations/%00/",
    "/en/organisations/a%00b/edit/",
    "/en/priorities/%00/",
    "/en/priorities/rounds/%00/",
    "/en/working-groups/%00/",
    "/en/working-groups/%00/calendar.ics",
    "/en/knowledge-bank/%00/",
    "/en/knowledge-bank/%00/download/",
    "/en/knowledge-bank/programmes/new/?organisation=%00",
    "/en/organisations/?governorate=%00&q=%00&country=%00",
    "/en/priorities/?author=%00",
    "/en/coverage/?target_group=%00",
    "/en/knowledge-bank/exports/organisations.csv?governorate=%00",
    "/ar/organisations/register/similar/?name_ar=%00&acronym=%00",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_nul_in_addresses_and_parameters(client, editor, organisation, address):
    client.raise_request_exception = False
    client.force_login(editor)
    assert client.get(address).status_code in {200, 302, 404}, address


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
