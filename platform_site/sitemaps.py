from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    """Public pages that are not objects; each app adds its own sitemap for its objects."""

    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self):
        return ["home", "about", "network:membership", "news:list", "events:list", "events:past"]

    def location(self, item):
        return reverse(item)
