"""Spreadsheet import in the admin (django-import-export), for coordinators.

The flow is import-export's: upload → preview (a dry run, nothing written) → confirm (the same
file again, all rows in one transaction, rolled back entirely if any row fails). What is ours:

- `SpreadsheetFormat` reads XLSX, CSV and HXL alike (platform_site.spreadsheets);
- `SpreadsheetResource` maps the columns through a `Column` table, reads every cell with a
  translated reason per cell, reports each row as new / changed (which fields) / unchanged /
  error, and writes through the model's own `save()` so that history records the coordinator
  and the file's name;
- `SpreadsheetImportMixin` puts it in a ModelAdmin, with a template file to download in
  Arabic and English and a progress count while a large file is read.
"""

from __future__ import annotations

import io
import secrets
from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export.admin import ImportMixin
from import_export.formats.base_formats import Format
from import_export.forms import ImportForm
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import Resource
from import_export.results import Result, RowResult
from import_export.tmp_storages import MediaStorage
from openpyxl import Workbook

from platform_site.spreadsheets import (
    LINE,
    CellError,
    Column,
    SpreadsheetError,
    read_spreadsheet,
    resolve_headers,
)

PROGRESS_EVERY = 250  # rows between two progress notes
PROGRESS_TTL = 3600


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
    progress_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["format"].widget = forms.HiddenInput()
        self.fields["format"].initial = "0"
        self.fields["import_file"].label = gettext_lazy("Spreadsheet file")
        self.fields["import_file"].widget.attrs["accept"] = ".xlsx,.csv,text/csv"
        if not self.is_bound:
            self.initial["progress_key"] = secrets.token_hex(12)

    def clean_import_file(self):
        from django.conf import settings

        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB. Split it into smaller files.")
                % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload

    @property
    def media(self):
        return super().media + forms.Media(js=["js/import-progress.js"])


PREVIEW_LIMIT = 300  # rows of each kind kept for the preview (all are counted)


class BoundedResult(Result):
    """Keeps the first rows of each kind for the preview and counts the rest, so that a
    10,000-row file does not hold 10,000 row results in memory."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = {}

    def append_row_result(self, row_result):
        kind = row_result.import_type
        if self.kept.get(kind, 0) < PREVIEW_LIMIT:
            self.kept[kind] = self.kept.get(kind, 0) + 1
            self.rows.append(row_result)

    def append_invalid_row(self, number, row, validation_error):
        if len(self.invalid_rows) < PREVIEW_LIMIT:
            super().append_invalid_row(number, row, validation_error)

    def append_error_row(self, number, row, errors):
        if len(self.error_rows) < PREVIEW_LIMIT:
            super().append_error_row(number, row, errors)


def progress_cache_key(key: str) -> str:
    return f"import-progress:{key}"


class SpreadsheetResource(Resource):
    """Subclasses give `model`, `columns` (a list of `Column` with a `read` callable each),
    and `find`, `label` and `apply`; they may extend `prepare` (whole-file checks)."""

    model = None
    columns: list[Column] = []
    m2m_keys: frozenset[str] = frozenset()

    class Meta:
        skip_diff = True
        report_skipped = False
        use_transactions = True
        instance_loader_class = BaseInstanceLoader  # rows are found by `find`

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.written = {}  # column key → the header as the file writes it
        self.notes = {}  # line → [(column key or None, message)] found by `prepare`
        self.progress_key = kwargs.get("progress_key") or ""

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

    def get_result_class(self):
        return BoundedResult

    @classmethod
    def examples(cls) -> list[dict]:
        """Rows for the template file."""
        return []

    def _check_import_id_fields(self, headers):
        return None

    # --- the whole file ------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        try:
            self._map_columns(dataset)
        except SpreadsheetError:
            dataset.wipe()
            raise

    def _map_columns(self, dataset):
        headers = getattr(dataset, "original_headers", None)
        if headers is None:
            raise SpreadsheetError(_("The file could not be read."))
        found, unknown, repeated = resolve_headers(headers, dataset.hxl_tags, self.columns)
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
        missing = [key for key in self.required_columns() if key not in self.written]
        if missing:
            raise SpreadsheetError(
                _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        keys = [column.key for _index, column in sorted(readable.items())]
        rows = []
        for values in dataset:
            cells = dict(zip(dataset.headers, values, strict=False))
            line = cells[LINE]
            row = {column.key: values[i] for i, column in readable.items()}
            rows.append((line, row))
        rows = self.prepare(rows, hxl=bool(dataset.hxl_tags))
        dataset.wipe()
        dataset.headers = [*keys, LINE]
        for line, row in rows:
            dataset.append([*(row.get(key, "") for key in keys), line])

    def required_columns(self) -> list[str]:
        return []

    def prepare(self, rows, *, hxl: bool):
        """Whole-file work before the rows are read: build look-ups, merge or flag rows."""
        return rows

    def note(self, line, key, message):
        self.notes.setdefault(line, []).append((key, message))

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
        except Exception as error:  # reported on the row; the whole import is rolled back
            result.import_type = RowResult.IMPORT_TYPE_ERROR
            result.errors.append(
                self.get_error_result_class()(error, row=row, number=kwargs.get("row_number"))
            )
        self._progress(kwargs.get("row_number") or 0)
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
        for key, message in self.notes.get(result.line, []):
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
            user, file_name = kwargs.get("user"), kwargs.get("file_name") or ""
            saved = self.apply(instance, changes, user=user)
            saved._history_user = user
            reason = _("Import from the file “%(file)s”") % {"file": file_name}
            saved._change_reason = reason
            self.save(saved, changes, new=new)
            result.add_instance_info(saved)

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
        """Through the model's own save, so that history keeps the coordinator and the file."""
        scalar = [key for key in changes if key not in self.m2m_keys and hasattr(instance, key)]
        if new:
            instance.save()
        else:
            instance.save(update_fields=[*scalar, "updated_at"])
        for key in self.m2m_keys & set(changes):
            self.set_codes(instance, key, changes[key])

    def set_codes(self, instance, key, codes):
        raise NotImplementedError

    def find(self, values, errors):
        raise NotImplementedError

    def label(self, values, instance) -> str:
        return ""

    def validate(self, values, instance, errors) -> None:
        return None

    def apply(self, instance, changes, *, user):
        raise NotImplementedError

    def _progress(self, number):
        if self.progress_key and number % PROGRESS_EVERY == 0:
            cache.set(progress_cache_key(self.progress_key), number, PROGRESS_TTL)


