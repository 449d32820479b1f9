from django.contrib.sitemaps import Sitemap

from events.models import Event
from platform_site.audience import ANONYMOUS_AUDIENCE


class EventSitemap(Sitemap):
    """Public events, upcoming and past, in both languages."""

    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self):
        return Event.objects.visible_to(ANONYMOUS_AUDIENCE).order_by("pk")

    def lastmod(self, event):
        return event.updated_at
