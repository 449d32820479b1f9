"""Admin actions are thin: they call a service for each selected object and report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render


def run_service(modeladmin, request, queryset, service, success, *, argument: str, **extra):
    """Call `service(<argument>=obj, by=request.user, **extra)` for each selected object.

    `success(n)` gives the message for n successes; refusals are reported one by one.
    """
    done = 0
    for obj in queryset:
        try:
            service(**{argument: obj}, by=request.user, **extra)
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, success(done), messages.SUCCESS)


def run_service_with_text(
    modeladmin,
    request,
    queryset,
    service,
    success,
    *,
    argument: str,
    text_argument: str,
    title: str,
    explanation: str,
):
    """Ask for a text (a reason, review comments) on an intermediate page, then run the service."""
    text = request.POST.get("text", "").strip()
    if "apply" in request.POST and text:
        run_service(
            modeladmin,
            request,
            queryset,
            service,
            success,
            argument=argument,
            **{text_argument: text},
        )
        return None
    return render(
        request,
        "admin/action_text.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "explanation": explanation,
            "objects": queryset,
            "action": request.POST.get("action"),
            "opts": modeladmin.model._meta,
            "text_missing": "apply" in request.POST,
        },
    )
