"""Delivering the outbox: one task per e-mail, run by the worker (`manage.py db_worker`).

At most once: an e-mail is marked "sending" and committed before the mail server is
contacted, so a worker killed in the middle of a batch leaves it "sending" (a coordinator sees
it and may send it again), never sends it twice. A mail server that refuses, times out or drops
the connection gets the e-mail again later, after a growing pause; after the last try the
e-mail is "failed", and coordinators see it in the admin and may send it again.

The task framework is django-tasks (the backport of Django 6's `django.tasks`) with its
database backend: the task row is written in the same transaction as the e-mail.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from platform_site.models import Category, Email

logger = logging.getLogger(__name__)

# Minutes between tries: eight tries over about eleven hours.
RETRY_DELAYS = (1, 5, 15, 30, 60, 180, 360)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


@task()
def deliver_email(email_id: int) -> str:
    from platform_site.mail import build_message

    with transaction.atomic():
        email = (
            Email.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=email_id)
            .first()
        )
        if email is None:  # the recipient was deleted, and their e-mails with them
            logger.info("E-mail %s dropped: it no longer exists", email_id)
            return "dropped"
        if email.status != Email.Status.PENDING:  # sent, failed, or taken by another task
            return email.status
        if email.recipient_id and not email.recipient.is_active:
            email.status = Email.Status.DROPPED
            email.save(update_fields=["status", "updated_at"])
            return email.status
        email.status = Email.Status.SENDING
        email.attempts += 1
        email.save(update_fields=["status", "attempts", "updated_at"])
    try:
        build_message(email).send()
    except Exception as error:  # noqa: BLE001 - refused, timed out, dropped, misconfigured
        return _after_failure(email, error)
    email.status = Email.Status.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    fields = ["status", "sent_at", "last_error", "updated_at"]
    if email.category == Category.ACCOUNT:  # one-time links and codes: not kept once sent
        email.body_text = email.body_html = ""
        fields += ["body_text", "body_html"]
    email.save(update_fields=fields)
    return email.status


def _after_failure(email: Email, error: Exception) -> str:
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= MAX_ATTEMPTS:
        email.status = Email.Status.FAILED
        email.save(update_fields=["status", "last_error", "updated_at"])
        logger.error("E-mail %s failed after %s tries: %s", email.pk, email.attempts, error)
        return email.status
    with transaction.atomic():
        email.status = Email.Status.PENDING
        email.next_attempt_at = timezone.now() + timedelta(minutes=RETRY_DELAYS[email.attempts - 1])
        email.save(update_fields=["status", "next_attempt_at", "last_error", "updated_at"])
        deliver_email.using(run_after=email.next_attempt_at).enqueue(email.pk)
    logger.warning(
        "E-mail %s not sent (try %s), next try at %s: %s",
        email.pk,
        email.attempts,
        email.next_attempt_at,
        error,
    )
    return "retry"


RESENDABLE = (Email.Status.FAILED, Email.Status.SENDING, Email.Status.DROPPED)


@transaction.atomic
def resend_email(*, email: Email) -> bool:
    """A coordinator sends a failed (or interrupted) e-mail again, with a fresh set of tries.
    Returns False for an e-mail that is waiting or already sent."""
    email = Email.objects.select_for_update().get(pk=email.pk)
    if email.status not in RESENDABLE:
        return False
    email.status = Email.Status.PENDING
    email.attempts = 0
    email.next_attempt_at = timezone.now()
    email.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    deliver_email.enqueue(email.pk)
    return True
