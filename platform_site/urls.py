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
from knowledge_bank import views as knowledge_bank_views
from members.sitemaps import OrganisationSitemap
from platform_site import views
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

sitemaps = {
    "pages": StaticPagesSitemap,
    "organisations": OrganisationSitemap,
    "working-groups": WorkingGroupSitemap,
    "priorities": StatementSitemap,
}

urlpatterns = [
    path("", views.root_redirect),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("accounts/", include("allauth.urls")),
    path("admin/audit/", admin.site.admin_view(views.audit_log), name="audit_log"),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("working-groups/", include("working_groups.urls")),
    path("priorities/", include("advocacy.urls")),
    path("knowledge-bank/", include("knowledge_bank.urls")),
    path("coverage/", knowledge_bank_views.CoverageView.as_view(), name="coverage"),
    path("contact/", advocacy_views.contact, name="contact"),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