def _same(current, value) -> bool:
    empty = ("", None)
    return (current in empty and value in empty) or current == value


class SpreadsheetImportMixin(ImportMixin):
    """Import for coordinators (a verified session), with a preview and a template file."""

    import_template_name = "admin/spreadsheet_import.html"
    import_form_class = SpreadsheetImportForm
    tmp_storage_class = MediaStorage  # shared by every app server (S3 when configured)
    skip_admin_log = True  # history rows name the coordinator and the file
    # django-import-export extends the admin's list template with this one; set as the
    # plain `change_list_template`, the template would extend itself (TemplateDoesNotExist).
    import_export_change_list_template = "admin/spreadsheet_change_list.html"
    preview_limit = PREVIEW_LIMIT

    def get_import_formats(self):
        return [SpreadsheetFormat]

    def has_import_permission(self, request):
        return request.audience.is_coordinator and self.has_change_permission(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        key = ""
        if form is not None and getattr(form, "cleaned_data", None):
            key = form.cleaned_data.get("progress_key") or ""
        return {"progress_key": key}

    def add_data_read_fail_error_to_form(self, form, e):
        message = e.message if isinstance(e, SpreadsheetError) else _("The file could not be read.")
        form.add_error("import_file", message)

    def process_dataset(self, dataset, form, request, **kwargs):
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().process_dataset(dataset, form, request, **kwargs)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            context = self.admin_site.each_context(request)
            context.update(self.preview_context(result))
            context.update(
                title=_("Import"),
                opts=self.model._meta,
                nothing_written=True,
                form=None,
                fields_list=[],
            )
            return TemplateResponse(request, [self.import_template_name], context)
        totals = result.totals
        messages.success(
            request,
            _("Import finished: %(new)s new, %(changed)s changed, %(same)s unchanged.")
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "changed": totals[RowResult.IMPORT_TYPE_UPDATE],
                "same": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        return None  # our own message above

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data.get("result"):
            response.context_data.update(self.preview_context(response.context_data["result"]))
        return response

    def preview_context(self, result) -> dict:
        limit = self.preview_limit
        rows = {kind: [] for kind in ("new", "update", "invalid", "error")}
        for row in result.rows:
            bucket = rows.get(row.import_type)
            if bucket is not None and len(bucket) < limit:
                bucket.append(row)
        totals = result.totals
        return {
            "result": result,
            "preview_rows": rows,
            "preview_totals": {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "update": totals[RowResult.IMPORT_TYPE_UPDATE],
                "skip": totals[RowResult.IMPORT_TYPE_SKIP],
                "invalid": totals[RowResult.IMPORT_TYPE_INVALID],
                "error": totals[RowResult.IMPORT_TYPE_ERROR],
            },
            "preview_limit": limit,
            "base_errors": [
                error.error.message
                if isinstance(error.error, SpreadsheetError)
                else _("The file could not be read.")
                for error in result.base_errors
            ],
        }

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
                "import/progress/<str:key>/",
                self.admin_site.admin_view(self.import_progress),
                name="{}_{}_import_progress".format(*info),
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

    def import_progress(self, request, key):
        if not self.has_import_permission(request):
            raise PermissionDenied
        rows = cache.get(progress_cache_key(key[:40]), 0)
        text = ngettext("%(count)s row read…", "%(count)s rows read…", rows) % {"count": rows}
        return JsonResponse({"rows": rows, "text": text})
