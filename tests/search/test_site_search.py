"""The whole-site search page: every kind of content through its own access rule, grouped by
kind, in both languages."""

import pytest

from knowledge_bank.models import Resource
from members.models import Governorate
from tests.advocacy.test_statements import make_statement
from tests.conftest import make_group, make_organisation, make_user
from tests.search.test_directory_search import describe

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    coordinator = make_user(coordinator=True)
    author = describe(
        make_organisation(name_ar="جمعية الضياء", name_en="Diyaa Association", acronym="DA"),
        governorates=["SY02"],
        subsectors=["nfe"],
    )
    hidden = describe(
        make_organisation(name_ar="منظمة الظل", name_en="Shade Association", low_profile=True),
        governorates=["SY02"],
    )
    statement = make_statement(
        author,
        title_ar="أولوية التعليم في حلب",
        title_en="Education first in Aleppo",
        summary_en="Schools in Aleppo need repair.",
        publish_by=coordinator,
    )
    public = Resource.objects.create(
        title_ar="دليل العودة إلى المدرسة في حلب",
        title_en="Back to school in Aleppo guide",
        kind="guide",
        language="both",
        url="https://example.org/guide",
    )
    internal = Resource.objects.create(
        title_ar="مذكرة داخلية عن حلب",
        title_en="Internal note on Aleppo",
        kind="report",
        language="en",
        url="https://example.org/note",
        visibility="members",
    )
    group = make_group(name_ar="مجموعة عمل حلب", name_en="Aleppo working group")
    return {
        "author": author,
        "hidden": hidden,
        "statement": statement,
        "public": public,
        "internal": internal,
        "group": group,
    }


def groups_of(response):
    return {group["kind"].key: group for group in response.context["groups"]}


def test_finds_every_kind_grouped_in_arabic(client, content):
    response = client.get("/ar/search/", {"q": "حلب"})
    assert response.status_code == 200
    groups = groups_of(response)
    assert [o.pk for o in groups["organisations"]["rows"]] == [content["author"].pk]
    assert [o.pk for o in groups["statements"]["rows"]] == [content["statement"].pk]
    assert [o.pk for o in groups["resources"]["rows"]] == [content["public"].pk]
    assert [o.pk for o in groups["working_groups"]["rows"]] == [content["group"].pk]
    page = response.content.decode()
    for heading in ("المنظمات", "بيانات الأولويات", "بنك المعرفة", "مجموعات العمل"):
        assert heading in page
    assert "تعمل في حلب" in page  # why the organisation matched
    assert "المنظمات العاملة في حلب" in page  # the directory's Aleppo filter is offered
    assert response.context["total"] == 4


def test_finds_the_same_from_the_english_page(client, content):
    response = client.get("/en/search/", {"q": "aleppo"})
    groups = groups_of(response)
    assert {key: group["count"] for key, group in groups.items()} == {
        "organisations": 1,
        "statements": 1,
        "resources": 1,
        "news": 0,
        "events": 0,
        "working_groups": 1,
        "report_series": 0,
    }
    page = response.content.decode()
    assert "Back to school in Aleppo guide" in page and "works in Aleppo" in page


def test_hidden_and_members_only_content_never_shows_to_visitors(client, content):
    for query in ("Shade", "الظل", "حلب", "Internal note"):
        response = client.get("/en/search/", {"q": query})
        page = response.content.decode()
        assert "Shade Association" not in page and "منظمة الظل" not in page
        assert "Internal note on Aleppo" not in page
        for group in response.context["groups"]:
            assert content["hidden"] not in group["rows"]
            assert content["internal"] not in group["rows"]
            if query == "حلب" and group["kind"].key in {"organisations", "resources"}:
                assert group["count"] == 1  # not counted either


def test_members_find_members_only_content(client, content):
    member = make_user()
    make_organisation(name_en="A member", members=[(member, "admin")])
    client.force_login(member)
    groups = groups_of(client.get("/en/search/", {"q": "حلب"}))
    assert groups["organisations"]["count"] == 2
    assert content["internal"] in groups["resources"]["rows"]


def test_more_results_link_to_the_kinds_own_list(client, content):
    for n in range(6):
        organisation = make_organisation(name_en=f"Aleppo Partner {n}")
        organisation.governorates.set([Governorate.objects.get(pcode="SY02")])
    response = client.get("/en/search/", {"q": "aleppo"})
    organisations = groups_of(response)["organisations"]
    assert len(organisations["rows"]) == 5 and organisations["count"] == 7
    assert organisations["more"] == "/en/organisations/?q=aleppo"
    assert "See all 7 results in the list" in response.content.decode()


def test_empty_query_shows_the_form_only(client, content):
    response = client.get("/ar/search/")
    assert response.status_code == 200 and response.context["groups"] == []
    assert 'role="search"' in response.content.decode()


def test_nothing_found_says_so_in_both_languages(client, content):
    assert "لا شيء يطابق" in client.get("/ar/search/", {"q": "زراعة"}).content.decode()
    assert "Nothing matches" in client.get("/en/search/", {"q": "agriculture"}).content.decode()


def test_bad_input_gets_a_message_not_a_500(client, content):
    response = client.get("/ar/search/", {"q": "حلب" * 100})
    assert response.status_code == 200
    assert "يرجى كتابة عبارة بحث أقصر" in response.content.decode()
    assert client.get("/en/search/", {"q": ["a", "b"]}).status_code == 200


def test_wrong_method_is_refused(client, content):
    assert client.post("/en/search/", {"q": "x"}).status_code == 405


