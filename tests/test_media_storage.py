"""Uploads on S3-compatible object storage (MEDIA_STORAGE=s3, docs/deploy.md), against an S3
server on this machine (moto's), as with several app servers in production."""

import html
import io
import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from PIL import Image

from knowledge_bank.models import Resource
from members.models import Organisation
from platform_site.settings import media_storage
from tests import files
from tests.members.test_profile import edit_url, form_data

BUCKET = "portal-media"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """The settings MEDIA_STORAGE=s3 gives with these variables, and the bucket behind them."""
    for name, value in {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "portal-test",
        "AWS_SECRET_ACCESS_KEY": "portal-test-secret",
        "AWS_S3_REGION_NAME": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    storage, _origins = media_storage("s3")
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="portal-test",
        aws_secret_access_key="portal-test-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client):
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _is_private(client, key):
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    return all(grant["Grantee"].get("Type") == "CanonicalUser" for grant in grants)


@pytest.mark.django_db
def test_logos_go_to_the_bucket_and_pages_link_them_with_signed_addresses(
    client, organisation, editor, bucket, s3_endpoint
):
    client.force_login(editor)
    data = form_data(client, organisation)
    data["logo_upload"] = files.jpeg_with_gps()
    assert client.post(edit_url(organisation), data).status_code == 302
    organisation = Organisation.objects.get(pk=organisation.pk)
    keys = _keys(bucket)
    assert organisation.logo.name in keys and organisation.logo_thumbnail.name in keys
    assert all(_is_private(bucket, key) for key in keys)
    client.logout()

    for url, name in [
        (organisation.get_absolute_url(), organisation.logo.name),
        ("/en/organisations/", organisation.logo_thumbnail.name),
    ]:
        page = client.get(url).content.decode()
        found = re.search(rf'<img src="({re.escape(s3_endpoint)}/{BUCKET}/{name}\?[^"]+)"', page)
        assert found, url
        address = html.unescape(found.group(1))
        assert "X-Amz-Signature=" in address and "X-Amz-Expires=3600" in address
        with urllib.request.urlopen(address, timeout=10) as response:
            image = Image.open(io.BytesIO(response.read()))
        assert image.format in {"JPEG", "PNG", "WEBP"} and not image.getexif()


@pytest.mark.django_db
def test_members_only_documents_are_served_by_the_app_to_members_only(
    client, organisation, editor, other_org_editor, bucket
):
    client.force_login(editor)
    client.post(
        "/en/knowledge-bank/new/",
        {
            "title_ar": "مذكرة داخلية",
            "title_en": "Internal note",
            "kind": "report",
            "language": "both",
            "visibility": "members",
            "upload": files.pdf(),
        },
    )
    resource = Resource.objects.get()
    assert _keys(bucket) == [resource.file.name] and resource.file.name.startswith("resources/")
    assert _is_private(bucket, resource.file.name)
    client.logout()
    url = f"/en/knowledge-bank/{resource.slug}/download/"
    assert client.get(url).status_code == 404
    client.force_login(other_org_editor)
    download = client.get(url)
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_storage_settings(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    assert media_storage("filesystem") == (
        {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        [],
    )
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        media_storage("s3")
    with pytest.raises(ImproperlyConfigured, match="filesystem or s3"):
        media_storage("ftp")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    monkeypatch.delenv("AWS_S3_ENDPOINT_URL", raising=False)
    storage, origins = media_storage("s3")
    assert storage["OPTIONS"]["default_acl"] == "private"
    assert origins == ["https://*.amazonaws.com"]  # pages may show images from there (CSP)
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://objects.example.org:9000/")
    storage, origins = media_storage("s3")
    assert origins == ["https://objects.example.org:9000"]
    assert storage["OPTIONS"]["addressing_style"] == "path"


def test_pages_may_show_images_from_the_storage():
    """The settings module, read afresh with MEDIA_STORAGE=s3, lets the CSP load its images."""
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        "settings.STORAGES['default']['BACKEND']]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "platform_site.settings",
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": "https://objects.example.org",
    }
    output = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    img_src, backend = json.loads(output.strip().splitlines()[-1])
    assert "https://objects.example.org" in img_src and "'self'" in img_src
    assert backend == "storages.backends.s3.S3Storage"
