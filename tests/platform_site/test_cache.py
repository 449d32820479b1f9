import pytest

from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db


def test_anonymous_pages_come_from_the_cache_until_the_data_changes(
    client, django_assert_num_queries
):
    organisation = make_organisation(name_en="Cached Org")
    assert "Cached Org" in client.get("/en/organisations/").content.decode()
    with django_assert_num_queries(0):
        assert "Cached Org" in client.get("/en/organisations/").content.decode()
    organisation.name_en = "Renamed Org"
    organisation.save()
    page = client.get("/en/organisations/").content.decode()
    assert "Renamed Org" in page and "Cached Org" not in page


def test_many_to_many_changes_invalidate_too(client):
    from members.models import Governorate

    organisation = make_organisation(name_en="Somewhere")
    assert "Somewhere" not in client.get("/en/organisations/?governorate=SY13").content.decode()
    organisation.governorates.add(Governorate.objects.get(pcode="SY13"))
    assert "Somewhere" in client.get("/en/organisations/?governorate=SY13").content.decode()


def test_signed_in_users_are_never_served_from_the_cache(
    client, editor, organisation, django_assert_max_num_queries
):
    client.get("/en/organisations/")
    client.force_login(editor)
    page = client.get("/en/organisations/")
    assert "Log out" in page.content.decode()


def test_pages_with_cookies_are_not_cached(client):
    client.get("/en/contact/")  # sets the CSRF cookie
    second = client.get("/en/contact/")
    assert second.status_code == 200 and "csrfmiddlewaretoken" in second.content.decode()
