"""Network-wide events: meetings, trainings and workshops, with registration for members.

This app imports members and working_groups (organisations register; an event may be for one
group), so it sits beside knowledge_bank: platform_site ← members ← working_groups ← events.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Organisation
from platform_site.audience import Audience
from platform_site.search import SearchQuerySet
from platform_site.text import index_text, unique_slug
from working_groups.models import WorkingGroup


class EventQuerySet(SearchQuerySet):
    def visible_to(self, who):
        """Published (or cancelled) events by audience: public ones for everyone, members'
        ones for members, a group's for its member and lead organisations; coordinators see
        every event, drafts included."""
        audience = Audience.of(who)
        if audience.is_coordinator:
            return self.all()
        seen = Q(audience=Event.Audience.PUBLIC)
        if audience.is_member:
            seen |= Q(audience=Event.Audience.MEMBERS)
        if audience.group_ids:
            seen |= Q(audience=Event.Audience.GROUP, working_group__in=sorted(audience.group_ids))
        return self.exclude(status=Event.Status.DRAFT).filter(seen)

    def editable_by(self, who):
        return self.all() if Audience.of(who).is_coordinator else self.none()

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def past(self):
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")


class Event(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", pgettext_lazy("event kind", "Network meeting")
        TRAINING = "training", pgettext_lazy("event kind", "Training")
        WORKSHOP = "workshop", pgettext_lazy("event kind", "Workshop")
        AWARENESS = "awareness", pgettext_lazy("event kind", "Awareness session")
        CONFERENCE = "conference", pgettext_lazy("event kind", "Conference")
        OTHER = "other", pgettext_lazy("event kind", "Other")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone (public)")
        MEMBERS = "members", _("Network members")
        GROUP = "group", _("Members of a working group")

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")
        BOTH = "both", _("Arabic and English")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", pgettext_lazy("event status", "Published")
        CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")

    title = models.CharField(_("title"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=90, unique=True, allow_unicode=True, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=600)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TRAINING)
    starts_at = models.DateTimeField(_("starts at"), help_text=_("Damascus time."))
    ends_at = models.DateTimeField(_("ends at"), help_text=_("Damascus time."))
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("A town or a venue's public name. Never a street address."),
    )
    online_url = models.URLField(_("online link"), blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ARABIC
    )
    audience = models.CharField(
        _("for whom"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    registration_open = models.BooleanField(
        _("members may register"),
        default=False,
        help_text=_("Users of active member organisations register on the event's page."),
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    places_per_organisation = models.PositiveSmallIntegerField(
        _("places per organisation"),
        default=2,
        help_text=_("How many people one organisation may register (waiting list included)."),
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the places are taken, further registrations wait for a free place."),
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events and trainings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["meeting", "training", "workshop", "awareness", "conference", "other"]
                ),
                name="event_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["public", "members"])
                | Q(audience="group", working_group__isnull=False),
                name="event_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "cancelled"]),
                name="event_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["ar", "en", "both"]), name="event_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(title_ar__gt="") | Q(title_en__gt=""), name="event_has_a_title"
            ),
        ]
        indexes = [models.Index(fields=["status", "ends_at"], name="event_dates_idx")]

    def __str__(self):
        return self.title or self.title_ar or self.title_en or ""

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Event, self.title_en, self.title_ar, fallback="event", max_length=80
            )
        self.search_text = index_text(
            self.title_ar,
            self.title_en,
            self.summary_ar,
            self.summary_en,
            self.place_ar,
            self.place_en,
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def accepts_registrations(self) -> bool:
        return (
            self.registration_open
            and self.status == self.Status.PUBLISHED
            and self.starts_at > timezone.now()
        )

    @property
    def other_language(self) -> str | None:
        """The language the event is written in when it lacks the page's language, else None
        (the page then shows that language's text, labelled)."""
        languages = [c for c in ("ar", "en") if (getattr(self, f"title_{c}") or "").strip()]
        current = (get_language() or "ar")[:2]
        return None if current in languages or not languages else languages[0]


class RegistrationQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=Registration.LIVE)

    def visible_to(self, who):
        """A person sees their own registrations and their organisations'; coordinators all."""
        audience = Audience.of(who)
        if audience.is_coordinator:
            return self.all()
        if not audience.user_id:
            return self.none()
        return self.filter(
            Q(person_id=audience.user_id)
            | Q(organisation__in=sorted(audience.active_organisation_ids))
        )

    def editable_by(self, who):
        """Cancelled by the person who registered (or a coordinator)."""
        audience = Audience.of(who)
        if audience.is_coordinator:
            return self.all()
        return self.filter(person_id=audience.user_id) if audience.user_id else self.none()


class Registration(models.Model):
    """A person registered for an event on behalf of their member organisation."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("registration status", "Place confirmed")
        WAITING = "waiting", pgettext_lazy("registration status", "On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")

    LIVE = [Status.CONFIRMED, Status.WAITING]

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(status__in=["confirmed", "waiting"]),
                name="registration_one_live_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "waiting", "cancelled"]),
                name="registration_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.organisation}"


class MaterialQuerySet(models.QuerySet):
    def visible_to(self, who):
        """Materials of the events this audience sees."""
        return self.filter(event__in=Event.objects.visible_to(who))


class Material(models.Model):
    """A presentation, handout or recording link shared after the event."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="events/%Y/", blank=True)
    file_type = models.CharField(_("file type"), max_length=5, blank=True, editable=False)
    url = models.URLField(_("link"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="event_material_file_or_link"
            )
        ]

    def __str__(self):
        return self.title or self.title_ar or self.title_en or ""
