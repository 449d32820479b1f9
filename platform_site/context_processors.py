from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, reverse, translate_url
from django.utils.translation import get_language

# The addresses every page's header and footer link to (base.html), by name.
SITE_URLS = (
    "home",
    "about",
    "contact",
    "coverage",
    "account_login",
    "account_logout",
    "account_preferences",
    "account_signup",
    "admin:index",
    "advocacy:list",
    "events:list",
    "knowledge_bank:list",
    "members:dashboard",
    "members:list",
    "news:list",
    "search:results",
    "working_groups:list",
)


def site(request):
    """What base.html needs on every page."""
    return {"SITE_URL": settings.SITE_URL, "PRODUCTION": settings.PRODUCTION}


def language_links(request):
    """Links to the same page and query string in each language (no JavaScript needed)."""
    full_path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(full_path, code)
        if url == full_path and full_path[3:4] == "/" and full_path[1:3] != code:
            url = f"/{code}{full_path[3:]}"  # a page that does not resolve (404)
        links.append({"code": code, "url": url})
    return {"language_links": links}


def site_urls(request):
    """`site_urls.<name>` (":" written "_") for base.html: reversed once per language and
    process instead of about twenty times on every page; a section that is not installed
    gives "" (its link is left out)."""
    return {"site_urls": _site_urls(get_language(), get_script_prefix())}


@lru_cache(maxsize=8)
def _site_urls(language: str, prefix: str) -> dict[str, str]:
    urls = {}
    for name in SITE_URLS:
        try:
            urls[name.replace(":", "_")] = reverse(name)
        except NoReverseMatch:
            urls[name.replace(":", "_")] = ""
    return urls
