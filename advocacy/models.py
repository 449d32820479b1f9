from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Governorate, Organisation, Subsector, visible_q
from platform_site.audience import Audience
from platform_site.search import SearchQuerySet
from platform_site.text import unique_slug
from working_groups.models import WorkingGroup


def in_language(obj, field: str) -> str:
    """`obj.<field>_<active language>`, falling back to the other language."""
    first = "en" if get_language() == "en" else "ar"
    second = "ar" if first == "en" else "en"
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}") or ""


class TextInTwoLanguages:
    """For models with `body_ar`/`body_en`: which language the shown body is written in."""

    @property
    def body_language(self) -> str:
        first = "en" if get_language() == "en" else "ar"
        return first if getattr(self, f"body_{first}") else ("ar" if first == "en" else "en")


RESERVED_SLUGS = {"rounds", "feed", "mine", "new", "by-subsector"}


class PriorityStatementQuerySet(SearchQuerySet):
    def published(self):
        """Statements the public may read: published at least once, not withdrawn or archived.

        While a new version is drafted or reviewed, the last published version stays public.
        """
        return self.filter(version__gte=1).exclude(
            status__in=[PriorityStatement.Status.WITHDRAWN, PriorityStatement.Status.ARCHIVED]
        )

    def visible_to(self, who):
        """Published statements for everyone (their author is named only to those who may see
        it, see `advocacy.views`); drafts and reviews for their authors and coordinators."""
        return self.published() | self.previewable_by(who)

    def editable_by(self, who):
        """Statements this person may draft: their organisation's, or their group's as lead."""
        audience = Audience.of(who)
        return self.filter(
            Q(author_organisation__in=sorted(audience.active_organisation_ids))
            | Q(author_group__in=WorkingGroup.objects.led_by(audience).exclude(status="archived"))
        ).exclude(
            status__in=[PriorityStatement.Status.WITHDRAWN, PriorityStatement.Status.ARCHIVED]
        )

    def previewable_by(self, who):
        if Audience.of(who).is_coordinator:
            return self.all()
        return self.editable_by(who)


class PriorityStatement(TextInTwoLanguages, models.Model):
    """A priority statement. Its title, summary and body fields are the working copy; every
    publication freezes them into a `StatementVersion`, which is what the public reads."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("statement status", "Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", pgettext_lazy("statement status", "Published")
        WITHDRAWN = "withdrawn", pgettext_lazy("statement status", "Withdrawn")
        ARCHIVED = "archived", pgettext_lazy("statement status", "Archived")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=90, unique=True, allow_unicode=True)
    summary = models.TextField(_("summary"), blank=True, max_length=1000)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Paragraphs separated by an empty line. Lines starting with “- ” make a list; "
            "**bold**, *emphasis* and [links](https://…) are allowed."
        ),
    )
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("author organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    author_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("author working group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    subsectors = models.ManyToManyField(
        Subsector, verbose_name=_("sub-sectors"), blank=True, related_name="statements"
    )
    governorates = models.ManyToManyField(
        Governorate, verbose_name=_("governorates"), blank=True, related_name="statements"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    review_comment = models.TextField(_("comments from the review"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("published version"), default=0)
    current = models.OneToOneField(
        "StatementVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PriorityStatementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("priority statement")
        verbose_name_plural = _("priority statements")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "in_review", "published", "withdrawn", "archived"]
                ),
                name="statement_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(author_organisation__isnull=False, author_group__isnull=True)
                | Q(author_organisation__isnull=True, author_group__isnull=False),
                name="statement_one_author",
            ),
        ]

    def __str__(self):
        return in_language(self, "title")

    def save(self, *args, **kwargs):
        if not self.slug:  # /priorities/<reserved>/ are other pages
            self.slug = unique_slug(
                PriorityStatement,
                self.title_en,
                self.title_ar,
                fallback="statement",
                reserved=RESERVED_SLUGS,
                max_length=80,
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("advocacy:detail", kwargs={"slug": self.slug})

    @property
    def author(self):
        return self.author_organisation or self.author_group

    @property
    def is_public(self) -> bool:
        return self.version >= 1 and self.status not in {
            self.Status.WITHDRAWN,
            self.Status.ARCHIVED,
        }


class StatementVersion(TextInTwoLanguages, models.Model):
    """The frozen text of one published version."""

    statement = models.ForeignKey(
        PriorityStatement,
        verbose_name=_("statement"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    title_ar = models.CharField(_("title (Arabic)"), max_length=250, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    summary_ar = models.TextField(_("summary (Arabic)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    body_ar = models.TextField(_("text (Arabic)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    substantive = models.BooleanField(
        _("substantive change"),
        default=False,
        help_text=_("Endorsing organisations are asked to confirm again."),
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["statement", "number"]
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        constraints = [
            models.UniqueConstraint(fields=["statement", "number"], name="statement_version_unique")
        ]

    def __str__(self):
        return f"{self.statement} — v{self.number}"

    def get_absolute_url(self):
        return reverse(
            "advocacy:version", kwargs={"slug": self.statement.slug, "number": self.number}
        )

    @property
    def title(self):
        return in_language(self, "title")

    @property
    def summary(self):
        return in_language(self, "summary")

    @property
    def body(self):
        return in_language(self, "body")


class EndorsementQuerySet(models.QuerySet):
    def live(self):
        return self.filter(withdrawn_at__isnull=True)

    def visible_to(self, who):
        """Endorsements by organisations this audience may see (low-profile ones stay hidden
        from the public)."""
        return self.filter(visible_q(who, "organisation__"))

    def editable_by(self, who):
        """Endorsements the person may withdraw: their own active organisations'."""
        return self.filter(organisation__in=sorted(Audience.of(who).active_organisation_ids))


