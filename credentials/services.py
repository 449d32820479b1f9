"""Staff enrolment (a second proof before an authenticator is set up) and calendar tokens.

A staff account's password alone never reaches the authenticator set-up: the set-up opens only
in a session that redeemed a one-time link e-mailed to the account's address (sent from the
"two-factor set-up" page or by `manage.py invite_coordinator`). When the authenticator is added
in such a session, allauth's own `record_authentication` records the "mfa" authentication, so
the new coordinator can go on to the admin after seeing the recovery codes once.
"""

import time
from datetime import timedelta

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from credentials.models import CalendarToken, EnrolmentLink, new_token, token_hash
from platform_site.mail import send_templated_mail
from platform_site.models import Category

LINK_LIFETIME = timedelta(hours=24)
GRANT_SECONDS = 15 * 60  # time to scan the code and type it once the link was opened
GRANT_KEY = "credentials.enrolment"
CODES_KEY = "credentials.show_recovery_codes"


def send_enrolment_link(*, user) -> EnrolmentLink:
    """E-mail a new one-time set-up link to the account's address; earlier links stop working."""
    token = new_token()
    with transaction.atomic():
        EnrolmentLink.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
        link = EnrolmentLink.objects.create(
            user=user,
            token_hash=token_hash(token),
            expires_at=timezone.now() + LINK_LIFETIME,
        )
        path = _enrolment_path(token)
        send_templated_mail(
            template="credentials/email/enrolment",
            recipients=[(user.email, translation.get_language() or settings.LANGUAGE_CODE)],
            context={
                "path": path,
                "hours": int(LINK_LIFETIME.total_seconds() // 3600),
                "reset_path": (
                    "" if user.has_usable_password() else reverse("account_reset_password")
                ),
            },
            category=Category.COORDINATION,
        )
    return link


def _enrolment_path(token: str) -> str:
    return reverse("credentials:enrol", kwargs={"token": token})


def redeem_enrolment_link(*, request, token: str) -> bool:
    """Use a link of the signed-in person: the session may now set up an authenticator."""
    with transaction.atomic():
        link = (
            EnrolmentLink.objects.usable()
            .select_for_update()
            .filter(user=request.user, token_hash=token_hash(token))
            .first()
        )
        if link is None:
            return False
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    request.session[GRANT_KEY] = {"user": request.user.pk, "until": time.time() + GRANT_SECONDS}
    return True


def enrolment_granted(request) -> bool:
    grant = request.session.get(GRANT_KEY)
    return bool(
        grant and grant.get("user") == request.user.pk and grant.get("until", 0) > time.time()
    )


def complete_enrolment(request) -> None:
    """The authenticator was just set up in a session that redeemed a link: the code typed to
    set it up is the second factor, so record it (allauth's own record) and the admin opens."""
    record_authentication(request, request.user, "mfa", type="totp", enrolment=True)
    request.session.pop(GRANT_KEY, None)
    request.session[CODES_KEY] = True


# --- calendar tokens ----------------------------------------------------------------------


def calendar_token_for(user) -> str:
    """The person's calendar token, created on first use (one query once it exists)."""
    token = CalendarToken.objects.filter(user=user).values_list("token", flat=True).first()
    if token is None:
        try:
            token = CalendarToken.objects.create(user=user).token
        except IntegrityError:  # two first requests at once: the other one made it
            token = CalendarToken.objects.get(user=user).token
    return token


def rotate_calendar_token(*, user) -> str:
    """A new token: every earlier private calendar link stops working."""
    token, _created = CalendarToken.objects.update_or_create(
        user=user, defaults={"token": new_token(), "created_at": timezone.now()}
    )
    return token.token


def user_for_calendar_token(token: str):
    """The active owner of a calendar token, or None."""
    if not token or len(token) > 64:
        return None
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        return None
    return found.user
