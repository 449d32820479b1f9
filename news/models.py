"""News and announcements of the network, written by coordinators in Arabic and/or English.

This app imports members and working_groups (the organisations and the group an item
concerns), so it sits beside knowledge_bank: platform_site ← members ← working_groups ← news.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.models import Organisation
from platform_site.audience import Audience
from platform_site.search import SearchQuerySet
from platform_site.text import index_text, unique_slug
from working_groups.models import WorkingGroup


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone (public)")
    MEMBERS = "members", _("Network members")


def written_in(item, field: str = "title") -> tuple[str, ...]:
    """The languages an item has a `field` in ("ar", "en" or both)."""
    return tuple(code for code in ("ar", "en") if (getattr(item, f"{field}_{code}") or "").strip())


class NewsItemQuerySet(SearchQuerySet):
    def published(self):
        """Published items whose publication time has come (scheduled ones wait)."""
        return self.filter(status=NewsItem.Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, who):
        """Coordinators see every item (drafts and scheduled ones to preview them); others see
        published items: public ones, and members-only ones when they are members."""
        audience = Audience.of(who)
        if audience.is_coordinator:
            return self.all()
        items = self.published()
        if not audience.is_member:
            items = items.filter(visibility=Visibility.PUBLIC)
        return items

    def editable_by(self, who):
        return self.all() if Audience.of(who).is_coordinator else self.none()


class NewsItem(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published (at the publication time)")

    title = models.CharField(_("title"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=90, unique=True, allow_unicode=True, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=600)
    body = models.TextField(_("text"), blank=True, max_length=20000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_(
            "Damascus time. A published item with a time in the future is scheduled: it appears "
            "then. Empty means now."
        ),
    )
    visibility = models.CharField(
        _("who may read it"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    lead_image = models.ImageField(
        _("lead image"),
        upload_to="news/",
        blank=True,
        help_text=_("JPEG, PNG or WebP, up to 2 MB. Photo metadata is removed."),
    )
    lead_image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations concerned"), blank=True, related_name="news"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news and announcements")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="news_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "members"]), name="news_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(title_ar__gt="") | Q(title_en__gt=""), name="news_has_a_title"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="news_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at"], name="news_published_idx")]

    def __str__(self):
        return self.title or self.title_ar or self.title_en or ""

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                NewsItem, self.title_en, self.title_ar, fallback="news", max_length=80
            )
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.search_text = index_text(
            self.title_ar,
            self.title_en,
            self.summary_ar,
            self.summary_en,
            self.body_ar,
            self.body_en,
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def state(self) -> str:
        """draft, scheduled or published — for coordinators' previews and the admin."""
        if self.status == self.Status.DRAFT:
            return "draft"
        return "scheduled" if self.published_at > timezone.now() else "published"

    @property
    def other_language(self) -> str | None:
        """The language the item is written in when it lacks the page's language, else None
        (the page then shows that language's text, labelled)."""
        languages = written_in(self)
        current = (get_language() or "ar")[:2]
        return None if current in languages or not languages else languages[0]
