"""A member suggests corrections to another organisation's profile, in Arabic; its editor
accepts one field of the first suggestion and declines the second, in a real browser."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from corrections.models import Correction
from members.models import Organisation
from tests.browser.test_members_journey import log_in, log_out
from tests.conftest import make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_suggest_accept_and_decline(page, site):
    editor = make_user("editor@league.example.org")
    member = make_user("member@hope.example.org")
    make_organisation(name_en="Hope", members=[(member, "admin")])
    league = make_organisation(
        name_ar="رابطة المعلمين",
        name_en="Teachers League",
        acronym="TL",
        website="https://old.example.org",
        members=[(editor, "editor")],
    )

    # 1. A member suggests two changes, with a reason.
    log_in(page, site, "member@hope.example.org")
    page.goto(f"{site}/ar/organisations/{league.slug}/")
    page.get_by_role("link", name=re.compile("اقتراح تصحيح")).click()
    page.locator("#id_acronym").fill("TLS")
    page.locator("#id_website").fill("https://new.example.org")
    page.locator("#id_reason").fill("الموقع الجديد مذكور في تقريرهم السنوي.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    # 2. …and a second one, which will be declined.
    page.goto(f"{site}/ar/organisations/{league.slug}/suggest/")
    page.locator("#id_hq_city").fill("غازي عنتاب")
    page.locator("#id_reason").fill("انتقل المكتب.")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Correction.objects.filter(status="open").count() == 2
    log_out(page, site)

    # 3. The editor compares, accepts only the website, then declines the other suggestion.
    log_in(page, site, "editor@league.example.org")
    page.goto(f"{site}/ar/organisations/{league.slug}/")
    page.locator(".correction-links a").nth(1).click()
    first, second = Correction.objects.order_by("pk")
    page.goto(f"{site}/ar/organisations/{league.slug}/corrections/{first.pk}/")
    table = page.locator("table.correction-table")
    expect(table).to_contain_text("https://old.example.org")
    expect(table).to_contain_text("https://new.example.org")
    page.locator("#accept-website").check()
    page.locator("button[value=accept]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(f"{site}/ar/organisations/{league.slug}/corrections/{second.pk}/")
    page.locator("#id_note").fill("العنوان الحالي صحيح.")
    page.locator("button[value=decline]").click()
    expect(page.locator(".alert-success")).to_be_visible()

    league = Organisation.objects.get(pk=league.pk)
    assert league.website == "https://new.example.org" and league.acronym == "TL"
    assert league.hq_city == ""
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("partly", "declined")
    told = [m for m in mail.outbox if m.to == ["member@hope.example.org"]]
    assert len(told) == 2 and any("العنوان الحالي صحيح." in m.body for m in told)
    # The profile shows the accepted value to everyone.
    log_out(page, site)
    page.goto(f"{site}/en/organisations/{league.slug}/")
    expect(page.locator("main")).to_contain_text("https://new.example.org")
