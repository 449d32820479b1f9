"""Middleware Django 5.2 does not provide: security headers, staff 2FA, request logs."""

import json
import logging
import time
import uuid
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.urls import reverse

from platform_site.audience import session_is_verified

logger = logging.getLogger("platform_site.requests")


class PermissionsPolicyMiddleware:
    """Send a Permissions-Policy header on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RejectNulMiddleware:
    """A NUL character in the address or its parameters is never meant, and PostgreSQL refuses
    it in text: answer 400 before any view runs, so that no filter (the admin's included)
    hands one to a query. Forms refuse NUL in posted text with their own message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the request address")
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Staff reach the admin only with a session that passed a second factor.

    allauth has no setting that forces MFA. Staff without an authenticator are sent to the
    page where they add one; staff with one whose session has not used it (it was added in
    this session, say) are asked for a code (allauth's re-authentication records it).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_REQUIRE_MFA and self._is_admin_path(request):
            user = request.user
            if user.is_authenticated and user.is_staff and not session_is_verified(request):
                from allauth.mfa.utils import is_mfa_enabled

                if not is_mfa_enabled(user):
                    return redirect("mfa_activate_totp")
                return redirect(f"{reverse('mfa_reauthenticate')}?next={quote(request.path)}")
        return self.get_response(request)

    @staticmethod
    def _is_admin_path(request) -> bool:
        admin_root = reverse("admin:index")
        return request.path.startswith(admin_root) and not request.path.startswith(
            reverse("admin:login")
        )


class RequestLogMiddleware:
    """One structured log line per request, and the server time for the benchmark.

    Logs the request id (from X-Request-ID or new), user id, method, path, status and duration.
    No query strings (a search may hold a name), no e-mails, no addresses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        response = self.get_response(request)
        duration = (time.perf_counter() - started) * 1000
        response["X-Request-ID"] = request_id
        response["Server-Timing"] = f"app;dur={duration:.1f}"
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "request_id": request_id,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(duration, 1),
            },
        )
        return response


class JsonFormatter(logging.Formatter):
    """Log records as one JSON object per line, with the fields passed in `extra`."""

    FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")

    def format(self, record):
        data = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data |= {field: getattr(record, field) for field in self.FIELDS if hasattr(record, field)}
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)
