"""Caches shared by all workers (Redis in production), invalidated by content generations.

Each app with content (members, working groups, knowledge bank, advocacy) has a generation
number that any saved, deleted or re-linked row of that app bumps. A cached value's key carries
the generations of the apps it was computed from, so no one ever sees data older than the last
change; stale entries are never read again and expire on their own.

- `cache_page`: whole pages. Anonymous visitors without a session share one copy per address;
  signed-in people share one with everyone of the same audience (`Audience.page_key`), or keep
  their own for pages that show something of the person. Keys carry every app's generation:
  pages show data of several apps (a profile lists programmes and statements).
- `cached_result`: one computed value (for example the coverage matrix) for anyone whose
  visibility key is the same, signed in or not. Keys carry only the generations of the apps the
  value is computed from.

While Redis is away (platform_site.resilient_cache) both compute every time instead: a copy kept
in one process could not be invalidated by a change made in another. When Redis returns, every
generation is renewed, as the changes made meanwhile could not renew them.
"""

import copy
import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import wraps

from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.utils import timezone

from platform_site.resilient_cache import cache_available_again

# `credentials` holds the calendar tokens a group page shows its reader.
APPS = (
    "advocacy",
    "credentials",
    "events",
    "knowledge_bank",
    "members",
    "network",
    "news",
    "working_groups",
)
# Not an app: the directory's search documents and word index (members.search), renewed when
# they are rewritten, so that what is built from them alone (the word index each worker keeps)
# outlives the other changes of `members` (contacts, memberships, join requests).
SEARCH_DOCUMENTS = "members-search"
GENERATIONS = (*APPS, SEARCH_DOCUMENTS)
PAGE_TIMEOUT = 600
DATA_TIMEOUT = 3600


def _generation_key(app: str) -> str:
    return f"content-generation:{app}"


# Within one request every app's generation is read once, in one round trip, and kept until
# the request ends or this thread changes content (`request_started`/`request_finished`).
_request = threading.local()


def content_generations(apps: Iterable[str] = APPS) -> str:
    """The current generations of these apps, as one key fragment ("12.7.3")."""
    read = getattr(_request, "generations", False)
    if read is None:  # in a request, not read yet: all of them at once
        read = _request.generations = _read_generations(GENERATIONS)
    if read is False or not set(apps) <= read.keys():  # outside a request (commands, tests)
        read = _read_generations(apps)
    return ".".join(str(read[app]) for app in sorted(apps))


def _read_generations(apps) -> dict[str, int]:
    keys = {_generation_key(app): app for app in apps}
    found = cache.get_many(list(keys))
    for key in keys:
        if key not in found:
            # New (or evicted): start from the clock, never from a number an old entry used.
            cache.add(key, time.time_ns(), None)  # kept until renewed, never expiring
            found[key] = cache.get(key)
    return {app: found[key] for key, app in keys.items()}


def _request_began(**kwargs):
    _request.generations = None
    _request.kept = {}


def _request_ended(**kwargs):
    _request.generations = False
    _request.kept = None


def request_memo() -> dict | None:
    """A dict that lives for the current request and is emptied when this thread changes
    content (None outside a request): what `process_cache` keeps while the shared cache is
    away, when nothing may outlive the request."""
    return getattr(_request, "kept", None)


def bump_content_generation(app: str) -> None:
    """Renew an app's generation: every copy computed from its content is retired.

    Inside a transaction the change is not visible to other connections yet: a request that
    reads meanwhile would keep the old state under the new generation until the next change.
    So the generation is renewed now (this connection reads its own change) and again once
    the change is committed, once per app and transaction (Django drops the renewal when the
    transaction rolls back)."""
    _renew(app)
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        getattr(callback, "renews", None) == app
        for _savepoints, callback, _robust in connection.run_on_commit
    ):
        transaction.on_commit(_renewal(app))


def _renew(app: str) -> None:
    if getattr(_request, "generations", False):
        _request.generations = None  # read again, with this change
    if getattr(_request, "kept", None):
        _request.kept = {}
    key = _generation_key(app)
    try:
        cache.incr(key)
    except ValueError:  # not there (evicted or never read): any new value will do
        cache.set(key, time.time_ns(), None)


def _renewal(app: str):
    def renew():
        _renew(app)

    renew.renews = app
    return renew


def _changes_content(sender, **kwargs):
    if sender._meta.app_label in APPS:
        bump_content_generation(sender._meta.app_label)


def _renew_all_generations(**kwargs):
    for app in GENERATIONS:
        bump_content_generation(app)


