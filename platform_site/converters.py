"""The `<uslug:...>` path converter and the same check for slugs that arrive as parameters."""

import re

from django.urls import register_converter


class UnicodeSlugConverter:
    """Slugs as `platform_site.text.unique_slug` makes them: Unicode letters, digits, «_» and
    «-». Anything else (a NUL character, which PostgreSQL refuses in a query) is no page: the
    URL does not match and answers 404 without reaching the database."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def is_slug(value) -> bool:
    return isinstance(value, str) and re.fullmatch(UnicodeSlugConverter.regex, value) is not None


def register() -> None:
    """Called once from PlatformSiteConfig.ready(), before any URLconf is read."""
    register_converter(UnicodeSlugConverter, "uslug")
