"""The import as a background job: who may see it, what it keeps, what it costs.

Tests run tasks at once (the immediate backend) unless they ask for the database backend and
its worker, as `make run` and production do."""

import io
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members.models import Organisation
from platform_site.importing import RESOURCES, progress_text, run_import
from platform_site.models import ImportJob
from platform_site.spreadsheets import Sheet
from tests.conftest import login_verified, make_organisation, make_user
from tests.imports.big import csv_bytes, organisation_rows
from tests.imports.conftest import confirm, preview, totals

pytestmark = pytest.mark.django_db

MODEL = "members/organisation"
JOB_URL = "/en/admin/members/organisation/import/{}/"


def _file(rows=3):
    return csv_bytes(organisation_rows(rows))


def _stored_exists(job):
    from platform_site.importing import _stored

    stored = _stored(job)
    return stored._storage.exists(stored.get_full_path())


def test_upload_redirects_to_the_job_which_shows_the_preview(admin_client, coordinator):
    response = preview(admin_client, MODEL, _file(3), "three.csv")
    job = ImportJob.objects.get()
    assert (job.user, job.model, job.file_name, job.status) == (
        coordinator,
        "members.organisation",
        "three.csv",
        "previewed",
    )
    assert response.job_url == JOB_URL.format(job.pk)
    assert totals(response)["new"] == 3 and (job.rows_read, job.rows_total) == (3, 3)
    assert response.context["confirm_form"] is not None
    assert _stored_exists(job)
    done = confirm(admin_client, MODEL, response)
    assert "Import finished" in done.content.decode() and "3 new rows<" in done.content.decode()
    job.refresh_from_db()
    assert job.status == "imported" and job.storage_name == "" and job.finished_at
    assert Organisation.objects.filter(acronym__startswith="BIG").count() == 3


def test_declining_deletes_the_file_and_writes_nothing(admin_client):
    response = preview(admin_client, MODEL, _file(2))
    job = ImportJob.objects.get()
    stored_name = job.storage_name
    page = admin_client.post(response.job_url + "decline/", follow=True)
    assert "You declined this import" in page.content.decode()
    job.refresh_from_db()
    assert job.status == "declined" and job.storage_name == ""
    job.storage_name = stored_name
    assert not _stored_exists(job)
    # a declined job cannot be confirmed afterwards
    admin_client.post(reverse("admin:members_organisation_process_import"), {"job": job.pk})
    job.refresh_from_db()
    assert job.status == "declined"
    assert not Organisation.objects.filter(acronym__startswith="BIG").exists()


def test_wrong_methods_are_refused(admin_client):
    response = preview(admin_client, MODEL, _file(1))
    job = ImportJob.objects.get()
    assert admin_client.get(reverse("admin:members_organisation_process_import")).status_code == 405
    assert admin_client.get(response.job_url + "decline/").status_code == 405
    job.refresh_from_db()
    assert job.status == "previewed"


def test_only_the_coordinator_who_started_it_sees_or_confirms_it(client, coordinator, editor):
    login_verified(client, coordinator)
    response = preview(client, MODEL, _file(1))
    job = ImportJob.objects.get()
    urls = [response.job_url, response.job_url + "progress/"]
    confirm_url = reverse("admin:members_organisation_process_import")
    decline_url = response.job_url + "decline/"

    other = make_user("other-coordinator@secretariat.example.org", coordinator=True)
    login_verified(client, other)  # a coordinator, but not this import's
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(confirm_url, {"job": job.pk}).status_code == 404
    assert client.post(decline_url).status_code == 404

    client.logout()
    client.force_login(coordinator)  # password only: no coordinator powers
    for url in urls:
        assert client.get(url).status_code in (302, 403)
    assert client.post(confirm_url, {"job": job.pk}).status_code in (302, 403)

    client.force_login(editor)  # a member
    for url in [*urls, decline_url]:
        assert client.get(url).status_code in (302, 403)
    assert client.post(confirm_url, {"job": job.pk}).status_code in (302, 403)
    job.refresh_from_db()
    assert job.status == "previewed"
    assert not Organisation.objects.filter(acronym__startswith="BIG").exists()


def test_a_job_with_errors_cannot_be_confirmed_and_writes_nothing(admin_client):
    rows = list(organisation_rows(3))
    rows[2][4] = "SY99"  # unknown p-code
    response = preview(admin_client, MODEL, csv_bytes(rows), language="ar")
    assert totals(response)["invalid"] == 1 and response.context["confirm_form"] is None
    (row,) = response.context["preview_rows"]["invalid"]
    assert "SY99" in row.cell_errors["governorates"][0]
    assert "رمز" in row.cell_errors["governorates"][0]  # in the coordinator's language
    job = ImportJob.objects.get()
    admin_client.post(reverse("admin:members_organisation_process_import"), {"job": job.pk})
    job.refresh_from_db()
    assert job.status == "previewed"
    assert not Organisation.objects.filter(acronym__startswith="BIG").exists()


