"""The `<uslug:...>` path converter."""

from django.urls import register_converter


class UnicodeSlugConverter:
    """Slugs as `platform_site.text.unique_slug` makes them: Unicode letters, digits, «_» and
    «-». Anything else is no page: the URL does not match and answers 404 without a query."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def register() -> None:
    """Called once from PlatformSiteConfig.ready(), before any URLconf is read."""
    register_converter(UnicodeSlugConverter, "uslug")
