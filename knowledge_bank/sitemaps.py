from django.contrib.sitemaps import Sitemap

from knowledge_bank.models import ReportSeries
from platform_site.audience import ANONYMOUS_AUDIENCE


class ReportSeriesSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self):
        return ReportSeries.objects.visible_to(ANONYMOUS_AUDIENCE).order_by("pk")

    def lastmod(self, series):
        return series.updated_at
