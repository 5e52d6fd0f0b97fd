"""Step-up for issuing and revoking API tokens: a browser session whose second factor was given
in the last ``SECOND_FACTOR_MAX_AGE_MINUTES`` minutes (``policy.Action.MANAGE_API_TOKENS``).

allauth keeps a list of the authentication steps of the session (``get_authentication_records``):
each second factor given at login or on its reauthentication page is a record with method
``mfa`` and a time. The policy only sees the time noted here on the user object; an API token
never carries one.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from ilonet import policy


def last_second_factor_at(request: HttpRequest) -> float | None:
    """When this session last gave a second factor (epoch seconds), or None."""
    records = get_authentication_records(request, request.user)
    return max((r["at"] for r in records if r.get("method") == "mfa" and "at" in r), default=None)


def note_session_second_factor(request: HttpRequest) -> None:
    policy.note_second_factor(request.user, last_second_factor_at(request))


def needs_step_up(request: HttpRequest) -> bool:
    """True when the session must give its second factor again before a token change."""
    note_session_second_factor(request)
    return not policy.has_fresh_second_factor(request.user)


def reauthenticate(request: HttpRequest) -> HttpResponseRedirect:
    """Send the user to allauth's second-factor page; the request (a POST included) is kept in
    the session and replayed once the code is given."""
    has_code = Authenticator.objects.filter(
        user=request.user, type__in=(Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)
    ).exists()
    return suspend_request(
        request, reverse("mfa_reauthenticate" if has_code else "mfa_reauthenticate_webauthn")
    )