def test_a_file_refused_by_the_worker_is_deleted_with_a_translated_reason(
    admin_client, monkeypatch
):
    import platform_site.spreadsheets as spreadsheets

    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 2)
    response = preview(admin_client, MODEL, _file(3), language="ar")
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.storage_name == ""
    (message,) = response.context["base_errors"]
    assert "صفّين" in message  # more than two rows, in Arabic
    assert response.context["confirm_form"] is None


def test_the_database_backend_runs_the_job_in_the_worker(admin_client, settings, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    from tests.platform_site.test_outbox import run_worker

    # The worker closes its connections between tasks; the test's transaction keeps one open.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = preview(admin_client, MODEL, _file(2))
    job = ImportJob.objects.get()
    assert job.status == "queued" and response.context["job"].running
    assert "Waiting for the worker" in response.content.decode()
    body = admin_client.get(response.job_url + "progress/").json()
    assert (body["status"], body["running"], body["total"]) == ("queued", True, None)
    assert body["status_text"] == "Waiting for the worker"  # the page's label follows it
    run_worker()
    job.refresh_from_db()
    assert job.status == "previewed" and job.totals["new"] == 2


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (1, "قُرئ 1 من أصل صف واحد…"),
        (2, "قُرئ 1 من أصل صفّين…"),
        (3, "قُرئ 1 من أصل 3 صفوف…"),
        (11, "قُرئ 1 من أصل 11 صفاً…"),
        (100, "قُرئ 1 من أصل 100 صف…"),
    ],
)
def test_progress_in_arabic_has_the_right_plural(total, expected):
    job = ImportJob(status=ImportJob.Status.PREVIEWING)
    with translation.override("ar"):
        assert progress_text(job, 1, total) == expected
    with translation.override("en"):
        assert progress_text(job, 3250, 10000) == "3,250 of 10,000 rows read…"


def _preview(content: bytes):
    resource = RESOURCES["members.organisation"]()
    sheet = Sheet(lambda: io.BytesIO(content))
    return run_import(resource, sheet, dry_run=True)


def test_the_preview_costs_no_query_per_row(directory_of=40):
    """Updating existing organisations: the preview's queries do not grow with the rows."""
    organisations = [make_organisation(name_en=f"Org {n}") for n in range(directory_of)]

    def file(count):
        rows = [["slug", "name_en", "governorates", "subsectors", "org_type"]]
        rows += [
            [o.slug, o.name_en + " (renamed)", "SY01", "nfe", o.org_type]
            for o in organisations[:count]
        ]
        rows += [["", f"New {n}", "SY02", "pss", "local_ngo"] for n in range(count)]
        return csv_bytes(rows)

    counts = []
    for count in (10, 40):
        with CaptureQueriesContext(connection) as queries:
            outcome = _preview(file(count))
        assert outcome.totals["update"] == count and outcome.totals["new"] == count, outcome.rows
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12


def test_ten_times_the_rows_cost_less_than_twice_the_memory():
    peaks = []
    for count in (1_000, 10_000):
        content = csv_bytes(organisation_rows(count))
        # the stored file is read from storage, not held in memory
        path = f"/tmp/import-memory-{count}.csv"  # noqa: S108
        with open(path, "wb") as out:
            out.write(content)
        del content
        resource = RESOURCES["members.organisation"]()
        sheet = Sheet(lambda path=path: open(path, "rb"))  # noqa: SIM115
        tracemalloc.start()
        outcome = run_import(resource, sheet, dry_run=True)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert outcome.totals["new"] == count
        assert sum(len(rows) for rows in outcome.rows.values()) <= 300
    assert peaks[1] < 2 * peaks[0], peaks


def _confirm(content: bytes, user=None):
    from django.db import transaction

    resource = RESOURCES["members.organisation"]()
    with transaction.atomic():
        return run_import(
            resource,
            Sheet(lambda: io.BytesIO(content)),
            dry_run=False,
            user=user,
            file_name="many.csv",
        )


