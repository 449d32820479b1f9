"""Corrections that anyone signed in suggests to an organisation's public profile.

The organisation's editors (and coordinators) accept them field by field or decline them with
a reason; accepted values go through the organisation's own save, so history records them.
This app sits beside working_groups and knowledge_bank: it imports members only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Organisation
from platform_site.audience import Audience

# The profile fields a correction may touch (all shown on the public profile).
CORRECTABLE_FIELDS = [
    "name_ar",
    "name_en",
    "acronym",
    "aliases",
    "org_type",
    "description_ar",
    "description_en",
    "founded_year",
    "hq_country",
    "hq_city",
    "website",
    "public_email",
    "public_phone",
]


class CorrectionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Correction.Status.OPEN)

    def visible_to(self, who):
        """Those who decide see them; the person who suggested one sees their own."""
        audience = Audience.of(who)
        if audience.is_coordinator:
            return self.all()
        seen = Q(organisation__in=sorted(audience.editable_organisation_ids))
        if audience.user_id:
            seen |= Q(proposed_by=audience.user_id)
        return self.filter(seen)

    def editable_by(self, who):
        """Corrections this audience may accept or decline: its organisations' (or all, for
        coordinators)."""
        audience = Audience.of(who)
        if audience.is_coordinator:
            return self.all()
        return self.filter(organisation__in=sorted(audience.editable_organisation_ids))


class Correction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Partly accepted")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="suggested_corrections",
    )
    language = models.CharField(
        _("language for e-mail"), max_length=5, choices=settings.LANGUAGES, default="ar"
    )
    proposed = models.JSONField(_("proposed values"), default=dict)
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    accepted_fields = models.JSONField(_("accepted fields"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason for the decision"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suggested correction")
        verbose_name_plural = _("suggested corrections")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "accepted", "partly", "declined"]),
                name="correction_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="correction_open_idx")]

    def __str__(self):
        return f"{self.organisation} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("corrections:detail", kwargs={"slug": self.organisation.slug, "pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
