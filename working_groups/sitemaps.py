from django.contrib.sitemaps import Sitemap

from working_groups.models import WorkingGroup


class WorkingGroupSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "weekly"

    def items(self):
        return WorkingGroup.objects.public().order_by("pk").only("slug", "updated_at")

    def lastmod(self, group):
        return group.updated_at
