from django.apps import apps
from django.contrib.admin import site as admin_site
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe
from django.views.generic import TemplateView

from platform_site.cache import cache_for_anonymous
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


@method_decorator(cache_for_anonymous, name="dispatch")
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
    """`/` always opens the Arabic site (DESIGN §5)."""
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


AUDIT_ROWS = 300


def _history_models():
    """Every history table of the project (simple_history names them Historical…)."""
    return [
        model
        for model in apps.get_models()
        if model.__name__.startswith("Historical") and hasattr(model, "history_date")
    ]


@require_GET
def audit_log(request):
    """The latest changes across the site, for coordinators: who changed what, and when.

    Approvals, rejections, publications, join decisions and role changes all leave a row.
    Objects are shown by type and number (their full history is one click away) so that
    the page reads no personal data it does not need.
    """
    if not request.audience.is_coordinator:
        raise PermissionDenied
    rows = []
    for model in _history_models():
        original = model.instance_type
        for row in model.objects.select_related("history_user").order_by("-history_date")[
            :AUDIT_ROWS
        ]:
            rows.append(
                {
                    "date": row.history_date,
                    "model": original._meta.verbose_name,
                    "object_id": row.id,
                    "change": row.get_history_type_display(),
                    "user": row.history_user.email if row.history_user else "",
                    "history_url": _admin_history_url(original, row.id),
                }
            )
    rows.sort(key=lambda item: item["date"], reverse=True)
    return TemplateResponse(
        request,
        "admin/audit_log.html",
        {**admin_site.each_context(request), "title": _("Audit log"), "rows": rows[:AUDIT_ROWS]},
    )


def _admin_history_url(model, object_id) -> str:
    try:
        return reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[object_id]
        )
    except NoReverseMatch:
        return ""
