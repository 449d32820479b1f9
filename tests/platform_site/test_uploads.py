import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from platform_site.uploads import clean_document, clean_image
from tests import files


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (files.svg, "not_an_image"),
        (files.gif_renamed_png, "not_an_image"),
        (files.png_with_html, "trailing_data"),
        (files.png_pixel_bomb, "too_many_pixels"),
        (files.oversized, "too_large"),
        (lambda: files.upload("empty.png", b""), "not_an_image"),
        (lambda: files.upload("cut.png", files.image_bytes("PNG")[:60]), "broken_image"),
    ],
)
def test_abusive_images_are_refused_with_a_translated_message(make, code):
    with translation.override("ar"), pytest.raises(ValidationError) as refused:
        clean_image(make())
    assert refused.value.code == code
    message = refused.value.messages[0]
    assert any("\u0600" <= char <= "\u06ff" for char in message), message


def test_gps_metadata_is_gone_after_reencoding():
    source = files.jpeg_with_gps()
    assert Image.open(io.BytesIO(source.read())).getexif().get_ifd(0x8825)
    cleaned = clean_image(source)
    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert b"Test Camera Maker" not in cleaned.read()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_accepted_formats_are_reencoded(fmt):
    cleaned = clean_image(files.upload(f"logo.{fmt.lower()}", files.image_bytes(fmt)))
    assert Image.open(io.BytesIO(cleaned.read())).size == (64, 48)


def test_large_images_are_scaled_down():
    cleaned = clean_image(files.png(size=(3000, 1500)), max_side=1024)
    assert Image.open(io.BytesIO(cleaned.read())).size == (1024, 512)


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (files.pdf, "pdf"),
        (lambda: files.office("docx"), "docx"),
        (lambda: files.office("xlsx"), "xlsx"),
        (lambda: files.office("pptx"), "pptx"),
    ],
)
def test_documents_recognised_by_content(make, kind):
    assert clean_document(make()) == kind


@pytest.mark.parametrize(
    "make",
    [
        files.svg,
        files.plain_zip,
        lambda: files.upload("report.pdf", b"<html>not a pdf</html>"),
        lambda: files.upload("x.docx", files.image_bytes("PNG")),
    ],
)
def test_documents_with_wrong_content_are_refused(make):
    with pytest.raises(ValidationError) as refused:
        clean_document(make())
    assert refused.value.code == "bad_document"


def test_oversized_document_is_refused(settings):
    settings.DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError) as refused:
        clean_document(files.pdf())
    assert refused.value.code == "too_large"
