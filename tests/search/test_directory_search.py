"""Directory search over everything that describes an organisation: recall, ranking, why each
result matched, facets and the filters offered for the words typed; hidden organisations
never show. Runs on SQLite and on PostgreSQL (CI runs both)."""

from datetime import date

import pytest
from django.db import connection
from django.utils import translation

from knowledge_bank.models import Programme
from members.models import Governorate, Organisation, Subsector, TargetGroup
from members.search import refresh_search_documents
from tests.conftest import make_organisation, make_user

pytestmark = pytest.mark.django_db


def describe(organisation, *, governorates=(), subsectors=(), target_groups=(), **fields):
    """Set where and for whom an organisation works, as the profile form does, then refresh
    its search documents as the save paths do."""
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.save()
    organisation.governorates.set(Governorate.objects.filter(pcode__in=governorates))
    organisation.subsectors.set(Subsector.objects.filter(code__in=subsectors))
    organisation.target_groups.set(TargetGroup.objects.filter(code__in=target_groups))
    refresh_search_documents([organisation.pk])
    organisation.refresh_from_db()
    return organisation


def add_programme(organisation, title_ar, title_en, *, visibility="public"):
    programme = Programme.objects.create(
        organisation=organisation,
        title_ar=title_ar,
        title_en=title_en,
        start_date=date(2025, 1, 1),
        visibility=visibility,
    )
    refresh_search_documents([organisation.pk])
    return programme


@pytest.fixture
def world():
    noor = describe(
        make_organisation(name_ar="جمعية نور للتعليم", name_en="Noor Education Society"),
        acronym="NES",
        governorates=["SY02"],
        subsectors=["pss"],
        target_groups=["refugees"],
        host_countries="TR",
        description_ar="نساعد الأطفال على العودة إلى المدرسة.",
        description_en="We help children return to school.",
    )
    hope = describe(
        make_organisation(name_ar="مؤسسة الأمل", name_en="Hope Foundation", acronym="HOPE"),
        governorates=["SY07"],
        subsectors=["tvet"],
    )
    add_programme(
        hope, "تدريب المعلمات على التعليم الرقمي", "Training women teachers in digital learning"
    )
    oak = describe(
        make_organisation(name_ar="رابطة السنديان", name_en="Oak League"),
        governorates=["SY01"],
        subsectors=["basic"],
    )
    add_programme(oak, "مشروع القمر", "Moon project", visibility="members")
    # Hidden from the public: low profile, and pending. Both work in Aleppo; the low-profile
    # one is the only organisation with cash for education.
    hidden = describe(
        make_organisation(
            name_ar="المنظمة المتوارية", name_en="Shadow Aleppo Aid", low_profile=True
        ),
        governorates=["SY02"],
        subsectors=["cash"],
    )
    pending = describe(
        make_organisation(name_ar="منظمة قيد المراجعة", name_en="Pending Aleppo", status="pending"),
        governorates=["SY02"],
        subsectors=["pss"],
    )
    return {"noor": noor, "hope": hope, "oak": oak, "hidden": hidden, "pending": pending}


def found(client, query, language="ar", **filters):
    response = client.get(f"/{language}/organisations/", {"q": query, **filters})
    assert response.status_code == 200
    return response, [organisation.pk for organisation in response.context["organisations"]]


# (query, page language, expected organisations): place names, sub-sector words, English words
# on the Arabic page and the reverse, spelling variants, typos.
RECALL = [
    ("حلب", "ar", ["noor"]),
    ("Aleppo", "ar", ["noor"]),
    ("aleppo", "en", ["noor"]),
    ("SY02", "en", ["noor"]),
    ("نفسي", "ar", ["noor"]),
    ("النفسية", "ar", ["noor"]),  # feminine ending, with «ال»
    ("psychosocial", "en", ["noor"]),
    ("اللاجئين", "ar", ["noor"]),  # «اللاجئون» in the vocabulary: plural ending
    ("refugees", "ar", ["noor"]),
    ("تركيا", "ar", ["noor"]),  # country of operation, in Arabic
    ("Türkiye", "en", ["noor"]),
    ("NES", "ar", ["noor"]),
    ("nes", "en", ["noor"]),
    ("إدلب", "ar", ["hope"]),
    ("ادلب", "en", ["hope"]),  # hamza dropped
    ("Idleb", "ar", ["hope"]),
    ("المعلمات", "ar", ["hope"]),  # a programme title
    ("معلمة", "ar", ["hope"]),  # singular feminine of the plural in the title
    ("teachers digital", "en", ["hope"]),
    ("مهني", "ar", ["hope"]),  # «التقني والمهني» (TVET)
    ("vocational", "ar", ["hope"]),
    ("مؤسسه الامل", "ar", ["hope"]),  # ta marbuta and hamza as people type them
    ("HOPE", "en", ["hope"]),
    ("Foundaton", "en", ["hope"]),  # a typo
    ("Educaton Society", "ar", ["noor"]),  # a typo
    ("رابطة السندين", "ar", ["oak"]),  # a typo in Arabic
    ("المدرسة", "ar", ["noor"]),  # description
    ("school", "en", ["noor"]),
    ("القمر", "ar", []),  # a members-only programme: not for visitors
    ("زراعة", "ar", []),
]


