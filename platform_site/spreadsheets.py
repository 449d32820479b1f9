"""Reading spreadsheets for import: XLSX, CSV (UTF-8 or Windows-1256) and HXL-tagged CSV.

One mapping table per importer (a list of `Column`) says which headers name which field, in
every form an export may write them: the field name (`name_ar`), the field's label in Arabic
and in English (the model's verbose names, so the table follows the exports whatever their
language), and the HXL hashtag (`#org+name+i_ar`, attributes in any order). Coded values are
read the same way: a code (`SY07`, `nfe`, `local_ngo`) or its label in either language.

Everything here refuses bad input with a translated `SpreadsheetError` (whole file) or
`CellError` (one cell); nothing here writes to the database.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

import tablib
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from platform_site.text import normalise, strip_prefix

MAX_ROWS = 20_000
MAX_COLUMNS = 80
LINE = "__line__"  # the file's line number(s) of each row, added to the dataset
FORMULA_STARTS = ("=", "+", "-", "@")
_ARABIC = re.compile("[\u0600-\u06ff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SEPARATORS = re.compile(r"\s*[;؛\n|]\s*")
_SOFT_SEPARATORS = re.compile(r"\s*[,،]\s*")


class SpreadsheetError(Exception):
    """The file as a whole cannot be imported; the message says why, in the reader's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def isolate(value) -> str:
    """A cell's value inside a message, isolated from the sentence's direction (FSI … PDI): in
    an Arabic message, 2026-31-31 would otherwise show as 31-31-2026."""
    return f"\u2068{value}\u2069"


# --- the mapping table -----------------------------------------------------------------


def header_key(text) -> str:
    """A header as compared: normalised, each word without «ال»-like prefixes."""
    return " ".join(strip_prefix(word) for word in normalise(str(text)).split())


def hxl_key(tag: str) -> str:
    """`#org +name +i_ar` and `#org+i_ar+name` are the same hashtag."""
    parts = [part.strip().lower() for part in str(tag).strip().split("+") if part.strip()]
    if not parts or not parts[0].startswith("#"):
        return ""
    return "+".join([parts[0].replace(" ", ""), *sorted(parts[1:])])


@dataclass
class Column:
    """One column an importer understands (or knows it may skip)."""

    key: str  # the field name, as the export's field-name headers write it
    labels: tuple = ()  # lazy labels; each is matched in Arabic and in English
    hxl: tuple[str, ...] = ()
    ignored: bool = False  # written by the exports for people, not read back
    read: object = None  # cell → value, raising CellError with a translated reason
    # Headers and hashtags of the same field written as codes ("Type of organisation (code)",
    # `#org+type+code`): preferred when a file has both the labels and the codes.
    code_labels: tuple = ()
    code_hxl: tuple[str, ...] = ()
    aliases: set[str] = field(default_factory=set, repr=False)

    def build_aliases(self, labels=None) -> set[str]:
        names = set()
        if labels is None:
            labels = self.labels
            names = {header_key(self.key), header_key(self.key.replace("_", " "))}
        for language in ("ar", "en"):
            with translation.override(language):
                for label in labels:
                    names.add(header_key(label))
        return {name for name in names if name}


def resolve_headers(headers, hxl_tags, columns) -> tuple[dict[int, Column], list[str], list[str]]:
    """Which column each header names: ({index: Column}, unknown headers, repeated keys).

    A field written twice, once as labels and once as codes, is read from the codes."""
    by_alias, by_tag = {}, {}
    for column in columns:
        for alias in column.build_aliases(column.code_labels):
            by_alias.setdefault(alias, (column, 1))
        for tag in column.code_hxl:
            by_tag.setdefault(hxl_key(tag), (column, 1))
    for column in columns:
        for alias in column.build_aliases():
            by_alias.setdefault(alias, (column, 0))
        for tag in column.hxl:
            by_tag.setdefault(hxl_key(tag), (column, 0))
    found, unknown, repeated, chosen = {}, [], [], {}
    for index, header in enumerate(headers):
        text = "" if header is None else str(header).strip()
        tag = hxl_tags[index] if hxl_tags and index < len(hxl_tags) else ""
        match = by_tag.get(hxl_key(tag)) if tag else None
        if match is None and text:
            match = by_alias.get(header_key(text)) or by_tag.get(hxl_key(text))
        if match is None:
            if text or tag:
                unknown.append(text or str(tag))
            continue
        column, priority = match
        if column.ignored:
            found[index] = column
            continue
        if column.key in chosen:
            earlier_index, earlier_priority = chosen[column.key]
            if priority == earlier_priority:
                repeated.append(text)
                continue
            if priority < earlier_priority:
                continue  # the codes were read already
            del found[earlier_index]
        chosen[column.key] = (index, priority)
        found[index] = column
    return found, unknown, repeated


# --- reading files ---------------------------------------------------------------------


def _reads_as_arabic(text: str) -> bool:
    """Arabic words, not the odd accented Latin letter that Windows-1256 also maps to Arabic
    (a Latin-1 «École» decodes as «ةcole»): most Arabic letters must stand in runs."""
    letters = _ARABIC.findall(text)
    in_words = sum(len(run) for run in re.findall("[\u0600-\u06ff]{2,}", text))
    return len(letters) >= 2 and in_words >= 0.8 * len(letters)


