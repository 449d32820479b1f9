from django.conf import settings
from django.urls import translate_url


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
