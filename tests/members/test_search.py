"""Arabic-aware directory search; runs on SQLite and on PostgreSQL (CI runs both)."""

import pytest

from members.models import Organisation
from tests.conftest import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return make_organisation(
        name_ar="جمعيّة المدرسة الأولى للتعليم",
        name_en="First School Society",
        acronym="FSS",
        aliases="رابطة أهالي الطلاب\nParents League",
    )


@pytest.fixture
def others():
    return [
        make_organisation(name_ar="مؤسسة الأمل", name_en="Hope Foundation"),
        make_organisation(name_ar="مركز مستشفى الطفولة", name_en="Childhood Clinic Centre"),
    ]


def found(client, query, language="ar"):
    response = client.get(f"/{language}/organisations/", {"q": query})
    assert response.status_code == 200
    return [organisation.pk for organisation in response.context["organisations"]]


@pytest.mark.parametrize(
    "query",
    [
        "جمعية المدرسة الاولى",  # as stored, without shadda
        "جَمْعِيَّةُ المَدْرَسَةِ",  # with tashkeel
        "الأولى",  # hamza on alef
        "الاولي",  # alef maqsura typed as ya
        "المدرسه",  # ta marbuta typed as ha
        "مدرسة",  # without «ال»
        "والمدرسة",  # with «وال»
        "للتعليم",  # «لل» as stored
        "التعليم",  # «ال» where the name has «لل»
        "تعليم",
        "FSS",  # acronym from the Arabic page
        "fss",
        "First School",  # English name from the Arabic page
        "أهالي",  # an alias
        "parents league",
    ],
)
def test_finds_by_every_spelling_from_the_arabic_page(client, school, others, query):
    assert found(client, query) == [school.pk]


@pytest.mark.parametrize("query", ["المدرسة الأولى", "FSS", "first school society", "مدرسه"])
def test_finds_from_the_english_page_too(client, school, others, query):
    assert found(client, query, "en") == [school.pk]


def test_alef_maqsura_in_the_name(client, school, others):
    clinic = others[1]
    assert found(client, "مستشفي") == [clinic.pk]
    assert found(client, "المستشفى") == [clinic.pk]


def test_arabic_indic_digits_match_ascii():
    centre = make_organisation(name_ar="مركز 2024 للتعلم", name_en="Centre 2024")
    assert list(Organisation.objects.search("٢٠٢٤")) == [centre]


def test_every_word_must_match(client, school, others):
    assert found(client, "المدرسة الأمل") == []


def test_no_match(client, school, others):
    assert found(client, "زراعة") == []


def test_search_never_reveals_hidden_organisations(client, school):
    make_organisation(name_ar="المدرسة السرية", low_profile=True)
    make_organisation(name_ar="المدرسة المعلقة", status="pending")
    assert found(client, "المدرسة") == [school.pk]


def test_search_text_follows_name_changes(school):
    school.name_en = "Renamed Learning Trust"
    school.save()
    assert list(Organisation.objects.search("learning trust")) == [school]
    assert school.slug == "first-school-society"  # the slug stays stable


def test_typo_tolerance_on_postgresql(school, others):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram similarity exists only on PostgreSQL")
    assert school in Organisation.objects.search("Sociaty")  # typo
    assert list(Organisation.objects.search("FSS").order_by("-rank")[:1]) == [school]
