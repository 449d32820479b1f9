import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from knowledge_bank.models import Programme, Resource
from members.models import Governorate, Subsector, TargetGroup
from tests import files
from tests.conftest import make_contact, make_organisation, make_user

pytestmark = pytest.mark.django_db


def make_programme(organisation, *, governorates=("SY07",), subsectors=("nfe",), **fields):
    fields.setdefault("title_en", "Catch-up classes")
    fields.setdefault("title_ar", "صفوف استدراكية")
    fields.setdefault("start_date", date(2025, 1, 1))
    fields.setdefault("status", "ongoing")
    programme = Programme.objects.create(organisation=organisation, **fields)
    programme.governorates.set(Governorate.objects.filter(pcode__in=governorates))
    programme.subsectors.set(Subsector.objects.filter(code__in=subsectors))
    return programme


def programme_data(**overrides):
    idleb = Governorate.objects.get(pcode="SY07").pk
    nfe = Subsector.objects.get(code="nfe").pk
    data = {
        "title_ar": "برنامج",
        "title_en": "Programme",
        "governorates": [idleb],
        "subsectors": [nfe],
        "start_date": "2026-01-10",
        "status": "ongoing",
        "visibility": "public",
        "targeted": "٣٠٠",
        "reached": "120",
        "reached_girls": "70",
        "reached_boys": "50",
    }
    data.update(overrides)
    return data


# --- programmes -------------------------------------------------------------------------


def test_editor_adds_a_programme_and_sees_who_else_works_there(client, organisation, editor):
    neighbour = make_organisation(name_en="Neighbour Org")
    make_programme(neighbour)
    client.force_login(editor)
    response = client.post(
        f"/en/knowledge-bank/programmes/new/?organisation={organisation.slug}", programme_data()
    )
    programme = Programme.objects.get(organisation=organisation)
    assert response["Location"] == f"/en/knowledge-bank/programmes/{programme.pk}/edit/"
    assert programme.targeted == 300 and programme.reached_girls == 70
    page = client.get(response["Location"])
    assert [o.name_en for o in page.context["overlaps"]] == ["Neighbour Org"]
    assert "Coordinate before you start" in page.content.decode()
    assert "Programme" in client.get(organisation.get_absolute_url()).content.decode()


