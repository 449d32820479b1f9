"""Upload validation: images are identified and re-encoded, documents checked by content.

Images: only what Pillow identifies as JPEG, PNG or WebP; the declared pixel count and the
file size are capped before decoding; the saved file is a fresh encoding without any of the
source's metadata (EXIF, GPS, XMP, ICC, JPEG comments, PNG text). Documents: PDF or Office Open
XML (DOCX, XLSX, PPTX), recognised by their bytes and inspected (platform_site.documents).
Every stored file gets a random name (`RandomName`); the original name is kept only in a field
that the owner's editors see.
"""

import io
import uuid
import warnings
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from platform_site.documents import check_office, check_pdf

IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")


def _check_size(upload, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def _open_image(upload) -> Image.Image:
    """Open an upload as JPEG, PNG or WebP, refusing bombs and anything else."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=IMAGE_FORMATS)
            width, height = image.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    ngettext(
                        "The image is %(width)s×%(height)s pixels; it may have at most %(max)s "
                        "million pixels.",
                        "The image is %(width)s×%(height)s pixels; it may have at most %(max)s "
                        "million pixels.",
                        settings.IMAGE_MAX_PIXELS // 1_000_000,
                    )
                    % {
                        "width": width,
                        "height": height,
                        "max": settings.IMAGE_MAX_PIXELS // 1_000_000,
                    },
                    code="too_many_pixels",
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            ngettext(
                "The image declares too many pixels; it may have at most %(max)s million pixels.",
                "The image declares too many pixels; it may have at most %(max)s million pixels.",
                settings.IMAGE_MAX_PIXELS // 1_000_000,
            )
            % {"max": settings.IMAGE_MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            _("This file is not a JPEG, PNG or WebP image."), code="not_an_image"
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("The image is damaged or incomplete; please save it again and retry."),
            code="broken_image",
        ) from None
    return image


def _reject_trailing_data(upload, image_format: str) -> None:
    """A PNG or JPEG with something appended (HTML, a script, a zip) is refused."""
    upload.seek(0)
    data = upload.read()
    if image_format == "PNG":
        end = data.rfind(b"IEND")
        trailing = data[end + 8 :] if end != -1 else b""
    elif image_format == "JPEG":
        end = data.rfind(b"\xff\xd9")
        trailing = data[end + 2 :] if end != -1 else b""
    else:
        trailing = b""
    if trailing.strip(b"\x00\r\n\t "):
        raise ValidationError(
            _("The image file carries extra data after the picture and was refused."),
            code="trailing_data",
        )


def clean_image(upload, *, max_side: int = 1024) -> SimpleUploadedFile:
    """Validate an uploaded image and return a re-encoded copy without metadata."""
    _check_size(upload, settings.IMAGE_MAX_BYTES)
    image = _open_image(upload)
    source_format = image.format
    _reject_trailing_data(upload, source_format)
    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_side, max_side))
    output = io.BytesIO()
    # Pillow writes what `info` holds (a JPEG comment, an ICC profile, XMP, EXIF): keep only
    # what drawing needs.
    keep = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
    if source_format == "JPEG" or image.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
        image = image.convert("RGB")
        image.info = {}
        image.save(output, format="JPEG", quality=85, optimize=True)
        extension = "jpg"
    elif source_format == "WEBP":
        image.info = keep
        image.save(output, format="WEBP", quality=85)
        extension = "webp"
    else:
        image.info = keep
        image.save(output, format="PNG", optimize=True)
        extension = "png"
    cleaned = SimpleUploadedFile(
        f"image.{extension}",
        output.getvalue(),
        content_type=f"image/{'jpeg' if extension == 'jpg' else extension}",
    )
    cleaned.original_name = original_name(upload)
    return cleaned


def original_name(upload) -> str:
    """The name the file had on the uploader's computer, for its editors only."""
    return (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:255]


@deconstructible
class RandomName:
    """`upload_to` that stores every file as `<folder>/<random>.<known extension>`."""

    EXTENSIONS = {"jpg", "png", "webp", "pdf", "docx", "xlsx", "pptx"}

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if extension not in self.EXTENSIONS:
            extension = "bin"
        return f"{self.folder}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


def make_thumbnail(image_file, *, side: int = 160) -> SimpleUploadedFile:
    """A small WebP copy of an already-clean image, for lists."""
    image_file.seek(0)
    image = Image.open(image_file, formats=IMAGE_FORMATS)
    image.thumbnail((side, side))
    if image.mode not in {"RGB", "RGBA"}:
        image = image.convert("RGBA")
    output = io.BytesIO()
    image.save(output, format="WEBP", quality=80)
    return SimpleUploadedFile("thumb.webp", output.getvalue(), content_type="image/webp")


# --- documents --------------------------------------------------------------------------

DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OOXML_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}


def document_kind(upload) -> str | None:
    """Return pdf, docx, xlsx or pptx from the file's bytes, or None."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "pdf"
    if head[:4] != b"PK\x03\x04":
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for kind, part in _OOXML_PARTS.items():
        if part in names:
            return kind
    return None


def clean_document(upload) -> str:
    """Validate an uploaded document; return its kind (pdf, docx, xlsx, pptx)."""
    _check_size(upload, settings.DOCUMENT_MAX_BYTES)
    kind = document_kind(upload)
    if kind is None:
        raise ValidationError(
            _("Only PDF, Word (DOCX), Excel (XLSX) and PowerPoint (PPTX) files are accepted."),
            code="bad_document",
        )
    if kind == "pdf":
        check_pdf(upload)
    else:
        check_office(upload)
    return kind
