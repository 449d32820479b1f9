"""The scheduled e-mails, run every 15 minutes by `manage.py send_scheduled_emails`.

- Profile renewal reminders: 30 days before a profile becomes stale (not confirmed for a
  year) and on the day, once each.
- A weekly digest for each member who wants it: what is new for them in the network, built
  only from what their audience may see (`visible_to(Audience.of(user))`); sent only when
  there is something.
- A daily summary for coordinators of what waits for them; sent only when something waits.

Each e-mail is written once: a `SentOnce` key is stored in the same transaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from advocacy.models import PriorityRound, PriorityStatement
from knowledge_bank.models import Resource
from members.models import FRESHNESS, Organisation
from members.services import organisation_recipients
from notifications.models import SentOnce
from platform_site.audience import Audience, holds_coordinator_role
from platform_site.mail import preferences_of, send_templated_mail
from platform_site.models import Category, Email
from working_groups.models import Meeting

REMINDER_DAYS = 30
# A reminder due while the job was not running still goes, if it is at most this late.
LATE_GRACE = timedelta(days=7)
DIGEST_WEEKDAY = 6  # Sunday, the first working day of the week in Syria
MORNING_HOUR = 8  # Damascus time
MEETINGS_AHEAD = timedelta(days=14)


def once(key: str, write) -> bool:
    """Run `write` (which writes e-mails) only if `key` was never used; True if it ran."""
    try:
        with transaction.atomic():
            SentOnce.objects.create(key=key)
            write()
    except IntegrityError:
        return False
    return True


# --- renewal reminders ------------------------------------------------------------------


def renewal_reminders(now: datetime) -> int:
    """Profiles that become stale within 30 days get a reminder; on the day, another."""
    earliest = now - FRESHNESS - LATE_GRACE
    latest = now - FRESHNESS + timedelta(days=REMINDER_DAYS)
    organisations = Organisation.objects.active().filter(
        verified_at__gt=earliest, verified_at__lte=latest
    )
    written = 0
    for organisation in organisations:
        stale_at = organisation.verified_at + FRESHNESS
        if now >= stale_at:
            days, kind = 0, "renewal-0"
        elif now >= stale_at - timedelta(days=REMINDER_DAYS):
            days, kind = math.ceil((stale_at - now) / timedelta(days=1)), "renewal-30"
        else:
            continue
        written += once(
            f"{kind}:{organisation.pk}:{stale_at.date().isoformat()}",
            lambda organisation=organisation, days=days: send_templated_mail(
                template="notifications/email/renewal",
                recipients=organisation_recipients(organisation),
                context={"organisation": organisation, "days": days},
                category=Category.ORGANISATION,
            ),
        )
    return written


# --- weekly digest ----------------------------------------------------------------------


@dataclass
class Digest:
    organisations: list = field(default_factory=list)
    statements: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    rounds_opening: list = field(default_factory=list)
    rounds_closing: list = field(default_factory=list)
    resources: list = field(default_factory=list)

    def __bool__(self):
        return any(vars(self).values())


def digest_for(user, now: datetime) -> Digest:
    """What is new for this person in the last week, as their audience may see it."""
    audience = Audience.of(user)
    since = now - timedelta(days=7)
    own = sorted(audience.active_organisation_ids)
    endorsed = Q(endorsements__organisation__in=own, endorsements__withdrawn_at__isnull=True)
    return Digest(
        organisations=list(
            Organisation.objects.visible_to(audience)
            .filter(approved_at__gte=since)
            .exclude(pk__in=own)
            .order_by("approved_at")[:20]
        ),
        statements=list(
            PriorityStatement.objects.visible_to(audience)
            .filter(status=PriorityStatement.Status.PUBLISHED, published_at__gte=since)
            .exclude(author_organisation__in=own)
            .exclude(endorsed)
            .distinct()
            .order_by("published_at")[:20]
        ),
        meetings=list(
            Meeting.objects.visible_to(audience)
            .filter(
                group__in=sorted(audience.group_ids),
                starts_at__gte=now,
                starts_at__lte=now + MEETINGS_AHEAD,
                cancelled_at__isnull=True,
            )
            .select_related("group")
            .order_by("starts_at")[:20]
        ),
        rounds_opening=list(
            PriorityRound.objects.visible_to(audience).filter(
                status=PriorityRound.Status.OPEN, opens_at__gte=since
            )
        ),
        rounds_closing=list(
            PriorityRound.objects.visible_to(audience).filter(
                status=PriorityRound.Status.OPEN,
                closes_at__gte=now,
                closes_at__lte=now + timedelta(days=7),
            )
        ),
        resources=list(
            Resource.objects.visible_to(audience)
            .filter(created_at__gte=since)
            .order_by("created_at")[:20]
        ),
    )


def weekly_digests(now: datetime) -> int:
    local = timezone.localtime(now)
    if local.weekday() != DIGEST_WEEKDAY or local.hour < MORNING_HOUR:
        return 0
    year, week, _day = local.isocalendar()
    people = (
        get_user_model()
        .objects.filter(is_active=True, organisation_memberships__isnull=False)
        .distinct()
        .select_related("preferences")
    )
    written = 0
    for user in people:
        if not preferences_of(user).wants(Category.DIGEST) or not Audience.of(user).is_member:
            continue
        digest = digest_for(user, now)
        if not digest:
            continue
        written += once(
            f"digest:{user.pk}:{year}-W{week:02d}",
            lambda user=user, digest=digest: send_templated_mail(
                template="notifications/email/digest",
                recipients=[user],
                context={"digest": digest},
                category=Category.DIGEST,
            ),
        )
    return written


# --- daily summary for coordinators -----------------------------------------------------


def coordinator_summary(now: datetime) -> int:
    local = timezone.localtime(now)
    if local.hour < MORNING_HOUR:
        return 0
    counts = {
        "applications": Organisation.objects.filter(status=Organisation.Status.PENDING).count(),
        "statements": PriorityStatement.objects.filter(
            status=PriorityStatement.Status.IN_REVIEW
        ).count(),
        "failed": Email.objects.failed().count(),
    }
    if not any(counts.values()):
        return 0
    staff = get_user_model().objects.filter(is_active=True, is_staff=True)
    written = 0
    for user in staff:
        if not holds_coordinator_role(user):
            continue
        written += once(
            f"summary:{user.pk}:{local.date().isoformat()}",
            lambda user=user: send_templated_mail(
                template="notifications/email/summary",
                recipients=[user],
                context={"counts": counts},
                category=Category.COORDINATION,
            ),
        )
    return written


def run_all(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {
        "reminders": renewal_reminders(now),
        "digests": weekly_digests(now),
        "summaries": coordinator_summary(now),
    }
