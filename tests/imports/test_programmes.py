"""Importing programmes (4W): round trip, edits, HXL rows per governorate, a 500-row sheet."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from knowledge_bank.imports import PROGRAMME_COLUMNS
from knowledge_bank.models import Programme
from members.models import Governorate, Subsector
from tests.conftest import make_organisation
from tests.imports.conftest import column_index, confirm, errors_of, preview, totals

pytestmark = pytest.mark.django_db

MODEL = "knowledge_bank/programme"


def make_programme(organisation, title, *, pcodes=("SY07",), codes=("nfe",), **fields):
    programme = Programme.objects.create(
        organisation=organisation,
        title_en=title,
        title_ar=fields.pop("title_ar", ""),
        start_date=fields.pop("start_date", date(2026, 1, 1)),
        **fields,
    )
    programme.governorates.set(Governorate.objects.filter(pcode__in=pcodes))
    programme.subsectors.set(Subsector.objects.filter(code__in=codes))
    return programme


@pytest.fixture
def programmes(organisation):
    other = make_organisation(name_en="Second Org")
    return [
        make_programme(organisation, "Learning centres", pcodes=("SY07", "SY02"), reached=120),
        make_programme(organisation, "Teacher stipends", codes=("teachers",), status="planned"),
        make_programme(other, "Private one", visibility="members", title_ar="برنامج خاص"),
    ]


def export(client, fmt, language="en"):
    with translation.override(language):
        url = reverse("knowledge_bank:export_programmes", kwargs={"fmt": fmt})
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize(("fmt", "name"), [("csv", "p.csv"), ("xlsx", "p.xlsx"), ("hxl", "p.csv")])
def test_an_export_imports_back_without_changes(admin_client, programmes, fmt, name, language):
    response = preview(admin_client, MODEL, export(admin_client, fmt, language), name, language)
    assert not response.context["base_errors"], response.context["base_errors"]
    assert not errors_of(response), errors_of(response)
    assert totals(response) == {"new": 0, "update": 0, "skip": 3, "invalid": 0, "error": 0}


def _rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _bytes(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_an_edited_export_changes_exactly_the_edited_fields(admin_client, coordinator, programmes):
    rows = _rows(export(admin_client, "csv"))
    header = rows[0]
    title, status, reached = (
        column_index(header, PROGRAMME_COLUMNS, key) for key in ("title_en", "status", "reached")
    )
    row = next(r for r in rows[1:] if r[title] == "Teacher stipends")
    row[status] = "ongoing"
    row[reached] = "75"
    response = preview(admin_client, MODEL, _bytes(rows), "4w.csv")
    assert totals(response)["update"] == 1 and totals(response)["skip"] == 2
    assert response.context["preview_rows"]["update"][0].changed == [
        header[status],
        header[reached],
    ]
    before = {p.pk: p.updated_at for p in Programme.objects.all()}
    assert confirm(admin_client, MODEL, response).status_code == 200
    stipends = Programme.objects.get(title_en="Teacher stipends")
    assert (stipends.status, stipends.reached) == ("ongoing", 75)
    assert stipends.history.first().history_user == coordinator
    assert "4w.csv" in stipends.history.first().history_change_reason
    for programme in Programme.objects.exclude(pk=stipends.pk):
        assert programme.updated_at == before[programme.pk]


def test_hxl_with_one_row_per_governorate_is_one_programme(admin_client, programmes):
    organisation = programmes[0].organisation
    content = _bytes(
        [
            ["organisation", "title_en", "governorates", "subsectors", "start_date"],
            ["#org+code", "#activity+name+i_en", "#adm1+code", "#subsector+code", "#date+start"],
            [organisation.slug, "Learning centres", "SY07", "nfe", "2026-01-01"],
            [organisation.slug, "Learning centres", "SY02", "nfe", "2026-01-01"],
            [organisation.slug, "Mobile classes", "SY04", "nfe", "2026-02-01"],
            [organisation.slug, "Mobile classes", "SY05", "nfe", "2026-02-01"],
        ]
    )
    response = preview(admin_client, MODEL, content, "hxl.csv")
    assert not errors_of(response), errors_of(response)
    assert totals(response) == {"new": 1, "update": 0, "skip": 1, "invalid": 0, "error": 0}
    confirm(admin_client, MODEL, response)
    mobile = Programme.objects.get(title_en="Mobile classes")
    assert set(mobile.governorates.values_list("pcode", flat=True)) == {"SY04", "SY05"}


def test_a_500_row_4w_sheet_with_three_bad_rows(admin_client, organisation):
    header = [
        "organisation",
        "title_ar",
        "title_en",
        "subsectors",
        "governorates",
        "start_date",
        "end_date",
        "status",
        "targeted",
        "reached",
    ]
    rows = [header]
    for n in range(500):
        rows.append(
            [
                organisation.slug,
                f"برنامج {n}",
                f"Programme {n}",
                "nfe; pss",
                "SY07",
                "2026-01-01",
                "",
                "ongoing",
                "100",
                str(n),
            ]
        )
    rows[101][4] = "SY77"  # line 102: unknown p-code
    rows[201][3] = "basket-weaving"  # line 202: unknown sub-sector
    rows[301][5] = "31/02/2026"  # line 302: a date that does not exist
    response = preview(admin_client, MODEL, _bytes(rows), "4w-500.csv")
    errors = errors_of(response)
    assert set(errors) == {"102", "202", "302"}
    assert "SY77" in errors["102"]["governorates"][0]
    assert "basket-weaving" in errors["202"]["subsectors"][0]
    assert "31/02/2026" in errors["302"]["start_date"][0]
    assert response.context.get("confirm_form") is None
    assert Programme.objects.count() == 0
    # Fixed from the preview's reasons, the same file imports.
    rows[101][4], rows[201][3], rows[301][5] = "SY07", "nfe", "2026-02-01"
    response = preview(admin_client, MODEL, _bytes(rows), "4w-500.csv")
    assert totals(response)["new"] == 500
    confirm(admin_client, MODEL, response)
    assert Programme.objects.count() == 500


def test_a_write_failing_on_confirm_writes_nothing(admin_client, programmes, monkeypatch):
    """All rows in one transaction: a failure after the rows were inserted (here, while their
    sub-sectors and governorates are linked) rolls them back, with their history."""
    from knowledge_bank.imports import ProgrammeResource

    organisation = programmes[0].organisation
    content = _bytes(
        [
            ["organisation", "title_en", "governorates", "subsectors", "start_date"],
            [organisation.slug, "One", "SY07", "nfe", "2026-03-01"],
            [organisation.slug, "Two", "SY07", "nfe", "2026-03-01"],
        ]
    )
    response = preview(admin_client, MODEL, content)
    assert totals(response)["new"] == 2
    inserted = []

    def failing(self, pending):
        inserted.extend(instance.pk for instance, _changes, _new in pending)
        raise RuntimeError("disk full")

    monkeypatch.setattr(ProgrammeResource, "write_m2m", failing)
    done = confirm(admin_client, MODEL, response)
    assert done.status_code == 200 and done.context["nothing_written"]
    assert "could not be written" in " ".join(done.context["base_errors"])
    assert len(inserted) == 2 and all(inserted)  # the rows had been inserted…
    assert not Programme.objects.filter(title_en__in=["One", "Two"]).exists()  # …and rolled back
    assert not Programme.history.filter(id__in=inserted).exists()


def test_unknown_organisation_and_id(admin_client, programmes):
    content = _bytes(
        [
            ["id", "organisation", "title_en"],
            ["999999", programmes[0].organisation.slug, "X"],
            [str(programmes[2].pk), programmes[0].organisation.slug, "Y"],
            ["", "no-such-org", "Z"],
        ]
    )
    errors = errors_of(preview(admin_client, MODEL, content))
    assert "999999" in errors["2"]["id"][0]
    assert "another organisation" in errors["3"]["organisation"][0]
    assert "no-such-org" in errors["4"]["organisation"][0]


@pytest.mark.parametrize(("fmt", "name"), [("csv", "p.csv"), ("xlsx", "p.xlsx")])
def test_the_export_carries_the_id_so_a_new_title_updates_the_same_programme(
    admin_client, programmes, fmt, name
):
    """Without the id, a programme whose title changed would be read as a new programme."""
    from openpyxl import Workbook, load_workbook

    content = export(admin_client, fmt)
    if fmt == "csv":
        rows = _rows(content)
    else:
        rows = [
            ["" if v is None else str(v) for v in row]
            for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
        ]
    header = rows[0]
    assert header[-1] == "Programme code"
    target = programmes[0]
    id_at, title_at = (column_index(header, PROGRAMME_COLUMNS, k) for k in ("id", "title_en"))
    (row,) = [r for r in rows[1:] if r[id_at] == str(target.pk)]
    row[title_at] = "Learning centres, renamed"
    if fmt == "csv":
        edited = _bytes(rows)
    else:
        book = Workbook()
        for r in rows:
            book.active.append(r)
        out = io.BytesIO()
        book.save(out)
        edited = out.getvalue()
    response = preview(admin_client, MODEL, edited, name)
    assert totals(response) == {"new": 0, "update": 1, "skip": 2, "invalid": 0, "error": 0}
    confirm(admin_client, MODEL, response)
    target.refresh_from_db()
    assert target.title_en == "Learning centres, renamed"
    assert Programme.objects.count() == 3
