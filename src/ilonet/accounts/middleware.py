"""Every account must have a second factor (issue: mandatory MFA for all accounts).

A signed-in user without a TOTP or WebAuthn authenticator can only reach the pages needed to
set one up (and log out); every other page redirects there, and the API answers 403.
"""

from allauth.mfa.models import Authenticator
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ilonet.api.auth import note_second_factor_seen

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/favicon")
SETUP_URL_NAME = "mfa_activate_totp"


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


class RequireSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(ALLOWED_PREFIXES):
            if not has_second_factor(user):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Set up a second factor before using the platform.")},
                        status=403,
                    )
                return redirect(SETUP_URL_NAME)
            # The API's session authenticator asks the same of the same user: once is enough.
            note_second_factor_seen(request, user)
        return self.get_response(request)
