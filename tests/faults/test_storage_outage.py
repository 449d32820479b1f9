"""The object store (MEDIA_STORAGE=s3, moto's S3 server) stopped under the app: pages render,
logos fall back to the initial in the browser, uploads fail with a translated message and
change nothing, the store is used again when it returns (platform_site.storage_faults)."""

import logging
import re

import pytest

from knowledge_bank.models import Resource
from members.models import Organisation
from tests import files
from tests.faults.conftest import bucket_keys
from tests.members.test_profile import edit_url, form_data

pytestmark = pytest.mark.django_db

DOCUMENT = {
    "title_ar": "دليل",
    "title_en": "Guide",
    "kind": "guide",
    "language": "both",
    "visibility": "public",
}


@pytest.fixture
def with_logo(client, organisation, editor, s3_bucket):
    client.force_login(editor)
    data = form_data(client, organisation)
    data["logo_upload"] = files.jpeg_with_gps()
    assert client.post(edit_url(organisation), data).status_code == 302
    client.logout()
    return Organisation.objects.get(pk=organisation.pk)


def test_pages_render_while_the_store_is_stopped(client, with_logo, s3_server, s3_bucket):
    s3_server.stop()
    for url in ["/ar/", "/en/organisations/", "/ar/organisations/", with_logo.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
    card = client.get("/ar/organisations/").content.decode()
    # The address is signed in the app; if the browser cannot load it, CSS draws the initial.
    assert re.search(r'<img src="[^"]+" alt="" [^>]*data-initial="ج"', card)
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["object_storage"] == "unavailable"


def test_a_logo_upload_fails_with_a_message_and_changes_nothing(
    client, with_logo, editor, s3_server, s3_bucket, caplog
):
    keys_before = bucket_keys(s3_bucket)
    client.force_login(editor)
    data = form_data(client, with_logo, description_en="Changed while the store was down")
    data["logo_upload"] = files.jpeg_with_gps()
    s3_server.stop()
    caplog.set_level(logging.WARNING, logger="platform_site.storage")
    for language, message in [
        ("en", "The logo could not be stored just now, so nothing was saved."),
        ("ar", "تعذّر حفظ الشعار الآن، فلم يُحفظ شيء من التعديلات."),
    ]:
        data["logo_upload"] = files.jpeg_with_gps()
        response = client.post(edit_url(with_logo, language), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert "Changed while the store was down" in response.content.decode()  # kept in form
    unchanged = Organisation.objects.get(pk=with_logo.pk)
    assert unchanged.logo.name == with_logo.logo.name
    assert unchanged.description_en == with_logo.description_en
    assert any("Object storage unavailable" in r.message for r in caplog.records)

    s3_server.start()  # back, same data: the same form now saves
    assert bucket_keys(s3_bucket) == keys_before
    data["logo_upload"] = files.jpeg_with_gps()
    assert client.post(edit_url(with_logo), data).status_code == 302
    saved = Organisation.objects.get(pk=with_logo.pk)
    assert saved.description_en == "Changed while the store was down"
    assert saved.logo.name != with_logo.logo.name and saved.logo.name in bucket_keys(s3_bucket)


def test_a_document_upload_and_download_answer_503_and_change_nothing(
    client, organisation, editor, s3_server, s3_bucket
):
    client.force_login(editor)
    response = client.post("/en/knowledge-bank/new/", {**DOCUMENT, "upload": files.pdf()})
    assert response.status_code == 302
    resource = Resource.objects.get()
    s3_server.stop()
    for language, text in [
        ("ar", "لا يمكن قراءة الملفات أو حفظها حالياً"),
        ("en", "Files cannot be read or saved right now"),
    ]:
        response = client.post(
            f"/{language}/knowledge-bank/new/",
            {**DOCUMENT, "title_en": "Second", "upload": files.pdf()},
        )
        assert response.status_code == 503 and text in response.content.decode()
        response = client.get(f"/{language}/knowledge-bank/{resource.slug}/download/")
        assert response.status_code == 503 and text in response.content.decode()
    assert Resource.objects.count() == 1
    assert client.get(resource.get_absolute_url()).status_code == 200
    s3_server.start()
    download = client.get(f"/en/knowledge-bank/{resource.slug}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
