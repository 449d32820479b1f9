"""Rate limits of the project's own views, keyed on the real client address.

Behind the documented nginx, `REMOTE_ADDR` is always the proxy: keying on it makes one visitor's
limit everybody's. `client_address` is allauth's own reading of the address (the
`TRUSTED_PROXY_COUNT`-th address from the right of `X-Forwarded-For`, as
`ALLAUTH_TRUSTED_PROXY_COUNT`), so the login limits and ours agree. Counters live in the default
cache, shared by every worker (Redis in production).
"""

from allauth.core.internal.httpkit import get_client_ip
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured


def client_address(request) -> str:
    """The visitor's address as the trusted proxies report it ("" if none can be read)."""
    try:
        return get_client_ip(request) or ""
    except ImproperlyConfigured:  # fewer forwarded addresses than trusted proxies: a bypass try
        return request.META.get("REMOTE_ADDR", "")


def limit_reached(key: str, limit: int, period: int) -> bool:
    """Count one attempt under `key`; True (and nothing counted) once `limit` were counted
    within `period` seconds of the first."""
    key = f"ratelimit:{key}"
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period)
        count = 1
    if count > limit:
        cache.decr(key)
        return True
    return False


def limit_reached_for_address(request, scope: str, limit: int, period: int) -> bool:
    return limit_reached(f"{scope}:{client_address(request)}", limit, period)
