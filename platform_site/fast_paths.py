"""Cheaper requests (issue 17): /healthz before the heavy middleware, and the CSP header
written once instead of built on every response.

A load balancer or a monitor asks /healthz every few seconds: "the process answers", nothing
else (docs/deploy.md). It runs after the security headers and the request log (so the answer is
logged and timed like any other) and before sessions, locale, CSRF, authentication, the access
policy and the rest, which it does not need: measured in bench/results.md.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotAllowed

HEALTH_PATH = "/healthz"
SAFE_METHODS = ("GET", "HEAD")
# A plain "ok" loads nothing and may be framed by nobody: the fixed headers other middleware
# would add (CSP, frames, browser features), without working them out per request.
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
}


class HealthzMiddleware:
    """Answers /healthz itself; every other request goes on untouched."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {**HEADERS, "Permissions-Policy": settings.PERMISSIONS_POLICY}

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in SAFE_METHODS:
            response = HttpResponseNotAllowed(SAFE_METHODS)
        else:
            response = HttpResponse("ok", content_type="text/plain")
        for header, value in self.headers.items():
            response[header] = value
        return response


_policies: dict = {}


@receiver(setting_changed)
def _forget_policies(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.clear()


def _policy(report_only: bool) -> str:
    """The site's policy from settings, as django-csp builds it with nothing changed for one
    response: built once (the header is the same on every such response)."""
    if report_only not in _policies:
        _policies[report_only] = build_policy(report_only=report_only)
    return _policies[report_only]


class CachedCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, which builds the header from the settings on every response
    (about 60 µs, a fifth of the whole stack's cost on a trivial request: bench/results.md).
    Responses that change nothing in the policy (no decorator, no nonce asked for) get the
    header built once; the others go through django-csp unchanged."""

    CUSTOM = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt",
        "_csp_exempt_ro",
    )

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self.CUSTOM)
            or HEADER in response
            or HEADER_REPORT_ONLY in response
        ):
            return super().process_response(request, response)
        for header, report_only, setting in (
            (HEADER, False, "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            csp = _policy(report_only)
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if csp and not request.path_info.startswith(tuple(prefixes)):
                response[header] = csp
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
