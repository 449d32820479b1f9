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


def pdf(name="report.pdf"):
    return upload(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


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
