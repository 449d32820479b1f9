"""Every upload form of the site receives every abusive file: a translated refusal, no change."""

import pytest

from knowledge_bank.models import Resource
from tests import files
from tests.members.test_profile import edit_url, form_data
from tests.security.conftest import snapshot

pytestmark = pytest.mark.django_db

ABUSE = {
    "svg": files.svg,
    "gif renamed png": files.gif_renamed_png,
    "png with html": files.png_with_html,
    "pixel bomb": files.png_pixel_bomb,
    "oversized": files.oversized,
    "zip renamed docx": files.plain_zip,
    "html renamed pdf": lambda: files.upload(
        "report.pdf", b"<html><script>alert(1)</script></html>"
    ),
    "empty": lambda: files.upload("empty.pdf", b""),
}


def arabic(text) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in str(text))


@pytest.mark.parametrize("abuse", list(ABUSE))
def test_logo_upload_refuses_abuse(client, organisation, editor, abuse):
    client.force_login(editor)
    data = form_data(client, organisation)
    before = snapshot()
    response = client.post(edit_url(organisation, "ar"), {**data, "logo_upload": ABUSE[abuse]()})
    assert response.status_code == 200
    assert arabic(response.context["form"].errors["logo_upload"][0])
    assert snapshot() == before


@pytest.mark.parametrize("abuse", list(ABUSE))
def test_resource_upload_refuses_abuse(client, organisation, editor, abuse, settings):
    settings.DOCUMENT_MAX_BYTES = 2 * 1024 * 1024  # so that "oversized" is oversized here too
    client.force_login(editor)
    before = snapshot()
    response = client.post(
        "/ar/knowledge-bank/new/",
        {
            "title_ar": "ملف",
            "kind": "report",
            "language": "ar",
            "visibility": "public",
            "upload": ABUSE[abuse](),
        },
    )
    assert response.status_code == 200
    assert arabic(response.context["form"].errors["upload"][0])
    assert snapshot() == before and not Resource.objects.exists()
