"""Draft → preview → submit → coordinator publishes → another organisation endorses →
an anonymous visitor reads it in the list, on its page and in the feed."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_members_journey import log_in, log_out
from tests.conftest import make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statement_from_draft_to_donor(page, site, settings):
    settings.STAFF_REQUIRE_MFA = False
    make_user("coordinator@secretariat.example.org", coordinator=True)
    author = make_user("author@seeds.example.org")
    endorser = make_user("endorser@partner.example.org")
    make_organisation(
        name_ar="جمعية بذور المعرفة", name_en="Seeds of Knowledge", members=[(author, "admin")]
    )
    make_organisation(
        name_ar="شبكة الشركاء", name_en="Partners Network", members=[(endorser, "admin")]
    )

    # Draft, preview, submit (Arabic).
    log_in(page, site, author.email)
    page.goto(f"{site}/ar/priorities/mine/")
    page.get_by_role("link", name="كتابة بيان جديد").click()
    page.get_by_label("العنوان بالعربية").fill("تعليم الأطفال العاملين")
    page.get_by_label("العنوان بالإنكليزية").fill("Education for working children")
    page.get_by_label("الملخّص بالإنكليزية").fill("Evening classes and cash support.")
    page.get_by_label("النص بالعربية").fill(
        "نقترح صفوفاً مسائية.\n\n- دعم نقدي للأسر\n- مواد تعليمية"
    )
    page.get_by_label("النص بالإنكليزية").fill(
        "We propose evening classes.\n\n- cash support\n- materials"
    )
    page.get_by_role("button", name="حفظ ومعاينة").click()
    expect(page.locator("article.statement h1")).to_have_text("تعليم الأطفال العاملين")
    expect(page.locator("article.statement li")).to_have_count(2)
    page.get_by_role("button", name="تقديم للمراجعة").click()
    expect(page.locator(".alert-success")).to_contain_text("أُرسل البيان")
    log_out(page, site)

    # The coordinator publishes it in the admin.
    log_in(page, site, "coordinator@secretariat.example.org")
    page.goto(f"{site}/ar/admin/advocacy/prioritystatement/")
    page.locator("#result_list tbody tr").filter(has_text="تعليم الأطفال العاملين").locator(
        "input.action-select"
    ).check()
    page.locator("select[name=action]").select_option("publish_minor")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("نُشر بيان واحد")
    log_out(page, site)

    # Another organisation endorses it, with an explicit confirmation.
    log_in(page, site, endorser.email, "en")
    page.goto(f"{site}/en/priorities/")
    page.get_by_role("link", name="Education for working children").click()
    confirm = page.get_by_label(re.compile("I confirm that this organisation endorses"))
    assert confirm.evaluate("box => box.required")  # the browser asks for it too
    confirm.check()
    page.get_by_role("button", name="Endorse").click()
    expect(page.locator(".alert-success")).to_contain_text("endorsement was recorded")
    log_out(page, site)

    # A donor reads it: list, page with endorsers, feed.
    page.goto(f"{site}/en/priorities/")
    expect(page.locator("main")).to_contain_text("1 endorsing organisation")
    page.get_by_role("link", name="Education for working children").click()
    expect(page.locator(".endorsers")).to_contain_text("Partners Network")
    expect(page.locator(".endorsers")).not_to_contain_text("endorser@partner.example.org")
    expect(page.locator('meta[property="og:title"]')).to_have_attribute(
        "content", "Education for working children"
    )
    feed = page.request.get(f"{site}/en/priorities/feed/").text()
    assert "Education for working children" in feed and "Evening classes and cash support." in feed
