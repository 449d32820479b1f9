from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.utils import is_mfa_enabled
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from credentials import services
from credentials.middleware import SECOND_FACTORS
from platform_site.audience import session_is_verified
from platform_site.ratelimit import limit_reached

# Set-up links a staff account may ask for: enough for a lost e-mail, not for a mail bomb.
LINKS_PER_HOUR = 3


def _staff_without_factor(request) -> bool:
    user = request.user
    return user.is_staff and not is_mfa_enabled(user, SECOND_FACTORS)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrolment(request):
    """Staff without an authenticator: ask for the one-time set-up link by e-mail."""
    if not _staff_without_factor(request):
        raise Http404
    if request.method == "POST":
        if limit_reached(f"enrolment-links:{request.user.pk}", LINKS_PER_HOUR, 3600):
            messages.error(
                request, _("Too many links were asked for. Please try again in an hour.")
            )
            return render(request, "credentials/enrolment.html", status=429)
        services.send_enrolment_link(user=request.user)
        messages.success(
            request,
            _("A set-up link was sent to %(email)s. It works once, within 24 hours.")
            % {"email": request.user.email},
        )
        return redirect("credentials:enrolment")
    return render(request, "credentials/enrolment.html")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, token):
    """The e-mailed link: GET shows a button (mail scanners open links), POST redeems it."""
    if not _staff_without_factor(request):
        raise Http404
    if request.method == "POST":
        if not services.redeem_enrolment_link(request=request, token=token):
            raise Http404
        return redirect("mfa_activate_totp")
    return render(request, "credentials/enrol.html")


@never_cache
@login_required
@require_safe
def enrolment_done(request):
    """Right after the set-up: the recovery codes, once, and the way on to the admin."""
    if not (request.session.pop(services.CODES_KEY, False) and session_is_verified(request)):
        raise Http404
    authenticator = Authenticator.objects.filter(
        user=request.user, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    if authenticator is None:
        raise Http404
    codes = RecoveryCodes(authenticator).get_unused_codes()
    return render(request, "credentials/enrolment_done.html", {"codes": codes})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def calendar_links(request):
    """The person's private calendar links; a new token revokes every earlier link."""
    if request.method == "POST":
        services.rotate_calendar_token(user=request.user)
        messages.success(request, _("New calendar links were made; the old ones no longer work."))
        return redirect("credentials:calendar")
    token = services.calendar_token_for(request.user)
    WorkingGroup = apps.get_model("working_groups", "WorkingGroup")  # an app above this one
    groups = WorkingGroup.objects.filter(pk__in=request.audience.group_ids).order_by("pk")
    links = [
        (
            group,
            request.build_absolute_uri(
                reverse("working_groups:calendar", kwargs={"slug": group.slug}) + f"?token={token}"
            ),
        )
        for group in groups
    ]
    return render(request, "credentials/calendar.html", {"links": links})
