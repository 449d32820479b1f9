"""Spreadsheet import in the admin (django-import-export), for coordinators.

The flow: upload → preview (a dry run, nothing written) → confirm (the same stored file read
again, all rows in one transaction, rolled back entirely if any row fails). Both the preview
and the import run in the worker (`import_preview` and `import_confirm`, django-tasks), so that
a 10,000-row file neither holds a request past the proxy's timeout nor grows the memory with
the file:

- `Sheet` (platform_site.spreadsheets) streams the stored file (XLSX, CSV or HXL) each time it
  is read; no dataset of the whole file is built;
- `run_import` reads it in passes: a fixed-size bitmap finds the keys (slug, names, programme
  id…) that may repeat, a second pass remembers only those, and the last pass reads the rows
  in batches of `BATCH`, each batch loading what its rows need in a few queries
  (`SpreadsheetResource.load_batch`), so a row costs no query in the preview;
- what is kept is `Outcome`: totals per kind and the first `PREVIEW_LIMIT` rows of each kind,
  stored on the `ImportJob` row that the status page shows;
- `SpreadsheetResource` maps the columns through a `Column` table, reads every cell with a
  translated reason per cell, reports each row as new / changed (which fields) / unchanged /
  error; the confirm writes each batch in a few queries (`flush`: bulk INSERT/UPDATE, history
  rows through simple_history's bulk helpers naming the coordinator and the file, the
  many-to-many links, then the search documents), so a row costs no query there either;
- `SpreadsheetImportMixin` puts it in a ModelAdmin: the upload form, the job's status page
  (progress, then the preview and the confirm button, then the result), a template file to
  download in Arabic and English.
"""

from __future__ import annotations

import io
import logging
import uuid
from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_tasks import task
from import_export.admin import ImportMixin
from import_export.formats.base_formats import Format
from import_export.forms import ImportForm
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import Resource
from import_export.results import RowResult
from import_export.tmp_storages import MediaStorage
from openpyxl import Workbook

from platform_site.models import ImportJob
from platform_site.spreadsheets import (
    LINE,
    CellError,
    Column,
    Sheet,
    SpreadsheetError,
    read_spreadsheet,
    resolve_headers,
)

logger = logging.getLogger(__name__)

PREVIEW_LIMIT = 300  # rows of each kind kept for the preview (all are counted)
BATCH = 500  # rows read together; each batch loads what its rows need in a few queries
PROGRESS_EVERY = 250  # rows between two progress notes
PROGRESS_TTL = 3600
NOTES = "__notes__"  # whole-file remarks on a row (repeats another line), added to the row
KINDS = ("new", "update", "skip", "invalid", "error")
RESOURCES: dict[str, type[SpreadsheetResource]] = {}  # "members.organisation" → resource


class SpreadsheetFormat(Format):
    """XLSX, CSV (UTF-8 or Windows-1256) or HXL: recognised from the content."""

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return gettext_lazy("Spreadsheet (XLSX, CSV or HXL)")

    def create_dataset(self, in_stream):
        data = in_stream if isinstance(in_stream, bytes) else in_stream.encode()
        return read_spreadsheet(data)

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def get_extension(self):
        return "xlsx"

    def can_import(self):
        return True

    def can_export(self):
        return False


class SpreadsheetImportForm(ImportForm):
    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["format"].widget = forms.HiddenInput()
        self.fields["format"].initial = "0"
        self.fields["import_file"].label = gettext_lazy("Spreadsheet file")
        self.fields["import_file"].widget.attrs["accept"] = ".xlsx,.csv,text/csv"

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB. Split it into smaller files.")
                % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


# --- reading a whole file --------------------------------------------------------------


class Outcome:
    """What a run keeps: totals per kind and the first `limit` rows of each kind (as plain
    data, stored as JSON), whatever the number of rows."""

    def __init__(self, limit=None):
        self.limit = PREVIEW_LIMIT if limit is None else limit
        self.totals = Counter(dict.fromkeys(KINDS, 0))
        self.rows = {kind: [] for kind in KINDS if kind != "skip"}
        self.errors: list[str] = []  # the whole file's errors
        self.read = 0
        self.total = None

    def add(self, result):
        kind = result.import_type
        self.totals[kind] += 1
        kept = self.rows.get(kind)
        if kept is not None and len(kept) < self.limit:
            kept.append(
                {
                    "line": str(result.line),
                    "label": str(result.label),
                    "changed": [str(name) for name in result.changed],
                    "errors": {
                        str(column): [str(reason) for reason in reasons]
                        for column, reasons in result.cell_errors.items()
                    },
                }
            )

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.totals["invalid"] or self.totals["error"])