def test_the_header_has_a_search_box_on_every_page(client):
    for path in ("/ar/", "/en/about/"):
        page = client.get(path).content.decode()
        assert 'action="/' + path.split("/")[1] + '/search/"' in page
        assert 'id="site-search-q"' in page


def test_query_count_does_not_grow_with_results(client, content, django_assert_max_num_queries):
    for n in range(10):
        make_organisation(name_en=f"Aleppo Partner {n}")
    # The first search after a change also reads what each worker keeps until the next change
    # (members.search: facet values, the order by name).
    with django_assert_max_num_queries(32):
        client.get("/en/search/", {"q": "aleppo"})
    with django_assert_max_num_queries(24):
        client.get("/en/search/", {"q": "aleppo partner"})


def test_a_hidden_authors_name_does_not_find_its_statements(client, content):
    coordinator = make_user(coordinator=True)
    statement = make_statement(
        content["hidden"],
        title_ar="أولوية المياه في المدارس",
        title_en="Water in schools",
        publish_by=coordinator,
    )
    for query in ("Shade", "منظمة الظل", "Shade water"):
        groups = groups_of(client.get("/en/search/", {"q": query}))
        assert "statements" not in groups or statement not in groups["statements"]["rows"]
    # Its own words still find it.
    assert statement in groups_of(client.get("/en/search/", {"q": "water"}))["statements"]["rows"]


def test_news_events_and_report_series_are_found_as_far_as_the_reader_may_see(client):
    from knowledge_bank.models import ReportSeries
    from tests.events.test_events import make_event
    from tests.news.test_news import make_news

    make_news(title_en="Literacy campaign launched", title_ar="إطلاق حملة محو الأمية")
    make_news(title_en="Literacy draft", status="draft")
    make_news(title_en="Literacy for members", visibility="members")
    make_event(title_en="Literacy training of trainers")
    make_event(title_en="Literacy draft event", status="draft")
    ReportSeries.objects.create(title_en="Literacy in Syria", title_ar="محو الأمية في سوريا")
    html = client.get("/en/search/?q=literacy").content.decode()
    assert "Literacy campaign launched" in html and "Literacy training of trainers" in html
    assert "Literacy in Syria" in html
    assert "Literacy draft" not in html and "Literacy for members" not in html
    assert "إطلاق حملة محو الأمية" in client.get("/ar/search/?q=الأمية").content.decode()
    member = make_user()
    make_organisation(members=[(member, "editor")])
    client.force_login(member)
    assert "Literacy for members" in client.get("/en/search/?q=literacy").content.decode()


def test_news_and_events_each_through_their_own_rule(client):
    from tests.events.test_events import make_event
    from tests.news.test_news import make_news

    public_news = make_news(title_ar="أخبار التعليم في حلب", title_en="Education news from Aleppo")
    make_news(title_ar="خبر داخلي عن حلب", title_en="Internal Aleppo news", visibility="members")
    make_news(title_ar="مسودة عن حلب", title_en="Draft on Aleppo", status="draft")
    public_event = make_event(title_ar="تدريب المعلمين في حلب", title_en="Teacher training Aleppo")
    make_event(
        title_ar="لقاء الأعضاء في حلب", title_en="Members meeting Aleppo", audience="members"
    )
    response = client.get("/en/search/", {"q": "aleppo"})
    groups = groups_of(response)
    assert groups["news"]["rows"] == [public_news]
    assert groups["events"]["rows"] == [public_event]
    page = response.content.decode()
    assert "Internal Aleppo news" not in page and "Members meeting Aleppo" not in page
    assert "Draft on Aleppo" not in page
    arabic = client.get("/ar/search/", {"q": "حلب"}).content.decode()
    assert "أخبار التعليم في حلب" in arabic and "الأخبار" in arabic


def test_the_priorities_search_does_not_find_statements_by_a_hidden_authors_name(client, content):
    """/priorities/?q= asks the same access policy as the whole-site search: the name of an
    author organisation the reader may not see does not find its statements (it did)."""
    coordinator = make_user(coordinator=True)
    statement = make_statement(
        content["hidden"],
        title_ar="أولوية المياه في المدارس",
        title_en="Water in schools",
        publish_by=coordinator,
    )

    def listed(query, language="en"):
        response = client.get(f"/{language}/priorities/", {"q": query})
        assert response.status_code == 200
        return [row.pk for row in response.context["statements"]]

    for query, language in [("Shade", "en"), ("منظمة الظل", "ar"), ("Shade water", "en")]:
        assert statement.pk not in listed(query, language), query
    assert statement.pk not in listed("Shadde"), "a typo of the hidden name"
    assert statement.pk in listed("water")  # its own words still find it
    # Network members may see the low-profile author: they find its statements by its name.
    member = make_user()
    make_organisation(name_en="Member org", members=[(member, "admin")])
    client.force_login(member)
    assert statement.pk in listed("Shade")


def test_a_hidden_authors_very_long_name_word_does_not_find_its_statements(client, content):
    """Words of more than SearchTerm.LONGEST letters are cut in the word index, not left out:
    a beginning of such a word in a hidden author's names still hides its statements."""
    long_word = "Shadeforthechildrenofthenorth" * 4  # 116 letters
    hidden = content["hidden"]
    hidden.name_en = long_word
    hidden.save()
    statement = make_statement(
        hidden, title_en="Water in schools", publish_by=make_user(coordinator=True)
    )
    for query in (long_word[:40], long_word[:100]):
        groups = groups_of(client.get("/en/search/", {"q": query}))
        assert "statements" not in groups or statement not in groups["statements"]["rows"]
