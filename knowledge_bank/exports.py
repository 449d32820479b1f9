"""Exports as CSV (UTF-8 with BOM, for Excel), XLSX and HXL-tagged CSV, streamed.

Columns are (header, HXL hashtag, getter). Every cell passes through `safe_cell`, so text
that a spreadsheet would run as a formula is neutralised.
"""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500  # rows per query (and per prefetch) while an export streams


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like object that hands back what csv.writer writes."""

    def write(self, value):
        return value


def _rows(columns, objects, *, hxl: bool):
    """Headers and coded values are translated lazily, and a streamed response writes its
    rows after the view has returned: the rows keep the language of the request."""
    language = translation.get_language()

    def rows():
        with translation.override(language):
            yield from _rows_in_language(columns, objects, hxl=hxl)

    return rows()


def _rows_in_language(columns, objects, *, hxl: bool):
    yield [str(header) for header, _tag, _get in columns]
    if hxl:
        yield [tag for _header, tag, _get in columns]
    for obj in objects:
        yield [safe_cell(get(obj)) for _header, _tag, get in columns]
        # Prefetched rows point back at their object (a reference cycle): left alone, each
        # chunk would wait for the garbage collector and memory would grow with the export
        # (bench/results.md measures it).
        getattr(obj, "_prefetched_objects_cache", {}).clear()


def csv_response(columns, objects, filename: str, *, hxl: bool = False):
    writer = csv.writer(_Line())

    def lines():
        yield "\ufeff"  # so that Excel reads UTF-8 (Arabic)
        for row in _rows(columns, objects, hxl=hxl):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(columns, objects, filename: str, *, title: str, right_to_left: bool):
    """A write-only workbook: rows go to a temporary file as they come, not into memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.sheet_view.rightToLeft = right_to_left
    for row in _rows(columns, objects, hxl=False):
        sheet.append(row)
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def joined(values) -> str:
    return "; ".join(str(value) for value in values)
