"""A visitor on a phone searches the whole site from the header, in Arabic and in English, sees
why each organisation matched, and follows the offered filter into the directory."""

import re

import pytest
from playwright.sync_api import expect

from knowledge_bank.models import Resource
from tests.conftest import make_organisation
from tests.search.test_directory_search import describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_search_from_the_header_in_both_languages(page, site):
    page.set_viewport_size({"width": 390, "height": 844})
    describe(
        make_organisation(name_ar="جمعية الضياء", name_en="Diyaa Association"),
        governorates=["SY02"],
        subsectors=["pss"],
    )
    describe(
        make_organisation(name_ar="منظمة الظل", name_en="Shade Association", low_profile=True),
        governorates=["SY02"],
    )
    Resource.objects.create(
        title_ar="دليل العودة إلى المدرسة في حلب",
        title_en="Back to school in Aleppo guide",
        kind="guide",
        language="both",
        url="https://example.org/guide",
    )

    # Arabic, from the home page's header.
    page.goto(f"{site}/ar/")
    assert no_sideways_scroll(page)
    box = page.get_by_role("searchbox", name="البحث في المنصة")
    box.fill("حلب")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/ar/search/\?q="))
    expect(page.get_by_role("heading", name=re.compile("المنظمات"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("بنك المعرفة"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("جمعية الضياء")
    expect(page.locator("main")).to_contain_text("تعمل في حلب")
    expect(page.locator("main")).not_to_contain_text("منظمة الظل")
    assert no_sideways_scroll(page)
    page.screenshot(path="/tmp/search-browser-ar.png", full_page=True)

    # The offered filter opens the directory with the Aleppo filter.
    page.get_by_role("link", name=re.compile("المنظمات العاملة في حلب")).click()
    expect(page).to_have_url(re.compile(r"governorate=SY02"))
    expect(page.locator(".result-count")).to_contain_text("منظمة واحدة")
    assert no_sideways_scroll(page)

    # English, with a spelling as people type it.
    page.goto(f"{site}/en/about/")
    box = page.get_by_role("searchbox", name="Search the platform")
    box.fill("psychosocial")
    box.press("Enter")
    expect(page.locator("main")).to_contain_text("Diyaa Association")
    expect(page.locator("main")).to_contain_text("sub-sector: Psychosocial")
    page.get_by_role("searchbox", name="Search the platform").first.fill("aleppo")
    page.get_by_role("searchbox", name="Search the platform").first.press("Enter")
    expect(page.locator("main")).to_contain_text("Back to school in Aleppo guide")
    expect(page.locator("main")).not_to_contain_text("Shade Association")
    assert no_sideways_scroll(page)
    page.screenshot(path="/tmp/search-browser-en.png", full_page=True)