@pytest.mark.parametrize(("query", "language", "expected"), RECALL)
def test_recall_for_visitors(client, world, query, language, expected):
    _response, pks = found(client, query, language)
    assert sorted(pks) == sorted(world[name].pk for name in expected)


def test_members_find_members_only_programme_titles(client, world):
    member = make_user()
    make_organisation(name_en="Member org", members=[(member, "admin")])
    client.force_login(member)
    assert found(client, "القمر")[1] == [world["oak"].pk]
    assert found(client, "moon", "en")[1] == [world["oak"].pk]


def test_a_members_only_programme_is_in_the_members_document_only(world):
    oak = Organisation.objects.get(pk=world["oak"].pk)
    assert "قمر" not in oak.search_text
    assert "قمر" in oak.search_text_members
    # Made public: the visitors' document follows when the save path refreshes it.
    Programme.objects.filter(organisation=oak).update(visibility="public")
    refresh_search_documents([oak.pk])
    oak.refresh_from_db()
    assert "قمر" in oak.search_text


def test_name_matches_rank_before_other_matches(client, world):
    centre = make_organisation(name_ar="مركز حلب للتعلم", name_en="Aleppo Learning Centre")
    for query in ("حلب", "aleppo"):
        _response, pks = found(client, query)
        assert pks == [centre.pk, world["noor"].pk]


def test_ranking_prefers_every_word_in_the_name(client, world):
    both = make_organisation(name_ar="نور الأمل", name_en="Light of Hope")
    _response, pks = found(client, "نور الأمل")
    assert pks[0] == both.pk


def test_each_result_says_why_it_matched(client, world):
    response, _pks = found(client, "حلب")
    noor = response.context["organisations"][0]
    assert noor.search_reasons == ["تعمل في حلب"]
    assert "تعمل في حلب" in response.content.decode()
    response, _pks = found(client, "teachers", "en")
    assert response.context["organisations"][0].search_reasons == [
        "programme: Training women teachers in digital learning"
    ]
    response, _pks = found(client, "psychosocial", "en")
    (reason,) = response.context["organisations"][0].search_reasons
    assert reason.startswith("sub-sector: Psychosocial")
    response, _pks = found(client, "Noor", "en")  # a name match needs no explanation
    assert response.context["organisations"][0].search_reasons == []


def test_facet_counts_equal_the_filtered_totals(client, world):
    for query in ("", "حلب", "تعليم"):
        response = client.get("/ar/organisations/", {"q": query})
        facets = {field.name: values for field, values in response.context["facets"]}
        assert facets, query
        for name, values in facets.items():
            for value in values:
                filtered = client.get("/ar/organisations/", {"q": query, name: value["code"]})
                assert filtered.context["paginator"].count == value["count"], (query, name, value)


def test_facets_show_several_values_with_counts(client, world):
    response = client.get("/en/organisations/")
    facets = {field.name: values for field, values in response.context["facets"]}
    governorates = {value["code"]: value["count"] for value in facets["governorate"]}
    assert governorates == {"SY01": 1, "SY02": 1, "SY07": 1}
    assert "Aleppo" in response.content.decode()


def test_an_empty_result_offers_the_matching_filters(client, world):
    response, pks = found(client, "حلب", governorate="SY07")
    assert pks == []
    offers = response.context["matching_filters"]
    assert [(offer["facet"], offer["code"], offer["count"]) for offer in offers] == [
        ("governorate", "SY02", 1)
    ]
    assert "governorate=SY02" in offers[0]["query"] and "q=" not in offers[0]["query"]
    assert "المنظمات العاملة في حلب" in response.content.decode()
    # Offered beside results too; the other filters are kept (none matches in Idleb).
    response, pks = found(client, "psychosocial", "en")
    assert pks == [world["noor"].pk]
    assert [(o["code"], o["count"]) for o in response.context["matching_filters"]] == [("pss", 1)]
    response, _pks = found(client, "psychosocial", "en", governorate="SY07")
    assert response.context["matching_filters"] == []


