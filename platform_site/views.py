from django.apps import apps
from django.contrib.admin import site as admin_site
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe
from django.views.generic import TemplateView

from platform_site import audit
from platform_site.cache import AUDIENCE, cache_page
from platform_site.forms import AuditFilterForm
from platform_site.readiness import readiness


def query_without_page(request) -> str:
    """The current filters as a query string, for pagination and export links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _public(model_label: str, queryset_verb: str):
    """A model's public rows through its queryset verb.

    platform_site sits below the other apps and must not import them, so it asks the
    app registry instead.
    """
    return getattr(apps.get_model(model_label).objects, queryset_verb)()


@method_decorator(cache_page(AUDIENCE), name="dispatch")
class HomeView(TemplateView):
    template_name = "platform_site/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = {
            "organisations": _public("members.Organisation", "public").count(),
            "groups": _public("working_groups.WorkingGroup", "public").count(),
            "priorities": _public("advocacy.PriorityStatement", "published").count(),
        }
        context["latest_round"] = _public("advocacy.PriorityRound", "published").first()
        return context


class AboutView(TemplateView):
    template_name = "platform_site/about.html"


@require_safe
def root_redirect(request):
    """`/` always opens the Arabic site (docs/product.md §5)."""
    return redirect("/ar/")


@require_safe
@cache_control(no_store=True)
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@cache_control(no_store=True)
def readyz(request):
    """Each dependency's state; 503 when the site cannot serve (platform_site.readiness)."""
    answer, status = readiness()
    return JsonResponse(answer, status=status)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /ar/admin/",
        "Disallow: /en/admin/",
        "Disallow: /ar/accounts/",
        "Disallow: /en/accounts/",
        "Disallow: /ar/dashboard/",
        "Disallow: /en/dashboard/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def audit_log(request):
    """The latest changes across the site, for coordinators: who changed what, when and why.

    Approvals, rejections, publications, join decisions and role changes all leave a row;
    filters narrow it by who, what kind of object and when. Each row links to the object's
    full history in the admin.
    """
    if not request.audience.is_coordinator:
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None, kinds=audit.kinds())
    filters = form.cleaned_data if form.is_valid() else {}
    rows = (
        audit.entries(
            email=filters.get("email", "").strip(),
            kind=filters.get("kind", ""),
            since=filters.get("since"),
            until=filters.get("until"),
        )
        if not form.is_bound or form.is_valid()
        else []
    )
    return TemplateResponse(
        request,
        "admin/audit_log.html",
        {
            **admin_site.each_context(request),
            "title": _("Audit log"),
            "rows": rows,
            "form": form,
            "row_limit": audit.AUDIT_ROWS,
        },
    )
