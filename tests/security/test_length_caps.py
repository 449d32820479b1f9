"""Free text has length caps in models and forms, with a translated message (finding 6 of issue
14: a 1 MB description was accepted and shown on the public profile)."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from members.models import Organisation
from platform_site.lengths import DESCRIPTION, NAME, SUMMARY
from tests.members.test_profile import edit_url, form_data
from tests.security.test_uploads import arabic

pytestmark = pytest.mark.django_db
OUR_APPS = {"members", "working_groups", "knowledge_bank", "advocacy", "credentials"}


def test_every_free_text_field_of_ours_has_a_cap():
    """Every TextField is capped by a validator, and no name-like field exceeds the caps."""
    uncapped = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.fields:
            if not field.editable:
                continue
            if isinstance(field, models.TextField):
                limits = [v.limit_value for v in field.validators if hasattr(v, "limit_value")]
                if not limits or max(limits) > DESCRIPTION:
                    uncapped.append(f"{model.__name__}.{field.name}")
            if field.name.startswith(("name", "title")) and isinstance(field, models.CharField):
                if field.max_length > NAME:
                    uncapped.append(f"{model.__name__}.{field.name} ({field.max_length})")
    assert not uncapped, uncapped


def test_a_huge_description_is_refused_in_the_form_with_a_translated_message(
    client, organisation, editor
):
    client.force_login(editor)
    data = form_data(client, organisation)
    response = client.post(
        edit_url(organisation, "ar"), {**data, "description_en": "x" * (1024 * 1024)}
    )
    assert response.status_code == 200
    message = response.context["form"].errors["description_en"][0]
    assert arabic(message) and "10000" in message.replace(",", "").replace("٬", "")
    organisation.refresh_from_db()
    assert len(organisation.description_en or "") <= DESCRIPTION
    ok = client.post(edit_url(organisation), {**data, "description_en": "x" * DESCRIPTION})
    assert ok.status_code == 302


def test_the_model_refuses_too():
    organisation = Organisation(name_en="N", org_type="local_ngo", description="x" * 10_001)
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean(exclude=["slug"])
    assert "description" in refused.value.message_dict


def test_summaries_and_names(client, organisation, editor):
    client.force_login(editor)
    response = client.post(
        "/en/knowledge-bank/new/",
        {
            "title_en": "t" * (NAME + 1),
            "summary_en": "s" * (SUMMARY + 1),
            "kind": "report",
            "language": "en",
            "visibility": "public",
            "url": "https://example.org/r",
        },
    )
    errors = response.context["form"].errors
    assert "title_en" in errors and "summary_en" in errors