def clean_cell(value):
    """A cell as the importer reads it: text stripped; dates as dates; whole numbers as int.

    The exports write `'=…` for text that starts like a formula; `read_text` removes that
    quote, and refuses a real formula (`=…`).
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    return str(value).replace("\x00", "").strip()


def _rows_from_xlsx(stream):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from error
    except Exception as error:  # openpyxl raises many kinds for damaged workbooks
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from error
    sheet = workbook.worksheets[0]
    try:
        for row in sheet.iter_rows(values_only=True):
            yield list(row[: MAX_COLUMNS + 1])
    except Exception as error:
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from error
    finally:
        workbook.close()


def _rows_from_csv(stream, encoding: str):
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    sample = text.read(4096)
    text.seek(0)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(text, dialect)
    except csv.Error as error:
        raise SpreadsheetError(
            _("The CSV file is malformed: %(error)s") % {"error": error}
        ) from error
    finally:
        text.detach()


CHUNK = 1024 * 1024
HEAD = 65536


def _encoding_of(opener, head: bytes) -> str:
    """UTF-8 (with or without a BOM) or, failing that, Windows-1256 when the text reads as
    Arabic; anything else is refused with a message. Read in chunks: a large file is never
    held in memory whole."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with opener() as stream:
        try:
            while chunk := stream.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
    sample = head.decode("cp1256", errors="replace")
    if _reads_as_arabic(sample):
        with opener() as stream:
            while chunk := stream.read(CHUNK):
                if _CONTROL.search(chunk.decode("cp1256", errors="replace")):
                    break
            else:
                return "cp1256"
    raise SpreadsheetError(
        _(
            "The file is neither UTF-8 nor Windows-1256 (Arabic) text. In Excel, save it as "
            "“CSV UTF-8”, or upload the XLSX workbook itself."
        )
    )


