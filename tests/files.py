"""Real image and document files built in memory, including the abusive ones."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt="PNG", size=(64, 48), color=(30, 120, 80), **save_args) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt, **save_args)
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png(name="logo.png", **kwargs):
    return upload(name, image_bytes("PNG", **kwargs), "image/png")


def jpeg_with_gps(name="photo.jpg"):
    exif = Image.Exif()
    exif[0x010F] = "Test Camera Maker"  # Make
    gps = {1: "N", 2: (33.0, 30.0, 0.0), 3: "E", 4: (36.0, 18.0, 0.0)}
    exif[0x8825] = gps
    return upload(name, image_bytes("JPEG", exif=exif.tobytes()), "image/jpeg")


def svg(name="logo.svg"):
    content = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    return upload(name, content, "image/svg+xml")


def gif_renamed_png(name="logo.png"):
    return upload(name, image_bytes("GIF"), "image/png")


def png_with_html(name="logo.png"):
    return upload(name, image_bytes("PNG") + b"<html><script>alert(1)</script></html>", "image/png")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_pixel_bomb(name="bomb.png", width=10_000, height=10_000):
    """A few hundred bytes that declare 100 million pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 64)
    content = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )
    return upload(name, content, "image/png")


def oversized(name="huge.png", size=3 * 1024 * 1024):
    return upload(name, image_bytes("PNG") + b"\x00" * size, "image/png")


def pdf_bytes(*, javascript=None, launch=False, embedded=False, pages=1) -> bytes:
    """A real PDF written by pypdf, optionally with the content uploads must refuse."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    def open_action(**entries):
        action = DictionaryObject({NameObject(f"/{key}"): value for key, value in entries.items()})
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    if javascript:
        open_action(S=NameObject("/JavaScript"), JS=TextStringObject(javascript))
    if embedded:
        writer.add_attachment("payload.exe", b"MZ this is not a document")
    if launch:
        open_action(S=NameObject("/Launch"), F=TextStringObject("cmd.exe"))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf(name="report.pdf", **kwargs):
    return upload(name, pdf_bytes(**kwargs), "application/pdf")


def office(kind="docx", name=None):
    part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part[kind], "<xml/>")
    return upload(name or f"file.{kind}", buffer.getvalue())


def plain_zip(name="file.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", "MZ")
    return upload(name, buffer.getvalue())


def pdf_escaped_javascript(name="escaped.pdf"):
    """JavaScript whose names are hex-escaped (/J#61vaScript): invisible to a byte search."""
    content = (
        pdf_bytes(javascript="app.alert(1)")
        .replace(b"/JavaScript", b"/J#61vaScript")
        .replace(b"/JS ", b"/J#53 ")
    )
    return upload(name, content, "application/pdf")


def pdf_header_then_html(name="page.pdf"):
    """`%PDF-` and then a web page: the 5-byte check let it through."""
    return upload(name, b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n")


def pdf_html_polyglot(name="polyglot.pdf"):
    """A PDF that parses, carrying a web page in a comment line near its start."""
    content = pdf_bytes().replace(
        b"\n", b"\n%<html><script>alert(document.domain)</script></html>\n", 1
    )
    return upload(name, content, "application/pdf")


def pdf_with_appended_page(name="appended.pdf"):
    return upload(name, pdf_bytes() + b"<html><script>alert(1)</script></html>")


def _office_archive(kind="docx", extra=(), compression=zipfile.ZIP_DEFLATED) -> io.BytesIO:
    part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part[kind], "<xml/>")
        for entry_name, data in extra:
            archive.writestr(entry_name, data)
    return buffer


def docx_zip_bomb(name="bomb.docx", unpacked_megabytes=200):
    """A real DOCX of a few hundred kilobytes whose one part unpacks to 200 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<xml/>")
        zeros = b"\x00" * (1024 * 1024)
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as part:
            for _ in range(unpacked_megabytes):
                part.write(zeros)
    return upload(name, buffer.getvalue())


def docx_many_entries(name="many.docx", entries=1500):
    extra = [(f"word/parts/{n}.xml", "<x/>") for n in range(entries)]
    return upload(name, _office_archive(extra=extra).getvalue())


def docx_with_macros(name="macros.docx"):
    extra = [("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")]
    return upload(name, _office_archive(extra=extra).getvalue())


def docx_with_appended_page(name="appended.docx"):
    return upload(name, _office_archive().getvalue() + b"<html><script>alert(1)</script></html>")


def docx_with_escaping_path(name="escape.docx"):
    extra = [("../../etc/cron.d/job", b"* * * * * root id")]
    return upload(name, _office_archive(extra=extra).getvalue())


def jpeg_with_comment(name="photo.jpg", comment=b"Taken at 33.51N 36.29E by Ahmad"):
    """A JPEG with a COM segment (the comment), EXIF and GPS."""
    exif = Image.Exif()
    exif[0x010F] = "Test Camera Maker"
    exif[0x8825] = {1: "N", 2: (33.0, 30.0, 0.0), 3: "E", 4: (36.0, 18.0, 0.0)}
    return upload(name, image_bytes("JPEG", exif=exif.tobytes(), comment=comment), "image/jpeg")


def png_with_text(name="logo.png"):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ahmad at 33.51N 36.29E")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>Location: Douma</x:xmpmeta>")
    return upload(name, image_bytes("PNG", pnginfo=info), "image/png")


def webp_with_metadata(name="logo.webp"):
    exif = Image.Exif()
    exif[0x010F] = "Test Camera Maker"
    xmp = b"<x:xmpmeta>Location: Douma</x:xmpmeta>"
    return upload(name, image_bytes("WEBP", exif=exif.tobytes(), xmp=xmp), "image/webp")
