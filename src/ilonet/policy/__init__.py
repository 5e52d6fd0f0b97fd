"""The one access policy: every "may user U do action A (on object O)" decision goes here.

Deny by default: an action with no rule, an unknown model, an anonymous or inactive user, a
read-only API token asking for a writing action, or a step-up action without a fresh second
factor, is refused. Pages and the API call the same functions:

- ``can(user, action, obj=None) -> bool``: a decision;
- ``authorize(user, action, obj=None)``: the same, raising ``PermissionDenied`` and writing a
  "permission denied" audit event when refused;
- ``scope(user, action, queryset)``: the rows of a queryset the user may see, so lists,
  search, exports and the API cannot leak (NetBox-style ``restrict``).

This package is the bottom layer: it imports no domain app. Each app declares its rules and
scopes in its own ``policies`` module, registered at start-up (``PolicyConfig.ready``).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .actions import Action, action_of
from .registry import (
    RoleTuple,
    refusal_of,
    register_role_provider,
    register_rule,
    register_scope,
    role_provider,
    ruleset,
    scope_fn,
)

__all__ = [
    "Action",
    "authorize",
    "can",
    "every_row",
    "forget_roles",
    "machine_may_read_metrics",
    "note_second_factor",
    "refusal_message",
    "register_role_provider",
    "register_rule",
    "register_scope",
    "request_cache",
    "role_names",
    "roles_of",
    "scope",
    "scope_is_every_row",
    "token_may_write",
]

_CACHE_ATTR = "_ilonet_policy_cache"
TOKEN_SCOPE_ATTR = "_ilonet_token_scope"
SECOND_FACTOR_AT_ATTR = "_ilonet_second_factor_at"


def _is_active_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def request_cache(user: Any, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per user object (that is, per request), kept under ``key``. Facts the
    rules derive from roles (a deploying authority's organisations, board seats) live here, so
    ``forget_roles`` drops them together with the roles."""
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget_roles(user: Any, key: str | None = None) -> None:
    """Drop the cached roles and everything derived from them (after a change in the same
    request, and in tests); with ``key``, only that entry."""
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        return
    if key is None:
        cache.clear()
    else:
        cache.pop(key, None)


def roles_of(user: Any) -> list[RoleTuple]:
    """The user's current role assignments as (role, organisation id, scope_ref), read through
    the provider the accounts app registered, cached for the request."""
    if not _is_active_user(user):
        return []
    lookup = role_provider.lookup
    if lookup is None:  # no provider registered: nobody holds a role (deny by default)
        return []
    return request_cache(user, "roles", lambda: lookup(user))


def prime_roles(user: Any, roles: list[RoleTuple]) -> None:
    """Give ``roles_of`` the user's current roles, read in bulk by the caller from the same
    provider (a fan-out checks thousands of users); a user whose roles are cached keeps them."""
    request_cache(user, "roles", lambda: list(roles))


def role_names(user: Any) -> set[str]:
    return {role for role, _org, _ref in roles_of(user)}


def token_may_write(user: Any) -> bool:
    """False when the request came with a read-only API token."""
    return getattr(user, TOKEN_SCOPE_ATTR, "write") == "write"


def note_second_factor(user: Any, at: float | None) -> None:
    """Record when this browser session last gave a second factor (epoch seconds), for the
    step-up actions. API tokens never carry it."""
    setattr(user, SECOND_FACTOR_AT_ATTR, at)


def has_fresh_second_factor(user: Any) -> bool:
    if hasattr(user, TOKEN_SCOPE_ATTR):
        return False
    at = getattr(user, SECOND_FACTOR_AT_ATTR, None)
    max_age = 60 * getattr(settings, "SECOND_FACTOR_MAX_AGE_MINUTES", 10)
    return at is not None and 0 <= time.time() - at <= max_age


def can(user: Any, action: Action | str, obj: Any = None) -> bool:
    known = action_of(action)
    if known is None or not _is_active_user(user):
        return False
    if known.writes and not token_may_write(user):
        return False
    if known.step_up and not has_fresh_second_factor(user):
        return False
    return ruleset.test_rule(str(known), user, obj)


def authorize(user: Any, action: Action | str, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` (audited) unless ``can(user, action, obj)``.

    Call it before opening the service's ``transaction.atomic`` block: a denial raised inside
    the block rolls the block back, and the "permission denied" audit event with it.
    """
    if can(user, action, obj):
        return
    from ilonet.audit import services as audit  # the audit trail shares the bottom layer

    audit.record_denial(actor=user, action=action, obj=obj)
    raise PermissionDenied(refusal_message(user, action, obj))


def refusal_message(user: Any, action: Action | str, obj: Any = None) -> str:
    """What a refused user reads: the generic refusal, followed by the reason of the action's
    rule (citing the law) when the rule itself refused, not the token's scope, the missing
    step-up or an inactive account."""
    generic = _("You do not have permission to do this.")
    known = action_of(action)
    if (
        known is None
        or not _is_active_user(user)
        or (known.writes and not token_may_write(user))
        or (known.step_up and not has_fresh_second_factor(user))
    ):
        return generic
    reason = refusal_of(known, user, obj)
    return f"{generic} {reason}" if reason else generic


def scope(user: Any, action: Action, queryset: QuerySet) -> QuerySet:
    """Restrict ``queryset`` to the rows ``user`` may ``action``; none when no scope rule."""
    if not can(user, action):
        return queryset.none()
    fn = scope_fn(queryset.model, Action(action))  # type: ignore[call-arg]  # lookup by value
    if fn is None:
        return queryset.none()
    return fn(user, queryset)


def every_row(user: Any, queryset: QuerySet) -> QuerySet:
    """The scope of a list every user allowed the action reads whole (the registry, the
    networks): registered by the apps, so ``scope_is_every_row`` can tell it from a scope
    that depends on the user."""
    return queryset


def scope_is_every_row(model: Any, action: Action) -> bool:
    """Whether the rows of ``scope`` are the same for every user allowed ``action`` (SQL
    compiled for one such user is then that of any other: ``ilonet.api.prepared``)."""
    return scope_fn(model, Action(action)) is every_row  # type: ignore[call-arg]  # lookup by value


def machine_may_read_metrics(authorization: str) -> bool:
    """The one machine permission: the Prometheus scraper reads ``/metrics`` with the bearer
    token of ``ILONET_METRICS_TOKEN``, compared in constant time. Deny by default: no token
    configured, nobody; a session or a role never opens it."""
    token = getattr(settings, "METRICS_TOKEN", "")
    scheme, _sep, given = authorization.partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())
