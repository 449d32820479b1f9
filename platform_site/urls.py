from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from advocacy import views as advocacy_views
from advocacy.sitemaps import StatementSitemap
from events.sitemaps import EventSitemap
from knowledge_bank import views as knowledge_bank_views
from knowledge_bank.sitemaps import ReportSeriesSitemap
from members.sitemaps import OrganisationSitemap
from news.sitemaps import NewsSitemap
from platform_site import account_views, cockpit, views
from platform_site.audience import session_is_verified
from platform_site.sitemaps import StaticPagesSitemap
from working_groups.sitemaps import WorkingGroupSitemap

# The admin login goes through allauth: same rate limits, same two-factor step.
admin.site.login = secure_admin_login(admin.site.login)


def _admin_has_permission(request) -> bool:
    """The admin opens for active staff whose session passed a second factor: a password-only
    staff session is a plain signed-in person there too (platform_site.audience)."""
    user = request.user
    return user.is_active and user.is_staff and session_is_verified(request)


admin.site.has_permission = _admin_has_permission
admin.site.site_header = _("Syrian Education Platform — coordination")
admin.site.site_title = _("Syrian Education Platform")
admin.site.index_title = _("Coordination")
# The app list beside every page takes a quarter of a laptop's width (lists were cut at 1,280
# px); the index and the breadcrumbs lead to every section.
admin.site.enable_nav_sidebar = False
cockpit.install(admin.site)  # the front page shows every waiting queue (platform_site/cockpit.py)

sitemaps = {
    "pages": StaticPagesSitemap,
    "organisations": OrganisationSitemap,
    "working-groups": WorkingGroupSitemap,
    "priorities": StatementSitemap,
    "news": NewsSitemap,
    "events": EventSitemap,
    "report-series": ReportSeriesSitemap,
}

urlpatterns = [
    path("", views.root_redirect),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("api/v1/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("about/membership/", include("network.urls")),
    path("accounts/api-tokens/", include("api.token_urls")),
    path("accounts/preferences/", account_views.preferences, name="account_preferences"),
    path("accounts/", include("credentials.urls")),
    path("accounts/", include("allauth.urls")),
    path("unsubscribe/<str:token>/", account_views.unsubscribe, name="unsubscribe"),
    path("admin/audit/", admin.site.admin_view(views.audit_log), name="audit_log"),
    path("admin/", admin.site.urls),
    path("", include("corrections.urls")),
    path("", include("members.urls")),
    path("working-groups/", include("working_groups.urls")),
    path("priorities/", include("advocacy.urls")),
    path("knowledge-bank/", include("knowledge_bank.urls")),
    path("coverage/", knowledge_bank_views.CoverageView.as_view(), name="coverage"),
    path("contact/", advocacy_views.contact, name="contact"),
    path("news/", include("news.urls")),
    path("events/", include("events.urls")),
    path("search/", include("search.urls")),
    prefix_default_language=True,
)

# Uploads straight from the disk on a developer's machine (`make run` runs with DEBUG off, so
# that people see the site's own error pages); in production the proxy or S3 serves them.
if settings.DEBUG or settings.ENVIRONMENT == "development":
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
