"""Sessions that bring their person with them: one query for a signed-in request, not two.

Django's database sessions cost a signed-in request two queries before its view runs: the
session row, then the user row it names. Here the session row carries the user's id in a
column of its own (`platform_site.models.Session.user`), filled whenever the session is saved,
and the session is read joined to its user. `AuthenticationMiddleware` hands that user row to
Django's own `django.contrib.auth.get_user`, through the backends below, so everything that
function checks stays exactly as Django does it: the backend the person signed in with, an
active account (`user_can_authenticate`), and the session's password hash (a changed password
signs out the other sessions).

Nothing is cached: the user row is read in the same query as the session, on every request,
so a deactivation or a new password takes effect on the next request. A session without the
column (saved before it existed) falls back to Django's second query.

Settings: SESSION_ENGINE = "platform_site.sessions", the two backends of this module in
AUTHENTICATION_BACKENDS, and this module's AuthenticationMiddleware in place of Django's.
"""

from contextvars import ContextVar

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import backends as django_backends
from django.contrib.auth import middleware as django_middleware
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.utils.functional import SimpleLazyObject

# The user row the session was read with, while `get_user` below asks the backend for it.
_session_user = ContextVar("session_user", default=None)


class SessionStore(DatabaseSessionStore):
    """Database sessions whose rows name their user (`platform_site.models.Session`)."""

    _user = None

    @classmethod
    def get_model_class(cls):
        from platform_site.models import Session

        return Session

    def _get_session_from_db(self):
        row = super()._get_session_from_db()  # with its user (platform_site.models.Session)
        self._user = row.user if row is not None else None
        return row

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        row.user_id = _user_id(data.get(SESSION_KEY))
        return row

    @property
    def user(self):
        """The user row read with this session (loading it if not yet), or None."""
        self._get_session()
        return self._user


def _user_id(value):
    if value is None:
        return None
    try:
        return auth.get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None


class SessionUserMixin:
    """A backend's `get_user` that takes the row its session was read with, when it is the
    person asked for; anything else is read as the backend always does."""

    def get_user(self, user_id):
        user = _session_user.get()
        if user is not None and str(user.pk) == str(user_id):
            return user if self.user_can_authenticate(user) else None
        return super().get_user(user_id)


class ModelBackend(SessionUserMixin, django_backends.ModelBackend):
    pass


class AccountBackend(SessionUserMixin, AuthenticationBackend):
    """allauth's backend (sign-in by e-mail address)."""


def get_user(request):
    """Django's `auth.get_user`, given the user row the session was read with."""
    session = request.session
    token = _session_user.set(getattr(session, "user", None))
    try:
        return auth.get_user(request)
    finally:
        _session_user.reset(token)


class AuthenticationMiddleware(django_middleware.AuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)

        def user():
            if not hasattr(request, "_cached_user"):
                request._cached_user = get_user(request)
            return request._cached_user

        request.user = SimpleLazyObject(user)
