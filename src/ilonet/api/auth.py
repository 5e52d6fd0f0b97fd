"""API authentication: a personal bearer token, or the browser session (with CSRF).

Each authenticator may carry the operation's action (see ``ilonet.api.routing``): once it has
found the user, it asks the policy (``policy.authorize``, audited) before django-ninja parses or
validates anything of the request, so a refused call is one audited denial, never a 422 or a
silently empty list.
"""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from ilonet import policy
from ilonet.accounts import selectors as account_selectors
from ilonet.accounts import services as account_services
from ilonet.accounts import step_up
from ilonet.accounts.middleware import has_second_factor
from ilonet.policy import TOKEN_SCOPE_ATTR


class SignedIn:
    """The "action" of an operation open to every signed-in user (their own account)."""

    def __str__(self) -> str:
        return "signed-in"

    def __repr__(self) -> str:
        return "SIGNED_IN"


SIGNED_IN = SignedIn()
# One action, or a tuple of actions any one of which suffices (a list two audiences may read).
Gate = policy.Action | tuple[policy.Action, ...] | SignedIn | None


def _gate(user, action: Gate):
    """Authorise the operation's action for an authenticated user (raises, audited once)."""
    if user is None or action is None or isinstance(action, SignedIn):
        return user
    *alternatives, last = action if isinstance(action, tuple) else (action,)
    if not any(policy.can(user, alternative) for alternative in alternatives):
        policy.authorize(user, last)
    return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ilo_…``. The token's scope (read/write) limits the policy."""

    def __init__(self, action: Gate = None) -> None:
        super().__init__()
        self.action = action

    def authenticate(self, request: HttpRequest, token: str):
        found = account_selectors.user_by_token(token)
        if found is None:
            return None
        user, api_token = found
        setattr(user, TOKEN_SCOPE_ATTR, api_token.scope)
        request.user = user
        account_services.touch_api_token(api_token)
        return _gate(user, self.action)


class SecondFactorSessionAuth(SessionAuth):
    """The browser session, only once the account has a second factor."""

    def __init__(self, action: Gate = None, csrf: bool = True) -> None:
        super().__init__(csrf=csrf)
        self.action = action

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is not None and has_second_factor(user):
            step_up.note_session_second_factor(request)
            return _gate(user, self.action)
        return None