class Endorsement(models.Model):
    """An organisation co-signs a statement. `version` is the version it endorsed: after a
    substantive change it stays on the earlier one until the organisation confirms again."""

    statement = models.ForeignKey(
        PriorityStatement,
        verbose_name=_("statement"),
        on_delete=models.CASCADE,
        related_name="endorsements",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="endorsements",
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("endorsed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("endorsed version"))
    endorsed_at = models.DateTimeField(_("endorsed at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["endorsed_at"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="endorsement_one_live",
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.statement}"


class ContactMessage(models.Model):
    """A message from a donor or any visitor to the secretariat (seen only in admin)."""

    class Topic(models.TextChoices):
        PARTNERSHIP = "partnership", _("Partnership or funding")
        PRIORITIES = "priorities", _("The network's priorities")
        MEMBERSHIP = "membership", _("Joining the network")
        MEDIA = "media", _("Media")
        OTHER = "other", pgettext_lazy("contact topic", "Other")

    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    handled = models.BooleanField(_("handled"), default=False)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message to the secretariat")
        verbose_name_plural = _("messages to the secretariat")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    topic__in=["partnership", "priorities", "membership", "media", "other"]
                ),
                name="contact_message_topic_valid",
            )
        ]

    def __str__(self):
        return f"{self.name} — {self.get_topic_display()}"


# --- priority-setting rounds ------------------------------------------------------------

POINTS_PER_BALLOT = 100


class PriorityRoundQuerySet(models.QuerySet):
    def visible(self):
        """Rounds anyone may see: everything but drafts."""
        return self.exclude(status=PriorityRound.Status.DRAFT)

    def published(self):
        return self.filter(status=PriorityRound.Status.PUBLISHED)

    def visible_to(self, who):
        return self.visible()

    def results_visible_to(self, who):
        """Results are public once published; coordinators may check them once closed."""
        shown = [PriorityRound.Status.PUBLISHED]
        if Audience.of(who).is_coordinator:
            shown.append(PriorityRound.Status.CLOSED)
        return self.filter(status__in=shown)


class PriorityRound(models.Model):
    """Member organisations spread 100 points over candidate priorities."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("round status", "Draft")
        OPEN = "open", pgettext_lazy("round status", "Open for voting")
        CLOSED = "closed", pgettext_lazy("round status", "Closed")
        PUBLISHED = "published", pgettext_lazy("round status", "Results published")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=90, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("voting opens at"))
    closes_at = models.DateTimeField(_("voting closes at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PriorityRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("priority-setting round")
        verbose_name_plural = _("priority-setting rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed", "published"]),
                name="round_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opening"
            ),
        ]

    def __str__(self):
        return in_language(self, "title")

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                PriorityRound, self.title_en, self.title_ar, fallback="round", max_length=80
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("advocacy:round", kwargs={"slug": self.slug})

    def is_accepting_ballots(self, now) -> bool:
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at


class Candidate(models.Model):
    round = models.ForeignKey(
        PriorityRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="candidates"
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    subsector = models.ForeignKey(
        Subsector,
        verbose_name=_("sub-sector"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["round", "position", "pk"]
        verbose_name = _("candidate priority")
        verbose_name_plural = _("candidate priorities")

    def __str__(self):
        return in_language(self, "title")


class Ballot(models.Model):
    """One organisation's ballot in a round; its points are in `Allocation` rows."""

    round = models.ForeignKey(
        PriorityRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="ballots"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="ballots",
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cast by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("cast at"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="ballot_one_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.round}"


class Allocation(models.Model):
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="allocations"
    )
    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("candidate priority"),
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    points = models.PositiveSmallIntegerField(_("points"))

    class Meta:
        verbose_name = _("points given")
        verbose_name_plural = _("points given")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "candidate"], name="allocation_unique"),
            models.CheckConstraint(
                condition=Q(points__lte=POINTS_PER_BALLOT), name="allocation_points_range"
            ),
        ]

    def __str__(self):
        return f"{self.candidate}: {self.points}"
