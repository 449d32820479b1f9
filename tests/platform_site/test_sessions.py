"""Sessions read with their person in one query (platform_site/sessions.py): signed-in requests
cost one query before the view, and everything Django's sign-in checks still holds."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext

from platform_site.models import Session
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PAGE = "/en/dashboard/"  # a page for signed-in people only


def signed_in(client, user):
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def test_a_sign_in_saves_the_session_with_its_person(client):
    user = make_user()
    signed_in(client, user)
    row = Session.objects.get(session_key=client.session.session_key)
    assert row.user_id == user.pk
    assert client.session[BACKEND_SESSION_KEY] == "platform_site.sessions.AccountBackend"


def test_the_session_and_the_person_are_read_in_one_query(client):
    user = make_user()
    signed_in(client, user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/dashboard/")
    assert response.status_code == 200
    assert response.wsgi_request.user == user
    first = queries.captured_queries[0]["sql"]
    assert "platform_site_session" in first and "auth_user" in first
    assert not any(
        'FROM "auth_user"' in query["sql"] and "platform_site_session" not in query["sql"]
        for query in queries.captured_queries
    ), "the user was read a second time"


def test_a_deactivated_person_is_signed_out_on_the_next_request(client):
    user = make_user()
    signed_in(client, user)
    assert client.get(PAGE).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_new_password_signs_out_the_other_sessions(client, django_user_model):
    user = make_user()
    signed_in(client, user)
    user.set_password("another-long-password-2")
    user.save()
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Session.objects.filter(user=user).exists()  # flushed


def test_a_session_that_does_not_name_its_person_still_signs_in(client):
    """Sessions saved before the column existed read the person in a second query."""
    user = make_user()
    signed_in(client, user)
    Session.objects.update(user=None)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.wsgi_request.user == user


def test_a_session_naming_someone_else_is_not_trusted(client):
    """The column only saves a query: who is signed in is what the signed session data says."""
    user, other = make_user(), make_user()
    signed_in(client, user)
    Session.objects.update(user=other)
    assert client.get(PAGE).wsgi_request.user == user


def test_deleting_a_person_deletes_their_sessions(client):
    user = make_user()
    signed_in(client, user)
    user.delete()
    assert not Session.objects.exists()
    response = client.get(PAGE)
    assert response.status_code == 302


def test_signing_out_deletes_the_session(client):
    user = make_user()
    signed_in(client, user)
    client.post("/en/accounts/logout/")
    assert not Session.objects.filter(user=user).exists()
    assert client.get(PAGE).status_code == 302


def test_the_migration_carries_django_sessions_over_without_signing_anyone_out(client, settings):
    user = make_user()
    old = DjangoSessionStore()
    old.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "allauth.account.auth_backends.AuthenticationBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )
    old.create()
    broken = DjangoSessionStore()
    broken.create()
    from django.contrib.sessions.models import Session as DjangoSession

    DjangoSession.objects.filter(session_key=broken.session_key).update(session_data="damaged")
    migration = importlib.import_module("platform_site.migrations.0006_sessions_with_their_user")
    migration.carry_sessions_over(apps, None)

    assert Session.objects.get(session_key=old.session_key).user_id == user.pk
    assert not Session.objects.filter(session_key=broken.session_key).exists()
    assert not DjangoSession.objects.exists()  # nothing about people left in the old table
    client.cookies[settings.SESSION_COOKIE_NAME] = old.session_key
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.wsgi_request.user == user


def test_the_written_statement_reads_what_the_orm_reads(client):
    """The session's statement (written once, not compiled per request) gives the same rows,
    converted values and user as Django's ORM, on either database; expired or unknown keys and
    a session without a person read as the ORM reads them."""
    from datetime import timedelta

    from django.utils import timezone

    from platform_site.sessions import _reader

    user = make_user()
    signed_in(client, user)
    client.get(PAGE)  # sets last_login and friends to real values
    key = client.session.session_key
    now = timezone.now()
    ours = _reader("default").read(key, now)
    theirs = Session.objects.get(session_key=key, expire_date__gt=now)
    for field in Session._meta.concrete_fields:
        assert getattr(ours, field.attname) == getattr(theirs, field.attname), field.name
    for field in type(user)._meta.concrete_fields:
        assert getattr(ours.user, field.attname) == getattr(theirs.user, field.attname), field
    assert ours.expire_date.tzinfo is not None and ours.user.last_login.tzinfo is not None
    assert ours.user.is_active is True and not ours._state.adding
    assert _reader("default").read(key, ours.expire_date + timedelta(seconds=1)) is None
    assert _reader("default").read("no-such-key", now) is None
    Session.objects.filter(session_key=key).update(user=None)
    nobody = _reader("default").read(key, now)
    assert nobody is not None and nobody.user is None
