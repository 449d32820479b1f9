"""Exports in the reader's language, and HXL that HXL tools can read (one value per cell)."""

import csv
import io

import hxl
import pytest
from openpyxl import load_workbook

from knowledge_bank.export_columns import ORGANISATION_COLUMNS, PROGRAMME_COLUMNS, header_keys
from tests.conftest import make_organisation
from tests.knowledge_bank.test_knowledge_bank import make_programme

pytestmark = pytest.mark.django_db


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def read_hxl(response):
    """The file as HXL tools read it (libhxl, the HXL project's own library)."""
    body = b"".join(response.streaming_content).removeprefix("\ufeff".encode())
    return hxl.data(io.BytesIO(body), hxl.InputOptions(allow_local=True))


def test_arabic_programme_csv_has_arabic_headers_and_values(client, organisation):
    make_programme(organisation, governorates=("SY02", "SY07"), subsectors=("nfe",))
    rows = read_csv(client.get("/ar/knowledge-bank/exports/programmes.csv"))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:4] == [
        "المنظمة (بالعربية)",
        "المنظمة (بالإنكليزية)",
        "رمز المنظمة",
        "نوع المنظمة",
    ]
    assert "organisation_ar" not in header and "org_type" not in header
    assert row["نوع المنظمة"] == "منظمة محلية غير حكومية"
    assert row["الحالة"] == "جارٍ"
    assert row["المحافظات"] == "حلب; إدلب"
    assert row["القطاعات الفرعية"] == "التعليم غير النظامي"
    # The codes follow at the end, for tools and for reading the file back.
    assert row["المحافظات (الرموز)"] == "SY02; SY07"
    assert row["الحالة (الرمز)"] == "ongoing"
    assert header_keys(header, PROGRAMME_COLUMNS) == [column.key for column in PROGRAMME_COLUMNS]


def test_english_csv_and_arabic_xlsx_name_things_in_their_language(client, organisation):
    make_programme(organisation)
    rows = read_csv(client.get("/en/knowledge-bank/exports/programmes.csv"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Type of organisation"] == "Local NGO"
    assert row["Status"] == "Ongoing"
    assert row["Governorates"] == "Idleb"
    assert header_keys(rows[0], PROGRAMME_COLUMNS) == [c.key for c in PROGRAMME_COLUMNS]

    response = client.get("/ar/knowledge-bank/exports/organisations.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "الاسم (بالعربية)"
    assert header_keys(header, ORGANISATION_COLUMNS) == [c.key for c in ORGANISATION_COLUMNS]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert values["نوع المنظمة"] == "منظمة محلية غير حكومية"


def test_column_order_is_stable():
    """An importer reads these files back: new columns go at the end, never in between."""
    assert [c.key for c in PROGRAMME_COLUMNS][:15] == [
        "organisation_ar",
        "organisation_en",
        "organisation",
        "org_type",
        "title_ar",
        "title_en",
        "sector",
        "subsectors",
        "governorates",
        "governorates_ar",
        "start_date",
        "end_date",
        "status",
        "targeted",
        "reached",
    ]
    assert [c.key for c in ORGANISATION_COLUMNS][:11] == [
        "name_ar",
        "name_en",
        "acronym",
        "slug",
        "org_type",
        "subsectors",
        "governorates",
        "governorates_ar",
        "host_countries",
        "website",
        "verified_at",
    ]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_hxl_has_one_value_per_cell_read_by_libhxl(client, organisation, language):
    make_programme(
        organisation, governorates=("SY02", "SY07"), subsectors=("nfe", "ece"), reached=40
    )
    make_programme(make_organisation(name_en="Second"), governorates=(), subsectors=("nfe",))
    response = client.get(f"/{language}/knowledge-bank/exports/programmes.hxl")
    dataset = read_hxl(response)
    rows = list(dataset)
    # One row per programme × governorate × sub-sector; an empty list still gives one row.
    assert len(rows) == 2 * 2 + 1
    assert sorted(row.get("#adm1+code") or "" for row in rows) == [
        "",
        "SY02",
        "SY02",
        "SY07",
        "SY07",
    ]
    for row in rows:
        for column, value in zip(dataset.columns, row.values, strict=True):
            assert ";" not in (value or ""), (column.display_tag, value)
    aleppo = [row for row in rows if row.get("#adm1+code") == "SY02"]
    assert {row.get("#subsector+code") for row in aleppo} == {"nfe", "ece"}
    assert {row.get("#adm1+name+i_en") for row in aleppo} == {"Aleppo"}
    assert {row.get("#reached") for row in aleppo} == {"40"}
    assert len({row.get("#activity+code") for row in rows}) == 2


def test_organisation_hxl_has_one_value_per_cell(client, organisation):
    organisation.governorates.set([])
    rows = list(read_hxl(client.get("/en/knowledge-bank/exports/organisations.hxl")))
    assert rows and all(";" not in (value or "") for row in rows for value in row.values)
