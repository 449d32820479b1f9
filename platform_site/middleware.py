"""Security middleware that Django 5.2 does not provide."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class PermissionsPolicyMiddleware:
    """Send a Permissions-Policy header on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class StaffTwoFactorMiddleware:
    """Staff must set up TOTP before they may open the admin.

    allauth has no setting that forces MFA; staff without an authenticator are sent to the
    page where they add one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_REQUIRE_MFA and self._is_admin_path(request) and self._lacks_mfa(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _is_admin_path(request) -> bool:
        admin_root = reverse("admin:index")
        return request.path.startswith(admin_root) and not request.path.startswith(
            reverse("admin:login")
        )

    @staticmethod
    def _lacks_mfa(request) -> bool:
        from allauth.mfa.utils import is_mfa_enabled

        user = request.user
        return user.is_authenticated and user.is_staff and not is_mfa_enabled(user)
