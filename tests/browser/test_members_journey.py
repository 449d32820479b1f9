"""A newcomer registers an organisation, a coordinator approves it in the Arabic admin, the
newcomer completes the profile with a logo, and anyone finds it in the directory."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from members.models import Organisation
from tests import files
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, site, email, language="ar"):
    page.goto(f"{site}/{language}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def log_out(page, site):
    page.goto(f"{site}/ar/accounts/logout/")
    page.locator("main form button[type=submit]").click()


def test_register_approve_complete_and_find(page, site, settings, tmp_path):
    settings.STAFF_REQUIRE_MFA = False  # the two-factor step is covered by its own tests
    make_user("coordinator@secretariat.example.org", coordinator=True)
    make_user("salma@seeds.example.org")

    # 1. The newcomer applies, in Arabic.
    log_in(page, site, "salma@seeds.example.org")
    page.get_by_role("link", name="سجِّل منظمتك").click()
    page.get_by_label("الاسم بالعربية").fill("جمعيّة بذور المعرفة")
    page.get_by_label("الاسم بالإنكليزية").fill("Seeds of Knowledge")
    page.get_by_label("الاختصار").fill("SOK")
    page.get_by_label("النوع").select_option("local_ngo")
    page.get_by_label("إدلب").check()
    page.get_by_label("التعليم غير النظامي").check()
    page.locator("#id_contact-name").fill("سلمى الحلبي")
    page.locator("#id_contact-email").fill("salma@seeds.example.org")
    page.get_by_role("button", name="إرسال الطلب").click()
    expect(page.locator(".alert-success")).to_contain_text("جمعيّة بذور المعرفة")
    expect(page.locator("main section").first).to_contain_text("قيد المراجعة")
    assert "جمعيّة بذور المعرفة" in mail.outbox[-1].subject
    log_out(page, site)

    # 2. The coordinator approves it in the Arabic admin.
    log_in(page, site, "coordinator@secretariat.example.org")
    page.goto(f"{site}/ar/admin/members/organisation/")
    row = page.locator("#result_list tbody tr").filter(has_text="بذور المعرفة")
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("approve")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("منظمة واحدة")
    assert Organisation.objects.get(acronym="SOK").status == "active"
    assert mail.outbox[-1].to == ["salma@seeds.example.org"]
    log_out(page, site)

    # 3. The newcomer completes the profile with a logo.
    log_in(page, site, "salma@seeds.example.org")
    page.get_by_role("link", name="جمعيّة بذور المعرفة").click()
    page.get_by_role("link", name="تعديل الملف").click()
    page.get_by_label("الوصف بالعربية").fill("نعمل مع الأطفال خارج المدرسة في إدلب.")
    logo = tmp_path / "logo.png"
    logo.write_bytes(files.image_bytes("PNG", size=(300, 200)))
    page.locator("#id_logo_upload").set_input_files(str(logo))
    page.get_by_role("button", name="حفظ").click()
    expect(page.locator(".alert-success")).to_contain_text("حُفظ الملف")
    expect(page.locator("main img").first).to_be_visible()
    log_out(page, site)

    # 4. Anyone finds it: by an Arabic spelling variant, and by its English acronym.
    page.goto(f"{site}/ar/organisations/")
    page.get_by_label("بحث", exact=True).fill("بذور المعرفه")
    page.locator("main").get_by_role("button", name="بحث").click()
    expect(page.locator(".org-card")).to_have_count(1)
    expect(page.locator(".org-card")).to_contain_text("جمعيّة بذور المعرفة")
    page.goto(f"{site}/en/organisations/?q=sok&governorate=SY07")
    expect(page.locator(".org-card")).to_have_count(1)
    expect(page.locator(".org-card")).to_contain_text("Seeds of Knowledge")
    expect(page.locator(".org-card img")).to_be_visible()
    # Private data stays private.
    page.get_by_role("link", name="Seeds of Knowledge").click()
    expect(page.locator("main")).not_to_contain_text("salma@seeds.example.org")


def test_similar_organisations_appear_while_the_name_is_typed(page, site):
    """htmx asks the server after a pause in typing; the page's CSP lets it (no errors)."""
    from tests.conftest import make_organisation

    make_organisation(name_ar="جمعية بذور المعرفة", name_en="Seeds of Knowledge", acronym="SOK")
    make_user("hana@example.org")
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, site, "hana@example.org")
    page.goto(f"{site}/ar/organisations/register/")
    hint = page.locator("#similar-live")
    expect(hint).to_be_empty()
    page.get_by_label("الاسم بالعربية").press_sequentially("بذور المعرفه", delay=30)
    expect(hint).to_contain_text("منظماتٌ مسجَّلة بأسماء مشابهة")
    expect(hint.get_by_role("link", name="جمعية بذور المعرفة")).to_be_visible()
    page.get_by_label("الاسم بالعربية").fill("اسم لا يشبه أحداً")
    expect(hint).to_be_empty()
    assert not problems, problems
