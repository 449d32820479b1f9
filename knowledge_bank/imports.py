"""Programmes (4W records) from a spreadsheet (the programme export's columns), for coordinators.

A row names its organisation by slug. It updates the programme with its `id` when the file has
one, else the organisation's programme with the same start date and titles; otherwise it is a
new programme. An HXL file that writes one row per programme and governorate is read back as
one programme with all its governorates; elsewhere a row that repeats another is an error.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowledge_bank.models import Programme, Visibility
from members.imports import VocabularyMixin, field_labels, governorate_names_column, text_reader
from members.models import Organisation
from members.search import refresh_search_documents
from platform_site.importing import SpreadsheetResource
from platform_site.spreadsheets import (
    CellError,
    Column,
    Vocabulary,
    read_date,
    read_int,
    read_text,
)

STATUSES = Vocabulary(Programme.Status.choices, gettext_lazy("status"))
VISIBILITIES = Vocabulary(Visibility.choices, gettext_lazy("visibility"))
COUNTS = [
    "targeted",
    "targeted_girls",
    "targeted_boys",
    "targeted_women",
    "targeted_men",
    "reached",
    "reached_girls",
    "reached_boys",
    "reached_women",
    "reached_men",
]
COUNT_TAGS = {
    "targeted": "#targeted",
    "targeted_girls": "#targeted+f+children",
    "targeted_boys": "#targeted+m+children",
    "targeted_women": "#targeted+f+adults",
    "targeted_men": "#targeted+m+adults",
    "reached": "#reached",
    "reached_girls": "#reached+f+children",
    "reached_boys": "#reached+m+children",
    "reached_women": "#reached+f+adults",
    "reached_men": "#reached+m+adults",
}
MERGED_IN_HXL = ("governorates", "subsectors", "target_groups")
COUNT_LABELS = {
    "targeted": (gettext_lazy("People targeted"),),
    "reached": (gettext_lazy("People reached"),),
}


def _f(name, *extra):
    return field_labels(Programme, name, *extra)


def read_id(value):
    return read_int(value, low=1)


def read_slug(value):
    return read_text(value, 80)


def read_count(value):
    return read_int(value, low=0)


PROGRAMME_COLUMNS = [
    Column(
        "id",
        ("ID", gettext_lazy("identifier"), gettext_lazy("Programme code")),
        ("#activity+code",),
        read=read_id,
    ),
    Column(
        "organisation",
        (
            gettext_lazy("organisation (slug)"),
            gettext_lazy("organisation identifier"),
            gettext_lazy("Organisation code"),
        ),
        ("#org+code",),
        read=read_slug,
    ),
    Column(
        "title_ar",
        _f("title_ar", gettext_lazy("Programme (Arabic)")),
        ("#activity+name+i_ar",),
        read=text_reader(Programme, "title_ar"),
    ),
    Column(
        "title_en",
        _f("title_en", gettext_lazy("Programme (English)")),
        ("#activity+name+i_en",),
        read=text_reader(Programme, "title_en"),
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
        ("#adm1+name", "#adm1"),
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
    Column("start_date", _f("start_date"), ("#date+start",), read=read_date),
    Column("end_date", _f("end_date"), ("#date+end",), read=read_date),
    Column(
        "status",
        _f("status"),
        ("#status",),
        read=STATUSES.one,
        code_labels=(gettext_lazy("Status (code)"),),
        code_hxl=("#status+code",),
    ),
    *[
        Column(key, _f(key, *COUNT_LABELS.get(key, ())), (COUNT_TAGS[key],), read=read_count)
        for key in COUNTS
    ],
    Column("funders", _f("funders"), ("#org+funder",), read=text_reader(Programme, "funders")),
    Column("visibility", _f("visibility"), ("#meta+visibility",), read=VISIBILITIES.one),
    # Written by the exports for people; not read back.
    Column(
        "organisation_ar",
        (gettext_lazy("organisation (Arabic)"), gettext_lazy("Organisation (Arabic)")),
        ("#org+name+i_ar",),
        ignored=True,
    ),
    Column(
        "organisation_en",
        (gettext_lazy("organisation (English)"), gettext_lazy("Organisation (English)")),
        ("#org+name+i_en",),
        ignored=True,
    ),
    Column(
        "org_type",
        (
            gettext_lazy("organisation type"),
            gettext_lazy("Type of organisation"),
            gettext_lazy("Type of organisation (code)"),
        ),
        ("#org+type", "#org+type+code"),
        ignored=True,
    ),
    Column("sector", (gettext_lazy("sector"),), ("#sector", "#sector+code"), ignored=True),
    governorate_names_column(),
]


class ProgrammeResource(VocabularyMixin, SpreadsheetResource):
    model = Programme
    columns = PROGRAMME_COLUMNS

    def required_columns(self):
        return [] if "id" in self.written else ["organisation"]

    merged_in_hxl = MERGED_IN_HXL

    def start(self, *, hxl):
        self.load_vocabularies()
        self.organisations = {}  # slug → organisation (None: no such slug), as rows name them
        # (organisation slug, start date) → [(title_ar, title_en, pk)] of existing programmes
        self.existing = {}
        self.instances = {}

    def keys(self, row):
        """A programme appears once (an HXL file's rows of one programme are merged)."""
        return [(self._key(row), None, None)]

    def load_batch(self, rows):
        """The rows' organisations (once per import), their programmes' start dates and
        titles, then the programmes these rows update: a few queries per batch."""
        slugs = {str(row.get("organisation", "") or "").strip() for row in rows} - {""}
        new = slugs - set(self.organisations)
        if new:
            found = {
                organisation.slug: organisation
                for organisation in Organisation.objects.filter(slug__in=new).only(
                    "pk", "slug", "name_ar", "name_en", "acronym"
                )
            }
            self.organisations.update({slug: found.get(slug) for slug in new})
            for pk, slug, start, title_ar, title_en in Programme.objects.filter(
                organisation__in=found.values()
            ).values_list("pk", "organisation__slug", "start_date", "title_ar", "title_en"):
                self.existing.setdefault((slug, start), []).append((title_ar, title_en, pk))
        pks = set()
        for row in rows:
            text = str(row.get("id", "") or "").strip()
            if text.isdigit():
                pks.add(int(text))
                continue
            try:
                start = read_date(row.get("start_date", ""))
            except CellError:
                continue
            slug = str(row.get("organisation", "") or "").strip()
            pks.update(pk for _ar, _en, pk in self.existing.get((slug, start), []))
        self.instances = Programme.objects.select_related("organisation").in_bulk(pks)
        self.load_codes(Programme, self.instances)

    def end_batch(self):
        self.instances, self.codes = {}, {}

    def after_write(self, pending):
        """The organisations' search documents hold their programmes' titles."""
        refresh_search_documents({instance.organisation_id for instance, _c, _n in pending})

    def _key(self, row):
        if str(row.get("id", "") or "").strip():
            return ("id", str(row["id"]).strip())
        return tuple(
            str(row.get(column, "") or "").strip()
            for column in ("organisation", "start_date", "title_ar", "title_en")
        )

    def find(self, values, errors):
        slug = values.get("organisation")
        organisation = self.organisations.get(slug) if slug else None
        if slug and organisation is None:
            errors.setdefault("organisation", []).append(
                _("No organisation has the slug “%(slug)s”.") % {"slug": slug}
            )
        if values.get("id"):
            programme = self.instances.get(values["id"])
            if programme is None:
                errors.setdefault("id", []).append(
                    _("No programme has the id %(id)s.") % {"id": values["id"]}
                )
            elif organisation is not None and programme.organisation_id != organisation.pk:
                errors.setdefault("organisation", []).append(
                    _("Programme %(id)s belongs to another organisation.") % {"id": values["id"]}
                )
            return programme
        if organisation is None or not values.get("start_date"):
            return None
        found = [
            pk
            for title_ar, title_en, pk in self.existing.get(
                (organisation.slug, values["start_date"]), []
            )
            if values.get("title_ar", title_ar) == title_ar
            and values.get("title_en", title_en) == title_en
        ]
        if len(found) > 1:
            errors.setdefault(None, []).append(
                _(
                    "Several programmes of this organisation have this start date and title: add "
                    "the id column to say which one."
                )
            )
        return self.instances[found[0]] if found else None

    def label(self, values, instance):
        if instance is not None:
            return str(instance)
        return values.get("title_ar") or values.get("title_en") or ""

    def validate(self, values, instance, errors):
        def value(key):
            if key in values:
                return values[key]
            return getattr(instance, key, None) if instance is not None else None

        if instance is None:
            if not values.get("organisation"):
                errors.setdefault("organisation", []).append(_("This value is required."))
            if not (values.get("title_ar") or values.get("title_en")):
                errors.setdefault(None, []).append(
                    _("A new programme needs a title in Arabic or in English.")
                )
            for key in ("start_date", "governorates", "subsectors"):
                if not values.get(key):
                    errors.setdefault(key if key in self.written else None, []).append(
                        _("A new programme needs a value in “%(column)s”.")
                        % {"column": self.written.get(key, key)}
                    )
        start, end = value("start_date"), value("end_date")
        if start and end and end < start:
            errors.setdefault("end_date", []).append(_("The end date is before the start date."))
        for total in ("targeted", "reached"):
            parts = [value(f"{total}_{who}") for who in ("girls", "boys", "women", "men")]
            whole = value(total)
            if whole is not None and any(parts) and whole < sum(p or 0 for p in parts):
                errors.setdefault(total, []).append(
                    _("The total is smaller than the sum of girls, boys, women and men.")
                )
        if instance is not None:
            for key in ("governorates", "subsectors"):
                if key in values and not values[key]:
                    errors.setdefault(key, []).append(_("A programme keeps at least one value."))

    def apply(self, instance, changes, *, user):
        if instance is None:
            instance = Programme(organisation=self.organisations[changes["organisation"]])
        for key, value in changes.items():
            if key in self.m2m_keys or key in ("id", "organisation"):
                continue
            field = Programme._meta.get_field(key)
            if value is None and not field.null:
                value = ""
            setattr(instance, key, value)
        return instance

    def changes(self, instance, values):
        changed = super().changes(instance, {k: v for k, v in values.items() if k != "id"})
        if changed.get("organisation") and instance is not None:
            changed.pop("organisation")  # checked in `find`: a programme keeps its organisation
        return changed

    def current_value(self, instance, key):
        if key == "organisation":
            return instance.organisation.slug
        return super().current_value(instance, key)

    @classmethod
    def examples(cls):
        return [
            {
                "organisation": "example-education-society",
                "title_ar": "مراكز التعلم غير النظامي",
                "title_en": "Non-formal learning centres",
                "subsectors": "nfe",
                "governorates": "SY07",
                "start_date": "2026-01-15",
                "status": "ongoing",
                "targeted": 600,
                "reached": 450,
            }
        ]
