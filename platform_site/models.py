"""The e-mail outbox, each person's notification preferences, and the search vocabulary.

Every e-mail the platform writes is an `Email` row, rendered in its recipient's language and
saved in the same transaction as the change that caused it, with a task that delivers it
(`platform_site.tasks.deliver_email`). The row carries the state a coordinator needs to see
(pending, sending, sent, failed) and the content to send again.

These models sit in platform_site because every app sends e-mail; they import no app above.
"""

import uuid

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    """What an e-mail is about: each can be turned off on the preferences page, and each
    e-mail's unsubscribe link turns off its own category."""

    ORGANISATION = "organisation", _("My organisation: applications, status and profile reminders")
    GROUPS = "groups", _("Working groups: requests to join and decisions")
    MEETINGS = "meetings", _("Meeting invitations, changes and cancellations")
    EVENTS = "events", _("Events: my registrations, waiting lists and places")
    STATEMENTS = "statements", _("Priority statements: review, publication and endorsements")
    COORDINATION = (
        "coordination",
        _("Coordination: new applications, statements to review, messages and the daily summary"),
    )
    DIGEST = "digest", _("The weekly digest")
    # Address confirmations, password resets, sign-in codes: always sent, never offered to turn
    # off; their bodies hold one-time links, kept from the admin and erased once sent.
    ACCOUNT = "account", _("Account: address confirmation, password reset and sign-in codes")


class Preferences(models.Model):
    class Digest(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        NEVER = "never", _("Never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="preferences",
    )
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("How the platform greets you and names you to others."),
    )
    email_language = models.CharField(
        _("language of e-mails"),
        max_length=5,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the language chosen with each organisation."),
    )
    muted_categories = models.JSONField(_("notifications turned off"), default=list, blank=True)
    digest = models.CharField(
        _("digest"), max_length=10, choices=Digest.choices, default=Digest.WEEKLY
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(digest__in=["weekly", "never"]), name="preferences_digest_valid"
            )
        ]

    def __str__(self):
        return self.display_name or str(self.user_id)

    def wants(self, category: str) -> bool:
        if category == Category.ACCOUNT:
            return True
        if category == Category.DIGEST:
            return self.digest == self.Digest.WEEKLY
        return category not in self.muted_categories


class EmailQuerySet(models.QuerySet):
    def waiting(self):
        """Not delivered yet and not given up: the coordinators' worry list."""
        return self.filter(status__in=[Email.Status.PENDING, Email.Status.SENDING])

    def failed(self):
        return self.filter(status=Email.Status.FAILED)


class Email(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent (or interrupted)")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed after the last try")
        DROPPED = "dropped", _("Dropped (recipient no longer active)")

    # Deleting a person deletes the e-mails addressed to them: nothing personal stays, and a
    # task that finds its row gone drops the e-mail.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.EmailField(_("address"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    template = models.CharField(_("template"), max_length=120)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"))
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # The Message-ID: the same on every try, so a receiving server can recognise a repeat.
    key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next try"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = pgettext_lazy("outbox", "e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed", "dropped"]),
                name="email_status_valid",
            )
        ]

    def __str__(self):
        return self.subject


class SearchWord(models.Model):
    """A word of the search documents: the vocabulary that typed words are compared with when
    a search finds nothing (typos, platform_site.search). Words are added as documents are
    written and never removed: a stale word only costs a correction that finds nothing, and
    results are always read through the reader's access rules."""

    word = models.CharField(_("word"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


class ImportJob(models.Model):
    """One spreadsheet import by a coordinator, run by the worker (platform_site.importing).

    The upload is stored (the media storage) and read twice by a background task: a preview
    (nothing written) and, once the coordinator confirms, the import (every row in one
    transaction). The row keeps what the pages show: the progress, the totals per kind and
    the first rows of each kind with their reasons — never the whole file's results."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        PREVIEWING = "previewing", _("Reading the file")
        PREVIEWED = "previewed", _("Preview ready")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Not imported")
        DECLINED = "declined", _("Declined")

    RUNNING = (Status.QUEUED, Status.PREVIEWING, Status.IMPORTING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    model = models.CharField(_("imported into"), max_length=100)  # "members.organisation"
    file_name = models.CharField(_("file"), max_length=255)
    storage_name = models.CharField(_("stored file"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    totals = models.JSONField(_("rows per kind"), default=dict, blank=True)
    preview = models.JSONField(_("first rows of each kind"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "queued",
                        "previewing",
                        "previewed",
                        "importing",
                        "imported",
                        "failed",
                        "declined",
                    ]
                ),
                name="importjob_status_valid",
            )
        ]

    def __str__(self):
        return self.file_name

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.totals.get("invalid") or self.totals.get("error"))

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.PREVIEWED and not self.has_errors


class Session(AbstractBaseSession):
    """A signed-in session, naming its person so that both are read in one query
    (platform_site.sessions._SessionReader). Deleting a person deletes their sessions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # A session may name a person deleted a moment before it was saved: it then simply
        # reads no user, as Django's sessions would.
        db_constraint=False,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from platform_site.sessions import SessionStore

        return SessionStore
