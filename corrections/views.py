from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from corrections import services
from corrections.forms import DecisionForm, SuggestForm, display_value, field_label
from corrections.models import CORRECTABLE_FIELDS, Correction
from members.models import Organisation

RATE = 5  # suggestions per person per hour
RATE_WINDOW = 3600
OPEN_PER_ORGANISATION = 3  # open suggestions per person and organisation


def _reviewable(audience):
    """Organisations whose corrections this audience decides."""
    if audience.is_coordinator:
        return Organisation.objects.all()
    return Organisation.objects.editable_by(audience)


def _limited(request, organisation) -> str | None:
    """Why this person may not suggest now (a translated message), or None."""
    key = f"corrections-rate:{request.user.pk}"
    if cache.get(key, 0) >= RATE:
        return _("You have sent many suggestions in the last hour. Please try again later.")
    open_count = Correction.objects.open().filter(
        organisation=organisation, proposed_by=request.user
    )
    if open_count.count() >= OPEN_PER_ORGANISATION:
        return _("Your earlier suggestions for this organisation are still waiting for a decision.")
    return None


def _count(request):
    key = f"corrections-rate:{request.user.pk}"
    if cache.add(key, 1, RATE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW)


@require_http_methods(["GET", "POST"])
@verified_email_required
def suggest(request, slug):
    """Anyone signed in who can see the profile suggests new values for named fields."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.audience), slug=slug)
    form = SuggestForm(request.POST or None, organisation=organisation)
    limited = _limited(request, organisation) if request.method == "POST" else None
    if limited:
        form.is_valid()
        form.add_error(None, limited)
    elif request.method == "POST" and form.is_valid():
        services.suggest_correction(
            organisation=organisation,
            by=request.user,
            proposed=form.proposed,
            reason=form.cleaned_data["reason"],
            language=get_language() or "ar",
        )
        _count(request)
        messages.success(
            request,
            _(
                "Thank you. The organisation's editors will review your suggestion; you will get "
                "an e-mail when they decide."
            ),
        )
        return redirect(organisation)
    status = 429 if limited else (400 if form.errors else 200)
    return render(
        request,
        "corrections/suggest.html",
        {"form": form, "organisation": organisation},
        status=status,
    )


@require_safe
@login_required
def correction_list(request, slug):
    organisation = get_object_or_404(_reviewable(request.audience), slug=slug)
    corrections = (
        Correction.objects.editable_by(request.audience)
        .filter(organisation=organisation)
        .select_related("proposed_by", "decided_by")[:100]
    )
    return render(
        request,
        "corrections/correction_list.html",
        {"organisation": organisation, "corrections": corrections},
    )


def side_by_side(correction) -> list[dict]:
    organisation = correction.organisation
    rows = []
    for name in CORRECTABLE_FIELDS:
        if name not in correction.proposed:
            continue
        field = Organisation._meta.get_field(name)
        rows.append(
            {
                "name": name,
                "label": field_label(name),
                "current": display_value(field, getattr(organisation, name)),
                "proposed": display_value(field, correction.proposed[name]),
                "accepted": name in correction.accepted_fields,
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@login_required
def correction_detail(request, slug, pk):
    """Current and proposed values side by side; accept field by field or decline."""
    correction = get_object_or_404(
        Correction.objects.editable_by(request.audience).select_related(
            "organisation", "proposed_by"
        ),
        organisation__slug=slug,
        pk=pk,
    )
    form = DecisionForm(request.POST or None, correction=correction)
    if request.method == "POST" and correction.is_open and form.is_valid():
        if form.cleaned_data["decision"] == DecisionForm.ACCEPT:
            services.accept_correction(
                correction=correction,
                fields=form.cleaned_data["fields_accepted"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The accepted values are now on the profile."))
        else:
            services.decline_correction(
                correction=correction, by=request.user, note=form.cleaned_data["note"]
            )
            messages.success(request, _("The suggestion was declined."))
        return redirect("corrections:list", slug=correction.organisation.slug)
    if request.method == "POST" and not correction.is_open:
        messages.error(request, _("This suggestion was already decided."))
        return redirect("corrections:list", slug=correction.organisation.slug)
    return render(
        request,
        "corrections/correction_detail.html",
        {
            "correction": correction,
            "organisation": correction.organisation,
            "rows": side_by_side(correction),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
