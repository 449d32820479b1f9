"""Display name, language of e-mails, notification categories, and one-click unsubscribe."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.urls import reverse

from members import services as member_services
from platform_site.mail import UNSUBSCRIBE_SALT, display_name, unsubscribe_token
from platform_site.models import Preferences
from tests.conftest import PASSWORD, make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_sign_up_asks_for_a_display_name_used_in_greetings_and_emails(client):
    data = {"email": "rana@example.org", "password1": PASSWORD, "password2": PASSWORD}
    refused = client.post("/ar/accounts/signup/", {**data, "display_name": "   "})
    assert refused.status_code == 200 and "display_name" in refused.context["form"].errors
    assert client.post("/ar/accounts/signup/", {**data, "display_name": " Rana  Haddad "})
    preferences = Preferences.objects.get(user__email="rana@example.org")
    assert (preferences.display_name, preferences.email_language) == ("Rana Haddad", "ar")
    # allauth's own texts name the person by it, never by the generated user name.
    assert display_name(preferences.user) == "Rana Haddad"
    assert preferences.user.username not in mail.outbox[-1].body


def test_logged_in_message_uses_the_display_name(client):
    user = make_user("lina@example.org")
    Preferences.objects.create(user=user, display_name="Lina")
    response = client.post(
        "/en/accounts/login/", {"login": "lina@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Lina" in text for text in texts), texts
    assert not any(user.username in text for text in texts)


def test_without_a_display_name_people_are_named_by_their_address(editor):
    assert display_name(editor) == editor.email


def test_preferences_page_saves_everything(client, editor, organisation):
    url = reverse("account_preferences")
    client.force_login(editor)
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="coordination"' not in page.content.decode()  # coordinators only
    response = client.post(
        url,
        {
            "display_name": "Sami",
            "email_language": "en",
            "wanted": ["groups", "meetings", "events"],
            "digest": "never",
        },
    )
    assert response.status_code == 302
    preferences = editor.preferences
    assert preferences.display_name == "Sami"
    assert preferences.email_language == "en"
    assert sorted(preferences.muted_categories) == ["organisation", "statements"]
    assert preferences.digest == "never"
    # The status e-mail is now muted; group e-mails come in English, greeting Sami.
    member_services.suspend_organisation(organisation=organisation, by=None, reason="Test")
    assert [m.to for m in mail.outbox if m.to == [editor.email]] == []


def test_preferences_page_lists_the_account_links(client, editor):
    client.force_login(editor)
    page = client.get("/en/accounts/preferences/").content.decode()
    assert reverse("account_email") in page and reverse("account_change_password") in page


@pytest.mark.parametrize(
    "data",
    [
        {"display_name": "", "email_language": "ar", "digest": "weekly"},
        {"display_name": "X", "email_language": "fr", "digest": "weekly"},
        {"display_name": "X", "email_language": "ar", "digest": "daily"},
        {"display_name": "X", "email_language": "ar", "digest": "weekly", "wanted": ["nope"]},
        {"display_name": "X" * 81, "email_language": "ar", "digest": "weekly"},
    ],
)
def test_bad_preferences_get_a_message_and_change_nothing(client, editor, data):
    client.force_login(editor)
    response = client.post("/ar/accounts/preferences/", data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Preferences.objects.filter(user=editor).exists()


def test_preferences_need_a_session_and_take_only_get_and_post(client, editor):
    url = reverse("account_preferences")
    assert "/login/" in client.get(url)["Location"]
    client.force_login(editor)
    assert client.put(url).status_code == 405


def test_coordinators_may_turn_off_the_coordination_mail(client_for, coordinator):
    client = client_for(coordinator)
    page = client.get("/en/accounts/preferences/").content.decode()
    assert 'value="coordination"' in page


# --- unsubscribe ------------------------------------------------------------------------


def test_one_post_without_a_session_unsubscribes(client, editor):
    token = unsubscribe_token(editor, "statements")
    url = reverse("unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and not Preferences.objects.filter(user=editor).exists()
    assert client.post(url).status_code == 200
    assert Preferences.objects.get(user=editor).muted_categories == ["statements"]
    assert client.post(url).status_code == 200  # again: still once
    assert Preferences.objects.get(user=editor).muted_categories == ["statements"]


def test_unsubscribing_from_the_digest_sets_never(client, editor):
    client.post(reverse("unsubscribe", args=[unsubscribe_token(editor, "digest")]))
    assert Preferences.objects.get(user=editor).digest == "never"


def test_the_one_click_post_works_with_csrf_checks_on(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    token = unsubscribe_token(editor, "meetings")
    response = client.post(reverse("unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preferences.objects.get(user=editor).muted_categories == ["meetings"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_and_expired_tokens_get_a_clear_page_and_change_nothing(
    client, editor, settings, method
):
    good = unsubscribe_token(editor, "groups")
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    other_salt = signing.dumps([editor.pk, "groups"], salt="another.purpose", compress=True)
    unknown_category = signing.dumps([editor.pk, "spam"], salt=UNSUBSCRIBE_SALT, compress=True)
    for token in (forged, "nonsense", other_salt, unknown_category, "x" * 300):
        response = getattr(client, method)(reverse("unsubscribe", args=[token]))
        assert response.status_code == 400
        assert "Nothing was changed" in response.content.decode() or "لم يتغير" in (
            response.content.decode()
        )
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40  # signed elsewhere
    assert getattr(client, method)(reverse("unsubscribe", args=[good])).status_code == 400
    assert not Preferences.objects.filter(user=editor).exists()


def test_an_old_token_has_expired(client, editor):
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() - __import__("datetime").timedelta(days=400)):
        old = unsubscribe_token(editor, "groups")
    response = client.post(reverse("unsubscribe", args=[old]))
    assert response.status_code == 400
    assert not Preferences.objects.filter(user=editor).exists()


def test_a_deleted_persons_token_changes_nothing(client):
    user = make_user()
    token = unsubscribe_token(user, "groups")
    user.delete()
    assert client.post(reverse("unsubscribe", args=[token])).status_code == 400


def test_unsubscribe_refuses_other_methods(client, editor):
    url = reverse("unsubscribe", args=[unsubscribe_token(editor, "groups")])
    assert client.put(url).status_code == 405


def test_emails_greet_by_display_name_in_the_chosen_language(editor, organisation, coordinator):
    Preferences.objects.create(user=editor, display_name="Sami", email_language="en")
    make_organisation(members=[(editor, "editor")])
    member_services.suspend_organisation(organisation=organisation, by=coordinator, reason="Test")
    (message,) = [m for m in mail.outbox if m.to == [editor.email]]
    assert "Hello Sami," in message.body
    html = message.alternatives[0][0]
    assert 'lang="en" dir="ltr"' in html and "Syrian Education Platform" in html


def test_a_display_name_with_markup_is_escaped_in_the_html_email(editor, organisation):
    Preferences.objects.create(user=editor, display_name="<b>Sami</b>", email_language="ar")
    member_services.suspend_organisation(organisation=organisation, by=None, reason="Test")
    (message,) = [m for m in mail.outbox if m.to == [editor.email]]
    html = message.alternatives[0][0]
    assert "<bdi>&lt;b&gt;Sami&lt;/b&gt;</bdi>" in html and "<b>Sami" not in html
    # Addresses keep their shape in Arabic: LTR links, and a mark before each address line.
    assert '<a dir="ltr" href="http' in html
    assert "\n\u200ehttp://" in message.body
