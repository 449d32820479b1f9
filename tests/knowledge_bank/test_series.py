"""Report series: a landing page with editions in order, and a feed."""

import feedparser
import pytest

from knowledge_bank.models import ReportSeries, Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def series():
    series = ReportSeries.objects.create(
        title_ar="المدارس في سوريا", title_en="Schools in Syria", description_en="Joint research"
    )
    for edition in (1, 2):
        Resource.objects.create(
            title_en=f"Schools in Syria {2023 + edition}",
            kind="report",
            language="both",
            url=f"https://example.org/{edition}",
            series=series,
            edition=edition,
        )
    Resource.objects.create(
        title_en="Members-only edition",
        kind="report",
        language="en",
        url="https://example.org/m",
        series=series,
        edition=3,
        visibility="members",
    )
    return series


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("who", ["anonymous", "editor", "coordinator"])
def test_series_landing_page(client_for, series, request, who, language, organisation):
    client = client_for(None if who == "anonymous" else request.getfixturevalue(who))
    page = client.get(f"/{language}/knowledge-bank/series/{series.slug}/").content.decode()
    assert page.index("Schools in Syria 2025") < page.index("Schools in Syria 2024")
    assert ("Members-only edition" in page) == (who != "anonymous")
    listing = client.get(f"/{language}/knowledge-bank/series/").content.decode()
    assert str(series.title_ar if language == "ar" else series.title_en) in listing


def test_series_feed_parses_and_resource_names_its_series(client, series):
    feed = feedparser.parse(client.get(f"/en/knowledge-bank/series/{series.slug}/feed/").content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == [
        "Schools in Syria 2025",
        "Schools in Syria 2024",
    ]
    resource = series.editions.get(edition=1)
    page = client.get(f"/en/knowledge-bank/{resource.slug}/").content.decode()
    assert "Schools in Syria" in page and "Edition 1" in page
    assert client.get("/en/knowledge-bank/series/nope/feed/").status_code == 404
    assert series.slug in client.get("/sitemap.xml").content.decode()
