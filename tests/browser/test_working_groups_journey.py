"""An organisation finds a group, asks to join, the lead accepts, and the organisation sees
the group's meetings and minutes and its calendar link."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_members_journey import log_in, log_out
from tests.conftest import make_group, make_meeting, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_join_accept_and_see_minutes(page, site):
    lead = make_user("lead@lead-org.example.org")
    editor = make_user("editor@seeds.example.org")
    lead_org = make_organisation(
        name_ar="منظمة القيادة", name_en="Lead Org", members=[(lead, "admin")]
    )
    make_organisation(
        name_ar="جمعية بذور المعرفة", name_en="Seeds of Knowledge", members=[(editor, "admin")]
    )
    group = make_group(
        name_ar="مجموعة دعم المعلّمين", name_en="Teacher Support Group", leads=[lead_org]
    )
    make_meeting(group, visibility="members", days=-5, minutes="Minutes only members read")

    # The editor finds the group in English and asks to join.
    log_in(page, site, editor.email, "en")
    page.goto(f"{site}/en/working-groups/")
    page.get_by_role("link", name="Teacher Support Group").click()
    expect(page.locator("main")).not_to_contain_text("Minutes only members read")
    page.get_by_label("A short note for the group's leads").fill("We train 300 teachers in Idleb.")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("is waiting for the leads' decision")
    log_out(page, site)

    # The lead accepts on the group page, in Arabic.
    log_in(page, site, lead.email)
    page.goto(f"{site}/ar/working-groups/{group.slug}/")
    expect(page.locator("#requests")).to_contain_text("We train 300 teachers in Idleb.")
    page.locator("#requests").get_by_role("button", name="قبول").click()
    expect(page.locator(".alert-success")).to_contain_text("قُبل الطلب")
    log_out(page, site)

    # The organisation now appears on the group page and reads the minutes.
    page.goto(f"{site}/ar/working-groups/{group.slug}/")
    expect(page.locator("main")).to_contain_text("جمعية بذور المعرفة")
    log_in(page, site, editor.email, "en")
    page.goto(f"{site}/en/working-groups/{group.slug}/")
    page.get_by_text("Minutes", exact=True).click()
    expect(page.locator("main")).to_contain_text("Minutes only members read")
    calendar = page.get_by_role("link", name="Subscribe to the calendar (.ics)").get_attribute(
        "href"
    )
    assert "token=" in calendar
    body = page.request.get(f"{site}{calendar}").text()
    assert "BEGIN:VEVENT" in body
