"""Staff reach the admin, and the pages that manage their second factor, only with a session
that passed a second factor — or, for the set-up itself, one that redeemed an enrolment link.

allauth has no setting that forces MFA, and its set-up page asks only for the password again:
on its own, whoever holds a staff password could enrol their own authenticator. So:

- staff without an authenticator are sent to the page that e-mails them a one-time set-up link
  (`credentials:enrolment`); the set-up page opens only after that link was used in the session;
- staff with an authenticator whose session has not used it are asked for a code
  (`mfa_reauthenticate`, which records it);
- right after an enrolment, the recovery codes are shown once on our page with the way on to
  the admin.
"""

from urllib.parse import quote

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from credentials.services import CODES_KEY, complete_enrolment, enrolment_granted
from platform_site.audience import session_is_verified

# allauth's MFA pages a staff account may use before a second factor: signing in with one.
OPEN_MFA_PAGES = {"mfa_authenticate", "mfa_reauthenticate", "mfa_trust"}
# Other account pages that staff use only with a second factor: with the password alone, the
# e-mail page would let whoever holds it make their own address the one set-up links go to.
GUARDED_ACCOUNT_PAGES = {"account_email"}
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


class StaffEnrolmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and match.url_name == "mfa_activate_totp"
            and request.method == "POST"
            and response.status_code == 302
            and request.user.is_authenticated
            and enrolment_granted(request)
            and is_mfa_enabled(request.user, [Authenticator.Type.TOTP])
        ):
            complete_enrolment(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.STAFF_REQUIRE_MFA:
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None
        match = request.resolver_match
        name = match.url_name if match else ""
        is_admin = self._is_admin_path(request)
        is_mfa_page = (name or "").startswith("mfa_") and name not in OPEN_MFA_PAGES
        if not (is_admin or is_mfa_page or name in GUARDED_ACCOUNT_PAGES):
            return None
        if session_is_verified(request):
            if name == "mfa_view_recovery_codes" and request.session.get(CODES_KEY):
                return redirect("credentials:enrolment_done")
            return None
        has_factor = is_mfa_enabled(user, SECOND_FACTORS)
        if is_mfa_page and not has_factor and enrolment_granted(request):
            return None  # the set-up, opened by a redeemed link
        if not has_factor:
            return redirect("credentials:enrolment")
        return redirect(f"{reverse('mfa_reauthenticate')}?next={quote(request.path)}")

    @staticmethod
    def _is_admin_path(request) -> bool:
        admin_root = reverse("admin:index")
        return request.path.startswith(admin_root) and not request.path.startswith(
            reverse("admin:login")
        )
