from django.contrib.sitemaps import Sitemap

from news.models import NewsItem
from platform_site.audience import ANONYMOUS_AUDIENCE


class NewsSitemap(Sitemap):
    """Published public news, in both languages."""

    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self):
        return NewsItem.objects.visible_to(ANONYMOUS_AUDIENCE).published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at
