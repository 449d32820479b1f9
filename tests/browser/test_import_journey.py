"""A coordinator signs in with an authenticator code, imports organisations from a spreadsheet
in the Arabic admin: the preview shows the bad row's reason, the corrected file is confirmed and
the result is shown; in a real browser. Tasks run at once in tests (the immediate backend), as
in tests/imports; tests/imports/test_jobs.py runs the database worker."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from members.models import Organisation
from tests.conftest import PASSWORD, authenticator_code, make_organisation, make_user
from tests.imports.big import csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["name_ar", "name_en", "acronym", "org_type", "governorates", "subsectors"]
GOOD = [
    ["جمعية النور للتعليم", "Light Education Society", "LES", "local_ngo", "SY02; SY07", "nfe"],
    ["مؤسسة الغد", "Tomorrow Foundation", "TMF", "local_ngo", "SY01", "pss"],
]


def sign_in_with_authenticator(page, site, email, secret):
    page.goto(f"{site}/ar/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.locator("input[name=code]").fill(authenticator_code(secret))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def upload(page, name, rows):
    """On the import form: choose a CSV file and ask for its preview."""
    page.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": csv_bytes([HEADER, *rows])}
    )
    page.locator("#import-form input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ar/admin/members/organisation/import/\d+/$"))


def test_a_bad_row_is_shown_then_the_corrected_file_is_imported(page, site):
    coordinator = make_user("coordinator@secretariat.example.org", coordinator=True)
    secret = generate_totp_secret()
    TOTP.activate(coordinator, secret)
    make_organisation(name_en="Existing")
    sign_in_with_authenticator(page, site, "coordinator@secretariat.example.org", secret)

    # 1. The file has a row with an unknown p-code: the preview says which cell and why.
    page.set_viewport_size({"width": 390, "height": 844})
    bad = [GOOD[0], [*GOOD[1][:4], "SY99", "pss"]]
    page.goto(f"{site}/ar/admin/members/organisation/")
    page.get_by_role("link", name="استيراد من جدول بيانات").click()
    upload(page, "organisations.csv", bad)
    expect(page.locator(".import-totals .row-invalid")).to_have_text("صف واحد فيه أخطاء")
    errors = page.locator("#rows-invalid")
    expect(errors).to_contain_text("مؤسسة الغد")
    expect(errors).to_contain_text("SY99")
    expect(errors.locator("td").first).to_have_text("3")  # the line in the file
    expect(page.locator("input[name=confirm]")).to_have_count(0)  # nothing can be confirmed
    no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_overflow, "the preview is wider than a phone"

    # 2. The corrected file: two new rows, confirmed, and the result.
    page.get_by_role("link", name="رفع ملف آخر").click()
    upload(page, "organisations-fixed.csv", GOOD)
    expect(page.locator(".import-totals .row-new")).to_have_text("صفّان جديدان")
    expect(page.locator("#rows-new")).to_contain_text("مؤسسة الغد")
    assert not Organisation.objects.filter(acronym__in=["LES", "TMF"]).exists()  # not yet
    page.locator("input[name=confirm]").click()
    expect(page.locator(".import-done")).to_have_text("انتهى الاستيراد: حُفظت جميع الصفوف.")
    expect(page.locator(".import-totals .row-new")).to_have_text("صفّان جديدان")

    created = Organisation.objects.get(acronym="TMF")
    assert list(created.governorates.values_list("pcode", flat=True)) == ["SY01"]
    record = created.history.get()
    assert record.history_user == coordinator
    assert "organisations-fixed.csv" in record.history_change_reason
    page.get_by_role("link", name="العودة إلى القائمة").click()
    expect(page.locator("#result_list")).to_contain_text("مؤسسة الغد")
