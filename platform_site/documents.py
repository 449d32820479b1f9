"""Documents checked by their content, not their names (DESIGN §9).

- PDF: starts with `%PDF-`, ends with `%%EOF` (nothing appended), parses with pypdf (pure
  Python), is not encrypted, and holds no JavaScript, launch action, embedded file or rich media
  anywhere in its objects (hex-escaped names included: pypdf decodes them).
- Office Open XML (DOCX, XLSX, PPTX): a zip archive with at most `DOCUMENT_MAX_ENTRIES` entries
  that really unpacks (every entry read, with a running total) to at most
  `DOCUMENT_MAX_UNPACKED_BYTES`; no encrypted entries, no paths outside the archive, no macros,
  nothing after the archive's end.
- No polyglots: HTML or script markers anywhere in a PDF's bytes, or at the start or end of an
  archive, are refused — a browser that sniffs the file must never find a page in it.
"""

import io
import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PDF_FORBIDDEN = {
    "/JavaScript": "javascript",
    "/JS": "javascript",
    "/Launch": "launch",
    "/EmbeddedFile": "embedded",
    "/EmbeddedFiles": "embedded",
    "/RichMedia": "embedded",
}
_PDF_RAW = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)(?![A-Za-z])")
_HTML = re.compile(
    rb"<\s*(script|html|body|iframe|svg|object|embed|!doctype\s+html)\b|javascript:", re.I
)
_READ_CHUNK = 1024 * 1024
_MAX_PDF_OBJECTS = 200_000


def _refuse(reason: str):
    messages = {
        "javascript": _("The PDF contains JavaScript and was refused."),
        "launch": _("The PDF tries to open other programs or files and was refused."),
        "embedded": _("The PDF carries embedded files and was refused."),
        "encrypted": _("Password-protected PDFs cannot be checked; please upload it without one."),
        "broken_pdf": _("The PDF is damaged or incomplete; please save it again and retry."),
        "polyglot": _(
            "The file is not only a document (it also holds a web page) and was refused."
        ),
        "too_many_entries": ngettext(
            "The document holds too many parts (at most %(max)s).",
            "The document holds too many parts (at most %(max)s).",
            settings.DOCUMENT_MAX_ENTRIES,
        )
        % {"max": settings.DOCUMENT_MAX_ENTRIES},
        "too_large_unpacked": ngettext(
            "The document unpacks to more than %(max)s megabyte and was refused.",
            "The document unpacks to more than %(max)s megabytes and was refused.",
            settings.DOCUMENT_MAX_UNPACKED_BYTES // (1024 * 1024),
        )
        % {"max": settings.DOCUMENT_MAX_UNPACKED_BYTES // (1024 * 1024)},
        "bad_archive": _("The document is damaged, encrypted or holds unsafe parts."),
        "macros": _("Documents with macros are not accepted."),
    }
    raise ValidationError(messages[reason], code=reason)


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


# --- PDF --------------------------------------------------------------------------------


def check_pdf(upload) -> None:
    data = _read_all(upload)
    if not data.startswith(b"%PDF-") or not data.rstrip(b"\x00\r\n\t ").endswith(b"%%EOF"):
        _refuse("polyglot" if _HTML.search(data) else "broken_pdf")
    if _HTML.search(data):
        _refuse("polyglot")
    match = _PDF_RAW.search(data)
    if match:
        _refuse(PDF_FORBIDDEN["/" + match.group(1).decode()])
    for name in _pdf_names(data):
        if name in PDF_FORBIDDEN:
            _refuse(PDF_FORBIDDEN[name])


def _pdf_names(data: bytes):
    """Every dictionary key and name value of every object of the PDF, decoded by pypdf."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _refuse("encrypted")
        roots = [reader.trailer]
        for generation, table in reader.xref.items():
            roots += [IndirectObject(number, generation, reader) for number in table]
        roots += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
        seen, stack, visited = set(), roots, 0
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation)
                if key in seen:
                    continue
                seen.add(key)
                item = item.get_object()
            visited += 1
            if visited > _MAX_PDF_OBJECTS:
                _refuse("broken_pdf")
            if isinstance(item, DictionaryObject):
                for key, value in item.items():
                    yield str(key)
                    stack.append(value)
            elif isinstance(item, ArrayObject):
                stack.extend(item)
            elif isinstance(item, NameObject):
                yield str(item)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        _refuse("broken_pdf")


# --- Office Open XML ----------------------------------------------------------------------


def check_office(upload) -> None:
    data = _read_all(upload)
    if _HTML.search(data[:1024]) or _trailing_after_archive(data):
        _refuse("polyglot")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > settings.DOCUMENT_MAX_ENTRIES:
                _refuse("too_many_entries")
            if _HTML.search(archive.comment or b""):
                _refuse("polyglot")
            limit = settings.DOCUMENT_MAX_UNPACKED_BYTES
            if sum(entry.file_size for entry in entries) > limit:
                _refuse("too_large_unpacked")
            total = 0
            for entry in entries:
                name = entry.filename
                if entry.flag_bits & 0x1 or name.startswith(("/", "\\")) or ".." in name:
                    _refuse("bad_archive")
                if name.lower().endswith("vbaproject.bin"):
                    _refuse("macros")
                with archive.open(entry) as stream:  # headers can lie: count what comes out
                    while chunk := stream.read(_READ_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            _refuse("too_large_unpacked")
    except ValidationError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ):
        _refuse("bad_archive")


def _trailing_after_archive(data: bytes) -> bool:
    """Bytes after the end-of-archive record and its comment (a page appended to a zip)."""
    end = data.rfind(b"PK\x05\x06")
    if end == -1 or len(data) < end + 22:
        return True
    comment_length = int.from_bytes(data[end + 20 : end + 22], "little")
    return len(data) != end + 22 + comment_length