class Sheet:
    """The first sheet of a spreadsheet file, read as it streams.

    `opener` opens the file (binary) afresh for each reading, so that a 10,000-row file is
    read several times rather than held in memory: `headers` (the header row),
    `hxl_tags` (the hashtag row of an HXL file, or None) and `encoding` are read at once;
    `lines()` yields the body's (line number, cells) on each call."""

    def __init__(self, opener):
        self.opener = opener
        with opener() as stream:
            stream.seek(0, io.SEEK_END)
            size = stream.tell()
            stream.seek(0)
            head = stream.read(HEAD)
        limit = settings.IMPORT_MAX_BYTES
        if size > limit:
            raise SpreadsheetError(
                _("The file is larger than %(size)s MB. Split it into smaller files.")
                % {"size": limit // (1024 * 1024)}
            )
        if not head.strip():
            raise SpreadsheetError(_("The file is empty."))
        if head.startswith(b"PK\x03\x04"):
            self.encoding = "xlsx"
        else:
            if b"\x00" in head:
                raise SpreadsheetError(
                    _("The file is not a spreadsheet: upload an XLSX workbook or a CSV file.")
                )
            self.encoding = _encoding_of(opener, head)
            if _CONTROL.search(head.decode(self.encoding, errors="ignore")):
                raise SpreadsheetError(
                    _("The file is not a spreadsheet: upload an XLSX workbook or a CSV file.")
                )
        self.headers, self.hxl_tags = None, None
        with contextlib.closing(self._rows()) as rows:
            for _line, cells in rows:
                if self.headers is None:
                    self.headers = [str(cell) for cell in cells]
                    if _is_hashtag_row(self.headers):  # a file with only the hashtag row
                        self.hxl_tags = self.headers
                    continue
                if _is_hashtag_row(cells):
                    self.hxl_tags = [str(cell) for cell in cells]
                break
        if self.headers is None:
            raise SpreadsheetError(_("The file is empty."))

    def _rows(self):
        with self.opener() as stream:
            if self.encoding == "xlsx":
                rows = _rows_from_xlsx(stream)
            else:
                rows = _rows_from_csv(stream, self.encoding)
            with contextlib.closing(rows):  # the reader lets go of the file before it closes
                yield from self._cells(rows)

    @staticmethod
    def _cells(rows):
        for line, raw in enumerate(rows, 1):
            if len(raw) > MAX_COLUMNS:
                raise SpreadsheetError(
                    ngettext(
                        "The file has more than %(count)s column.",
                        "The file has more than %(count)s columns.",
                        MAX_COLUMNS,
                    )
                    % {"count": MAX_COLUMNS}
                )
            cells = [clean_cell(value) for value in raw]
            if not any(cell != "" for cell in cells):
                continue
            yield line, cells

    def lines(self):
        """The body: (line number, cells), without the header and hashtag rows."""
        skip = 1 if self.hxl_tags is None or self.hxl_tags is self.headers else 2
        count = 0
        for line, cells in self._rows():
            if skip:
                skip -= 1
                continue
            count += 1
            if count > MAX_ROWS:
                raise SpreadsheetError(
                    ngettext(
                        "The file has more than %(count)s row. Split it into smaller files.",
                        "The file has more than %(count)s rows. Split it into smaller files.",
                        MAX_ROWS,
                    )
                    % {"count": MAX_ROWS}
                )
            yield line, cells


def read_spreadsheet(data: bytes) -> tablib.Dataset:
    """The file's first sheet as a dataset, in memory (small files): the header row as
    headers, a `LINE` column with each row's line number, and `dataset.hxl_tags` and
    `dataset.encoding`. Imports read large files through `Sheet` instead."""
    sheet = Sheet(lambda: io.BytesIO(data))
    headers, body = sheet.headers, list(sheet.lines())
    width = max([len(headers), *(len(cells) for _line, cells in body)])
    headers = [*headers, *[""] * (width - len(headers))]
    dataset = tablib.Dataset(headers=[*_unique(headers), LINE])
    for line, cells in body:
        dataset.append([*cells, *[""] * (width - len(cells)), str(line)])
    dataset.hxl_tags = sheet.hxl_tags
    dataset.original_headers = headers
    dataset.encoding = sheet.encoding
    return dataset


def _unique(headers):
    """tablib needs distinct header names; repeated ones are reported by `resolve_headers`."""
    seen = {}
    for header in headers:
        count = seen.get(header, 0)
        seen[header] = count + 1
        yield header if count == 0 else f"{header}\u2063{count}"


def _is_hashtag_row(cells) -> bool:
    filled = [str(cell) for cell in cells if cell != ""]
    return bool(filled) and all(cell.startswith("#") for cell in filled)


# --- reading cells ---------------------------------------------------------------------

_DIGITS = str.maketrans({chr(0x0660 + d): str(d) for d in range(10)} | {"٬": "", "٫": "."})


def check_formula(value) -> None:
    if isinstance(value, str) and value.startswith("="):
        raise CellError(_("A formula is not accepted here; type the value itself."))


def unquote(text: str) -> str:
    """The exports' `'=…`, `'+…` (text that a spreadsheet would run) back to the text."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def read_text(value, max_length: int) -> str:
    check_formula(value)
    text = unquote("" if value is None else str(value).strip())
    if len(text) > max_length:
        raise CellError(
            ngettext(
                "Too long: %(length)s character, at most %(max)s.",
                "Too long: %(length)s characters, at most %(max)s.",
                len(text),
            )
            % {"length": len(text), "max": max_length}
        )
    return text


def read_int(value, *, low: int = 0, high: int = 2_000_000_000) -> int | None:
    check_formula(value)
    if value in ("", None):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).translate(_DIGITS).replace(",", "").replace(" ", "")
        if not re.fullmatch(r"-?\d+(\.0+)?", text):
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": isolate(value)})
        number = int(float(text))
    if number < low or number > high:
        raise CellError(
            _("%(value)s is out of range (%(low)s–%(high)s).")
            % {"value": isolate(number), "low": isolate(low), "high": isolate(high)}
        )
    return number


def read_date(value) -> date | None:
    check_formula(value)
    if value in ("", None):
        return None
    if isinstance(value, date):
        return value
    text = str(value).translate(_DIGITS).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(
        _("“%(value)s” is not a date; write it as %(example)s (year-month-day).")
        % {"value": isolate(value), "example": isolate("2026-03-31")}
    )


class Vocabulary:
    """Codes and labels of one vocabulary (choices or a reference table), both languages."""

    def __init__(self, entries, what):
        """`entries`: (code, label, label, …) tuples; labels may be lazy; `what` names the
        vocabulary in messages ("p-code", "sub-sector")."""
        self.what = what
        self.by_name = {}
        for code, *labels in entries:
            self.by_name.setdefault(header_key(code), code)
            for label in labels:
                for language in ("ar", "en"):
                    with translation.override(language):
                        name = header_key(label)
                    if name:
                        self.by_name.setdefault(name, code)

    def one(self, value, *, required: bool = False):
        check_formula(value)
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                raise CellError(_("This value is required."))
            return None
        code = self.by_name.get(header_key(text))
        if code is None:
            raise CellError(
                _("Unknown %(what)s: “%(value)s”.") % {"what": self.what, "value": isolate(text)}
            )
        return code

    def many(self, value) -> list:
        check_formula(value)
        text = "" if value is None else str(value).strip()
        codes, unknown = [], []
        for part in _SEPARATORS.split(text):
            if not part:
                continue
            code = self.by_name.get(header_key(part))
            if code is not None:
                codes.append(code)
                continue
            pieces = [piece for piece in _SOFT_SEPARATORS.split(part) if piece]
            found = [self.by_name.get(header_key(piece)) for piece in pieces]
            if pieces and all(code is not None for code in found):
                codes += found
            else:
                unknown.append(part)
        if unknown:
            raise CellError(
                _("Unknown %(what)s: “%(value)s”.")
                % {"what": self.what, "value": isolate("; ".join(unknown))}
            )
        return list(dict.fromkeys(codes))


ARABIC = gettext_lazy("Arabic")
ENGLISH = gettext_lazy("English")
