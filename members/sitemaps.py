from django.contrib.sitemaps import Sitemap

from members.models import Organisation


class OrganisationSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Organisation.objects.public().order_by("pk").only("slug", "updated_at")

    def lastmod(self, organisation):
        return organisation.updated_at
