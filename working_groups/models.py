from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from members.models import Organisation, Subsector
from platform_site.audience import Audience
from platform_site.text import unique_slug


def organisations_of(who):
    """Active organisations the person works for (any role)."""
    return Organisation.objects.own(who)


class WorkingGroupQuerySet(models.QuerySet):
    def public(self):
        """Groups shown in lists and counted on the home page (archived ones are not)."""
        return self.exclude(status=WorkingGroup.Status.ARCHIVED)

    def visible_to(self, who):
        """Groups are public (their pages show what each reader may see of them)."""
        return self.all()

    def led_by(self, who):
        """Groups this person leads through one of their organisations; coordinators lead all."""
        audience = Audience.of(who)
        if audience.is_coordinator:
            return self.all()
        return self.filter(pk__in=sorted(audience.led_group_ids))

    def joined_by(self, who):
        """Groups the person's organisations lead or belong to."""
        return self.filter(pk__in=sorted(Audience.of(who).group_ids))


class WorkingGroup(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for new members")
        CLOSED = "closed", pgettext_lazy("working group status", "Closed")
        ARCHIVED = "archived", pgettext_lazy("working group status", "Archived")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    mandate = models.TextField(_("mandate (terms of reference)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    subsectors = models.ManyToManyField(
        Subsector, verbose_name=_("sub-sectors"), blank=True, related_name="working_groups"
    )
    lead_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("lead organisations"), blank=True, related_name="led_groups"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name_ar"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed", "archived"]),
                name="working_group_status_valid",
            )
        ]

    def __str__(self):
        return self.name or self.name_ar or self.name_en

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(WorkingGroup, self.name_en, self.name_ar, fallback="group")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("working_groups:detail", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class GroupMembershipQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=GroupMembership.LIVE)

    def active(self):
        return self.filter(status=GroupMembership.Status.ACTIVE)


class GroupMembership(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", pgettext_lazy("group membership status", "Member")
        DECLINED = "declined", pgettext_lazy("group membership status", "Declined")
        LEFT = "left", _("Left the group")

    LIVE = [Status.REQUESTED, Status.ACTIVE]

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "organisation"],
                condition=Q(status__in=["requested", "active"]),
                name="group_membership_one_live",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "active", "declined", "left"]),
                name="group_membership_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.group}"


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, who):
        """Meetings by each meeting's visibility: public ones for everyone, network ones for
        members, group ones for the group's member and lead organisations."""
        audience = Audience.of(who)
        if audience.is_coordinator:
            return self.all()
        seen = Q(visibility=Meeting.Visibility.PUBLIC)
        if audience.is_member:
            seen |= Q(visibility=Meeting.Visibility.NETWORK)
        if audience.group_ids:
            seen |= Q(group__in=sorted(audience.group_ids))
        return self.filter(seen)

    def editable_by(self, who):
        return self.filter(group__in=WorkingGroup.objects.led_by(who))


class Meeting(models.Model):
    class Visibility(models.TextChoices):
        MEMBERS = "members", _("Members of the group")
        NETWORK = "network", _("All network members")
        PUBLIC = "public", _("Everyone (public)")

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    location_or_link = models.CharField(
        _("place or link"),
        max_length=300,
        blank=True,
        help_text=_("A town or an online meeting link. Never a street address."),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    visibility = models.CharField(
        _("who may see this meeting"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=["members", "network", "public"]),
                name="meeting_visibility_valid",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_upcoming(self) -> bool:
        return self.starts_at >= timezone.now()

    @property
    def link(self) -> str:
        """The location as a link when it is a web address."""
        value = self.location_or_link.strip()
        return value if value.startswith(("https://", "http://")) else ""
