"""django-allauth and django-axes integration: no self sign-up; accounts come from admins."""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from ilonet.audit.actions import AuditAction


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        """allauth's rate limits count per client the way axes and the audit trail do."""
        from django.core.exceptions import PermissionDenied

        from ilonet.shared.clientip import client_ip

        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine the client address.")
        return address

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
            recent = records and time.time() - records[-1]["at"] < (account_settings.REAUTHENTICATION_TIMEOUT)
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
    value = credentials.get("email") or credentials.get("username") or request.POST.get("login", "")
    return str(value).strip().lower()


def lockout_response(request, original_response=None, credentials=None):
    """django-axes refused a login because the account+address pair is locked: audit the
    refused attempt (``auth.login_locked_out``; the lock itself is ``auth.locked_out``) and
    answer with our page."""
    from django.conf import settings
    from django.shortcuts import render

    from ilonet.audit import services as audit
    from ilonet.audit.models import Outcome

    audit.record(
        action=AuditAction.AUTH_LOGIN_LOCKED_OUT,
        actor_label=axes_username(request, credentials),
        outcome=Outcome.DENIED,
    )
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
