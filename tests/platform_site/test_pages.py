import re
import subprocess
import sys

import pytest

from tests.conftest import make_organisation

ARABIC = re.compile("[\u0600-\u06ff]")


def visible_text(html: str) -> str:
    """The text a reader sees (scripts, styles and tags dropped)."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_root_redirects_to_arabic(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_every_page_sets_lang_and_dir(client, prefix, direction):
    for path in ("", "about/", "organisations/", "accounts/login/", "accounts/signup/", "nothing/"):
        html = client.get(f"/{prefix}/{path}").content.decode()
        assert f'<html lang="{prefix}" dir="{direction}">' in html, path


@pytest.mark.django_db
def test_home_shows_live_counts(client):
    make_organisation(name_en="Counted One")
    make_organisation(name_en="Counted Two")
    make_organisation(name_en="Hidden", low_profile=True)
    make_organisation(name_en="Pending", status="pending")
    response = client.get("/en/")
    assert response.context["counts"]["organisations"] == 2
    assert "<strong>2</strong> member organisations" in response.content.decode()
    arabic = client.get("/ar/").content.decode()
    assert "<strong>2</strong> منظمتان عضوان" in arabic  # the dual, not «2 منظمة عضواً»
    assert "<strong>0</strong> مجموعة عمل" in arabic


@pytest.mark.django_db
def test_counted_phrases_follow_arabic_number_agreement():
    from django.utils import translation
    from django.utils.translation import npgettext

    def label(n, singular, plural):
        return npgettext("home statistics", singular, plural, n) % {"counter": n}

    with translation.override("ar"):
        groups = [
            label(
                n,
                "<strong>%(counter)s</strong> working group",
                "<strong>%(counter)s</strong> working groups",
            )
            for n in (1, 2, 5, 11, 100)
        ]
    assert [g.split("</strong> ")[1] for g in groups] == [
        "مجموعة عمل",
        "مجموعتا عمل",
        "مجموعات عمل",
        "مجموعةَ عمل",
        "مجموعة عمل",
    ]


@pytest.mark.django_db
def test_english_pages_have_no_arabic_interface_words(client):
    for path in (
        "/en/",
        "/en/about/",
        "/en/organisations/",
        "/en/accounts/login/",
        "/en/nothing/",
        "/en/working-groups/",
        "/en/priorities/",
        "/en/priorities/by-subsector/",
        "/en/contact/",
    ):
        text = visible_text(client.get(path).content.decode())
        # The language switch names Arabic in Arabic on purpose.
        assert not ARABIC.search(text.replace("العربية", "")), (path, ARABIC.findall(text)[:5])


@pytest.mark.django_db
def test_arabic_pages_have_no_english_interface_words(client):
    allowed = {"English", "CSV", "Excel", "HXL"}  # the language switch and file formats
    for path in (
        "/ar/",
        "/ar/about/",
        "/ar/organisations/",
        "/ar/accounts/login/",
        "/ar/nothing/",
        "/ar/working-groups/",
        "/ar/priorities/",
        "/ar/contact/",
    ):
        text = visible_text(client.get(path).content.decode())
        words = set(re.findall(r"[A-Za-z]{3,}", text)) - allowed
        assert not words, (path, sorted(words)[:10])


@pytest.mark.django_db
def test_language_switch_keeps_page_and_query(client):
    response = client.get("/ar/organisations/?q=school&governorate=SY01")
    links = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert links["en"] == "/en/organisations/?q=school&governorate=SY01"
    assert 'href="/en/organisations/?q=school&amp;governorate=SY01"' in response.content.decode()


@pytest.mark.django_db
def test_not_found_page_is_translated(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()


@pytest.mark.django_db
def test_levantine_month_names(client):
    from datetime import date

    from django.template.defaultfilters import date as date_filter
    from django.utils import translation

    with translation.override("ar"):
        months = [date_filter(date(2026, month, 1), "F") for month in range(1, 13)]
    assert months == [
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ]


def test_health_checks(client, db):
    assert client.get("/healthz").content == b"ok"
    assert client.get("/readyz").json().items() >= {"status": "ok", "database": "ok"}.items()
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_robots_and_sitemap_list_public_pages_only(client):
    public = make_organisation(name_en="Public Org")
    hidden = make_organisation(name_en="Hidden Org", low_profile=True)
    pending = make_organisation(name_en="Pending Org", status="pending")
    assert "Sitemap:" in client.get("/robots.txt").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/ar/organisations/{public.slug}/" in sitemap
    assert f"/en/organisations/{public.slug}/" in sitemap
    assert hidden.slug not in sitemap and pending.slug not in sitemap
    assert "/ar/about/" in sitemap


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/ar/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_third_party_hosts_in_pages(client):
    for path in ("/ar/", "/en/organisations/", "/ar/accounts/login/"):
        html = client.get(path).content.decode()
        sources = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        assert all("testserver" in url or "example.org" in url for url in sources), sources


@pytest.mark.django_db
def test_unsupported_methods_answer_405(client):
    assert client.put("/ar/").status_code == 405
    assert client.delete("/ar/about/").status_code == 405
    assert client.generic("TRACE", "/ar/organisations/").status_code == 405


def _start(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 64,
    "ALLOWED_HOSTS": "edu.example.org",
    "EMAIL_HOST": "smtp.example.org",
}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "dev-only-insecure-key-never-use-in-production"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DEBUG": "perhaps"}, "DEBUG"),
        ({"DATABASE_URL": "mysql://db/x"}, "DATABASE_URL"),
        ({"DJANGO_ENV": "staging"}, "DJANGO_ENV"),
        ({"STAFF_REQUIRE_MFA": "false"}, "STAFF_REQUIRE_MFA"),
    ],
)
def test_bad_settings_stop_start_up_naming_the_setting(change, named):
    result = _start({**PRODUCTION, **change})
    assert result.returncode != 0
    assert named in result.stderr


def test_production_settings_start():
    result = _start(PRODUCTION)
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_pages_carry_no_inline_styles_or_scripts(client, organisation, editor):
    """The Content-Security-Policy would block them: the page would look broken."""
    from tests.conftest import make_group, make_meeting

    group = make_group(leads=[organisation])
    make_meeting(group, visibility="public")
    client.force_login(editor)
    for path in (
        "/ar/",
        "/ar/about/",
        "/ar/organisations/",
        organisation.get_absolute_url(),
        f"/ar/organisations/{organisation.slug}/edit/",
        "/ar/dashboard/",
        "/ar/working-groups/",
        group.get_absolute_url(),
        "/ar/organisations/register/",
    ):
        html = client.get(path).content.decode()
        assert ' style="' not in html and "<style" not in html, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
