import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-password-7"


def test_arabic_first_and_language_switch(page, site):
    page.goto(f"{site}/")
    expect(page).to_have_url(f"{site}/ar/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    page.locator("a.lang-switch").click()
    expect(page).to_have_url(f"{site}/en/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.get_by_role("link", name="Directory").first.click()
    page.goto(f"{site}/en/organisations/?q=school")
    page.locator("a.lang-switch").click()
    expect(page).to_have_url(f"{site}/ar/organisations/?q=school")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_sign_up_confirm_log_in_log_out(page, site):
    page.goto(f"{site}/en/accounts/signup/")
    page.locator("input[name=display_name]").fill("Rana Haddad")
    page.locator("input[name=email]").fill("newcomer@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    link = re.search(r"https?://\S+/confirm-email/[^\s\u200e]+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    # Confirmed in the browser that signed up: signed in at once, no password typed again.
    expect(page.get_by_role("heading", name="My organisation")).to_be_visible()
    page.get_by_role("link", name="Log out").click()
    page.get_by_role("button", name="Sign Out").click()

    page.goto(f"{site}/en/accounts/login/")
    page.locator("input[name=login]").fill("newcomer@example.org")
    page.locator("input[name=password]").fill("wrong-password-here")
    page.get_by_role("button", name="Sign In").click()
    expect(
        page.get_by_text("The email address and/or password you specified are not correct.")
    ).to_be_visible()
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="My organisation")).to_be_visible()
    expect(page.get_by_text("Rana Haddad")).to_be_visible()  # greeted by the chosen name

    page.get_by_role("link", name="Log out").click()
    page.get_by_role("button", name="Sign Out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_confirming_in_another_browser_asks_for_the_password(browser, page, site):
    page.goto(f"{site}/en/accounts/signup/")
    page.locator("input[name=display_name]").fill("Samir Khoury")
    page.locator("input[name=email]").fill("elsewhere@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    link = re.search(r"https?://\S+/confirm-email/[^\s\u200e]+", mail.outbox[-1].body).group(0)
    other = browser.new_context().new_page()
    other.goto(link)
    other.get_by_role("button", name="Confirm").click()
    expect(other.locator("input[name=password]")).to_be_visible()  # the login page
    other.context.close()


def test_arabic_login_error_is_translated(page, site):
    page.goto(f"{site}/ar/accounts/login/")
    page.locator("input[name=login]").fill("nobody@example.org")
    page.locator("input[name=password]").fill("wrong-password-here")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text("غير صحيحة")


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("path", ["", "accounts/login/", "accounts/signup/", "organisations/"])
def test_no_serious_accessibility_violations(page, site, language, path):
    page.goto(f"{site}/{language}/{path}")
    results = Axe().run(page)
    serious = [
        (violation["id"], violation["help"])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not serious, serious


def test_pages_work_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/ar/organisations/")
    page.locator("main").get_by_role("button", name="بحث").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("a.lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()


def test_no_request_leaves_the_site(page, site):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for path in ("/ar/", "/en/organisations/", "/ar/accounts/login/"):
        page.goto(f"{site}{path}")
    assert requests and all(url.startswith(site) for url in requests), requests
