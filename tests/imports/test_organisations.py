"""Importing organisations: round trip, edits, duplicates and every kind of bad input."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from members.imports import ORGANISATION_COLUMNS
from members.models import Governorate, Organisation
from tests.conftest import make_organisation
from tests.imports.conftest import column_index, confirm, errors_of, preview, totals

pytestmark = pytest.mark.django_db

MODEL = "members/organisation"


@pytest.fixture
def directory(organisation):
    other = make_organisation(name_ar="رابطة المعلمين", name_en="Teachers League", acronym="TL")
    other.governorates.set(Governorate.objects.filter(pcode="SY01"))
    make_organisation(name_en="Quiet Org", low_profile=True)
    return [organisation, other]


def export(client, fmt, language="en"):
    with translation.override(language):
        url = reverse("knowledge_bank:export_organisations", kwargs={"fmt": fmt})
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize(("fmt", "name"), [("csv", "o.csv"), ("xlsx", "o.xlsx"), ("hxl", "h.csv")])
def test_an_export_imports_back_without_changes(admin_client, directory, fmt, name, language):
    content = export(admin_client, fmt, language)
    response = preview(admin_client, MODEL, content, name, language)
    assert response.status_code == 200
    assert not response.context["base_errors"], response.context["base_errors"]
    count = Organisation.objects.count()
    assert totals(response) == {"new": 0, "update": 0, "skip": count, "invalid": 0, "error": 0}
    # nothing to confirm: the page says so, and offers only to delete the file
    assert response.context["confirm_form"] is None and response.context["nothing_to_import"]


def _csv_rows(content: bytes):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def test_an_edited_export_changes_exactly_the_edited_fields(admin_client, coordinator, directory):
    rows = _csv_rows(export(admin_client, "csv"))
    header = rows[0]
    slug, acronym, governorates = (
        column_index(header, ORGANISATION_COLUMNS, key)
        for key in ("slug", "acronym", "governorates")
    )
    target = next(r for r in rows[1:] if r[slug] == directory[1].slug)
    target[acronym] = "TLX"
    target[governorates] = "SY01; SY04"
    before = {
        o.pk: (o.name_ar, o.name_en, o.acronym, o.updated_at) for o in Organisation.objects.all()
    }
    response = preview(admin_client, MODEL, _csv_bytes(rows), "edited.csv")
    assert totals(response)["update"] == 1 and totals(response)["new"] == 0
    (changed,) = response.context["preview_rows"]["update"]
    assert changed.changed == [header[acronym], header[governorates]]
    assert (
        Organisation.objects.get(pk=directory[1].pk).acronym == "TL"
    )  # the preview writes nothing
    done = confirm(admin_client, MODEL, response)
    assert done.status_code == 200 and "1 changed row<" in done.content.decode()
    assert "Import finished" in done.content.decode()
    edited = Organisation.objects.get(pk=directory[1].pk)
    assert edited.acronym == "TLX"
    assert sorted(edited.governorates.values_list("pcode", flat=True)) == ["SY01", "SY04"]
    for organisation in Organisation.objects.exclude(pk=edited.pk):
        assert before[organisation.pk] == (
            organisation.name_ar,
            organisation.name_en,
            organisation.acronym,
            organisation.updated_at,
        )
    record = edited.history.first()
    assert record.history_user == coordinator
    assert "edited.csv" in record.history_change_reason


def _table(*rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def test_new_organisations_are_created_active(admin_client, coordinator, directory):
    content = _table(
        ["name_ar", "name_en", "org_type", "governorates", "subsectors"],
        ["جمعية جديدة", "New Society", "local_ngo", "SY02; SY07", "nfe"],
    )
    response = preview(admin_client, MODEL, content)
    assert totals(response)["new"] == 1
    assert not Organisation.objects.filter(name_en="New Society").exists()
    confirm(admin_client, MODEL, response)
    created = Organisation.objects.get(name_en="New Society")
    assert created.status == "active" and created.approved_by == coordinator
    assert set(created.governorates.values_list("pcode", flat=True)) == {"SY02", "SY07"}
    assert created.history.first().history_user == coordinator


def test_headers_and_codes_in_arabic_or_english_are_read(admin_client, directory):
    content = _table(
        ["الاسم [ar]", "Name (English)", "النوع", "Sub-sectors", "المحافظات"],
        [
            "جمعية الأمل",
            "Hope Society",
            "منظمة محلية غير حكومية",
            "التعليم غير النظامي",
            "إدلب؛ Aleppo",
        ],
    )
    response = preview(admin_client, MODEL, content, language="ar")
    assert not response.context["base_errors"], response.context["base_errors"]
    assert not errors_of(response), errors_of(response)
    assert totals(response)["new"] == 1


def test_a_likely_duplicate_is_flagged_and_never_created(admin_client, directory):
    content = _table(
        ["name_ar", "name_en", "org_type"],
        [
            "جمعيه المدرسه الاولى",
            "Another name",
            "local_ngo",
        ],  # spelling variants of an existing name
        ["", "Brand New", "local_ngo"],
        ["", "", "local_ngo"],
    )
    content = content.replace(b"Brand New", b"teachers league")
    response = preview(admin_client, MODEL, content)
    errors = errors_of(response)
    assert set(errors) == {"2", "3", "4"}
    assert directory[0].slug in errors["2"]["name_ar"][0]
    assert directory[1].slug in errors["3"]["name_en"][0]
    assert response.context.get("confirm_form") is None
    count = Organisation.objects.count()
    assert Organisation.objects.count() == count


def test_duplicate_rows_within_the_file(admin_client, directory):
    content = _table(
        ["slug", "acronym"],
        [directory[0].slug, "A"],
        [directory[0].slug, "B"],
        ["", "New one"],
    )
    content += _table(["", "NEW ONE"], encoding="utf-8")
    response = preview(admin_client, MODEL, content)
    errors = errors_of(response)
    assert "Repeats line 2" in errors["3"]["slug"][0]
    assert "line 4" in errors["5"]["acronym"][0]


def test_windows_1256_arabic_csv_is_read(admin_client, directory):
    content = _table(
        ["name_ar", "org_type", "governorates"],
        ["جمعية حلب للتعليم", "local_ngo", "SY02"],
        encoding="cp1256",
    )
    response = preview(admin_client, MODEL, content, "arabic.csv")
    assert not response.context["base_errors"]
    assert totals(response)["new"] == 1
    confirm(admin_client, MODEL, response)
    assert Organisation.objects.filter(name_ar="جمعية حلب للتعليم").exists()


def test_an_unreadable_encoding_is_refused_clearly(admin_client, directory):
    content = "name_en,org_type\nÉcole Ünïcode,local_ngo\n".encode("latin-1")
    response = preview(admin_client, MODEL, content)
    assert "UTF-8" in str(response.context["form"].errors["import_file"])
    assert response.context.get("confirm_form") is None


def test_junk_and_oversized_files_are_refused(admin_client, directory, settings):
    import os

    junk = os.urandom(200_000)
    response = preview(admin_client, MODEL, junk, "junk.csv")
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]
    big = b"x" * (10 * 1024 * 1024)
    response = preview(admin_client, MODEL, big, "big.csv")
    assert "8 MB" in str(response.context["form"].errors["import_file"])
    broken = b"PK\x03\x04" + os.urandom(5000)
    response = preview(admin_client, MODEL, broken, "broken.xlsx")
    assert "XLSX" in str(response.context["form"].errors["import_file"])


def test_formulas_are_refused_per_cell(admin_client, directory):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["slug", "acronym", "name_en"])
    sheet.append([directory[0].slug, '=HYPERLINK("http://x")', "'=kept as text"])
    out = io.BytesIO()
    workbook.save(out)
    response = preview(admin_client, MODEL, out.getvalue(), "f.xlsx")
    errors = errors_of(response)
    assert "formula" in errors["2"]["acronym"][0]
    assert "name_en" not in errors["2"]  # the export's quoted text is text


def test_a_header_row_in_another_language_is_refused(admin_client, directory):
    content = _table(["Nom", "Sigle"], ["Association", "ASC"])
    count = Organisation.objects.count()
    response = preview(admin_client, MODEL, content)
    (message,) = response.context["form"].errors["import_file"]
    assert "Nom" in message and "name_ar" in message
    assert Organisation.objects.count() == count


def test_reasons_per_cell_are_translated(admin_client, directory):
    content = _table(
        ["slug", "governorates", "subsectors", "founded_year", "name_en", "website"],
        [directory[0].slug, "SY99", "astronomy", "١٨٠٠", "x" * 201, "javascript:alert(1)"],
    )
    response = preview(admin_client, MODEL, content, language="ar")
    errors = errors_of(response)["2"]
    assert set(errors) == {"governorates", "subsectors", "founded_year", "name_en", "website"}
    text = " ".join(" ".join(reasons) for reasons in errors.values())
    assert "SY99" in text and "astronomy" in text
    assert any("\u0600" <= ch <= "\u06ff" for ch in errors["governorates"][0])
    assert Organisation.objects.get(pk=directory[0].pk).governorates.count() == 2


def test_the_template_downloads_in_both_languages_and_imports_back(admin_client, directory):
    for language in ("ar", "en"):
        response = admin_client.get(
            f"/{language}/admin/members/organisation/import/template/{language}.xlsx"
        )
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        sheet = load_workbook(io.BytesIO(content)).active
        headers = [cell.value for cell in sheet[1]]
        if language == "ar":
            assert any("\u0600" <= ch <= "\u06ff" for ch in headers[1])
        result = preview(admin_client, MODEL, content, "template.xlsx", language)
        assert not result.context["base_errors"], result.context["base_errors"]
        assert totals(result)["new"] == 1, errors_of(result)


def test_only_verified_coordinators_may_import(client, coordinator, editor, directory):
    client.force_login(coordinator)  # password only: not a coordinator yet
    response = preview(client, MODEL, _table(["acronym"], ["X"]))
    assert response.status_code in (302, 403)
    client.force_login(editor)
    response = preview(client, MODEL, _table(["acronym"], ["X"]))
    assert response.status_code in (302, 403)
    assert client.get("/en/admin/members/organisation/import/template/en.xlsx").status_code in (
        302,
        403,
    )


def test_progress_is_reported(admin_client, directory):
    from django.core.cache import cache

    from platform_site.importing import progress_cache_key
    from platform_site.models import ImportJob

    response = preview(admin_client, MODEL, _table(["acronym"], ["X"]))
    job = ImportJob.objects.get()
    job.status = ImportJob.Status.PREVIEWING
    job.save()
    cache.set(progress_cache_key(job.pk), (3250, 10000))
    body = admin_client.get(response.job_url + "progress/").json()
    assert body["rows"] == 3250 and body["running"]
    assert body["text"] == "3,250 of 10,000 rows read…"
    page = admin_client.get(response.job_url).content.decode()
    assert "3,250 of 10,000 rows read…" in page and 'http-equiv="refresh"' in page


def test_the_preview_lists_a_bounded_number_of_rows_and_counts_all(
    admin_client, directory, monkeypatch
):
    import platform_site.importing as importing

    monkeypatch.setattr(importing, "PREVIEW_LIMIT", 3)
    monkeypatch.setattr(importing.SpreadsheetImportMixin, "preview_limit", 3)
    rows = [["name_en", "org_type", "governorates"]]
    rows += [[f"Bad {n}", "local_ngo", "SY99"] for n in range(6)]
    rows += [[f"Good {n}", "local_ngo", "SY01"] for n in range(5)]
    response = preview(admin_client, MODEL, _table(*rows))
    assert totals(response)["invalid"] == 6 and totals(response)["new"] == 5
    assert len(response.context["preview_rows"]["invalid"]) == 3
    assert len(response.context["preview_rows"]["new"]) == 3
    assert "Only the first 3 rows" in response.content.decode()


def test_hxl_with_one_row_per_governorate_is_one_organisation(admin_client, directory):
    other = directory[1]
    content = _table(
        ["slug", "governorates", "subsectors"],
        ["#org+code", "#adm1+code", "#subsector+code"],
        [other.slug, "SY01", ""],
        [other.slug, "SY04", ""],
    )
    response = preview(admin_client, MODEL, content, "one-per-cell.csv")
    assert not errors_of(response), errors_of(response)
    (changed,) = response.context["preview_rows"]["update"]
    assert changed.changed == ["governorates"] and changed.line == "3, 4"
    confirm(admin_client, MODEL, response)
    assert set(other.governorates.values_list("pcode", flat=True)) == {"SY01", "SY04"}


def test_the_admin_lists_link_to_the_import(admin_client, directory):
    for url in ("/en/admin/members/organisation/", "/en/admin/knowledge_bank/programme/"):
        page = admin_client.get(url)
        assert page.status_code == 200
        assert f'href="{url}import/"' in page.content.decode()
