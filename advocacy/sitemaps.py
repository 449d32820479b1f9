from django.contrib.sitemaps import Sitemap

from advocacy.models import PriorityStatement


class StatementSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self):
        return PriorityStatement.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, statement):
        return statement.updated_at
