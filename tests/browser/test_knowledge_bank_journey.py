"""An editor records a programme, sees who else works there, and finds it in the coverage cell;
a donor downloads the data."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_members_journey import log_in
from tests.conftest import make_organisation, make_user
from tests.knowledge_bank.test_knowledge_bank import make_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_programme_hint_and_coverage_cell(page, site):
    editor = make_user("editor@seeds.example.org")
    organisation = make_organisation(
        name_ar="جمعية بذور المعرفة", name_en="Seeds of Knowledge", members=[(editor, "admin")]
    )
    for name_ar, name_en in (("منظمة الجوار", "Neighbour Org"), ("منظمة الضفة", "Bank Org")):
        make_programme(
            make_organisation(name_ar=name_ar, name_en=name_en),
            governorates=("SY07",),
            subsectors=("nfe",),
        )

    log_in(page, site, editor.email)
    page.goto(f"{site}/ar/organisations/{organisation.slug}/")
    page.get_by_role("link", name="إضافة برنامج").click()
    page.get_by_label("العنوان بالعربية").fill("صفوف مسائية للأطفال العاملين")
    page.get_by_label("إدلب").check()
    page.get_by_label("التعليم غير النظامي").check()
    page.get_by_label("تاريخ البدء").fill("2026-02-01")
    page.get_by_label("عدد المستفيدين").fill("250")
    page.get_by_role("button", name="حفظ").click()
    expect(page.locator(".alert-success")).to_contain_text("حُفظ البرنامج")
    expect(page.locator("#overlaps")).to_contain_text("منظمة الجوار")

    page.goto(f"{site}/ar/coverage/")
    cell = page.locator(".coverage-matrix tr", has_text="إدلب").locator("td.cov-4 a")
    expect(cell).to_have_text("3")
    cell.click()
    expect(page.locator("main table")).to_contain_text("صفوف مسائية للأطفال العاملين")
    expect(page.locator("main table")).to_contain_text("منظمة الجوار")

    with page.expect_download() as download:
        page.get_by_role("link", name="HXL").click()
    content = open(download.value.path(), encoding="utf-8-sig").read()
    assert "#adm1+code" in content and "صفوف مسائية للأطفال العاملين" in content
