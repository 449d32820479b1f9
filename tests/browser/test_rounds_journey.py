"""Two organisations vote, the coordinator closes the round and publishes, a visitor reads."""

import pytest
from playwright.sync_api import expect

from tests.advocacy.test_rounds import make_round
from tests.browser.test_members_journey import log_in, log_out
from tests.conftest import make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ballot(page, site, user, slug, values):
    log_in(page, site, user.email, "en")
    page.goto(f"{site}/en/priorities/rounds/{slug}/")
    for number, value in enumerate(values, start=1):
        page.get_by_label(f"C{number}", exact=True).fill(str(value))
    page.get_by_role("button", name="Save the ballot").click()
    expect(page.locator(".alert-success")).to_contain_text("ballot was saved")
    log_out(page, site)


def test_vote_close_publish_read(page, site, settings):
    settings.STAFF_REQUIRE_MFA = False
    make_user("coordinator@secretariat.example.org", coordinator=True)
    first, second = make_user("one@a.example.org"), make_user("two@b.example.org")
    third = make_user("three@c.example.org")
    make_organisation(name_en="First Org", members=[(first, "editor")])
    make_organisation(name_en="Second Org", members=[(second, "editor")])
    make_organisation(name_en="Third Org", members=[(third, "editor")])
    round_ = make_round()

    ballot(page, site, first, round_.slug, (70, 30, 0))
    ballot(page, site, second, round_.slug, (0, 40, 60))
    ballot(page, site, third, round_.slug, (0, 100, 0))
    page.goto(f"{site}/en/priorities/rounds/{round_.slug}/results/")
    expect(page.locator("main h1")).to_contain_text("Page not found")

    log_in(page, site, "coordinator@secretariat.example.org")
    for action in ("close_rounds", "publish_rounds"):
        page.goto(f"{site}/ar/admin/advocacy/priorityround/")
        page.locator("#result_list tbody tr").first.locator("input.action-select").check()
        page.locator("select[name=action]").select_option(action)
        page.locator("button[name=index]").click()
    log_out(page, site)

    page.goto(f"{site}/ar/")
    page.get_by_role("link", name="نتائج جولة «جولة الاختبار»").click()
    rows = page.locator("main table").first.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("أ2")  # 170 points
    expect(rows.nth(0)).to_contain_text("170")
    expect(page.locator("main")).to_contain_text("شاركت 3 منظمات أعضاء")
    # Three local NGOs: their type is shown; no group of one or two is.
    expect(page.locator("main")).not_to_contain_text("أقل من 3")
