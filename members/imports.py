"""Organisations from a spreadsheet (the directory export's columns), for coordinators.

A row with a known slug updates that organisation; a row without one creates an active member
organisation, unless its normalised name or acronym is already taken (a likely duplicate,
flagged and never created) or repeats another row of the file.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator, validate_unicode_slug
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import (
    HOST_COUNTRIES,
    Country,
    Governorate,
    Organisation,
    Subsector,
    TargetGroup,
)
from members.search import refresh_search_documents
from platform_site.importing import SpreadsheetResource
from platform_site.spreadsheets import (
    ARABIC,
    ENGLISH,
    CellError,
    Column,
    Vocabulary,
    isolate,
    read_int,
    read_text,
)
from platform_site.text import index_text, normalise, unique_slug
from platform_site.validators import validate_web_url


def field_labels(model, name, *extra):
    """A column's labels: the field's verbose name and, for a translated field, the name
    with the language ("Name (Arabic)", "name [ar]")."""
    labels = [model._meta.get_field(name).verbose_name]
    base, _sep, language = name.rpartition("_")
    if language in ("ar", "en") and base:
        verbose = model._meta.get_field(base).verbose_name
        word = ARABIC if language == "ar" else ENGLISH
        labels += [
            format_lazy("{} ({})", verbose, word),
            format_lazy("{} {}", verbose, word),
            format_lazy("{} [{}]", verbose, language),
        ]
    return (*labels, *extra)


def text_reader(model, name):
    max_length = model._meta.get_field(name).max_length or 5000
    return lambda value: read_text(value, max_length)


def vocabularies():
    """The reference vocabularies, by code and by name in both languages."""
    return {
        "governorates": Vocabulary(
            Governorate.objects.values_list("pcode", "name_ar", "name_en"), gettext_lazy("p-code")
        ),
        "subsectors": Vocabulary(
            Subsector.objects.values_list("code", "name_ar", "name_en"),
            gettext_lazy("sub-sector"),
        ),
        "target_groups": Vocabulary(
            TargetGroup.objects.values_list("code", "name_ar", "name_en"),
            gettext_lazy("target group"),
        ),
    }


VOCABULARY_MODELS = {
    "governorates": (Governorate, "pcode"),
    "subsectors": (Subsector, "code"),
    "target_groups": (TargetGroup, "code"),
}


class VocabularyMixin:
    """Many-to-many columns read as codes (or names) of the reference vocabularies."""

    m2m_keys = frozenset(VOCABULARY_MODELS)

    def load_vocabularies(self):
        self.vocabularies = vocabularies()
        self.vocabulary_ids = {
            key: dict(model.objects.values_list(code, "pk"))
            for key, (model, code) in VOCABULARY_MODELS.items()
        }

    def read_governorates(self, value):
        return self.vocabularies["governorates"].many(value)

    def read_subsectors(self, value):
        return self.vocabularies["subsectors"].many(value)

    def read_target_groups(self, value):
        return self.vocabularies["target_groups"].many(value)

    def load_codes(self, model, ids):
        """The vocabulary codes of these rows, three queries per 500 rows (not three per row)."""
        self.codes = {key: {} for key in VOCABULARY_MODELS}
        owner = model._meta.model_name
        ids = sorted(set(ids))
        for key, (vocabulary, code) in VOCABULARY_MODELS.items():
            through = getattr(model, key).through
            for start in range(0, len(ids), 500):
                pairs = through.objects.filter(
                    **{f"{owner}_id__in": ids[start : start + 500]}
                ).values_list(f"{owner}_id", f"{vocabulary._meta.model_name}__{code}")
                for owner_id, value in pairs:
                    self.codes[key].setdefault(owner_id, []).append(value)

    def current_codes(self, instance, key):
        return self.codes[key].get(instance.pk, [])

    def write_m2m(self, pending):
        """Each changed column's links: one DELETE (of the changed rows' links) and one INSERT
        per column and batch, instead of a `set()` (three queries) per row and column."""
        for key in sorted(self.m2m_keys):
            field = self.model._meta.get_field(key)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            ids = self.vocabulary_ids[key]
            changed = [(i, changes[key], new) for i, changes, new in pending if key in changes]
            if not changed:
                continue
            old = [instance.pk for instance, _codes, new in changed if not new]
            if old:
                through.objects.filter(**{f"{source}__in": old}).delete()
            through.objects.bulk_create(
                [
                    through(**{f"{source}_id": instance.pk, f"{target}_id": ids[code]})
                    for instance, codes, _new in changed
                    for code in dict.fromkeys(codes)
                ],
                batch_size=2000,
            )


def read_slug(value):
    text = read_text(value, 80)
    if text:
        try:
            validate_unicode_slug(text)
        except DjangoValidationError as error:
            raise CellError(
                _("“%(value)s” is not a valid slug (letters, digits, hyphens).")
                % {"value": isolate(text)}
            ) from error
    return text


def read_website(value):
    text = read_text(value, 200)
    if text:
        try:
            URLValidator(schemes=["http", "https"])(text)
            validate_web_url(text)
        except DjangoValidationError as error:
            raise CellError(
                _("“%(value)s” is not a web address (http:// or https://).")
                % {"value": isolate(text)}
            ) from error
    return text


def read_email(value):
    text = read_text(value, 254)
    if text:
        try:
            EmailValidator()(text)
        except DjangoValidationError as error:
            raise CellError(
                _("“%(value)s” is not an e-mail address.") % {"value": isolate(text)}
            ) from error
    return text


MERGED_IN_HXL = ("governorates", "subsectors", "target_groups", "host_countries")
ORG_TYPES = Vocabulary(Organisation.Type.choices, gettext_lazy("organisation type"))
COUNTRIES = Vocabulary(Country.choices, gettext_lazy("country"))
HOSTS = Vocabulary(HOST_COUNTRIES, gettext_lazy("country"))
SAME_NAME = gettext_lazy("Same name as line %(line)s: the file lists this organisation twice.")


def read_host_countries(value):
    return " ".join(HOSTS.many(value))


def _f(name, *extra):
    return field_labels(Organisation, name, *extra)


def governorate_names_column() -> Column:
    """The governorates' names the exports write beside their p-codes, for people: known to
    the importers (organisations and programmes) and skipped."""
    return Column(
        "governorates_ar",
        (
            gettext_lazy("governorates (names)"),
            gettext_lazy("Governorates (Arabic)"),
            gettext_lazy("Governorate (Arabic)"),
            gettext_lazy("Governorate (English)"),
        ),
        ("#adm1+name+i_ar", "#adm1+name+i_en"),
        ignored=True,
    )


ORGANISATION_COLUMNS = [
    Column(
        "slug",
        _f("slug", gettext_lazy("identifier"), gettext_lazy("Organisation code")),
        ("#org+code",),
        read=read_slug,
    ),
    Column(
        "name_ar", _f("name_ar"), ("#org+name+i_ar",), read=text_reader(Organisation, "name_ar")
    ),
    Column(
        "name_en", _f("name_en"), ("#org+name+i_en",), read=text_reader(Organisation, "name_en")
    ),
    Column(
        "acronym",
        _f("acronym", gettext_lazy("Acronym")),
        ("#org+acronym",),
        read=text_reader(Organisation, "acronym"),
    ),
    Column(
        "org_type",
        _f(
            "org_type",
            gettext_lazy("Type"),
            gettext_lazy("Organisation type"),
            gettext_lazy("Type of organisation"),
        ),
        ("#org+type",),
        read=ORG_TYPES.one,
        code_labels=(gettext_lazy("Type of organisation (code)"),),
        code_hxl=("#org+type+code",),
    ),
    Column(
        "subsectors",
        _f("subsectors", gettext_lazy("Sub-sectors"), gettext_lazy("Sub-sector")),
        ("#subsector", "#subsector+name"),
        read="read_subsectors",
        code_labels=(gettext_lazy("Sub-sectors (codes)"), gettext_lazy("Sub-sector (code)")),
        code_hxl=("#subsector+code",),
    ),
    Column(
        "governorates",
        _f("governorates", gettext_lazy("Governorates"), gettext_lazy("Governorate")),
        ("#adm1+name",),
        read="read_governorates",
        code_labels=(
            gettext_lazy("Governorates (p-codes)"),
            gettext_lazy("Governorate (p-code)"),
        ),
        code_hxl=("#adm1+code",),
    ),
    Column(
        "target_groups",
        _f("target_groups", gettext_lazy("Target groups")),
        ("#targeted+type",),
        read="read_target_groups",
    ),
    Column(
        "host_countries",
        _f("host_countries", gettext_lazy("Countries of registration")),
        ("#country+name",),
        read=read_host_countries,
        code_labels=(gettext_lazy("Countries of registration (codes)"),),
        code_hxl=("#country+code",),
    ),
    Column("website", _f("website"), ("#org+url",), read=read_website),
    Column("public_email", _f("public_email"), ("#contact+email",), read=read_email),
    Column(
        "public_phone",
        _f("public_phone"),
        ("#contact+phone",),
        read=text_reader(Organisation, "public_phone"),
    ),
    Column("hq_country", _f("hq_country"), ("#country+code+hq",), read=COUNTRIES.one),
    Column("hq_city", _f("hq_city"), ("#loc+name+hq",), read=text_reader(Organisation, "hq_city")),
    Column(
        "founded_year",
        _f("founded_year"),
        ("#date+founded",),
        read=lambda value: read_int(value, low=1900, high=2100),
    ),
    Column(
        "description_ar",
        _f("description_ar"),
        ("#description+i_ar",),
        read=lambda value: read_text(value, 5000),
    ),
    Column(
        "description_en",
        _f("description_en"),
        ("#description+i_en",),
        read=lambda value: read_text(value, 5000),
    ),
    Column("aliases", _f("aliases"), ("#org+name+alt",), read=lambda v: read_text(v, 2000)),
    # Written by the exports for people; not read back.
    governorate_names_column(),
    Column(
        "verified_at",
        _f("verified_at", gettext_lazy("Profile confirmed on")),
        ("#date+verified",),
        ignored=True,
    ),
    Column("status", _f("status"), ("#status",), ignored=True),
]


class OrganisationResource(VocabularyMixin, SpreadsheetResource):
    model = Organisation
    columns = ORGANISATION_COLUMNS

    merged_in_hxl = MERGED_IN_HXL

    def start(self, *, hxl):
        self.load_vocabularies()
        # Names and acronyms of every organisation, normalised: a new row that matches one is
        # a likely duplicate.
        self.known_names, self.slugs = {}, {}
        for pk, slug, *names in Organisation.objects.values_list(
            "pk", "slug", "name_ar", "name_en", "acronym"
        ).iterator(chunk_size=2000):
            self.slugs[slug] = pk
            for name in names:
                key = normalise(name)
                if key:
                    self.known_names.setdefault(key, slug)
        self.instances = {}

    def keys(self, row):
        """A slug appears once (an HXL file's rows with one slug are one organisation); a new
        organisation's names and acronym appear once."""
        slug = str(row.get("slug", "") or "").strip()
        if slug:
            return [(("slug", slug), "slug", None)]
        keys = []
        for key in ("name_ar", "name_en", "acronym"):
            name = normalise(str(row.get(key, "") or ""))
            if name:
                keys.append((("name", name), key, SAME_NAME))
        return keys

    def load_batch(self, rows):
        slugs = (str(row.get("slug", "") or "").strip() for row in rows)
        pks = [self.slugs[slug] for slug in slugs if slug in self.slugs]
        self.instances = Organisation.objects.in_bulk(pks)
        self.load_codes(Organisation, pks)

    def end_batch(self):
        self.instances, self.codes = {}, {}

    def before_write(self, instance, *, new):
        """As `Organisation.save()`: a free slug (the file's new rows are known here, so no
        query per row) and the names' search column."""
        if new and not instance.slug:
            instance.slug = unique_slug(
                Organisation,
                instance.name_en or instance.acronym,
                instance.name_ar,
                fallback="organisation",
                taken=self.slugs.__contains__,
            )
        if new:
            self.slugs[instance.slug] = None
        instance.search_names = index_text(
            instance.name_ar, instance.name_en, instance.acronym, instance.aliases
        )

    def written_with(self):
        return ["search_names"]

    def after_write(self, pending):
        refresh_search_documents([instance.pk for instance, _changes, _new in pending])

    def required_columns(self):
        return []

    def find(self, values, errors):
        slug = values.get("slug")
        if slug in self.slugs:
            return self.instances[self.slugs[slug]]
        # A new organisation: a likely duplicate is flagged, never created.
        for key in ("name_ar", "name_en", "acronym"):
            existing = self.known_names.get(normalise(values.get(key, "")))
            if existing and existing != slug:
                errors.setdefault(key, []).append(
                    _(
                        "Probably the organisation already registered as “%(slug)s”. To update "
                        "it, put %(slug)s in the slug column; nothing is created from this row."
                    )
                    % {"slug": existing}
                )
                break
        return None

    def label(self, values, instance):
        if instance is not None:
            return instance.display_name
        return values.get("name_ar") or values.get("name_en") or values.get("acronym") or ""

    def validate(self, values, instance, errors):
        if instance is None:
            if not (values.get("name_ar") or values.get("name_en")):
                errors.setdefault(None, []).append(
                    _("A new organisation needs a name in Arabic or in English.")
                )
            if not values.get("org_type"):
                errors.setdefault("org_type" if "org_type" in self.written else None, []).append(
                    _("A new organisation needs a type.")
                )
        else:
            name_ar = values.get("name_ar", instance.name_ar)
            name_en = values.get("name_en", instance.name_en)
            if not (name_ar or name_en):
                errors.setdefault(None, []).append(
                    _("An organisation keeps a name in Arabic or in English.")
                )
            if "org_type" in values and not values["org_type"]:
                errors.setdefault("org_type", []).append(_("An organisation keeps its type."))

    def apply(self, instance, changes, *, user):
        if instance is None:
            instance = Organisation(
                status=Organisation.Status.ACTIVE, approved_at=timezone.now(), approved_by=user
            )
        for key, value in changes.items():
            if key not in self.m2m_keys:
                setattr(instance, key, value if value is not None else _empty(key))
        if instance.pk is None and not instance.slug:
            instance.slug = ""  # save() makes one from the names
        return instance

    @classmethod
    def examples(cls):
        return [
            {
                "name_ar": "جمعية المثال للتعليم",
                "name_en": "Example Education Society",
                "acronym": "EES",
                "org_type": "local_ngo",
                "subsectors": "nfe; pss",
                "governorates": "SY02; SY07",
                "host_countries": "TR",
                "website": "https://example.org",
            }
        ]


def _empty(key):
    """What an emptied cell stores: NULL for numbers, "" for text."""
    field = Organisation._meta.get_field(key)
    return None if field.null else ""
