"""Answers that need none of the site: /healthz before the heavy middleware (issue 17).

A load balancer or a monitor asks /healthz every few seconds: "the process answers", nothing
else (docs/deploy.md). It runs after the security headers and the request log (so the answer is
logged and timed like any other) and before sessions, locale, CSRF, authentication, the access
policy and the rest, which it does not need: measured in bench/results.md.
"""

from django.conf import settings
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
