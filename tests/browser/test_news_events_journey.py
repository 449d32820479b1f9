"""A coordinator publishes a news item and an event in the Arabic admin, a member registers
for the event, and a donor reads the news in English."""

import pytest
from playwright.sync_api import expect

from events.models import Event, Registration
from news.models import NewsItem
from tests.browser.test_members_journey import log_in, log_out
from tests.conftest import make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_register_and_read(page, site, settings):
    settings.STAFF_REQUIRE_MFA = False  # the two-factor step is covered by its own tests
    make_user("coordinator@secretariat.example.org", coordinator=True)
    member = make_user("salma@seeds.example.org")
    make_organisation(
        name_ar="جمعية بذور المعرفة", name_en="Seeds of Knowledge", members=[(member, "admin")]
    )

    # 1. The coordinator writes a news item in the Arabic admin and publishes it.
    log_in(page, site, "coordinator@secretariat.example.org")
    page.goto(f"{site}/ar/admin/news/newsitem/add/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("#id_title_ar").fill("انطلاق التدريب على الدعم النفسي")
    page.locator("#id_title_en").fill("Psychosocial support training begins")
    page.locator("#id_summary_ar").fill("تبدأ الشبكة دورة تدريبية للمعلّمين.")
    page.locator("#id_summary_en").fill("The network starts a training course for teachers.")
    page.locator("#id_status").select_option("published")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert NewsItem.objects.get().state == "published"

    # 2. … and an event, with ten places.
    page.goto(f"{site}/ar/admin/events/event/add/")
    page.locator("#id_title_ar").fill("ورشة التخطيط المشترك")
    page.locator("#id_kind").select_option("workshop")
    page.locator("#id_starts_at_0").fill("2031-03-10")
    page.locator("#id_starts_at_1").fill("10:00")
    page.locator("#id_ends_at_0").fill("2031-03-10")
    page.locator("#id_ends_at_1").fill("09:00")  # before the start: refused
    page.locator("#id_place_ar").fill("غازي عنتاب")
    page.locator("#id_audience").select_option("members")
    page.locator("#id_status").select_option("published")
    page.locator("#id_registration_open").check()
    page.locator("#id_capacity").fill("10")
    page.locator("input[name=_save]").click()
    expect(page.locator(".errorlist")).to_contain_text("لا يمكن أن تنتهي الفعالية قبل أن تبدأ")
    page.locator("#id_ends_at_1").fill("14:00")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    event = Event.objects.get()
    assert event.status == "published" and event.starts_at.hour == 7  # 10:00 Damascus = 07:00 UTC
    log_out(page, site)

    # 3. A member registers for the event, in Arabic.
    log_in(page, site, member.email)
    page.goto(f"{site}/ar/events/")
    page.get_by_role("link", name="ورشة التخطيط المشترك").click()
    expect(page.locator("main")).to_contain_text("بقيت 10 مقاعد")
    page.get_by_role("button", name="التسجيل").click()
    expect(page.locator(".alert-success")).to_contain_text("مقعدك مؤكَّد")
    expect(page.locator("main")).to_contain_text("بقيت 9 مقاعد")
    assert Registration.objects.get().status == "confirmed"
    log_out(page, site)

    # 4. A donor reads the news in English (and does not see the members' event).
    page.goto(f"{site}/en/")
    page.get_by_role("link", name="Psychosocial support training begins").click()
    expect(page.locator("h1")).to_contain_text("Psychosocial support training begins")
    expect(page.locator("main")).to_contain_text("training course for teachers")
    page.goto(f"{site}/en/events/")
    expect(page.locator("main")).not_to_contain_text("ورشة التخطيط المشترك")