def test_hidden_organisations_never_appear_in_results_counts_or_offers(client, world):
    hidden, pending = world["hidden"], world["pending"]
    for query in ("Shadow", "المتوارية", "Pending", "حلب", "cash", "نقدية"):
        response, pks = found(client, query)
        assert hidden.pk not in pks and pending.pk not in pks
        page = response.content.decode()
        for name in ("Shadow Aleppo Aid", "المنظمة المتوارية", "منظمة قيد المراجعة"):
            assert name not in page
        # Only the low-profile organisation has cash for education: no facet, no offer.
        for field, values in response.context["facets"]:
            assert "cash" not in [value["code"] for value in values]
            if field.name == "governorate":
                assert {value["code"]: value["count"] for value in values}.get("SY02", 1) == 1
        assert "cash" not in [offer["code"] for offer in response.context["matching_filters"]]
        for offer in response.context["matching_filters"]:
            if offer["code"] == "SY02":
                assert offer["count"] == 1


def test_members_see_low_profile_organisations_in_search_and_counts(client, world):
    member = make_user()
    make_organisation(name_en="Member org", members=[(member, "admin")])
    client.force_login(member)
    response, pks = found(client, "cash", "en")
    assert pks == [world["hidden"].pk]
    response = client.get("/en/organisations/", {"q": "حلب"})
    facets = {field.name: values for field, values in response.context["facets"]}
    assert {value["code"]: value["count"] for value in facets["governorate"]}["SY02"] == 2


