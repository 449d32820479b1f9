"""Caches shared by all workers (Redis in production), invalidated by content generations.

Each app with content (members, working groups, knowledge bank, advocacy) has a generation
number that any saved, deleted or re-linked row of that app bumps. A cached value's key carries
the generations of the apps it was computed from, so no one ever sees data older than the last
change; stale entries are never read again and expire on their own.

- `cache_for_anonymous`: whole pages for visitors without a session (no messages, no login),
  only when the response sets no cookie (for example no CSRF token). Keys carry every app's
  generation: pages show data of several apps (a profile lists programmes and statements).
- `cached_result`: one computed value (for example the coverage matrix) for anyone whose
  visibility key is the same, signed in or not. Keys carry only the generations of the apps the
  value is computed from.

While Redis is away (platform_site.resilient_cache) both compute every time instead: a copy kept
in one process could not be invalidated by a change made in another. When Redis returns, every
generation is renewed, as the changes made meanwhile could not renew them.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps

from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from platform_site.resilient_cache import cache_available_again

APPS = ("advocacy", "events", "knowledge_bank", "members", "network", "news", "working_groups")
PAGE_TIMEOUT = 600
DATA_TIMEOUT = 3600


def _generation_key(app: str) -> str:
    return f"content-generation:{app}"


def content_generations(apps: Iterable[str] = APPS) -> str:
    """The current generations of these apps, as one key fragment ("12.7.3")."""
    apps = sorted(apps)
    keys = [_generation_key(app) for app in apps]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # New (or evicted): start from the clock, never from a number an old entry used.
            cache.add(key, time.time_ns())
            found[key] = cache.get(key)
    return ".".join(str(found[key]) for key in keys)


def bump_content_generation(app: str) -> None:
    key = _generation_key(app)
    try:
        cache.incr(key)
    except ValueError:  # not there (evicted or never read): any new value will do
        cache.set(key, time.time_ns(), None)


def _changes_content(sender, **kwargs):
    if sender._meta.app_label in APPS:
        bump_content_generation(sender._meta.app_label)


def _renew_all_generations(**kwargs):
    for app in APPS:
        bump_content_generation(app)


def connect_invalidation() -> None:
    """Called once from PlatformSiteConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changes_content, dispatch_uid=f"content-cache-{signal!r}")
    cache_available_again.connect(_renew_all_generations, dispatch_uid="content-cache-renew")


def _shared() -> bool:
    """False while the shared cache is away and an in-process stand-in answers."""
    return getattr(cache, "available", True)


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def cached_result(name: str, apps: Iterable[str], parts, compute: Callable[[], object]):
    """`compute()`, shared until a row of one of `apps` changes.

    `parts` must hold everything else the value depends on: the filters, and the reader's
    audience's `cache_key` (platform_site.audience) when the value depends on who reads it.
    """
    key = f"data:{name}:{content_generations(apps)}:{_digest(parts)}"
    if not _shared():
        return compute()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, DATA_TIMEOUT)
    return value


def cache_for_anonymous(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (
            request.method not in {"GET", "HEAD"}
            or request.user.is_authenticated
            or not request.session.is_empty()
        ):
            return view(request, *args, **kwargs)
        key = f"page:{content_generations()}:{_digest(request.get_full_path())}"
        if not _shared():
            return view(request, *args, **kwargs)
        if (cached := cache.get(key)) is not None:
            return cached
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, response, PAGE_TIMEOUT)
        return response

    return wrapped


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