def test_the_confirm_costs_no_query_per_row(coordinator):
    """New and changed rows are written per batch: the queries do not grow with the rows, and
    what `save()` would do still happens (slugs, history, links, search documents)."""
    organisations = [make_organisation(name_en=f"Org {n}") for n in range(40)]

    def file(count, run):
        rows = [["slug", "name_en", "governorates", "subsectors", "org_type"]]
        rows += [
            [o.slug, f"{o.name_en} renamed {run}", "SY01; SY02", "nfe", o.org_type]
            for o in organisations[:count]
        ]
        rows += [["", f"New {run} {n}", "SY07", "pss", "local_ngo"] for n in range(count)]
        return csv_bytes(rows)

    counts = []
    for run, count in enumerate((10, 40)):
        with CaptureQueriesContext(connection) as queries:
            outcome = _confirm(file(count, run), user=coordinator)
        assert not outcome.failed, (outcome.errors, outcome.rows)
        assert (outcome.totals["update"], outcome.totals["new"]) == (count, count)
        # The search word index is one INSERT … SELECT per batch on PostgreSQL; SQLite writes
        # its rows from Python, 333 to a statement (999 parameters): not counted there.
        counts.append(
            sum(1 for query in queries if 'INSERT INTO "members_searchterm"' not in query["sql"])
        )
    # the same on PostgreSQL; SQLite splits a bulk INSERT every ~20 rows (999 parameters)
    assert counts[1] - counts[0] <= (40 - 10) // 5, counts
    assert counts[0] <= 40, counts

    renamed = Organisation.objects.get(pk=organisations[5].pk)
    assert renamed.name_en == "Org 5 renamed 1"
    assert sorted(renamed.governorates.values_list("pcode", flat=True)) == ["SY01", "SY02"]
    assert list(renamed.subsectors.values_list("code", flat=True)) == ["nfe"]
    assert "renamed" in renamed.search_names and "sy02" in renamed.search_text.lower()
    record = renamed.history.first()
    assert (record.history_user, record.history_type) == (coordinator, "~")
    assert "many.csv" in record.history_change_reason and record.name_en == "Org 5 renamed 1"

    new = Organisation.objects.get(name_en="New 1 7")
    assert new.slug == "new-1-7" and new.status == "active"
    assert list(new.governorates.values_list("pcode", flat=True)) == ["SY07"]
    assert "sy07" in new.search_text.lower() and new.created_at and new.updated_at
    record = new.history.get()
    assert (record.history_user, record.history_type) == (coordinator, "+")
    assert "many.csv" in record.history_change_reason


def test_an_organisation_keeps_its_type(admin_client):
    organisation = make_organisation(name_en="Typed")
    content = csv_bytes([["slug", "org_type"], [organisation.slug, ""]])
    response = preview(admin_client, MODEL, content)
    (row,) = response.context["preview_rows"]["invalid"]
    assert row.cell_errors == {"org_type": ["An organisation keeps its type."]}


def test_a_change_of_links_only_is_written_with_its_history(coordinator):
    organisation = make_organisation(name_en="Links")
    before = organisation.history.count()
    content = csv_bytes([["slug", "governorates"], [organisation.slug, "SY11"]])
    outcome = _confirm(content, user=coordinator)
    assert outcome.totals["update"] == 1, outcome.rows
    assert list(organisation.governorates.values_list("pcode", flat=True)) == ["SY11"]
    assert organisation.history.count() == before + 1
    assert organisation.history.first().history_user == coordinator


def test_jobs_left_for_a_day_are_purged_with_their_files(admin_client):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    preview(admin_client, MODEL, _file(1), "left.csv")  # previewed, never confirmed
    preview(admin_client, MODEL, _file(2), "declined.csv")
    preview(admin_client, MODEL, _file(3), "done.csv")
    preview(admin_client, MODEL, _file(4), "today.csv")
    jobs = {job.file_name: job for job in ImportJob.objects.all()}
    admin_client.post(JOB_URL.format(jobs["declined.csv"].pk) + "decline/")
    admin_client.post(
        reverse("admin:members_organisation_process_import"), {"job": jobs["done.csv"].pk}
    )
    queued = ImportJob.objects.create(
        model="members.organisation", file_name="stuck.csv", language="en"
    )
    left = jobs["left.csv"]
    assert _stored_exists(left)
    a_day_ago = timezone.now() - timedelta(hours=25)
    ImportJob.objects.exclude(file_name="today.csv").update(created_at=a_day_ago)

    call_command("purge_import_jobs", verbosity=0)

    assert sorted(ImportJob.objects.values_list("file_name", flat=True)) == [
        "declined.csv",
        "done.csv",
        "today.csv",
    ]
    assert not _stored_exists(left) and not ImportJob.objects.filter(pk=queued.pk).exists()
    assert _stored_exists(ImportJob.objects.get(file_name="today.csv"))  # not a day old yet
    assert Organisation.objects.filter(acronym__startswith="BIG").count() == 3  # done.csv
