"""Values kept in one worker process until the content they were computed from changes.

`process_cached(name, apps, compute)` returns `compute()`'s value and keeps it in this process
for as long as the content generations of `apps` (platform_site.cache, read from the shared
cache on every call) stay the same: a change made through any worker renews them, so a copy
kept here is never older than the last change, whichever process made it. For values that are
costly to read and small to keep, needed by most requests (the directory's facet values).

While the shared cache is away (platform_site.resilient_cache) generations are only known to
the process that changed something, so the value is computed every time, as cached_result does.
"""

import threading
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save

from platform_site.cache import content_generations

MAX_VALUES = 1000
_values: dict[str, tuple[str, object]] = {}
_lock = threading.Lock()
# Within one request the generations are read once (one round trip to the shared cache, not
# one per kept value); forgotten when the request ends or this thread changes content.
_request = threading.local()


def _generations(apps: Iterable[str]) -> str:
    apps = tuple(sorted(apps))
    read = getattr(_request, "generations", None)
    if read is None:  # outside a request (commands, tests calling functions directly)
        return content_generations(apps)
    if apps not in read:
        read[apps] = content_generations(apps)
    return read[apps]


def _start(**kwargs):
    _request.generations = {}


def _stop(**kwargs):
    _request.generations = None


def _changed(sender, **kwargs):
    if getattr(_request, "generations", None):
        _request.generations = {}


request_started.connect(_start, dispatch_uid="process-cache-start")
request_finished.connect(_stop, dispatch_uid="process-cache-stop")
for _signal in (post_save, post_delete, m2m_changed):
    _signal.connect(_changed, dispatch_uid=f"process-cache-{_signal!r}")


def process_cached(name: str, apps: Iterable[str], compute: Callable[[], object]):
    if not getattr(cache, "available", True):
        return compute()
    generation = _generations(apps)  # read before computing: a change meanwhile renews
    kept = _values.get(name)
    if kept is not None and kept[0] == generation:
        return kept[1]
    value = compute()
    with _lock:
        if len(_values) >= MAX_VALUES:  # values kept per reader (visible rows): start again
            _values.clear()
        _values[name] = (generation, value)
    return value


def forget_all() -> None:
    """Drop every kept value (tests)."""
    with _lock:
        _values.clear()
