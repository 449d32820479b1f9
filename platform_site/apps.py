from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformSiteConfig(AppConfig):
    name = "platform_site"
    verbose_name = _("Site")

    def ready(self):
        from platform_site import converters
        from platform_site.cache import connect_invalidation

        converters.register()
        connect_invalidation()
