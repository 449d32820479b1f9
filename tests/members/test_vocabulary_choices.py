"""The filters' vocabularies (governorates, sub-sectors, target groups) are read once per
worker until the members app changes (platform_site.fields.KeptChoiceIterator)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from members.filters import OrganisationFilter
from members.models import Governorate, Organisation

pytestmark = pytest.mark.django_db


def rendered_form(language="en") -> tuple[str, list[str]]:
    with translation.override(language), CaptureQueriesContext(connection) as queries:
        form = OrganisationFilter({}, queryset=Organisation.objects.all()).form
        html = str(form["governorate"]) + str(form["subsector"]) + str(form["target_group"])
    return html, [query["sql"] for query in queries]


def test_a_second_form_reads_no_vocabulary_and_speaks_its_reader_s_language():
    first, _queries = rendered_form()
    second, queries = rendered_form()
    assert second == first
    assert 'value="SY02"' in second and "Aleppo" in second
    assert not [sql for sql in queries if "members_governorate" in sql], queries
    arabic, queries = rendered_form("ar")
    assert "حلب" in arabic and not [sql for sql in queries if "members_governorate" in sql]


def test_a_renamed_governorate_shows_at_once():
    rendered_form()
    aleppo = Governorate.objects.get(pcode="SY02")
    aleppo.name_en = "Aleppo (renamed)"
    aleppo.save()
    html, _queries = rendered_form()
    assert "Aleppo (renamed)" in html


def test_a_chosen_value_is_still_checked_against_the_database():
    form = OrganisationFilter({"governorate": "SY99"}, queryset=Organisation.objects.all()).form
    assert not form.is_valid() and "governorate" in form.errors
    form = OrganisationFilter({"governorate": "SY02"}, queryset=Organisation.objects.all()).form
    assert form.is_valid() and form.cleaned_data["governorate"].pcode == "SY02"


def rendered_profile_form(organisation, data=None) -> tuple[object, str, list[str]]:
    from members.forms import ProfileForm

    with CaptureQueriesContext(connection) as queries:
        form = ProfileForm(data, instance=organisation)
        html = str(form["governorates"]) + str(form["subsectors"])
    return form, html, [query["sql"] for query in queries]


def test_the_profile_form_reads_its_vocabularies_once_per_worker_and_checks_what_it_shows():
    from tests.conftest import make_organisation

    organisation = make_organisation()
    organisation.governorates.set(Governorate.objects.filter(pcode="SY02"))
    rendered_profile_form(organisation)
    _form, html, queries = rendered_profile_form(organisation)
    aleppo = Governorate.objects.get(pcode="SY02")
    assert f'value="{aleppo.pk}" id="id_governorates_1" checked' in html.replace("\n", " ")
    assert html.count(" checked") == 1
    # Only the organisation's own choices are read (joined to it), not the lists of choices.
    for table in ("members_governorate", "members_subsector"):
        read = [sql for sql in queries if f'FROM "{table}"' in sql]
        assert len(read) == 1 and "organisation_id" in read[0], queries


def test_the_profile_form_still_refuses_a_governorate_that_does_not_exist():
    from tests.conftest import make_organisation

    organisation = make_organisation()
    rendered_profile_form(organisation)
    form, _html, _queries = rendered_profile_form(organisation, {"governorates": ["999999"]})
    form.is_valid()
    assert "governorates" in form.errors


def test_the_authors_offered_are_kept_per_audience_and_follow_new_statements(client):
    """The priorities' author filter lists organisations: kept per worker under the query of
    the reader's audience, renewed when content changes."""
    from tests.advocacy.test_statements import make_statement
    from tests.conftest import make_organisation, make_user

    coordinator = make_user(coordinator=True)
    shown = make_organisation(name_en="Shown Author")
    discreet = make_organisation(name_en="Discreet Author", low_profile=True)
    for author in (shown, discreet):
        make_statement(author, publish_by=coordinator)

    def page(n, reader=None):
        client.logout()
        if reader:
            client.force_login(reader)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/en/priorities/?n={n}").content.decode()  # never a page copy
        author_lists = [sql for sql in queries if "DISTINCT" in sql["sql"]]
        return html, author_lists

    html, _lists = page(1)
    assert f'value="{shown.slug}"' in html and discreet.slug not in html
    html, lists = page(2)
    assert f'value="{shown.slug}"' in html and not lists, lists
    member = make_user()
    make_organisation(members=[(member, "editor")])
    html, _lists = page(3, member)  # another audience: its own list
    assert f'value="{discreet.slug}"' in html
    html, _lists = page(4)
    assert discreet.slug not in html
    newcomer = make_organisation(name_en="New Author")
    make_statement(newcomer, publish_by=coordinator)
    html, _lists = page(5)
    assert f'value="{newcomer.slug}"' in html
