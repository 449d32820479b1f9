import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.conftest import login_verified


@pytest.fixture
def admin_client(client, coordinator):
    return login_verified(client, coordinator)


def preview(client, model, content: bytes, name="file.csv", language="en"):
    """Upload a file to the import page of `model` ("members/organisation"); the job's page
    once the worker has read it (tests run tasks at once), or the refused upload."""
    app, model_name = model.split("/")
    with translation.override(language):
        url = reverse(f"admin:{app}_{model_name}_import")
    upload = SimpleUploadedFile(name, content)
    response = client.post(url, {"import_file": upload, "format": "0", "resource": "0"})
    return _job_page(client, response)


def _job_page(client, response):
    """Where an upload or a confirmation redirects: the job's page, fetched."""
    if response.status_code == 302 and "/import/" in response["Location"]:
        page = client.get(response["Location"])
        page.job_url = response["Location"]
        return page
    return response


def totals(response):
    return dict(response.context["preview_totals"])


def confirm(client, model, response):
    app, model_name = model.split("/")
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return _job_page(client, client.post(reverse(f"admin:{app}_{model_name}_process_import"), data))


def errors_of(response):
    """{line: {column: [reasons]}} of the rows with errors."""
    return {str(row.line): row.cell_errors for row in response.context["preview_rows"]["invalid"]}


def column_index(header, columns, key):
    """Where the importer reads `key` in this header row (labels or codes, either language)."""
    from platform_site.spreadsheets import resolve_headers

    found, _unknown, _repeated = resolve_headers(header, None, columns)
    return next(index for index, column in found.items() if column.key == key)
