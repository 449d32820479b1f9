"""Personal API tokens: created on the account page, shown once, stored hashed, revoked."""

import hashlib

import pytest
from django.urls import reverse

from api.models import MAX_LIVE_TOKENS, ApiToken

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_stored_hashed(client, editor, organisation):
    client.force_login(editor)
    assert client.get(reverse("tokens:list")).status_code == 200
    response = client.post(reverse("tokens:list"), {"name": "Dashboard"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("sep_") and key in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    token = ApiToken.objects.get(user=editor)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(vars(token))
    again = client.get(reverse("tokens:list")).content.decode()
    assert key not in again and token.key_start in again
    api = client.get(reverse("api:organisation-list"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_stops_working(client, editor):
    token, key = ApiToken.issue(user=editor, name="Old")
    client.force_login(editor)
    response = client.post(reverse("tokens:revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = client.get(reverse("api:organisation-list"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 401
    assert client.post(reverse("tokens:revoke", kwargs={"pk": token.pk})).status_code == 404


def test_someone_elses_token_is_not_there(client, editor, outsider):
    token, _key = ApiToken.issue(user=editor, name="Mine")
    client.force_login(outsider)
    assert client.post(reverse("tokens:revoke", kwargs={"pk": token.pk})).status_code == 404
    assert "Mine" not in client.get(reverse("tokens:list")).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_number_of_live_tokens_is_limited(client, outsider):
    for n in range(MAX_LIVE_TOKENS):
        ApiToken.issue(user=outsider, name=f"t{n}")
    client.force_login(outsider)
    response = client.post(reverse("tokens:list"), {"name": "one more"})
    assert response.status_code == 400
    assert ApiToken.objects.filter(user=outsider).count() == MAX_LIVE_TOKENS


def test_bad_input_and_wrong_methods(client, outsider):
    client.force_login(outsider)
    assert client.post(reverse("tokens:list"), {"name": ""}).status_code == 400
    assert client.post(reverse("tokens:list"), {"name": "x" * 81}).status_code == 400
    assert client.get(reverse("tokens:revoke", kwargs={"pk": 1})).status_code == 405
    assert client.put(reverse("tokens:list")).status_code == 405


def test_anonymous_visitors_log_in_first(client):
    response = client.get(reverse("tokens:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_works_in_both_languages(client, outsider):
    client.force_login(outsider)
    for language in ("ar", "en"):
        page = client.get(f"/{language}/accounts/api-tokens/")
        assert page.status_code == 200
        assert f'lang="{language}"' in page.content.decode()
