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

from platform_site.cache import content_generations

MAX_VALUES = 1000
_values: dict[str, tuple[str, object]] = {}
_lock = threading.Lock()


def process_cached(name: str, apps: Iterable[str], compute: Callable[[], object]):
    if not getattr(cache, "available", True):
        return compute()
    generation = content_generations(apps)  # read before computing: a change meanwhile renews
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
