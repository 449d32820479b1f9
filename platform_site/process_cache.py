"""Values kept in one worker process until the content they were computed from changes.

`process_cached(name, apps, compute)` returns `compute()`'s value and keeps it in this process
for as long as the content generations of `apps` (platform_site.cache, read from the shared
cache on every call) stay the same: a change made through any worker renews them, so a copy
kept here is never older than the last change, whichever process made it. For values that are
costly to read and small to keep, needed by most requests (the directory's facet values).

Values kept per reader (`group`: the directory's visible rows, one per audience rule and
filters) live in a group of their own, the least recently used dropped first, so that many
readers never push out the values every request needs (the word and facet indexes).

While the shared cache is away (platform_site.resilient_cache) generations are only known to
the process that changed something, so the value is computed once per request (and again
after a change this request makes), never kept longer.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.core.cache import cache

from platform_site.cache import content_generations, request_memo

MAX_VALUES = 1000
GROUP_SIZE = 64
_values: dict[str, tuple[str, object]] = {}
_groups: dict[str, OrderedDict] = {}
_lock = threading.Lock()


def process_cached(
    name: str, apps: Iterable[str], compute: Callable[[], object], *, group: str | None = None
):
    if not getattr(cache, "available", True):
        memo = request_memo()
        if memo is None:
            return compute()
        if name not in memo:
            memo[name] = compute()
        return memo[name]
    generation = content_generations(apps)  # read before computing: a change meanwhile renews
    values = _values if group is None else _groups.setdefault(group, OrderedDict())
    kept = values.get(name)
    if kept is not None and kept[0] == generation:
        if group is not None:
            with _lock:
                if name in values:
                    values.move_to_end(name)
        return kept[1]
    value = compute()
    with _lock:
        if group is not None:
            values.pop(name, None)
            while len(values) >= GROUP_SIZE:
                values.popitem(last=False)
        elif len(_values) >= MAX_VALUES:  # a bound that should never be reached: start again
            _values.clear()
        values[name] = (generation, value)
    return value


def forget_all() -> None:
    """Drop every kept value (tests)."""
    with _lock:
        _values.clear()
        _groups.clear()
