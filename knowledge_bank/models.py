from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import (
    Governorate,
    Organisation,
    Subsector,
    TargetGroup,
    visible_q,
)
from platform_site.audience import Audience
from platform_site.lengths import DESCRIPTION, NAME, SUMMARY, capped
from platform_site.search import SearchQuerySet, remember_words
from platform_site.text import index_text, unique_slug
from platform_site.uploads import RandomName
from working_groups.models import WorkingGroup


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone (public)")
    MEMBERS = "members", _("Network members")


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, who):
        """Public programmes of organisations everyone sees; members see every programme of
        the organisations they see; people always see their own organisation's programmes."""
        audience = Audience.of(who)
        if audience.is_coordinator:
            return self.all()
        seen = visible_q(audience, "organisation__")
        if not audience.is_member:
            seen &= Q(visibility=Visibility.PUBLIC)
        if audience.organisation_ids:
            seen |= Q(organisation__in=sorted(audience.organisation_ids))
        return self.filter(seen)

    def editable_by(self, who):
        return self.filter(organisation__in=Organisation.objects.editable_by(who))

    def coverage(self):
        """Organisations and people reached per (governorate id, sub-sector id) cell, over the
        programmes of this queryset (filtered with at most one value per many-to-many field,
        as ProgrammeFilter does, so that no programme is counted twice)."""
        cells = (
            self.values("governorates", "subsectors")
            .annotate(organisations=Count("organisation", distinct=True), reached=Sum("reached"))
            .order_by()
        )
        return {
            (row["governorates"], row["subsectors"]): (row["organisations"], row["reached"] or 0)
            for row in cells
        }

    def organisations_per_governorate(self):
        """Organisations per governorate id, over the programmes of this queryset."""
        rows = (
            self.values("governorates")
            .annotate(organisations=Count("organisation", distinct=True))
            .order_by()
        )
        return {row["governorates"]: row["organisations"] for row in rows}


