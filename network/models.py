"""The network itself: its bodies and teams, its membership criteria and code of conduct.

This app sits just above platform_site and below members (it imports only platform_site):
members records, with each application, which version of the code of conduct the applicant
accepted (`Organisation.conduct_version`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platform_site.audience import Audience


class CoordinatorEditedQuerySet(models.QuerySet):
    def editable_by(self, who):
        """Coordinators edit the network's own pages (in the admin); nobody else does."""
        return self.all() if Audience.of(who).is_coordinator else self.none()


class BodyQuerySet(CoordinatorEditedQuerySet):
    def visible_to(self, who):
        """The network's structure is public."""
        return self.all()


class Body(models.Model):
    """A part of the network's structure: the coordinating body, its host, a team."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("role and responsibilities"), blank=True, max_length=3000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("body of the network")
        verbose_name_plural = _("structure of the network")

    def __str__(self):
        return self.name or self.name_ar or self.name_en


class TeamMemberQuerySet(CoordinatorEditedQuerySet):
    def named(self):
        """People who agreed to be named: the only ones the About page shows, to anyone."""
        return self.filter(named_consent_at__isnull=False)

    def visible_to(self, who):
        """People are named publicly only with their recorded consent; coordinators see all
        (in the admin, where consent is recorded)."""
        return self.all() if Audience.of(who).is_coordinator else self.named()


class TeamMember(models.Model):
    """A person in a body of the network, named on the About page only with their consent."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    named_consent_at = models.DateTimeField(
        _("agreed to be named on"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the person agreed to be named publicly; without it they are not shown."
        ),
    )
    named_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("person in the structure")
        verbose_name_plural = _("people in the structure")

    def __str__(self):
        return self.name or self.name_ar or self.name_en


class MembershipCriterionQuerySet(CoordinatorEditedQuerySet):
    def visible_to(self, who):
        return self.all()


class MembershipCriterion(models.Model):
    text = models.TextField(_("criterion"), max_length=1000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MembershipCriterionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("membership criterion")
        verbose_name_plural = _("membership criteria")

    def __str__(self):
        return (self.text or self.text_ar or self.text_en or "")[:80]


class CodeOfConductQuerySet(CoordinatorEditedQuerySet):
    def published(self):
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())

    def visible_to(self, who):
        """Published versions for everyone; drafts for coordinators."""
        return self.all() if Audience.of(who).is_coordinator else self.published()

    def current(self):
        """The version applicants accept today (the newest published one), or None."""
        return self.published().order_by("-version").first()


class CodeOfConduct(models.Model):
    """One version of the network's code of conduct. A published version is not edited: a
    change is a new version, which the next applications accept."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    text = models.TextField(_("text"), max_length=20000)
    published_at = models.DateTimeField(
        _("in force from"),
        null=True,
        blank=True,
        help_text=_("Empty for a draft. From this moment applicants are asked to accept it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CodeOfConductQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("code of conduct (version)")
        verbose_name_plural = _("code of conduct (versions)")
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="conduct_version_positive")
        ]

    def __str__(self):
        return _("Code of conduct, version %(number)s") % {"number": self.version}

    def get_absolute_url(self):
        return reverse("network:conduct_version", kwargs={"version": self.version})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()