def test_documents_follow_the_profile_form(client, world):
    """Saving the profile (organisation, then its many-to-many fields) refreshes the
    documents."""
    from tests.members.test_profile import form_data

    editor = make_user()
    organisation = make_organisation(name_en="Editable", members=[(editor, "admin")])
    client.force_login(editor)
    data = form_data(client, organisation)
    data["governorates"] = [str(Governorate.objects.get(pcode="SY11").pk)]
    response = client.post(f"/en/organisations/{organisation.slug}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    client.logout()
    assert found(client, "الرقة")[1] == [organisation.pk]


def test_documents_follow_programme_changes(client, world):
    editor = make_user()
    organisation = make_organisation(name_en="Programme owner", members=[(editor, "admin")])
    client.force_login(editor)
    response = client.post(
        f"/en/knowledge-bank/programmes/new/?organisation={organisation.slug}",
        {
            "title_ar": "مكتبة متنقلة",
            "title_en": "Mobile library",
            "governorates": [Governorate.objects.get(pcode="SY07").pk],
            "subsectors": [Subsector.objects.get(code="nfe").pk],
            "start_date": "2026-01-10",
            "status": "ongoing",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    client.logout()
    assert found(client, "مكتبة متنقلة")[1] == [organisation.pk]


def test_rebuild_command_rebuilds_every_document(world):
    from django.core.management import call_command

    Organisation.objects.update(search_text="", search_text_members="", search_names="")
    call_command("rebuild_search_text", stdout=open("/dev/null", "w"))  # noqa: SIM115
    noor = Organisation.objects.get(pk=world["noor"].pk)
    assert "حلب" in noor.search_text.split() and "nes" in noor.search_names.split()


def test_typo_tolerance_uses_the_database_of_the_deployment(world):
    """Both databases find a misspelt name (trigram similarity on PostgreSQL, the documents'
    words on SQLite)."""
    assert connection.vendor in {"sqlite", "postgresql"}
    assert list(Organisation.objects.search("Foundaton")) == [world["hope"]]


def test_facets_are_cached_per_audience(client, world, django_assert_max_num_queries):
    client.get("/ar/organisations/", {"q": "حلب"})
    with django_assert_max_num_queries(12):
        response = client.get("/ar/organisations/", {"q": "حلب", "page": "1"})
    assert response.context["facets"]


def test_the_word_index_follows_every_save(client, world):
    """The directory matches from a word index (members.SearchTerm) rewritten with the
    documents: a renamed organisation is found by its new name only, a new governorate finds
    it at once, and a deleted one leaves no word behind."""
    from members.models import SearchTerm

    oak = Organisation.objects.get(pk=world["oak"].pk)
    oak.name_en = "Cedar League"
    oak.save()
    assert found(client, "cedar", "en")[1] == [oak.pk]
    assert found(client, "oak", "en")[1] == []
    assert found(client, "Homs", "en")[1] == []
    describe(oak, governorates=["SY01", "SY04"])
    assert oak.pk in found(client, "Homs", "en")[1]
    assert SearchTerm.objects.filter(organisation=oak, word="cedar").exists()
    oak.delete()
    assert not SearchTerm.objects.filter(organisation_id=world["oak"].pk).exists()
    assert found(client, "cedar", "en")[1] == []


def test_facets_follow_a_change_made_after_they_were_counted(client, world):
    """Facet values are kept per process until organisations change: a change shows at once."""

    def governorates():
        response = client.get("/en/organisations/", {"q": "league"})
        facets = {field.name: values for field, values in response.context["facets"]}
        return {value["code"]: value["count"] for value in facets["governorate"]}

    assert governorates() == {"SY01": 1}
    world["oak"].governorates.add(Governorate.objects.get(pcode="SY04"))
    assert governorates() == {"SY01": 1, "SY04": 1}


def test_a_match_on_the_headquarters_city_says_so(client, world):
    based = make_organisation(name_ar="رابطة الصنوبر", name_en="Pine League", hq_city="منبج")
    response, pks = found(client, "منبج")
    assert pks == [based.pk]
    assert response.context["organisations"][0].search_reasons == ["مقرّها في منبج"]


def test_documents_rewritten_without_signals_retire_the_kept_word_index(client, world):
    """Each worker keeps the word index until organisations change; `refresh_search_documents`
    (saves, imports, `manage.py rebuild_search_text`) writes it without signals, and retires
    the kept copy itself."""
    assert found(client, "cedar", "en")[1] == []  # the worker has read the index
    Organisation.objects.filter(pk=world["oak"].pk).update(name_en="Cedar League")  # no signal
    refresh_search_documents([world["oak"].pk])
    assert found(client, "cedar", "en")[1] == [world["oak"].pk]


@pytest.mark.parametrize(
    ("city", "query", "language", "reason"),
    [
        ("حلب", "Aleppo", "en", "headquarters in Aleppo"),
        ("Aleppo", "حلب", "ar", "مقرّها في حلب"),
        ("Raqqa", "الرقة", "ar", "مقرّها في الرقة"),
        ("الحسكة", "hasakeh", "en", "headquarters in Al-Hasakeh"),
    ],
)
def test_a_headquarters_city_named_like_a_governorate_is_found_in_both_languages(
    client, world, city, query, language, reason
):
    """The city is typed in one language; when it is a governorate's name, the other
    language's name finds it too, and the reason names it in the page's language."""
    based = describe(
        make_organisation(name_ar="رابطة الصنوبر", name_en="Pine League"),
        hq_city=city,
        governorates=["SY14"],
    )
    response, pks = found(client, query, language)
    assert based.pk in pks
    (card,) = [o for o in response.context["organisations"] if o.pk == based.pk]
    assert card.search_reasons == [reason]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "حلب"},
        {"q": "تعليم"},
        {"q": "league", "sort": "name"},
        {"governorate": "SY02"},
        {"q": "education", "subsector": "pss"},
        {"org_type": "local_ngo", "country": "TR"},
        {"target_group": "refugees", "governorate": "SY02"},
        {"q": "Foundaton"},  # a typo
        {"sort": "verified"},  # ordered by the database
    ],
)
@pytest.mark.parametrize("who", [None, "member", "coordinator"])
def test_the_listing_equals_the_filter_sets_queryset(client, world, params, who):
    """A search in relevance order is matched and ordered in memory (the word index, the
    names tiers, the name order: members.search.ranked_results); the filter set's own
    queryset, run by the database, gives the same rows in the same order, for each reader,
    whatever the filters and order."""
    from members.filters import OrganisationFilter

    for n in range(25):  # more than a page
        make_organisation(name_en=f"League {n:02d}", org_type="local_ngo", host_countries="TR")
    user = None
    if who == "member":
        user = make_user("reader@member.example.org")
        make_organisation(members=[(user, "editor")], name_en="Reader League")
    elif who == "coordinator":
        user = make_user("reader@secretariat.example.org", coordinator=True)
    if user is not None:
        client.force_login(user)
    shown, page, pages = [], 1, 2
    while page <= min(pages, 2):
        response = client.get("/en/organisations/", {**params, "page": page})
        assert response.status_code == 200
        shown += [organisation.pk for organisation in response.context["organisations"]]
        total, pages = response.context["paginator"].count, response.context["paginator"].num_pages
        page += 1
    request = response.wsgi_request  # as the view saw it: its person and audience
    with translation.override("en"):
        filterset = OrganisationFilter(
            request.GET,
            queryset=Organisation.objects.visible_to(request.audience),
            request=request,
        )
        expected = list(filterset.qs.values_list("pk", flat=True))
    assert total == len(expected)
    assert shown == expected[:40]


def test_changes_that_rewrite_no_document_keep_the_word_index(client, world):
    """Each worker builds the word index again only when search documents are rewritten (a
    second or so at 10,000 organisations), not after every change of the members app."""
    from members import search
    from tests.conftest import make_contact

    found(client, "noor", "en")
    with translation.override("en"):
        kept = search._word_index()
        make_contact(world["noor"])  # a change of `members` that rewrites no document
        assert search._word_index() is kept
        describe(world["oak"], governorates=["SY04"])  # rewrites the documents
        assert search._word_index() is not kept
    assert world["oak"].pk in found(client, "Homs", "en")[1]
