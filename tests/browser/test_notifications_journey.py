"""A member sets their preferences and answers a meeting invitation; a person unsubscribes from
a link in an e-mail without signing in — in Arabic and in English."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from members import services as member_services
from platform_site.mail import unsubscribe_token
from platform_site.models import Preferences
from tests.browser.test_members_journey import log_in, log_out
from tests.conftest import make_group, make_meeting, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            {
                "title": "Preferences",
                "name": "Your name as others should see it",
                "english": "English",
                "never": "Never",
                "statements": "Priority statements: review, publication and endorsements",
                "save": "Save",
                "saved": "Your preferences were saved.",
            },
        ),
        (
            "ar",
            {
                "title": "التفضيلات",
                "name": "اسمك كما يراه الآخرون",
                "english": "English",
                "never": "أبداً",
                "statements": "بيانات الأولويات: المراجعة والنشر والتأييد",
                "save": "حفظ",
                "saved": "حُفظت تفضيلاتك.",
            },
        ),
    ],
)
def test_preferences_page(page, site, language, texts):
    user = make_user("rana@member.example.org")
    make_organisation(members=[(user, "admin")])
    log_in(page, site, user.email, language)
    page.goto(f"{site}/{language}/accounts/preferences/")
    expect(page.get_by_role("heading", name=texts["title"], exact=True)).to_be_visible()
    page.get_by_label(texts["name"]).fill("Rana Haddad")
    page.get_by_label(texts["english"], exact=True).check()
    page.get_by_label(texts["statements"]).uncheck()
    page.get_by_label(texts["never"]).check()
    page.get_by_role("button", name=texts["save"]).click()
    expect(page.locator(".alert-success")).to_contain_text(texts["saved"])
    expect(page.get_by_label(texts["name"])).to_have_value("Rana Haddad")
    preferences = Preferences.objects.get(user=user)
    assert (preferences.display_name, preferences.email_language, preferences.digest) == (
        "Rana Haddad",
        "en",
        "never",
    )
    assert preferences.muted_categories == ["statements"]
    scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert scroll


@pytest.mark.parametrize(
    ("language", "button", "done"),
    [("en", "Unsubscribe", "You will no longer receive"), ("ar", "إلغاء الاشتراك", "لن تصلك")],
)
def test_unsubscribe_from_an_email_link_without_signing_in(page, site, language, button, done):
    editor = make_user("editor@seeds.example.org")
    Preferences.objects.create(user=editor, email_language=language)
    organisation = make_organisation(members=[(editor, "admin")])
    member_services.suspend_organisation(organisation=organisation, by=None, reason="Test")
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/unsubscribe/\S+/", message.body).group(0)
    assert f"/{language}/unsubscribe/" in link
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.get_by_role("button", name=button).click()
    expect(page.locator(".alert-success")).to_contain_text(done)
    assert Preferences.objects.get(user=editor).muted_categories == ["organisation"]


def test_a_forged_unsubscribe_link_shows_a_clear_page(page, site):
    editor = make_user()
    token = unsubscribe_token(editor, "groups")
    page.goto(f"{site}/ar/unsubscribe/{token[:-3]}xyz/")
    expect(page.get_by_role("heading", name="هذا الرابط لا يعمل")).to_be_visible()
    expect(page.locator("main")).to_contain_text("لم يتغيّر شيء")
    assert not Preferences.objects.filter(user=editor).exists()


def test_a_member_answers_an_invitation_and_the_lead_sees_it(page, site):
    lead = make_user("lead@lead-org.example.org")
    member = make_user("member@seeds.example.org")
    lead_org = make_organisation(name_en="Lead Org", members=[(lead, "admin")])
    member_org = make_organisation(name_en="Seeds", members=[(member, "admin")])
    group = make_group(name_en="Teacher Support Group", leads=[lead_org], members=[member_org])
    make_meeting(group, title="Planning meeting", days=5)
    log_in(page, site, member.email, "en")
    page.goto(f"{site}/en/working-groups/{group.slug}/")
    page.get_by_role("button", name="Attending", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Your answer was saved.")
    expect(page.get_by_role("button", name="Attending", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    log_out(page, site)
    log_in(page, site, lead.email)
    page.goto(f"{site}/ar/working-groups/{group.slug}/")
    expect(page.locator(".meeting-counts")).to_contain_text("سأحضر: 1")