class Programme(models.Model):
    """A 4W record: who does what, where, when and for whom."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="programmes",
    )
    title = models.CharField(_("title"), max_length=NAME)
    subsectors = models.ManyToManyField(
        Subsector, verbose_name=_("sub-sectors"), related_name="programmes"
    )
    governorates = models.ManyToManyField(
        Governorate, verbose_name=_("governorates"), related_name="programmes"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="programmes"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ONGOING
    )
    targeted = models.PositiveIntegerField(_("people targeted"), null=True, blank=True)
    targeted_girls = models.PositiveIntegerField(_("girls targeted"), null=True, blank=True)
    targeted_boys = models.PositiveIntegerField(_("boys targeted"), null=True, blank=True)
    targeted_women = models.PositiveIntegerField(_("women targeted"), null=True, blank=True)
    targeted_men = models.PositiveIntegerField(_("men targeted"), null=True, blank=True)
    reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    reached_girls = models.PositiveIntegerField(_("girls reached"), null=True, blank=True)
    reached_boys = models.PositiveIntegerField(_("boys reached"), null=True, blank=True)
    reached_women = models.PositiveIntegerField(_("women reached"), null=True, blank=True)
    reached_men = models.PositiveIntegerField(_("men reached"), null=True, blank=True)
    funders = models.CharField(_("funders"), max_length=300, blank=True)
    visibility = models.CharField(
        _("who may see this programme"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="programme_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "ongoing", "completed"]),
                name="programme_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "members"]),
                name="programme_visibility_valid",
            ),
        ]
        indexes = [
            # Holds every column the coverage matrix reads from this table, so PostgreSQL
            # answers from the index alone (bench/results.md).
            models.Index(
                fields=["status", "visibility", "organisation", "id", "reached"],
                name="programme_coverage_idx",
            ),
            # The order of every programme list (the admin's included, and its date bounds):
            # the first page without sorting 30,000 rows (bench/results.md).
            models.Index(fields=["-start_date", "id"], name="programme_order_idx"),
        ]

    def __str__(self):
        return self.title or self.title_ar or self.title_en


class ReportSeriesQuerySet(SearchQuerySet):
    def visible_to(self, who):
        """Series are public; each reader sees the editions `Resource.visible_to` allows."""
        return self.all()

    def editable_by(self, who):
        return self.all() if Audience.of(who).is_coordinator else self.none()


class ReportSeries(models.Model):
    """A collection of resources published as editions, e.g. "Schools in Syria"."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=90, unique=True, allow_unicode=True, blank=True)
    description = models.TextField(_("description"), blank=True, **capped(DESCRIPTION))
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReportSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["title_ar"]
        verbose_name = _("report series")
        verbose_name_plural = _("report series")

    def __str__(self):
        return self.title or self.title_ar or self.title_en or ""

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                ReportSeries, self.title_en, self.title_ar, fallback="series", max_length=80
            )
        self.search_text = index_text(
            self.title_ar, self.title_en, self.description_ar, self.description_en
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("knowledge_bank:series", kwargs={"slug": self.slug})


class ResourceQuerySet(SearchQuerySet):
    def visible_to(self, who):
        """Resources of the secretariat or of publishers this audience sees; members-only ones
        for members (and for their own publishing organisations)."""
        audience = Audience.of(who)
        if audience.is_coordinator:
            return self.all()
        seen = Q(publisher__isnull=True) | visible_q(audience, "publisher__")
        if not audience.is_member:
            seen &= Q(visibility=Visibility.PUBLIC)
        if audience.organisation_ids:
            seen |= Q(publisher__in=sorted(audience.organisation_ids))
        return self.filter(seen)

    def editable_by(self, who):
        if Audience.of(who).is_coordinator:
            return self.all()
        return self.filter(publisher__in=Organisation.objects.editable_by(who))


class Resource(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        STUDY = "study", _("Study")
        GUIDE = "guide", _("Guide")
        TOOL = "tool", _("Tool")
        POLICY = "policy", _("Policy")
        TRAINING = "training", _("Training material")
        DATA = "data", _("Data")

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")
        BOTH = "both", _("Arabic and English")
        OTHER = "other", pgettext_lazy("language", "Other")

    title = models.CharField(_("title"), max_length=NAME)
    slug = models.SlugField(_("slug"), max_length=90, unique=True, allow_unicode=True)
    summary = models.TextField(_("summary"), blank=True, **capped(SUMMARY))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    file = models.FileField(_("file"), upload_to=RandomName("resources"), blank=True)
    # The name the file had on the uploader's computer: for the publisher's editors only.
    file_original_name = models.CharField(
        _("original file name"), max_length=255, blank=True, editable=False
    )
    file_type = models.CharField(_("file type"), max_length=5, blank=True, editable=False)
    url = models.URLField(_("link"), blank=True)
    publisher = models.ForeignKey(
        Organisation,
        verbose_name=_("publisher"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    subsectors = models.ManyToManyField(
        Subsector, verbose_name=_("sub-sectors"), blank=True, related_name="resources"
    )
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    series = models.ForeignKey(
        ReportSeries,
        verbose_name=_("report series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="editions",
    )
    edition = models.PositiveSmallIntegerField(
        _("edition number"), null=True, blank=True, help_text=_("The order within the series.")
    )
    visibility = models.CharField(
        _("who may see this resource"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    featured = models.BooleanField(_("featured"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-featured", "-published_on", "-created_at"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="resource_file_or_link"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "members"]),
                name="resource_visibility_valid",
            ),
        ]

    def __str__(self):
        return self.title or self.title_ar or self.title_en

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Resource, self.title_en, self.title_ar, fallback="resource", max_length=80
            )
        self.search_text = index_text(
            self.title_ar, self.title_en, self.summary_ar, self.summary_en
        )
        super().save(*args, **kwargs)
        remember_words(self.search_text)  # typo tolerance

    def get_absolute_url(self):
        return reverse("knowledge_bank:detail", kwargs={"slug": self.slug})
