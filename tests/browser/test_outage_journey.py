"""With Redis and the object store stopped, a visitor browses the directory, searches and
opens a profile (the logo falls back to the initial), an editor signs in and saves the
profile, and /readyz tells the truth (docs/deploy.md, "Outages")."""

import json
import re

import pytest
from playwright.sync_api import expect

from members.models import Organisation
from tests import files
from tests.browser.test_members_journey import log_in
from tests.conftest import make_organisation, make_user
from tests.faults.conftest import (  # noqa: F401 - fixtures
    redis_server,
    s3_bucket,
    s3_server,
    shared_cache,
)
from tests.members.test_profile import edit_url, form_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("shared_cache", "s3_bucket")
def test_browsing_and_editing_with_redis_and_storage_stopped(page, site, client, request):
    redis, storage = (request.getfixturevalue(name) for name in ("redis_server", "s3_server"))
    editor = make_user("rima@lanterns.example.org")
    organisation = make_organisation(
        name_ar="جمعية الفوانيس", name_en="Lanterns Society", members=[(editor, "admin")]
    )
    client.force_login(editor)
    data = form_data(client, organisation)
    data["logo_upload"] = files.jpeg_with_gps()
    assert client.post(edit_url(organisation), data).status_code == 302
    redis.stop()
    storage.stop()

    page.goto(f"{site}/ar/organisations/")
    page.locator("main input[name=q]").first.fill("الفوانيس")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"q="))
    logo = page.locator(".org-card img").first
    expect(logo).to_be_visible()
    # The store is down: the image does not load, and its ::after draws the initial instead.
    page.wait_for_function("() => document.querySelector('.org-card img').complete")
    assert logo.evaluate("img => img.naturalWidth") == 0
    assert logo.evaluate("img => getComputedStyle(img, '::after').content") == '"ج"'
    page.get_by_role("link", name="جمعية الفوانيس").click()
    expect(page.locator("h1")).to_contain_text("جمعية الفوانيس")

    log_in(page, site, editor.email, language="en")
    page.goto(f"{site}/en/organisations/{organisation.slug}/edit/")
    page.locator("#id_description_en").fill("Still saving while Redis rests.")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".alert-success")).to_contain_text("The profile was saved.")
    assert (
        Organisation.objects.get(pk=organisation.pk).description_en
        == "Still saving while Redis rests."
    )

    ready = page.request.get(f"{site}/readyz")
    assert ready.status == 200
    assert (
        json.loads(ready.text()).items()
        >= {
            "status": "degraded",
            "database": "ok",
            "cache": "unavailable",
            "object_storage": "unavailable",
        }.items()
    )
