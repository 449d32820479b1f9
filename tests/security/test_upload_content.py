"""Uploads checked by content, stored under random names, without metadata (finding 5 of issue
14: JPEG comments survived, files kept their original names in public addresses, and a PDF with
JavaScript, `%PDF-`+HTML, a PDF/HTML polyglot and a DOCX unpacking to 200 MB were accepted).
Every file here is a real one, built in the test."""

import re

import pytest
from PIL import Image

from knowledge_bank.models import Resource
from members.models import Organisation
from platform_site.uploads import clean_document, clean_image
from tests import files
from tests.members.test_profile import edit_url, form_data
from tests.security.conftest import snapshot
from tests.security.test_uploads import arabic

pytestmark = pytest.mark.django_db
RANDOM = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp|pdf|docx|xlsx|pptx)$")

DOCUMENT_ABUSE = {
    "pdf with javascript": lambda: files.pdf(javascript="app.alert(1)"),
    "pdf with hex-escaped javascript": files.pdf_escaped_javascript,
    "pdf with a launch action": lambda: files.pdf(launch=True),
    "pdf with an embedded file": lambda: files.pdf(embedded=True),
    "%PDF- then html": files.pdf_header_then_html,
    "pdf/html polyglot": files.pdf_html_polyglot,
    "pdf with a page appended": files.pdf_with_appended_page,
    "docx zip bomb (200 MB)": files.docx_zip_bomb,
    "docx with 1,500 parts": files.docx_many_entries,
    "docx with macros": files.docx_with_macros,
    "docx with a page appended": files.docx_with_appended_page,
    "docx with a path out of the archive": files.docx_with_escaping_path,
}
CODES = {
    "pdf with javascript": "javascript",
    "pdf with hex-escaped javascript": "javascript",
    "pdf with a launch action": "launch",
    "pdf with an embedded file": "embedded",
    "%PDF- then html": "polyglot",
    "pdf/html polyglot": "polyglot",
    "pdf with a page appended": "polyglot",
    "docx zip bomb (200 MB)": "too_large_unpacked",
    "docx with 1,500 parts": "too_many_entries",
    "docx with macros": "macros",
    "docx with a page appended": "polyglot",
    "docx with a path out of the archive": "bad_archive",
}


@pytest.mark.parametrize("abuse", list(DOCUMENT_ABUSE))
def test_documents_are_checked_by_content(abuse):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        clean_document(DOCUMENT_ABUSE[abuse]())
    assert refused.value.code == CODES[abuse]


@pytest.mark.parametrize("make", [files.pdf, files.office, lambda: files.office("xlsx")])
def test_ordinary_documents_pass(make):
    assert clean_document(make()) in {"pdf", "docx", "xlsx"}


@pytest.mark.parametrize(
    "abuse", ["pdf with javascript", "pdf/html polyglot", "docx zip bomb (200 MB)"]
)
def test_the_resource_form_refuses_them_in_arabic(client, organisation, editor, abuse):
    client.force_login(editor)
    before = snapshot()
    response = client.post(
        "/ar/knowledge-bank/new/",
        {
            "title_ar": "ملف",
            "kind": "report",
            "language": "ar",
            "visibility": "public",
            "upload": DOCUMENT_ABUSE[abuse](),
        },
    )
    assert response.status_code == 200
    assert arabic(response.context["form"].errors["upload"][0])
    assert snapshot() == before


@pytest.mark.parametrize(
    ("make", "secrets"),
    [
        (files.jpeg_with_comment, [b"Ahmad", b"Camera", b"33.51N"]),
        (files.png_with_text, [b"Ahmad", b"Douma"]),
        (files.webp_with_metadata, [b"Camera", b"Douma"]),
    ],
)
def test_every_kind_of_image_metadata_is_dropped(make, secrets):
    cleaned = clean_image(make())
    data = cleaned.read()
    for secret in secrets:
        assert secret not in data
    image = Image.open(cleaned)
    assert not {"comment", "exif", "xmp", "icc_profile", "Author", "XML:com.adobe.xmp"} & set(
        image.info
    )


def test_a_logo_gets_a_random_name_and_its_original_name_stays_with_the_editors(
    client, organisation, editor
):
    client.force_login(editor)
    data = form_data(client, organisation)
    upload = files.jpeg_with_comment(name="Ahmad-family-photo.jpg")
    response = client.post(edit_url(organisation), {**data, "logo_upload": upload})
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=organisation.pk)
    folder, name = organisation.logo.name.rsplit("/", 1)
    assert folder == "logos" and RANDOM.match(name), organisation.logo.name
    assert RANDOM.match(organisation.logo_thumbnail.name.rsplit("/", 1)[1])
    assert organisation.logo_original_name == "Ahmad-family-photo.jpg"
    with organisation.logo.open("rb") as stored:
        assert b"Ahmad" not in stored.read()
    assert "Ahmad-family-photo" in client.get(edit_url(organisation)).content.decode()
    client.logout()
    public = client.get(organisation.get_absolute_url()).content.decode()
    assert "Ahmad-family-photo" not in public and name in public


def test_a_document_gets_a_random_name_and_a_neutral_download_name(client, organisation, editor):
    client.force_login(editor)
    response = client.post(
        "/en/knowledge-bank/new/",
        {
            "title_en": "Guide",
            "kind": "guide",
            "language": "en",
            "visibility": "public",
            "upload": files.pdf(name="Minutes of our meeting with Ahmad.pdf"),
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    folder, name = resource.file.name.rsplit("/", 1)
    assert folder == "resources" and RANDOM.match(name)
    assert resource.file_original_name == "Minutes of our meeting with Ahmad.pdf"
    edit = client.get(f"/en/knowledge-bank/{resource.slug}/edit/").content.decode()
    assert "Minutes of our meeting with Ahmad.pdf" in edit
    client.logout()
    download = client.get(f"/en/knowledge-bank/{resource.slug}/download/")
    assert "Ahmad" not in download["Content-Disposition"]
    assert "Ahmad" not in client.get(resource.get_absolute_url()).content.decode()
