"""The columns of the directory and programme exports, in the reader's language.

CSV and XLSX are for people: the header row and the coded values (organisation type, status,
sub-sectors, governorates, countries) are written in the language of the page the file was
downloaded from. The columns keep their order from one release to the next (an importer reads
them back); the codes follow at the end, under the same headers in both languages' files:

    organisations: name_ar, name_en, acronym, slug, org_type, subsectors, governorates,
                   governorates_ar, host_countries, website, verified_at,
                   | org_type_code, subsector_codes, governorate_codes, host_country_codes
    programmes:    organisation_ar, organisation_en, organisation, org_type, title_ar,
                   title_en, sector, subsectors, governorates, governorates_ar, start_date,
                   end_date, status, targeted, reached,
                   | org_type_code, subsector_codes, governorate_codes, status_code

`Column.key` is the stable name of each column; `header_keys(headers)` maps a header row in
either language back to these keys. Lists inside a cell are separated by "; ".

The HXL variant is for machines: a row of headers, then a row of HXL hashtags, then one value
per cell: one row per object × governorate × sub-sector, with the governorate's p-code in
`#adm1+code`. Counts (people targeted and reached) belong to the whole programme and repeat on
each of its rows: group by `#activity+code` before adding them up.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from knowledge_bank import exports
from knowledge_bank.models import Programme
from members.models import Organisation


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazily translated: the header in the reader's language
    tag: str  # the HXL hashtag
    get: Callable


def _choice(choices, code):
    return str(dict(choices).get(code, code)) if code else ""


def _names(objects):
    return exports.joined(str(item.name) for item in objects)


ORGANISATION_COLUMNS = [
    Column("name_ar", _("Name (Arabic)"), "#org+name+i_ar", lambda o: o.name_ar),
    Column("name_en", _("Name (English)"), "#org+name+i_en", lambda o: o.name_en),
    Column("acronym", _("Acronym"), "#org+acronym", lambda o: o.acronym),
    Column("slug", _("Organisation code"), "#org+code", lambda o: o.slug),
    Column(
        "org_type",
        _("Type of organisation"),
        "#org+type",
        lambda o: _choice(Organisation.Type.choices, o.org_type),
    ),
    Column("subsectors", _("Sub-sectors"), "#subsector", lambda o: _names(o.subsectors.all())),
    Column("governorates", _("Governorates"), "#adm1+name", lambda o: _names(o.governorates.all())),
    Column(
        "governorates_ar",
        _("Governorates (Arabic)"),
        "#adm1+name+i_ar",
        lambda o: exports.joined(g.name_ar for g in o.governorates.all()),
    ),
    Column(
        "host_countries",
        _("Countries of registration"),
        "#country+name",
        lambda o: exports.joined(o.get_host_countries_display()),
    ),
    Column("website", _("Website"), "#org+url", lambda o: o.website),
    Column(
        "verified_at",
        _("Profile confirmed on"),
        "#date+verified",
        lambda o: o.verified_at.date().isoformat() if o.verified_at else "",
    ),
    Column(
        "org_type_code", _("Type of organisation (code)"), "#org+type+code", lambda o: o.org_type
    ),
    Column(
        "subsector_codes",
        _("Sub-sectors (codes)"),
        "#subsector+code",
        lambda o: exports.joined(s.code for s in o.subsectors.all()),
    ),
    Column(
        "governorate_codes",
        _("Governorates (p-codes)"),
        "#adm1+code",
        lambda o: exports.joined(g.pcode for g in o.governorates.all()),
    ),
    Column(
        "host_country_codes",
        _("Countries of registration (codes)"),
        "#country+code",
        lambda o: exports.joined(o.host_country_codes),
    ),
]

PROGRAMME_COLUMNS = [
    Column(
        "organisation_ar",
        _("Organisation (Arabic)"),
        "#org+name+i_ar",
        lambda p: p.organisation.name_ar,
    ),
    Column(
        "organisation_en",
        _("Organisation (English)"),
        "#org+name+i_en",
        lambda p: p.organisation.name_en,
    ),
    Column("organisation", _("Organisation code"), "#org+code", lambda p: p.organisation.slug),
    Column(
        "org_type",
        _("Type of organisation"),
        "#org+type",
        lambda p: _choice(Organisation.Type.choices, p.organisation.org_type),
    ),
    Column("title_ar", _("Programme (Arabic)"), "#activity+name+i_ar", lambda p: p.title_ar),
    Column("title_en", _("Programme (English)"), "#activity+name+i_en", lambda p: p.title_en),
    Column("sector", _("Sector"), "#sector", lambda p: str(pgettext_lazy("sector", "Education"))),
    Column("subsectors", _("Sub-sectors"), "#subsector", lambda p: _names(p.subsectors.all())),
    Column("governorates", _("Governorates"), "#adm1+name", lambda p: _names(p.governorates.all())),
    Column(
        "governorates_ar",
        _("Governorates (Arabic)"),
        "#adm1+name+i_ar",
        lambda p: exports.joined(g.name_ar for g in p.governorates.all()),
    ),
    Column("start_date", _("Start date"), "#date+start", lambda p: p.start_date.isoformat()),
    Column(
        "end_date",
        _("End date"),
        "#date+end",
        lambda p: p.end_date.isoformat() if p.end_date else "",
    ),
    Column("status", _("Status"), "#status", lambda p: _choice(Programme.Status.choices, p.status)),
    Column("targeted", _("People targeted"), "#targeted", lambda p: p.targeted),
    Column("reached", _("People reached"), "#reached", lambda p: p.reached),
    Column(
        "org_type_code",
        _("Type of organisation (code)"),
        "#org+type+code",
        lambda p: p.organisation.org_type,
    ),
    Column(
        "subsector_codes",
        _("Sub-sectors (codes)"),
        "#subsector+code",
        lambda p: exports.joined(s.code for s in p.subsectors.all()),
    ),
    Column(
        "governorate_codes",
        _("Governorates (p-codes)"),
        "#adm1+code",
        lambda p: exports.joined(g.pcode for g in p.governorates.all()),
    ),
    Column("status_code", _("Status (code)"), "#status+code", lambda p: p.status),
    # The id (last: columns are only ever added at the end), so that an edited export imports
    # back onto the same programmes, even with a new title or start date.
    Column("id", _("Programme code"), "#activity+code", lambda p: p.pk),
]


# --- HXL: one value per cell ------------------------------------------------------------
# Each row is (object, governorate or None, sub-sector or None).

HXL_ORGANISATION_COLUMNS = [
    Column("name_ar", _("Name (Arabic)"), "#org+name+i_ar", lambda r: r[0].name_ar),
    Column("name_en", _("Name (English)"), "#org+name+i_en", lambda r: r[0].name_en),
    Column("acronym", _("Acronym"), "#org+acronym", lambda r: r[0].acronym),
    Column("slug", _("Organisation code"), "#org+code", lambda r: r[0].slug),
    Column(
        "org_type_code", _("Type of organisation (code)"), "#org+type+code", lambda r: r[0].org_type
    ),
    Column(
        "subsector_code", _("Sub-sector (code)"), "#subsector+code", lambda r: r[2] and r[2].code
    ),
    Column("subsector", _("Sub-sector"), "#subsector+name", lambda r: r[2] and r[2].name),
    Column(
        "governorate_code", _("Governorate (p-code)"), "#adm1+code", lambda r: r[1] and r[1].pcode
    ),
    Column(
        "governorate_ar",
        _("Governorate (Arabic)"),
        "#adm1+name+i_ar",
        lambda r: r[1] and r[1].name_ar,
    ),
    Column(
        "governorate_en",
        _("Governorate (English)"),
        "#adm1+name+i_en",
        lambda r: r[1] and r[1].name_en,
    ),
    Column("website", _("Website"), "#org+url", lambda r: r[0].website),
    Column(
        "verified_at",
        _("Profile confirmed on"),
        "#date+verified",
        lambda r: r[0].verified_at.date().isoformat() if r[0].verified_at else "",
    ),
]

HXL_PROGRAMME_COLUMNS = [
    Column(
        "organisation_ar",
        _("Organisation (Arabic)"),
        "#org+name+i_ar",
        lambda r: r[0].organisation.name_ar,
    ),
    Column(
        "organisation_en",
        _("Organisation (English)"),
        "#org+name+i_en",
        lambda r: r[0].organisation.name_en,
    ),
    Column("organisation", _("Organisation code"), "#org+code", lambda r: r[0].organisation.slug),
    Column(
        "org_type_code",
        _("Type of organisation (code)"),
        "#org+type+code",
        lambda r: r[0].organisation.org_type,
    ),
    Column("programme", _("Programme code"), "#activity+code", lambda r: r[0].pk),
    Column("title_ar", _("Programme (Arabic)"), "#activity+name+i_ar", lambda r: r[0].title_ar),
    Column("title_en", _("Programme (English)"), "#activity+name+i_en", lambda r: r[0].title_en),
    Column("sector", _("Sector"), "#sector+code", lambda r: "education"),
    Column(
        "subsector_code", _("Sub-sector (code)"), "#subsector+code", lambda r: r[2] and r[2].code
    ),
    Column("subsector", _("Sub-sector"), "#subsector+name", lambda r: r[2] and r[2].name),
    Column(
        "governorate_code", _("Governorate (p-code)"), "#adm1+code", lambda r: r[1] and r[1].pcode
    ),
    Column(
        "governorate_ar",
        _("Governorate (Arabic)"),
        "#adm1+name+i_ar",
        lambda r: r[1] and r[1].name_ar,
    ),
    Column(
        "governorate_en",
        _("Governorate (English)"),
        "#adm1+name+i_en",
        lambda r: r[1] and r[1].name_en,
    ),
    Column("start_date", _("Start date"), "#date+start", lambda r: r[0].start_date.isoformat()),
    Column(
        "end_date",
        _("End date"),
        "#date+end",
        lambda r: r[0].end_date.isoformat() if r[0].end_date else "",
    ),
    Column("status_code", _("Status (code)"), "#status+code", lambda r: r[0].status),
    Column("targeted", _("People targeted"), "#targeted", lambda r: r[0].targeted),
    Column("reached", _("People reached"), "#reached", lambda r: r[0].reached),
]


def hxl_rows(objects):
    """(object, governorate, sub-sector) for every pair of each object's governorates and
    sub-sectors (None stands in for an empty list), so that each cell holds one value."""
    for obj in objects:
        governorates = list(obj.governorates.all()) or [None]
        subsectors = list(obj.subsectors.all()) or [None]
        for governorate in governorates:
            for subsector in subsectors:
                yield (obj, governorate, subsector)
        # Let the streamed export forget this object's prefetched rows (see exports._rows).
        getattr(obj, "_prefetched_objects_cache", {}).clear()


def as_triples(columns):
    """The (header, hashtag, getter) triples that knowledge_bank.exports writes."""
    return [(column.label, column.tag, column.get) for column in columns]


def header_keys(headers, columns) -> list[str | None]:
    """The column keys for a header row written in Arabic or English (None where unknown)."""
    by_label = {}
    for language in ("ar", "en"):
        with translation.override(language):
            by_label.update({str(column.label): column.key for column in columns})
    by_label.update({column.key: column.key for column in columns})
    return [by_label.get(header.strip()) for header in headers]
