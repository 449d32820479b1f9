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
so a deactivation or a new password takes effect on the next request. That query's SQL is
written once per database (`_SessionReader`) from the models' columns, not built and compiled
by the ORM on every request; its rows become model instances as the ORM's would. A session
without the column (saved before it existed) falls back to Django's second query.

Settings: SESSION_ENGINE = "platform_site.sessions", the two backends of this module in
AUTHENTICATION_BACKENDS, and this module's AuthenticationMiddleware in place of Django's.
"""

import functools
from contextvars import ContextVar

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import backends as django_backends
from django.contrib.auth import middleware as django_middleware
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone
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
        row = _reader(router.db_for_read(self.model)).read(self.session_key, timezone.now())
        if row is None:
            self._session_key = None  # as Django's: a session that is gone or expired
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


class _SessionReader:
    """The live session row with a key, and its user, in one statement written once per
    database: the query Django's ORM would build and compile again on every signed-in
    request (`Session.objects.get(...)`, a fifth of the CPU of a page served from the cache),
    with the same columns, conversions and model instances (`from_db`)."""

    def __init__(self, using):
        from platform_site.models import Session

        user_model = auth.get_user_model()
        connection = connections[using]
        name = connection.ops.quote_name
        sessions, users = name(Session._meta.db_table), name(user_model._meta.db_table)
        self.using, self.session_model, self.user_model = using, Session, user_model
        session_fields = Session._meta.concrete_fields
        user_fields = user_model._meta.concrete_fields
        self.session_names = [field.attname for field in session_fields]
        self.user_names = [field.attname for field in user_fields]
        self.user_pk = len(session_fields) + user_fields.index(user_model._meta.pk)
        self.expires = Session._meta.get_field("expire_date")
        columns = [f"{sessions}.{name(field.column)}" for field in session_fields] + [
            f"{users}.{name(field.column)}" for field in user_fields
        ]
        key, user = Session._meta.get_field("session_key"), Session._meta.get_field("user")
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {sessions} LEFT OUTER JOIN {users} "
            f"ON {users}.{name(user_model._meta.pk.column)} = {sessions}.{name(user.column)} "
            f"WHERE {sessions}.{name(key.column)} = %s "
            f"AND {sessions}.{name(self.expires.column)} > %s"
        )
        self.compiler = Session.objects.none().query.get_compiler(using)
        self.converters = self.compiler.get_converters(
            [field.get_col(field.model._meta.db_table) for field in (*session_fields, *user_fields)]
        )

    def read(self, key, now):
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [key, self.expires.get_db_prep_value(now, connection)])
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        count = len(self.session_names)
        session = self.session_model.from_db(self.using, self.session_names, row[:count])
        user = None
        if row[self.user_pk] is not None:
            user = self.user_model.from_db(self.using, self.user_names, row[count:])
        self.session_model.user.field.set_cached_value(session, user)
        return session


@functools.cache
def _reader(using) -> _SessionReader:
    return _SessionReader(using)


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
