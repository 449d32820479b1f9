"""Every admin list a coordinator opens renders (the spreadsheet import once made two of them
extend themselves: TemplateDoesNotExist)."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from tests.conftest import login_verified

pytestmark = pytest.mark.django_db


def test_every_admin_list_renders_for_a_coordinator(client, coordinator):
    login_verified(client, coordinator)
    statuses = {}
    with translation.override("ar"):  # whatever language an earlier test left active
        for model in admin.site._registry:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            statuses[url] = client.get(url).status_code
    assert statuses["/ar/admin/members/organisation/"] == 200
    assert statuses["/ar/admin/knowledge_bank/programme/"] == 200
    assert set(statuses.values()) <= {200, 403}, statuses