def connect_invalidation() -> None:
    """Called once from PlatformSiteConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changes_content, dispatch_uid=f"content-cache-{signal!r}")
    cache_available_again.connect(_renew_all_generations, dispatch_uid="content-cache-renew")
    request_started.connect(_request_began, dispatch_uid="content-generations-began")
    request_finished.connect(_request_ended, dispatch_uid="content-generations-ended")


def _shared() -> bool:
    """False while the shared cache is away and an in-process stand-in answers."""
    return getattr(cache, "available", True)


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def cached_result(
    name: str,
    apps: Iterable[str],
    parts,
    compute: Callable[[], object],
    *,
    expires: Callable[[object], datetime | None] | None = None,
):
    """`compute()`, shared until a row of one of `apps` changes.

    `parts` must hold everything else the value depends on: the filters, and the reader's
    audience's `cache_key` (platform_site.audience) when the value depends on who reads it.
    `expires(value)`, for a value that also depends on the time, gives the moment it stops
    being true without any change (the next meeting starts, a round closes), or None.
    """
    key = f"data:{name}:{content_generations(apps)}:{_digest(parts)}"
    if not _shared():
        return compute()
    value = cache.get(key)
    if value is None:
        value = compute()
        timeout = DATA_TIMEOUT
        if expires is not None and (moment := expires(value)) is not None:
            # Whole seconds, rounded down: the copy never outlives its moment.
            timeout = min(timeout, int((moment - timezone.now()).total_seconds()))
        if timeout > 0:
            cache.set(key, value, timeout)
    return value


# Pages that show the same to everyone of one audience, and pages that also show something
# of the person alone (their own join request, their endorsements): see `cache_page`.
AUDIENCE = "audience"
PERSON = "person"
# A form's CSRF token is the session's own: a cached page keeps a hole where it was, and each
# reader gets their own token there (`django.middleware.csrf.get_token`).
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_HOLE = b"\\1{csrf-token-hole}\\2"
_CSRF_HOLE_TEXT = b"{csrf-token-hole}"


def _reader_key(request, vary: str) -> str | None:
    """Who the cached copy is for, or None when this request must be rendered for itself:
    an anonymous visitor with a session (a login under way), or a person with messages
    waiting to be shown."""
    if not request.user.is_authenticated:
        return None if not request.session.is_empty() else "anonymous"
    if request.session.get(SessionStorage.session_key):
        return None
    audience = request.audience
    key = f"{audience.page_key}:staff{int(request.user.is_staff)}"
    return f"user{audience.user_id}:{key}" if vary == PERSON else key


def cache_page(vary: str):
    """Whole pages from the shared cache, until a row of any content app changes.

    Anonymous visitors without a session share one copy per address. Signed-in people share
    one copy per address with everyone of the same audience (`Audience.page_key`, and the
    staff flag the header shows) when `vary` is AUDIENCE; with PERSON the copy is theirs
    alone, for pages that show something of the person (read through `request.user`).
    Pages that ask for the CSRF token get each reader's own token in its place; pages with
    messages, cookies or another status than 200 are not kept.
    """
    if vary not in (AUDIENCE, PERSON):
        raise ValueError(f"vary must be {AUDIENCE!r} or {PERSON!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in {"GET", "HEAD"} or not _shared():
                return view(request, *args, **kwargs)
            reader = _reader_key(request, vary)
            if reader is None:
                return view(request, *args, **kwargs)
            key = f"page:{content_generations()}:{_digest((reader, request.get_full_path()))}"
            if (cached := cache.get(key)) is not None:
                if _CSRF_HOLE_TEXT in cached.content:
                    token = get_token(request).encode()
                    cached.content = cached.content.replace(_CSRF_HOLE_TEXT, token)
                return cached
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            queued = getattr(getattr(request, "_messages", None), "_queued_messages", None)
            if (
                response.status_code == 200
                and not response.cookies
                and not response.streaming
                and not queued
            ):
                stored = copy.copy(response)
                stored.content = _CSRF_FIELD.sub(_CSRF_HOLE, response.content)
                cache.set(key, stored, PAGE_TIMEOUT)
            return response

        return wrapped

    return decorator


def filter_key(filterset) -> tuple:
    """The filters a django-filter FilterSet applies, for `cached_result`'s parts: the valid,
    non-empty cleaned values (model instances by primary key), as its `qs` applies them."""
    filterset.is_valid()
    return tuple(
        sorted(
            (name, _plain(value))
            for name, value in filterset.form.cleaned_data.items()
            if value not in (None, "", [], ())
        )
    )


def _plain(value):
    if isinstance(value, (list, tuple, QuerySet)):
        return tuple(sorted(_plain(item) for item in value))
    return str(getattr(value, "pk", value))
