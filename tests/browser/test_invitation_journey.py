"""An organisation administrator invites a colleague in Arabic; the page never says whether the
address has an account; the colleague opens the e-mailed link, logs in, joins, and the
administrator withdraws a second invitation."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from members.models import Invitation, OrganisationMember
from tests.browser.test_members_journey import log_in, log_out
from tests.conftest import PASSWORD, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAME_ANSWER = "إذا كان هذا العنوان لشخص ما، فستصله دعوة."


def test_invite_accept_join_and_withdraw(page, site):
    admin = make_user("nour@seeds.example.org")
    organisation = make_organisation(
        name_ar="جمعية بذور المعرفة", name_en="Seeds of Knowledge", members=[(admin, "admin")]
    )
    colleague = make_user("rami@seeds.example.org")

    # 1. The administrator invites an existing account and an unknown address: same answer.
    log_in(page, site, admin.email)
    page.goto(f"{site}/ar/organisations/{organisation.slug}/users/")
    for email in (colleague.email, "nobody@elsewhere.example.org"):
        page.get_by_label("عنوان البريد الإلكتروني").fill(email)
        page.get_by_role("button", name="إرسال الدعوة").click()
        expect(page.locator(".alert-success")).to_have_text(re.compile(SAME_ANSWER))
    expect(page.locator("main")).to_contain_text("دعوات بانتظار الرد")
    assert [m.to for m in mail.outbox] == [[colleague.email], ["nobody@elsewhere.example.org"]]
    link = re.search(r"https?://\S+/ar/invitations/\S+/", mail.outbox[0].body).group(0)
    assert not OrganisationMember.objects.filter(user=colleague).exists()

    # 2. The administrator withdraws the second invitation.
    row = page.locator("main li").filter(has_text="nobody@elsewhere.example.org")
    row.get_by_role("button", name="سحب").click()
    expect(page.locator(".alert-success")).to_contain_text("سُحبت الدعوة")
    assert Invitation.objects.get(email="nobody@elsewhere.example.org").withdrawn_at
    log_out(page, site)

    # 3. The colleague opens the link, logs in from it, and joins.
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("جمعية بذور المعرفة")
    page.get_by_role("link", name="تسجيل الدخول").last.click()
    page.locator("input[name=login]").fill(colleague.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/ar/invitations/"))
    page.get_by_role("button", name="الانضمام إلى المنظمة").click()
    expect(page).to_have_url(re.compile(r"/ar/dashboard/$"))
    expect(page.locator(".alert-success")).to_contain_text("جمعية بذور المعرفة")
    assert OrganisationMember.objects.get(user=colleague).role == "editor"

    # 4. The link is spent.
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("الصفحة غير موجودة")
