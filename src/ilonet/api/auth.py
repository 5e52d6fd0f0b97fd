"""API authentication: a personal bearer token, or the browser session (with CSRF).

Each authenticator may carry the operation's action (see ``ilonet.api.routing``): once it has
found the user, it asks the policy (``policy.authorize``, audited) before django-ninja parses or
validates anything of the request, so a refused call is one audited denial, never a 422 or a
silently empty list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from ilonet import policy
from ilonet.policy import TOKEN_SCOPE_ATTR


@dataclass(frozen=True)
class AccountHooks:
    """What the API base needs from the accounts app, registered by it at start-up (so the API
    base sits below the domain apps and imports none of them)."""

    user_and_token: Callable[[str], tuple[Any, Any] | None]  # bearer secret -> (user, token)
    token_used: Callable[[Any], None]  # note a token's use
    has_second_factor: Callable[[Any], bool]
    session_checked: Callable[[HttpRequest], None]  # note the session's last second factor


_hooks: AccountHooks | None = None


def register_account_hooks(hooks: AccountHooks) -> None:
    global _hooks
    _hooks = hooks


def _account_hooks() -> AccountHooks:
    if _hooks is None:  # deny by default: without the accounts app nobody authenticates
        raise RuntimeError("The accounts app has not registered its API hooks.")
    return _hooks


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


# The accounts middleware notes on the request the user whose second factor it has just found
# (``note_second_factor_seen``), so the session authenticator does not ask the database again.
_SECOND_FACTOR_SEEN_ATTR = "_ilonet_second_factor_seen"


def note_second_factor_seen(request: HttpRequest, user) -> None:
    setattr(request, _SECOND_FACTOR_SEEN_ATTR, user.pk)


def second_factor_seen(request: HttpRequest, user) -> bool:
    seen = getattr(request, _SECOND_FACTOR_SEEN_ATTR, None)
    return seen is not None and seen == user.pk


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ilo_…``. The token's scope (read/write) limits the policy."""

    def __init__(self, action: Gate = None) -> None:
        super().__init__()
        self.action = action

    def authenticate(self, request: HttpRequest, token: str):
        hooks = _account_hooks()
        found = hooks.user_and_token(token)
        if found is None:
            return None
        user, api_token = found
        setattr(user, TOKEN_SCOPE_ATTR, api_token.scope)
        request.user = user
        hooks.token_used(api_token)
        return _gate(user, self.action)


class SecondFactorSessionAuth(SessionAuth):
    """The browser session, only once the account has a second factor."""

    def __init__(self, action: Gate = None, csrf: bool = True) -> None:
        super().__init__(csrf=csrf)
        self.action = action

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        hooks = _account_hooks()
        if user is not None and (second_factor_seen(request, user) or hooks.has_second_factor(user)):
            hooks.session_checked(request)
            return _gate(user, self.action)
        return None