def test_overlap_hint_on_an_invalid_submission_too(client, organisation, editor):
    make_programme(make_organisation(name_en="Neighbour Org"))
    client.force_login(editor)
    response = client.post(
        f"/en/knowledge-bank/programmes/new/?organisation={organisation.slug}",
        programme_data(title_ar="", title_en=""),
    )
    assert (
        response.status_code == 200
        and not Programme.objects.filter(organisation=organisation).exists()
    )
    assert [o.name_en for o in response.context["overlaps"]] == ["Neighbour Org"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": "2025-01-01"}, "end_date"),
        ({"reached": "-5"}, "reached"),
        ({"reached": "10"}, "reached"),
        ({"status": "paused"}, "status"),
        ({"governorates": []}, "governorates"),
        ({"start_date": "yesterday"}, "start_date"),
    ],
)
def test_bad_programme_input_is_refused(client, organisation, editor, overrides, field):
    client.force_login(editor)
    response = client.post(
        f"/ar/knowledge-bank/programmes/new/?organisation={organisation.slug}",
        programme_data(**overrides),
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Programme.objects.exists()


@pytest.mark.parametrize("person", ["other_org_editor", "outsider", "coordinator"])
def test_other_people_cannot_edit_a_programme(client, organisation, person, request):
    programme = make_programme(organisation)
    client.force_login(request.getfixturevalue(person))
    assert client.get(f"/en/knowledge-bank/programmes/{programme.pk}/edit/").status_code == 404
    assert (
        client.post(
            f"/en/knowledge-bank/programmes/{programme.pk}/edit/", programme_data(title_en="X")
        ).status_code
        == 404
    )
    assert client.post(f"/en/knowledge-bank/programmes/{programme.pk}/close/").status_code == 404
    assert (
        client.get(
            f"/en/knowledge-bank/programmes/new/?organisation={organisation.slug}"
        ).status_code
        == 404
    )
    programme.refresh_from_db()
    assert programme.title_en == "Catch-up classes" and programme.status == "ongoing"


def test_close_a_programme(client, organisation, editor):
    programme = make_programme(organisation)
    client.force_login(editor)
    assert client.get(f"/en/knowledge-bank/programmes/{programme.pk}/close/").status_code == 405
    client.post(f"/en/knowledge-bank/programmes/{programme.pk}/close/")
    programme.refresh_from_db()
    assert programme.status == "completed" and programme.end_date


def test_anonymous_is_sent_to_login(client, organisation):
    response = client.get(f"/en/knowledge-bank/programmes/new/?organisation={organisation.slug}")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_programme_visibility_on_profiles_and_lists(client, organisation, other_org_editor):
    make_programme(organisation, title_en="Open work")
    make_programme(organisation, title_en="Quiet work", visibility="members")
    hidden_org = make_organisation(name_en="Low", low_profile=True)
    make_programme(hidden_org, title_en="Hidden org work")
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "Open work" in html and "Quiet work" not in html
    listing = client.get("/en/knowledge-bank/programmes/").content.decode()
    assert (
        "Open work" in listing and "Quiet work" not in listing and "Hidden org work" not in listing
    )
    client.force_login(other_org_editor)
    listing = client.get("/en/knowledge-bank/programmes/").content.decode()
    assert "Quiet work" in listing and "Hidden org work" in listing


def test_programme_date_order_is_enforced_by_the_database(organisation):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(
            organisation=organisation,
            title_en="x",
            start_date=date(2025, 5, 1),
            end_date=date(2025, 1, 1),
        )


# --- coverage ---------------------------------------------------------------------------


def test_coverage_numbers_on_a_known_data_set(client):
    first, second, third, fourth = (make_organisation(name_en=n) for n in ("A", "B", "C", "D"))
    make_programme(first, governorates=("SY07", "SY02"), subsectors=("nfe",), reached=100)
    make_programme(first, governorates=("SY07",), subsectors=("nfe", "pss"), reached=50)
    make_programme(second, governorates=("SY07",), subsectors=("nfe",), reached=30)
    make_programme(fourth, governorates=("SY07",), subsectors=("nfe",), reached=20)
    make_programme(
        third, governorates=("SY07",), subsectors=("nfe",), reached=1000, status="completed"
    )
    make_programme(third, governorates=("SY01",), subsectors=("ece",), visibility="members")
    response = client.get("/en/coverage/")
    rows = {
        governorate.pcode: {cell["subsector"].code: cell for cell in row}
        for governorate, row in response.context["rows"]
    }
    assert (rows["SY07"]["nfe"]["count"], rows["SY07"]["nfe"]["reached"]) == (3, 200)
    # One or two organisations are never counted: "fewer than 3", without their numbers.
    assert rows["SY02"]["nfe"]["few"] and rows["SY02"]["nfe"]["count"] is None
    assert rows["SY02"]["nfe"]["reached"] == 0 and rows["SY07"]["pss"]["few"]
    assert rows["SY01"]["ece"]["count"] == 0  # members-only programme: a gap for the public
    assert not rows["SY01"]["ece"]["few"]
    assert (
        rows["SY07"]["nfe"]["level"] == 4
        and rows["SY07"]["pss"]["level"] == 1
        and rows["SY13"]["ece"]["level"] == 0
    )
    assert (
        rows["SY07"]["nfe"]["url"]
        == "/en/knowledge-bank/programmes/?status=ongoing&governorate=SY07&subsector=nfe"
    )
    completed = client.get("/en/coverage/?status=completed").context["rows"]
    assert {g.pcode: {c["subsector"].code: c for c in r} for g, r in completed}["SY07"]["nfe"][
        "few"
    ]
    tiles = {tile["governorate"].pcode: tile["count"] for tile in response.context["tiles"]}
    assert tiles["SY07"] == 3 and tiles["SY02"] is None and len(tiles) == 14
    assert "fewer than 3" in response.content.decode()


def test_coverage_cell_links_to_its_programmes(client):
    organisation = make_organisation(name_en="Cell Org")
    make_programme(organisation, title_en="In the cell")
    make_programme(organisation, title_en="Elsewhere", governorates=("SY13",))
    listing = client.get(
        "/en/knowledge-bank/programmes/?status=ongoing&governorate=SY07&subsector=nfe"
    )
    assert [p.title_en for p in listing.context["programmes"]] == ["In the cell"]


def test_coverage_filters_by_year_and_target_group(client):
    organisation = make_organisation()
    make_programme(organisation, start_date=date(2020, 1, 1), end_date=date(2021, 6, 1))
    assert client.get("/en/coverage/?status=&year=2021").context["highest"] == 1
    assert client.get("/en/coverage/?status=&year=2023").context["highest"] == 0
    assert client.get("/en/coverage/?target_group=youth&status=").context["highest"] == 0
    assert client.get("/en/coverage/?year=1800&status=zzz").status_code == 200


def test_coverage_counts_a_programme_once_whatever_its_groups(client):
    target_groups = TargetGroup.objects.all()[:3]
    for _ in range(3):
        programme = make_programme(
            make_organisation(), governorates=("SY07", "SY02"), subsectors=("nfe",), reached=40
        )
        programme.target_groups.set(target_groups)
    code = programme.target_groups.first().code
    for url in ("/en/coverage/", f"/en/coverage/?target_group={code}"):
        response = client.get(url)
        rows = {
            g.pcode: {c["subsector"].code: c for c in row} for g, row in response.context["rows"]
        }
        assert (rows["SY07"]["nfe"]["count"], rows["SY07"]["nfe"]["reached"]) == (3, 120), url
        tiles = {tile["governorate"].pcode: tile["count"] for tile in response.context["tiles"]}
        assert tiles["SY07"] == tiles["SY02"] == 3, url


def test_coverage_and_lists_query_counts_are_flat(client, django_assert_max_num_queries):
    def grow(n):
        for i in range(n):
            make_programme(
                make_organisation(),
                governorates=("SY07", "SY0" + str(1 + i % 9)),
                subsectors=("nfe", "ece"),
            )
            Resource.objects.create(
                title_en=f"R{i}", kind="report", language="en", url="https://example.org/r"
            )

    grow(3)
    counts = {}
    for url in (
        "/en/coverage/",
        "/en/knowledge-bank/programmes/",
        "/en/knowledge-bank/",
        "/en/knowledge-bank/statistics/",
    ):
        with django_assert_max_num_queries(40) as captured:
            client.get(url)
        counts[url] = len(captured.captured_queries)
    grow(25)
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            client.get(url)


def test_statistics_page(client):
    for _ in range(3):
        make_organisation(org_type="network").subsectors.add(Subsector.objects.get(code="pss"))
    make_organisation(org_type="donor")
    response = client.get("/en/knowledge-bank/statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "Network or coalition" in html
    # A lone donor would be recognisable: its type is folded into "Other types".
    assert "Donor" not in html and "Other types" in html and "fewer than 3" in html


# --- exports ----------------------------------------------------------------------------


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_directory_csv_export(client, organisation):
    make_contact(organisation, visibility="private", name="Secret Person", email="secret@x.org")
    organisation.name_en = '=HYPERLINK("http://evil")'
    organisation.registration_number = "REG-1"
    organisation.save()
    make_organisation(name_en="Hidden Org", low_profile=True)
    make_organisation(name_en="Pending Org", status="pending")
    response = client.get("/en/knowledge-bank/exports/organisations.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="organisations-' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:4] == ["Name (Arabic)", "Name (English)", "Acronym", "Organisation code"]
    assert len(rows) == 2
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    flat = str(rows)
    assert "Secret Person" not in flat and "secret@x.org" not in flat and "REG-1" not in flat
    assert "Hidden Org" not in flat and "Pending Org" not in flat


def test_exports_follow_the_filters(client):
    aleppo = make_organisation(name_en="Aleppo Org")
    aleppo.governorates.add(Governorate.objects.get(pcode="SY02"))
    make_organisation(name_en="Other Org")
    rows = read_csv(client.get("/en/knowledge-bank/exports/organisations.csv?governorate=SY02"))
    assert [row[1] for row in rows[1:]] == ["Aleppo Org"]


def test_hxl_export_has_a_hashtag_row(client, organisation):
    make_programme(organisation, reached=42)
    rows = read_csv(client.get("/en/knowledge-bank/exports/programmes.hxl"))
    assert rows[1][:3] == ["#org+name+i_ar", "#org+name+i_en", "#org+code"]
    assert {
        "#sector+code",
        "#subsector+code",
        "#adm1+code",
        "#adm1+name+i_ar",
        "#date+start",
        "#date+end",
        "#targeted",
        "#reached",
        "#status+code",
    } <= set(rows[1])
    assert rows[2][rows[1].index("#adm1+code")] == "SY07"
    assert rows[2][rows[1].index("#reached")] == "42"


def test_xlsx_export_is_right_to_left_in_arabic(client, organisation):
    make_programme(organisation)
    response = client.get("/ar/knowledge-bank/exports/programmes.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.sheet_view.rightToLeft
    assert sheet.cell(row=2, column=1).value == organisation.name_ar


def test_members_only_programmes_are_not_exported_to_the_public(
    client, organisation, other_org_editor
):
    make_programme(organisation, title_en="Members work", visibility="members")
    assert "Members work" not in str(
        read_csv(client.get("/en/knowledge-bank/exports/programmes.csv"))
    )
    client.force_login(other_org_editor)
    assert "Members work" in str(read_csv(client.get("/en/knowledge-bank/exports/programmes.csv")))


def test_unknown_export_format_and_methods(client):
    assert client.get("/en/knowledge-bank/exports/programmes.pdf").status_code == 404
    assert client.post("/en/knowledge-bank/exports/programmes.csv").status_code == 405


# --- resources --------------------------------------------------------------------------


def resource_data(**overrides):
    data = {
        "title_ar": "دليل",
        "title_en": "Guide",
        "kind": "guide",
        "language": "both",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def test_editor_uploads_a_document_and_anyone_downloads_it(client, organisation, editor):
    client.force_login(editor)
    response = client.post("/en/knowledge-bank/new/", {**resource_data(), "upload": files.pdf()})
    resource = Resource.objects.get()
    assert response["Location"] == resource.get_absolute_url()
    assert resource.publisher == organisation and resource.file_type == "pdf"
    client.logout()
    download = client.get(f"/en/knowledge-bank/{resource.slug}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="guide.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    "make", [files.svg, files.plain_zip, lambda: files.upload("report.pdf", b"<html>")]
)
def test_disguised_documents_are_refused(client, organisation, editor, make):
    client.force_login(editor)
    response = client.post("/ar/knowledge-bank/new/", {**resource_data(), "upload": make()})
    assert response.status_code == 200 and "upload" in response.context["form"].errors
    assert not Resource.objects.exists()


def test_oversized_document_is_refused(client, organisation, editor, settings):
    settings.DOCUMENT_MAX_BYTES = 20
    client.force_login(editor)
    response = client.post("/en/knowledge-bank/new/", {**resource_data(), "upload": files.pdf()})
    assert "upload" in response.context["form"].errors and not Resource.objects.exists()


def test_a_link_or_a_file_is_needed_and_links_are_web_links(client, organisation, editor):
    client.force_login(editor)
    assert client.post("/en/knowledge-bank/new/", resource_data()).status_code == 200
    response = client.post("/en/knowledge-bank/new/", resource_data(url="javascript:alert(1)"))
    assert "url" in response.context["form"].errors
    client.post("/en/knowledge-bank/new/", resource_data(url="https://example.org/guide"))
    assert Resource.objects.get().url == "https://example.org/guide"


def test_members_only_resources(client, organisation, other_org_editor):
    resource = Resource.objects.create(
        title_en="Internal note",
        kind="report",
        language="en",
        url="https://example.org/x",
        visibility="members",
    )
    assert "Internal note" not in client.get("/en/knowledge-bank/").content.decode()
    assert client.get(resource.get_absolute_url()).status_code == 404
    client.force_login(other_org_editor)
    assert client.get(resource.get_absolute_url()).status_code == 200


def test_other_organisations_cannot_edit_a_resource(client, organisation, other_org_editor):
    resource = Resource.objects.create(
        title_en="Ours",
        kind="report",
        language="en",
        url="https://example.org/x",
        publisher=organisation,
    )
    client.force_login(other_org_editor)
    assert (
        client.post(f"/en/knowledge-bank/{resource.slug}/edit/", resource_data()).status_code == 404
    )
    resource.refresh_from_db()
    assert resource.title_en == "Ours"


def test_resource_search_and_filters(client):
    Resource.objects.create(
        title_ar="دليل المعلّمين", kind="guide", language="ar", url="https://e.org/1"
    )
    Resource.objects.create(title_en="Data set", kind="data", language="en", url="https://e.org/2")
    assert [r.kind for r in client.get("/ar/knowledge-bank/?q=المعلمين").context["resources"]] == [
        "guide"
    ]
    assert [r.kind for r in client.get("/ar/knowledge-bank/?kind=data").context["resources"]] == [
        "data"
    ]
    assert client.get("/ar/knowledge-bank/?kind=zzz&language=qq").status_code == 200


def test_users_without_organisation_cannot_upload(client, outsider):
    client.force_login(outsider)
    assert client.get("/en/knowledge-bank/new/").status_code == 404


def test_no_personal_data_in_public_pages(client, organisation):
    contact = make_contact(organisation, visibility="members", name="Member Only Person")
    make_programme(organisation)
    user = make_user("hidden-user@example.org")
    for url in (
        "/en/coverage/",
        "/en/knowledge-bank/programmes/",
        "/en/knowledge-bank/statistics/",
    ):
        html = client.get(url).content.decode()
        assert contact.name not in html and contact.email not in html and user.email not in html


def test_coordinators_curate_in_admin(client, coordinator, organisation, settings):
    settings.STAFF_REQUIRE_MFA = False
    resource = Resource.objects.create(
        title_en="Curate me", kind="guide", language="en", url="https://e.org/c"
    )
    programme = make_programme(organisation)
    client.force_login(coordinator)
    for url in (
        "/ar/admin/knowledge_bank/resource/",
        f"/ar/admin/knowledge_bank/resource/{resource.pk}/change/",
        "/ar/admin/knowledge_bank/programme/",
        f"/ar/admin/knowledge_bank/programme/{programme.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    client.post(
        "/ar/admin/knowledge_bank/resource/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(resource.pk),
            "form-0-featured": "on",
            "form-0-visibility": "public",
            "_save": "Save",
        },
    )
    resource.refresh_from_db()
    assert resource.featured
