"""News and announcements: who reads what, in which language, through pages, feed and admin."""

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from news.models import NewsItem
from tests import files
from tests.conftest import make_group

pytestmark = pytest.mark.django_db


def make_news(*, title_ar="خبر", title_en="News", days=1, status="published", **fields):
    return NewsItem.objects.create(
        title_ar=title_ar,
        title_en=title_en,
        summary_ar=fields.pop("summary_ar", "ملخص الخبر"),
        summary_en=fields.pop("summary_en", "Summary of the item" if title_en else ""),
        status=status,
        published_at=(timezone.now() - timedelta(days=days)) if status == "published" else None,
        **fields,
    )


@pytest.fixture
def news(group):
    return {
        "both": make_news(title_ar="اجتماع الشبكة الدوري", title_en="Regular network meeting"),
        "arabic": make_news(title_ar="ورشة عربية فقط", title_en="", days=2),
        "english": make_news(title_ar="", title_en="English only note", days=3, summary_ar=""),
        "members": make_news(
            title_ar="تذكير للأعضاء", title_en="Members reminder", visibility="members"
        ),
        "draft": make_news(title_ar="مسودة سرية", title_en="Secret draft", status="draft"),
        "scheduled": make_news(title_ar="خبر مجدول", title_en="Scheduled item", days=-3),
        "group": make_news(
            title_ar="خبر المجموعة", title_en="Group item", working_group=group, days=4
        ),
    }


PEOPLE = ["anonymous", "outsider", "editor", "coordinator"]
SEES = {
    "anonymous": {"both", "arabic", "english", "group"},
    "outsider": {"both", "arabic", "english", "group"},
    "editor": {"both", "arabic", "english", "group", "members"},
    "coordinator": {"both", "arabic", "english", "group", "members"},  # lists: published only
}


def person(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("who", PEOPLE)
def test_news_list_shows_what_each_reader_may_read(
    client_for, news, request, who, language, organisation, django_assert_max_num_queries
):
    client = client_for(person(request, who))
    with django_assert_max_num_queries(15):
        response = client.get(f"/{language}/news/")
    assert response.status_code == 200
    page = response.content.decode()
    for key, item in news.items():
        title = (
            item.title_ar if language == "ar" and item.title_ar else item.title_en or item.title_ar
        )
        assert (title in page) == (key in SEES[who]), (who, language, key)


@pytest.mark.parametrize("who", PEOPLE)
def test_unpublished_news_by_url_is_404_except_for_coordinators(
    client_for, news, request, who, organisation
):
    client = client_for(person(request, who))
    for key in ("draft", "scheduled"):
        response = client.get(news[key].get_absolute_url())
        if who == "coordinator":
            assert response.status_code == 200
            assert "only coordinators see this page" in response.content.decode() or (
                "لا يرى هذه الصفحة إلا المنسّقون" in response.content.decode()
            )
        else:
            assert response.status_code == 404, (who, key)
    members_only = client.get(news["members"].get_absolute_url()).status_code
    assert members_only == (200 if who in {"editor", "coordinator"} else 404)


def test_one_language_items_are_labelled_and_never_untitled(client, news):
    english_page = client.get("/en/news/").content.decode()
    assert "ورشة عربية فقط" in english_page and "In Arabic only" in english_page
    arabic_page = client.get("/ar/news/").content.decode()
    assert "English only note" in arabic_page and "بالإنكليزية فقط" in arabic_page
    detail = client.get(f"/en{news['arabic'].get_absolute_url()[3:]}").content.decode()
    assert 'lang="ar"' in detail and "In Arabic only" in detail
    both = client.get(f"/en{news['both'].get_absolute_url()[3:]}").content.decode()
    assert "In Arabic only" not in both


def test_news_pages_refuse_other_methods(client, news):
    assert client.post("/ar/news/").status_code == 405
    assert client.post(news["both"].get_absolute_url()).status_code == 405


def test_feed_parses_and_carries_only_public_published_news(client, news):
    response = client.get("/en/news/feed/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    titles = {entry.title for entry in feed.entries}
    assert "Regular network meeting" in titles and "English only note" in titles
    assert "ورشة عربية فقط" in titles  # labelled by its only language, never empty
    assert not {"Members reminder", "Secret draft", "Scheduled item"} & titles
    assert all(entry.title for entry in feed.entries)


def test_home_shows_the_latest_three(client):
    for n in range(4):
        make_news(title_ar=f"خبر رقم {n}", title_en=f"Item number {n}", days=n + 1)
    page = client.get("/en/").content.decode()
    assert all(f"Item number {n}" in page for n in range(3))
    assert "Item number 3" not in page


def test_a_group_page_shows_its_own_news(client, news, group):
    other = make_group(name_ar="مجموعة أخرى", name_en="Other group", slug="other-group")
    make_news(title_en="Other group item", working_group=other)
    page = client.get(f"/en/working-groups/{group.slug}/").content.decode()
    assert "Group item" in page and "Other group item" not in page


def test_sitemap_lists_public_news_only(client, news):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert news["both"].slug in sitemap
    assert news["members"].slug not in sitemap and news["draft"].slug not in sitemap


def test_search_finds_news_in_both_languages(news):
    assert news["both"] in NewsItem.objects.search("والشبكة")  # «وال»-tolerant
    assert news["both"] in NewsItem.objects.search("meeting")


def test_coordinator_writes_in_arabic_with_a_lead_image_reencoded(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(
        "/ar/admin/news/newsitem/add/",
        {
            "title_ar": "إطلاق منصة الأخبار",
            "title_en": "",
            "summary_ar": "ملخص",
            "body_ar": "نص الخبر",
            "status": "published",
            "visibility": "public",
            "lead_image": files.jpeg_with_gps(),
            "lead_image_alt_ar": "صورة",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = NewsItem.objects.get(title_ar="إطلاق منصة الأخبار")
    assert item.published_at and item.created_by == coordinator and item.slug
    with Image.open(item.lead_image.path) as image:
        assert not image.getexif().get(0x8825)  # no GPS left
    assert client.get(f"/ar/admin/news/newsitem/{item.pk}/history/").status_code == 200
    assert client_for(None).get(item.get_absolute_url()).status_code == 200


def test_admin_refuses_an_item_without_any_title(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(
        "/en/admin/news/newsitem/add/",
        {"title_ar": "", "title_en": "", "status": "draft", "visibility": "public"},
    )
    assert response.status_code == 200
    assert "Give the title in Arabic, in English, or both." in response.content.decode()
    assert not NewsItem.objects.exists()


def test_publish_action_and_password_only_staff_cannot_open_the_admin(
    client, client_for, coordinator, news
):
    client.force_login(coordinator)  # password only
    assert client.get("/en/admin/news/newsitem/").status_code == 302
    client = client_for(coordinator)
    response = client.post(
        "/en/admin/news/newsitem/",
        {"action": "publish_now", "_selected_action": [news["draft"].pk]},
    )
    assert response.status_code == 302
    news["draft"].refresh_from_db()
    assert news["draft"].state == "published"
    assert reverse("news:detail", kwargs={"slug": news["draft"].slug})
