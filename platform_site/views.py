from django.apps import apps
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe
from django.views.generic import TemplateView


def _public(model_label: str, queryset_verb: str):
    """A model's public rows through its queryset verb.

    platform_site sits below the other apps and must not import them, so it asks the
    app registry instead.
    """
    return getattr(apps.get_model(model_label).objects, queryset_verb)()


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
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


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
