from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, CharField, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from platform_site.audience import ANONYMOUS_AUDIENCE, Audience
from platform_site.lengths import DESCRIPTION, SUMMARY, capped
from platform_site.permissions import COORDINATORS as COORDINATORS_GROUP  # noqa: F401 (re-exported)
from platform_site.search import SearchQuerySet
from platform_site.text import index_text, unique_slug
from platform_site.uploads import RandomName
from platform_site.validators import validate_web_url

FRESHNESS = timedelta(days=365)


class Country(models.TextChoices):
    """Countries where Syrian education actors are registered or work."""

    SYRIA = "SY", _("Syria")
    TURKIYE = "TR", _("Türkiye")
    LEBANON = "LB", _("Lebanon")
    JORDAN = "JO", _("Jordan")
    IRAQ = "IQ", _("Iraq")
    EGYPT = "EG", _("Egypt")
    GERMANY = "DE", _("Germany")
    FRANCE = "FR", _("France")
    NETHERLANDS = "NL", _("Netherlands")
    SWEDEN = "SE", _("Sweden")
    UNITED_KINGDOM = "GB", _("United Kingdom")
    UNITED_STATES = "US", _("United States")
    OTHER = "XX", _("Other country")


HOST_COUNTRIES = [choice for choice in Country.choices if choice[0] != Country.SYRIA]


# --- reference vocabularies -------------------------------------------------------------