class SeenTwice:
    """Which keys of a file may appear more than once, in a fixed amount of memory.

    Each key sets one bit of a bitmap; a key whose bit is already set is a candidate (a true
    repeat, or rarely another key with the same bit). Only candidates are remembered, so a
    10,000-row file costs the same bitmap as a 10-row one."""

    BITS = 1 << 21  # 256 KB

    def __init__(self):
        self.bits = bytearray(self.BITS // 8)
        self.candidates: set[int] = set()

    def add(self, key) -> None:
        digest = hash(key)
        bit = digest % self.BITS
        byte, mask = bit >> 3, 1 << (bit & 7)
        if self.bits[byte] & mask:
            self.candidates.add(digest)
        else:
            self.bits[byte] |= mask

    def __contains__(self, key) -> bool:
        return hash(key) in self.candidates


def run_import(
    resource, sheet: Sheet, *, dry_run: bool, user=None, file_name="", progress=None, limit=None
) -> Outcome:
    """Read every row of `sheet` through `resource`; write them unless `dry_run` (the caller
    holds the transaction). `progress(read, total)` is called every `PROGRESS_EVERY` rows."""
    outcome = Outcome(limit)
    try:
        _run(resource, sheet, outcome, dry_run, user, file_name, progress)
    except SpreadsheetError as error:
        outcome.errors.append(error.message)
    return outcome


def _run(resource, sheet, outcome, dry_run, user, file_name, progress):
    hxl = bool(sheet.hxl_tags)
    resource.begin(sheet)
    # 1. Count the rows and find the keys that may repeat.
    seen, total = SeenTwice(), 0
    for _line, cells in sheet.lines():
        total += 1
        for key, _column, _message in resource.keys(resource.row_of(cells)):
            seen.add(key)
    outcome.total = total
    # 2. For those keys only: the first and last line and the number of rows.
    lines = {}
    if seen.candidates:
        for line, cells in sheet.lines():
            for key, _column, _message in resource.keys(resource.row_of(cells)):
                if key in seen:
                    entry = lines.setdefault(key, [line, line, 0])
                    entry[1], entry[2] = line, entry[2] + 1
    repeated = {key: entry for key, entry in lines.items() if entry[2] > 1}
    del lines, seen
    if progress:
        progress(0, total)
    # 3. Read the rows in batches. An HXL file's rows with one key are merged (one row per
    # organisation and governorate is one organisation); elsewhere a repeat is an error.
    waiting = {}  # key → [lines, merged row] until the key's last line
    batch = []
    for line, cells in sheet.lines():
        row = resource.row_of(cells)
        row[LINE] = str(line)
        for key, column, message in resource.keys(row):
            entry = repeated.get(key)
            if entry is None:
                continue
            first, last, _count = entry
            if hxl and message is None:
                lines_so_far, merged = waiting.setdefault(key, [[], None])
                lines_so_far.append(str(line))
                merged = row if merged is None else resource.merge(merged, row)
                waiting[key][1] = merged
                if line != last:
                    row = None
                else:
                    del waiting[key]
                    row = merged
                    row[LINE] = ", ".join(lines_so_far)
                break
            if line != first:
                row.setdefault(NOTES, []).append(
                    (column, (message or resource.repeat_message) % {"line": first})
                )
                break
        if row is None:
            continue
        batch.append(row)
        if len(batch) >= BATCH:
            _import_batch(resource, batch, outcome, dry_run, user, file_name, progress)
            if outcome.failed and not dry_run:
                return  # nothing will be written: stop at the first failing row
            batch = []
    if batch:
        _import_batch(resource, batch, outcome, dry_run, user, file_name, progress)


def _import_batch(resource, batch, outcome, dry_run, user, file_name, progress):
    resource.load_batch(batch)
    for row in batch:
        result = resource.import_row(row, None, dry_run=dry_run, user=user, file_name=file_name)
        outcome.add(result)
        outcome.read += 1
        if outcome.failed and not dry_run:
            break
        if progress and outcome.read % PROGRESS_EVERY == 0:
            progress(outcome.read, outcome.total)
    if not dry_run and not outcome.failed:
        try:
            resource.flush(user=user, reason=change_reason(file_name))
        except Exception:  # a database error: the caller rolls everything back
            logger.exception("Import: the rows before line %s could not be written", row[LINE])
            outcome.errors.append(
                _("The rows up to line %(line)s could not be written; nothing was imported.")
                % {"line": row[LINE]}
            )
    resource.end_batch()
    resource.pending = []


def change_reason(file_name: str) -> str:
    """What the history rows of an import say, next to the coordinator's name."""
    return _("Import from the file “%(file)s”") % {"file": file_name}


class SpreadsheetResource(Resource):
    """Subclasses give `model`, `columns` (a list of `Column` with a `read` callable each),
    and `find`, `label` and `apply`; they may extend `start` (look-ups for the whole file),
    `keys` (what must not repeat), `load_batch` (what a batch of rows needs)."""

    model = None
    columns: list[Column] = []
    m2m_keys: frozenset[str] = frozenset()
    merged_in_hxl: tuple[str, ...] = ()
    repeat_message = gettext_lazy("Repeats line %(line)s.")

    class Meta:
        skip_diff = True
        report_skipped = False
        use_transactions = True
        instance_loader_class = BaseInstanceLoader  # rows are found by `find`

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None:
            RESOURCES[cls.model._meta.label_lower] = cls

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.written = {}  # column key → the header as the file writes it
        self.readable = {}  # index in the file → Column
        self.pending = []  # (instance, changes, new) of the batch, written by `flush`

    @classmethod
    def get_display_name(cls):
        return str(cls.model._meta.verbose_name_plural)

    def get_user_visible_fields(self):
        return [SimpleNamespace(column_name=column.key) for column in self.readable_columns()]

    @classmethod
    def readable_columns(cls):
        return [column for column in cls.columns if not column.ignored]

    def get_diff_headers(self):
        return []

    @classmethod
    def examples(cls) -> list[dict]:
        """Rows for the template file."""
        return []

    # --- the whole file ------------------------------------------------------------------

    def begin(self, sheet):
        self.map_columns(sheet)
        self.start(hxl=bool(sheet.hxl_tags))

    def map_columns(self, sheet):
        """Which column is which (or a `SpreadsheetError` saying why the file is refused)."""
        headers = sheet.headers
        found, unknown, repeated = resolve_headers(headers, sheet.hxl_tags, self.columns)
        expected = ", ".join(column.key for column in self.readable_columns())
        readable = {i: c for i, c in found.items() if not c.ignored}
        if not readable:
            raise SpreadsheetError(
                _(
                    "No column of this file is known: %(unknown)s (is the header row the first "
                    "line?). Expected columns: %(columns)s. Download the template to see them."
                )
                % {"unknown": "; ".join(unknown) or "—", "columns": expected}
            )
        if unknown:
            raise SpreadsheetError(
                _("Unknown columns: %(unknown)s. Expected columns: %(columns)s.")
                % {"unknown": "; ".join(unknown), "columns": expected}
            )
        if repeated:
            raise SpreadsheetError(
                _("These columns appear twice: %(columns)s.") % {"columns": "; ".join(repeated)}
            )
        self.written = {column.key: str(headers[i]) for i, column in readable.items()}
        self.readable = readable
        missing = [key for key in self.required_columns() if key not in self.written]
        if missing:
            raise SpreadsheetError(
                _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
            )

    def row_of(self, cells) -> dict:
        return {
            column.key: cells[i] if i < len(cells) else "" for i, column in self.readable.items()
        }

    def required_columns(self) -> list[str]:
        return []

    def start(self, *, hxl: bool):
        """Look-ups for the whole file (vocabularies, names), loaded once."""

    def keys(self, row) -> list[tuple]:
        """What must not repeat in a file: [(key, column, message)], the first key that
        repeats gives the row its note. A key with no message is merged in HXL files."""
        return []

    def merge(self, earlier, row) -> dict:
        """One HXL row per value: the values of the cells in `merged_in_hxl` are joined."""
        for key in self.merged_in_hxl:
            if key in row:
                parts = [str(earlier.get(key, "")), str(row.get(key, ""))]
                earlier[key] = "; ".join(part for part in parts if part)
        return earlier

    def load_batch(self, rows) -> None:
        """Load what these rows need (their instances, their codes) in a few queries."""

    def end_batch(self) -> None:
        """Forget the batch's instances: memory stays flat."""

    # --- one row -------------------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        result = self.get_row_result_class()()
        result.line = row.get(LINE, "")
        result.label = ""
        result.changed = []
        result.cell_errors = {}
        try:
            self._import_row(row, result, **kwargs)
        except ValidationError as error:
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = error
        except Exception:  # reported on the row; the whole import is rolled back
            logger.exception("Import: line %s could not be saved", result.line)
            result.import_type = RowResult.IMPORT_TYPE_ERROR
        return result

    def _import_row(self, row, result, **kwargs):
        values, errors = {}, {}
        for column in self.readable_columns():
            if column.key not in self.written:
                continue
            read = column.read if callable(column.read) else getattr(self, column.read)
            try:
                values[column.key] = read(row.get(column.key, ""))
            except CellError as error:
                errors.setdefault(column.key, []).append(error.message)
        for key, message in row.get(NOTES, []):
            errors.setdefault(key, []).append(message)
        instance = self.find(values, errors)
        result.label = self.label(values, instance)
        if not errors:
            self.validate(values, instance, errors)
        if errors:
            result.cell_errors = {
                self.written.get(key, key) if key else "": messages
                for key, messages in errors.items()
            }
            raise ValidationError(
                {self.written.get(key, key) if key else "__all__": m for key, m in errors.items()}
            )
        new = instance is None or instance.pk is None
        changes = self.changes(instance, values) if not new else values
        if new:
            result.import_type = RowResult.IMPORT_TYPE_NEW
        elif changes:
            result.import_type = RowResult.IMPORT_TYPE_UPDATE
        else:
            result.import_type = RowResult.IMPORT_TYPE_SKIP
        result.changed = [self.written.get(key, key) for key in changes] if not new else []
        if not kwargs.get("dry_run") and result.import_type != RowResult.IMPORT_TYPE_SKIP:
            saved = self.apply(instance, changes, user=kwargs.get("user"))
            self.save(saved, changes, new=new)

    def changes(self, instance, values) -> dict:
        """The values that differ from the row in the database."""
        changed = {}
        for key, value in values.items():
            current = self.current_value(instance, key)
            if key in self.m2m_keys:
                if set(current) != set(value):
                    changed[key] = value
            elif not _same(current, value):
                changed[key] = value
        return changed

    def current_value(self, instance, key):
        if key in self.m2m_keys:
            return self.current_codes(instance, key)
        return getattr(instance, key)

    def current_codes(self, instance, key):
        raise NotImplementedError

    def save(self, instance, changes, *, new):
        """Kept until the end of the batch, which `flush` writes in a few queries."""
        self.pending.append((instance, changes, new))

    def flush(self, *, user, reason):
        """Write the batch's new and changed rows: one INSERT (or UPDATE) for the rows, one for
        their history rows (naming the coordinator and the file, as a save would), one DELETE
        and one INSERT per many-to-many column; then `after_write`. The model's `save()` is not
        called: `before_write` does what it would (slugs, search columns)."""
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        from platform_site.cache import bump_content_generation

        if not self.pending:
            return
        now = timezone.now()
        created = [instance for instance, _changes, new in self.pending if new]
        updated = [instance for instance, _changes, new in self.pending if not new]
        fields = {
            key
            for _instance, changes, new in self.pending
            if not new
            for key in changes
            if key not in self.m2m_keys and hasattr(_instance, key)
        }
        auto_now = [
            field.name
            for field in self.model._meta.concrete_fields
            if getattr(field, "auto_now", False)
        ]
        for instance, _changes, new in self.pending:
            self.before_write(instance, new=new)
            for name in auto_now:
                setattr(instance, name, now)
        history = {"default_user": user, "default_change_reason": reason, "default_date": now}
        if created:
            bulk_create_with_history(created, self.model, batch_size=BATCH, **history)
        if updated and fields:
            fields = sorted({*fields, *auto_now, *self.written_with()})
            bulk_update_with_history(updated, self.model, fields, batch_size=BATCH, **history)
        elif updated:  # only many-to-many columns changed: the history still says who and why
            self.model._default_manager.filter(pk__in=[i.pk for i in updated]).update(
                **dict.fromkeys(auto_now, now)
            )
            self.model.history.bulk_history_create(updated, update=True, **history)
        self.write_m2m(self.pending)
        self.after_write(self.pending)
        bump_content_generation(self.model._meta.app_label)

    def before_write(self, instance, *, new):
        """What the model's `save()` would do before writing (a slug, a search column)."""

    def written_with(self) -> list[str]:
        """Columns `before_write` fills, written with every changed row."""
        return []

    def write_m2m(self, pending):
        """The many-to-many columns of the written rows."""

    def after_write(self, pending):
        """What the model's `save()` would do after writing (search documents)."""

    def find(self, values, errors):
        raise NotImplementedError

    def label(self, values, instance) -> str:
        return ""

    def validate(self, values, instance, errors) -> None:
        return None

    def apply(self, instance, changes, *, user):
        raise NotImplementedError


def _same(current, value) -> bool:
    empty = ("", None)
    return (current in empty and value in empty) or current == value


# --- the jobs ----------------------------------------------------------------------------


def _stored(job: ImportJob) -> MediaStorage:
    return MediaStorage(name=job.storage_name, read_mode="rb")


def _sheet(job: ImportJob) -> Sheet:
    return _open_sheet(_stored(job))


def _open_sheet(stored: MediaStorage) -> Sheet:
    return Sheet(lambda: stored._storage.open(stored.get_full_path(), "rb"))


def progress_cache_key(job_id: int) -> str:
    return f"import-job:{job_id}:progress"


def _progress_of(job: ImportJob):
    def progress(read, total):
        cache.set(progress_cache_key(job.pk), (read, total), PROGRESS_TTL)
        if not transaction.get_connection().in_atomic_block:  # the preview: seen at once
            ImportJob.objects.filter(pk=job.pk).update(rows_read=read, rows_total=total)

    return progress


def _delete_file(job: ImportJob) -> None:
    if job.storage_name:
        try:
            _stored(job).remove()
        except OSError:  # gone already
            logger.warning("Import %s: the stored file could not be deleted", job.pk)
        job.storage_name = ""


JOB_MAX_AGE = timedelta(days=1)


def purge_old_jobs(now=None) -> int:
    """Delete the imports nobody confirmed or declined within a day, with their stored files
    (`manage.py purge_import_jobs`, every hour). Confirmed and declined ones stay: they say who
    imported what; their files are gone already. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - JOB_MAX_AGE
    old = ImportJob.objects.filter(created_at__lt=cutoff, confirmed_at__isnull=True).exclude(
        status=ImportJob.Status.DECLINED
    )
    deleted = 0
    for job in old.only("pk", "storage_name").iterator(chunk_size=500):
        _delete_file(job)
        deleted += ImportJob.objects.filter(pk=job.pk, confirmed_at__isnull=True).delete()[0]
        cache.delete(progress_cache_key(job.pk))
    return deleted


def _finish(job: ImportJob, outcome: Outcome, status: str) -> None:
    job.status = status
    job.rows_read, job.rows_total = outcome.read, outcome.total
    job.totals = dict(outcome.totals)
    job.preview = outcome.rows
    job.errors = [str(error) for error in outcome.errors]
    job.finished_at = timezone.now()
    job.save()
    cache.delete(progress_cache_key(job.pk))


@task()
def import_preview(job_id: int) -> str:
    """Read the stored file through its resource without writing anything."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.QUEUED:
        return "gone"
    job.status = ImportJob.Status.PREVIEWING
    job.save(update_fields=["status"])
    with translation.override(job.language):
        outcome = Outcome()
        try:
            resource = RESOURCES[job.model]()
            outcome = run_import(
                resource, _sheet(job), dry_run=True, progress=_progress_of(job), limit=None
            )
        except SpreadsheetError as error:
            outcome.errors.append(error.message)
        if outcome.errors:  # the file cannot be imported as it is: it is not kept
            _delete_file(job)
            _finish(job, outcome, ImportJob.Status.FAILED)
        else:
            _finish(job, outcome, ImportJob.Status.PREVIEWED)
    return job.status


class _RollBack(Exception):
    pass


@task()
def import_confirm(job_id: int) -> str:
    """Write every row in one transaction; if any row fails, nothing is written."""
    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.IMPORTING:
        return "gone"
    with translation.override(job.language):
        outcome = Outcome()
        try:
            with transaction.atomic():
                outcome = run_import(
                    RESOURCES[job.model](),
                    _sheet(job),
                    dry_run=False,
                    user=job.user,
                    file_name=job.file_name,
                    progress=_progress_of(job),
                )
                if outcome.failed:
                    raise _RollBack
        except _RollBack:
            pass
        except SpreadsheetError as error:
            outcome.errors.append(error.message)
        _delete_file(job)
        status = ImportJob.Status.FAILED if outcome.failed else ImportJob.Status.IMPORTED
        _finish(job, outcome, status)
    return job.status


def progress_text(job: ImportJob, read: int, total: int | None) -> str:
    def number(value):
        return number_format(value, force_grouping=True)

    if job.status == ImportJob.Status.QUEUED:
        return _("Waiting for the worker to start…")
    if total is None:
        return _("Counting the rows of the file…")
    if job.status == ImportJob.Status.IMPORTING:
        text = ngettext(
            "%(read)s of %(total)s row imported…", "%(read)s of %(total)s rows imported…", total
        )
    else:
        text = ngettext(
            "%(read)s of %(total)s row read…", "%(read)s of %(total)s rows read…", total
        )
    return text % {"read": number(read), "total": number(total)}


class ConfirmForm(forms.Form):
    job = forms.IntegerField(widget=forms.HiddenInput)


class SpreadsheetImportMixin(ImportMixin):
    """Import for coordinators (a verified session), with a preview and a template file."""

    import_template_name = "admin/spreadsheet_import.html"
    import_form_class = SpreadsheetImportForm
    tmp_storage_class = MediaStorage  # shared by every app server (S3 when configured)
    skip_admin_log = True  # history rows name the coordinator and the file
    import_export_change_list_template = "admin/spreadsheet_change_list.html"
    preview_limit = PREVIEW_LIMIT

    def get_import_formats(self):
        return [SpreadsheetFormat]

    def has_import_permission(self, request):
        return request.audience.is_coordinator and self.has_change_permission(request)

    def _context(self, request, **kwargs):
        context = self.admin_site.each_context(request)
        title = _("Import: %(things)s") % {"things": self.model._meta.verbose_name_plural}
        context.update({"title": title, "opts": self.model._meta, "form": None, "job": None})
        context.update(kwargs)
        return context

    def import_action(self, request, **kwargs):
        """The upload form; a valid upload is stored and its preview queued for the worker."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            stored = MediaStorage(name=uuid.uuid4().hex, read_mode="rb")
            stored._storage.save(stored.get_full_path(), upload)
            try:  # what can be told at once: the file's kind, encoding and columns
                resource = self.get_import_resource_classes(request)[0]()
                resource.map_columns(_open_sheet(stored))
            except SpreadsheetError as error:
                stored.remove()
                form.add_error("import_file", error.message)
        if request.method == "POST" and form.is_valid():
            job = ImportJob.objects.create(
                user=request.user,
                model=self.model._meta.label_lower,
                file_name=upload.name[:255],
                storage_name=stored.name,
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            import_preview.enqueue(job.pk)
            return HttpResponseRedirect(self._job_url(job))
        context = self._context(request, form=form)
        context["fields_list"] = [
            (resource.get_display_name(), [c.key for c in resource.readable_columns()])
            for resource in self.get_import_resource_classes(request)
        ]
        return TemplateResponse(request, [self.import_template_name], context)

    def _job_url(self, job):
        info = self.get_model_info()
        return reverse(f"admin:{info[0]}_{info[1]}_import_job", args=[job.pk])

    def _job(self, request, job_id) -> ImportJob:
        """The coordinator's own import; anyone else's is not found."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        return get_object_or_404(
            ImportJob, pk=job_id, user=request.user, model=self.model._meta.label_lower
        )

    def import_job(self, request, job_id):
        job = self._job(request, job_id)
        read, total = cache.get(progress_cache_key(job.pk)) or (job.rows_read, job.rows_total)
        context = self._context(request, job=job, progress=progress_text(job, read, total))
        if not job.running:
            context.update(self.preview_context(job))
        return TemplateResponse(request, ["admin/spreadsheet_import_job.html"], context)

    def preview_context(self, job: ImportJob) -> dict:
        totals = {kind: job.totals.get(kind, 0) for kind in KINDS}
        rows = {
            kind: [
                SimpleNamespace(
                    line=row["line"],
                    label=row["label"],
                    changed=row["changed"],
                    cell_errors=row["errors"],
                )
                for row in job.preview.get(kind, [])
            ]
            for kind in ("new", "update", "invalid", "error")
        }
        imported = job.status == ImportJob.Status.IMPORTED
        same = job.can_confirm and not (totals["new"] or totals["update"])
        return {
            "preview_totals": totals if not imported else None,
            "preview_rows": rows,
            "preview_limit": self.preview_limit,
            "base_errors": job.errors,
            "nothing_written": job.confirmed_at is not None and job.has_errors,
            "confirm_form": ConfirmForm(initial={"job": job.pk})
            if job.can_confirm and not same
            else None,
            "nothing_to_import": same,
            "imported_totals": totals if imported else None,
        }

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Confirm a previewed import: the worker writes it."""
        form = ConfirmForm(request.POST)
        if not self.has_import_permission(request):
            raise PermissionDenied
        if not form.is_valid():
            raise Http404
        with transaction.atomic():
            job = self._job(request, form.cleaned_data["job"])
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            if job.can_confirm:
                job.status = ImportJob.Status.IMPORTING
                job.confirmed_at = timezone.now()
                job.rows_read = 0
                job.save(update_fields=["status", "confirmed_at", "rows_read"])
                import_confirm.enqueue(job.pk)
        return HttpResponseRedirect(self._job_url(job))

    @method_decorator(require_POST)
    def import_decline(self, request, job_id):
        """The coordinator leaves a previewed file: it is deleted."""
        with transaction.atomic():
            job = self._job(request, job_id)
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            if job.status == ImportJob.Status.PREVIEWED:
                job.status = ImportJob.Status.DECLINED
                _delete_file(job)
                job.save(update_fields=["status", "storage_name"])
        return HttpResponseRedirect(self._job_url(job))

    # --- template file and progress ------------------------------------------------------

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/template/<str:language>.xlsx",
                self.admin_site.admin_view(self.template_file),
                name="{}_{}_import_template".format(*info),
            ),
            path(
                "import/<int:job_id>/",
                self.admin_site.admin_view(self.import_job),
                name="{}_{}_import_job".format(*info),
            ),
            path(
                "import/<int:job_id>/progress/",
                self.admin_site.admin_view(self.import_progress),
                name="{}_{}_import_progress".format(*info),
            ),
            path(
                "import/<int:job_id>/decline/",
                self.admin_site.admin_view(self.import_decline),
                name="{}_{}_import_decline".format(*info),
            ),
            *super().get_urls(),
        ]

    def template_file(self, request, language):
        """An empty workbook with the columns the import reads, headed in one language, with
        the field names and HXL hashtags below (a row the import skips), and examples."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if language not in ("ar", "en"):
            raise Http404
        resource = self.get_import_resource_classes(request)[0]
        workbook = Workbook()
        sheet = workbook.active
        with translation.override(language):
            sheet.title = str(resource.model._meta.verbose_name_plural)[:31]
            sheet.sheet_view.rightToLeft = language == "ar"
            columns = resource.readable_columns()
            sheet.append(
                [str(column.labels[0]) if column.labels else column.key for column in columns]
            )
            sheet.append([column.hxl[0] if column.hxl else "" for column in columns])
        for example in resource.examples():
            sheet.append([example.get(column.key, "") for column in columns])
        output = io.BytesIO()
        workbook.save(output)
        output.seek(0)
        name = f"{resource.model._meta.model_name}-import-template-{language}.xlsx"
        return FileResponse(output, as_attachment=True, filename=name)

    def import_progress(self, request, job_id):
        job = self._job(request, job_id)
        read, total = cache.get(progress_cache_key(job.pk)) or (job.rows_read, job.rows_total)
        return JsonResponse(
            {
                "status": job.status,
                "status_text": str(job.get_status_display()),
                "running": job.running,
                "rows": read,
                "total": total,
                "text": progress_text(job, read, total),
            }
        )
