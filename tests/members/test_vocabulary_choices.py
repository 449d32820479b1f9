"""The filters' vocabularies (governorates, sub-sectors, target groups) are read once per
worker until the members app changes (members.filters.VocabularyIterator)."""

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