class Governorate(models.Model):
    pcode = models.CharField(_("p-code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["pcode"]
        verbose_name = _("governorate")
        verbose_name_plural = _("governorates")

    def __str__(self):
        return self.name


class Subsector(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True, **capped(DESCRIPTION))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("education sub-sector")
        verbose_name_plural = _("education sub-sectors")

    def __str__(self):
        return self.name


class TargetGroup(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self):
        return self.name


# --- organisations ----------------------------------------------------------------------


def _ids(values) -> list[int]:
    return sorted(values)


def visible_q(who, prefix: str = "") -> Q:
    """The organisations this audience may see, as a condition on `<prefix>` fields.

    Everyone sees active organisations that are not low-profile; members see every active
    organisation; people always see their own organisations; coordinators see all. With a
    prefix (for example "organisation__") other querysets ask the same question through a
    join, which PostgreSQL plans far better than a subquery.
    """
    audience = Audience.of(who)
    if audience.is_coordinator:
        return Q()
    active = Q(**{f"{prefix}status": "active"})
    seen = active if audience.is_member else active & Q(**{f"{prefix}low_profile": False})
    if audience.organisation_ids:
        seen |= Q(**{f"{prefix}pk__in": _ids(audience.organisation_ids)})
    return seen


def public_q(prefix: str = "") -> Q:
    """What anonymous visitors may see (sitemaps, feeds and public filters use it)."""
    return visible_q(ANONYMOUS_AUDIENCE, prefix)


def pending_first():
    """0 for organisations waiting for a decision, 1 for the others: the admin's first order."""
    return Case(
        When(status="pending", then=Value(0)), default=Value(1), output_field=IntegerField()
    )


class OrganisationQuerySet(SearchQuerySet):
    def active(self):
        return self.filter(status=Organisation.Status.ACTIVE)

    def public(self):
        """What anonymous visitors may see: active and not low-profile."""
        return self.filter(public_q())

    def visible_to(self, who):
        return self.filter(visible_q(who))

    def editable_by(self, who):
        """Organisations whose profile this person may edit (pending or active, own ones)."""
        return self.filter(pk__in=_ids(Audience.of(who).editable_organisation_ids))

    def administered_by(self, who):
        return self.filter(pk__in=_ids(Audience.of(who).admin_organisation_ids))

    def own(self, who):
        """The person's own organisations that are active members of the network."""
        return self.filter(pk__in=_ids(Audience.of(who).active_organisation_ids))

    def order_by_name(self, language: str):
        other = "en" if language == "ar" else "ar"
        return self.annotate(
            sort_name=Coalesce(
                NullIf(f"name_{language}", Value("")), f"name_{other}", output_field=CharField()
            )
        ).order_by(Lower("sort_name"), "pk")

    def stale(self):
        limit = timezone.now() - FRESHNESS
        return self.filter(Q(verified_at__isnull=True) | Q(verified_at__lt=limit))


class Organisation(models.Model):
    class Type(models.TextChoices):
        LOCAL_NGO = "local_ngo", _("Local NGO")
        INTERNATIONAL_NGO = "international_ngo", _("International NGO")
        UN_AGENCY = "un_agency", _("UN agency")
        NETWORK = "network", _("Network or coalition")
        ACADEMIC = "academic", _("Academic institution")
        AUTHORITY = "authority", _("Education authority or directorate")
        SCHOOL = "school", _("School or learning centre")
        COMMUNITY = "community", _("Community group or volunteer team")
        DONOR = "donor", _("Donor")
        OTHER = "other", pgettext_lazy("organisation type", "Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        ACTIVE = "active", pgettext_lazy("organisation status", "Active")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("Other names or spellings, one per line."),
        **capped(SUMMARY),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    org_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    description = models.TextField(_("description"), blank=True, **capped(DESCRIPTION))
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    registration_country = models.CharField(
        _("country of registration"), max_length=2, choices=Country.choices, blank=True
    )
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    hq_country = models.CharField(
        _("headquarters country"), max_length=2, choices=Country.choices, blank=True
    )
    hq_city = models.CharField(_("headquarters city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True, validators=[validate_web_url])
    public_email = models.EmailField(_("public e-mail"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=40, blank=True)
    logo = models.ImageField(_("logo"), upload_to=RandomName("logos"), blank=True)
    logo_thumbnail = models.ImageField(
        _("logo thumbnail"), upload_to=RandomName("logos/thumbs"), blank=True
    )
    # The name the logo had on the uploader's computer: for the organisation's editors only.
    logo_original_name = models.CharField(
        _("original file name of the logo"), max_length=255, blank=True, editable=False
    )
    governorates = models.ManyToManyField(
        Governorate,
        verbose_name=_("governorates of operation"),
        blank=True,
        related_name="organisations",
    )
    host_countries = models.CharField(
        _("countries of operation outside Syria"),
        max_length=100,
        blank=True,
        help_text=_("Country codes separated by spaces."),
    )
    subsectors = models.ManyToManyField(
        Subsector, verbose_name=_("sub-sectors"), blank=True, related_name="organisations"
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="organisations"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    status_reason = models.TextField(_("reason for the status"), blank=True, **capped(SUMMARY))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("profile last confirmed"), null=True, blank=True)
    low_profile = models.BooleanField(
        _("low profile"),
        default=False,
        help_text=_("Hide the organisation from every public page; members still see it."),
    )
    # The code of conduct the applicant accepted with the application (network app).
    conduct_version = models.ForeignKey(
        "network.CodeOfConduct",
        verbose_name=_("code of conduct accepted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    conduct_accepted_at = models.DateTimeField(
        _("code of conduct accepted at"), null=True, blank=True
    )
    conduct_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("code of conduct accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Search documents (members/search.py): names only (ranking), everything the public may
    # read about the organisation, and the same plus what only network members may read.
    search_names = models.TextField(_("search names"), blank=True, editable=False)
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    search_text_members = models.TextField(_("search text for members"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # History is registered in translation.py, after the translated columns exist.
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name_ar"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "active", "rejected", "suspended", "archived"]),
                name="organisation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    org_type__in=[
                        "local_ngo",
                        "international_ngo",
                        "un_agency",
                        "network",
                        "academic",
                        "authority",
                        "school",
                        "community",
                        "donor",
                        "other",
                    ]
                ),
                name="organisation_type_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "low_profile"], name="organisation_visible_idx"),
            # What anonymous visitors may see (`public()`), read from the index alone when other
            # tables are filtered by it (programmes, statements, resources).
            models.Index(
                fields=["id"],
                condition=Q(status="active", low_profile=False),
                name="organisation_public_idx",
            ),
            # The directory's order by name in each language (see order_by_name).
            models.Index(
                Lower(Coalesce(NullIf("name_ar", Value("")), "name_en", output_field=CharField())),
                F("id"),
                name="organisation_name_ar_order",
            ),
            models.Index(
                Lower(Coalesce(NullIf("name_en", Value("")), "name_ar", output_field=CharField())),
                F("id"),
                name="organisation_name_en_order",
            ),
            # The coordinators' list in the admin (OrganisationAdmin.ordering): pending
            # applications first, then the newest; its first page read from the index instead
            # of sorting every organisation (bench/results.md).
            models.Index(
                pending_first(),
                F("created_at").desc(),
                F("id").desc(),
                name="organisation_admin_order",
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Organisation, self.name_en or self.acronym, self.name_ar, fallback="organisation"
            )
        self.search_names = index_text(self.name_ar, self.name_en, self.acronym, self.aliases)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_names", "updated_at"}
        super().save(*args, **kwargs)
        # The search documents also hold governorates, sub-sectors and programme titles: callers
        # that change those afterwards (form.save_m2m(), programmes) refresh them again.
        from members.search import refresh_search_documents

        refresh_search_documents([self.pk])

    def get_absolute_url(self):
        return reverse("members:detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        """The name in the active language, falling back to the other one."""
        return self.name or self.name_ar or self.name_en or self.acronym

    @property
    def is_fresh(self) -> bool:
        return bool(self.verified_at and self.verified_at >= timezone.now() - FRESHNESS)

    @property
    def stale_on(self):
        """When the profile stops counting as current unless it is confirmed again."""
        return self.verified_at + FRESHNESS if self.verified_at else None

    @property
    def host_country_codes(self) -> list[str]:
        return self.host_countries.split()

    def get_host_countries_display(self) -> list[str]:
        labels = dict(Country.choices)
        return [str(labels.get(code, code)) for code in self.host_country_codes]


class SearchTerm(models.Model):
    """One word of an organisation's search documents, and which of them hold it (a bitmask
    of NAMES, PUBLIC, MEMBERS): the directory's word index (members/search.py).

    Each worker reads the whole index once per change, grouped by word, and matches query
    words against it in memory (`members.search._WordIndex`): a query word matches the words
    that begin with it. Rows are rewritten with the documents
    (`members.search.refresh_search_documents`), never edited on their own.
    """

    NAMES, PUBLIC, MEMBERS = 1, 2, 4
    LONGEST = 100  # longer "words" (pasted addresses, codes) are cut to this length

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    word = models.TextField(editable=False)  # written from the documents, never by people
    documents = models.PositiveSmallIntegerField(editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "word"], name="searchterm_unique"),
        ]
        indexes = [
            # The workers' reading, grouped by word and documents, comes from the index alone
            # in its order (no sort); `word LIKE 'stem%'` is a range on it, whatever the
            # database's collation.
            models.Index(
                fields=["word", "documents", "organisation"],
                name="searchterm_word_prefix",
                opclasses=["text_pattern_ops", "int2_ops", "int8_ops"],
            ),
        ]

    def __str__(self):
        return self.word


class OrganisationMember(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        EDITOR = "editor", _("Editor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    language = models.CharField(
        _("language for e-mail"), max_length=5, choices=settings.LANGUAGES, default="ar"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()  # role changes and removals stay visible to coordinators

    class Meta:
        ordering = ["organisation", "created_at"]
        verbose_name = _("organisation user")
        verbose_name_plural = _("organisation users")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="member_unique_pair"),
            models.CheckConstraint(
                condition=Q(role__in=["admin", "editor"]), name="member_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation}"


class JoinRequest(models.Model):
    """A user asks to become an editor of an existing organisation."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="organisation_join_requests",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    message = models.TextField(_("message"), blank=True, **capped(SUMMARY))
    language = models.CharField(
        _("language for e-mail"), max_length=5, choices=settings.LANGUAGES, default="ar"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request to join an organisation")
        verbose_name_plural = _("requests to join an organisation")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="requested"),
                name="join_request_one_open",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "accepted", "declined"]),
                name="join_request_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation}"


class ContactQuerySet(models.QuerySet):
    def visible_to(self, who):
        """Focal points this audience may see: their own organisations' all, members the
        network's (of organisations they may see), everyone the public ones (with consent)."""
        audience = Audience.of(who)
        if audience.is_coordinator:
            return self.all()
        shared = ["public", "members"] if audience.is_member else ["public"]
        seen = Q(visibility__in=shared) & visible_q(audience, "organisation__")
        if audience.organisation_ids:
            seen |= Q(organisation__in=_ids(audience.organisation_ids))
        return self.filter(seen)


class Contact(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Only our organisation")
        MEMBERS = "members", _("Network members")
        PUBLIC = "public", _("Everyone (public)")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    visibility = models.CharField(
        _("who may see this contact"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    public_consent_at = models.DateTimeField(_("public consent given at"), null=True, blank=True)
    public_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("public consent recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(cascade_delete_history=True)
    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "id"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=["private", "members", "public"]),
                name="contact_visibility_valid",
            ),
            models.CheckConstraint(
                condition=~Q(visibility="public") | Q(public_consent_at__isnull=False),
                name="contact_public_needs_consent",
            ),
        ]

    def __str__(self):
        return self.name


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted nor withdrawn, and not expired."""
        return self.filter(
            accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An organisation's administrator invites an e-mail address to become one of its users.

    The answer to the administrator is the same whether or not an account uses the address;
    the person accepts by the e-mailed link (signed in with that confirmed address), then joins.
    Only a hash of the link's token is stored.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=OrganisationMember.Role.choices,
        default=OrganisationMember.Role.EDITOR,
    )
    language = models.CharField(
        _("language for e-mail"), max_length=5, choices=settings.LANGUAGES, default="ar"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["admin", "editor"]), name="invitation_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.email} · {self.organisation}"
