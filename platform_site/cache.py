"""Whole-page cache for anonymous visitors, shared by all workers (Redis in production).

Every key carries a "content generation" number; any change to the data of the site's apps
bumps it, so no visitor ever sees a page older than the last change. Pages are cached only
for visitors without a session (no messages, no login) and only when the response sets no
cookie (for example no CSRF token).
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "site-content-generation"
PAGE_TIMEOUT = 600
APPS = {"members", "working_groups", "knowledge_bank", "advocacy"}


def content_generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, None)


def bump_content_generation(**kwargs) -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): start a new generation
        cache.set(GENERATION_KEY, 2, None)


def _changes_content(sender, **kwargs):
    if sender._meta.app_label in APPS:
        bump_content_generation()


def connect_invalidation() -> None:
    """Called once from PlatformSiteConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changes_content, dispatch_uid=f"page-cache-{signal!r}")


def cache_for_anonymous(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (
            request.method not in {"GET", "HEAD"}
            or request.user.is_authenticated
            or not request.session.is_empty()
        ):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{content_generation()}:{path}"
        if (cached := cache.get(key)) is not None:
            return cached
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, response, PAGE_TIMEOUT)
        return response

    return wrapped
