"""django-allauth and django-axes integration: no self sign-up; accounts come from admins."""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """No second password prompt for the first, mandatory second factor, provided the
        password was entered within the reauthentication window; otherwise allauth's rule."""
        from allauth.account import app_settings as account_settings
        from allauth.account.internal.flows.login import get_authentication_records

        from .middleware import has_second_factor

        request = self.request
        user = getattr(request, "user", None)
        if app == "allauth.mfa" and user is not None and user.is_authenticated:
            records = get_authentication_records(request, user)
            recent = records and time.time() - records[-1]["at"] < (
                account_settings.REAUTHENTICATION_TIMEOUT
            )
            if recent and not has_second_factor(user):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on (OIDC) logs in existing accounts only, matched by verified e-mail."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False


def axes_username(request, credentials: dict | None) -> str:
    """The login name as typed, for per-account throttling (allauth passes ``email``)."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or request.POST.get("login", "")
    )
    return str(value).strip().lower()
