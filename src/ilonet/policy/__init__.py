"""The one access policy: every "may user U do action A (on object O)" decision goes here.

Deny by default: an action with no rule, an unknown model, an anonymous or inactive user,
or a read-only API token asking to write, is refused. Pages and the API call the same
functions:

- ``can(user, action, obj=None) -> bool``: a decision;
- ``authorize(user, action, obj=None)``: the same, raising ``PermissionDenied`` and writing a
  "permission denied" audit event when refused;
- ``scope(user, action, queryset)``: the rows of a queryset the user may see, so lists,
  search, exports and the API cannot leak (NetBox-style ``restrict``).

Rules are declared in ``ilonet.policy.rules`` (one table, per domain), never in views.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules as rules_lib
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from .actions import WRITE_ACTIONS, Action

__all__ = ["Action", "authorize", "can", "register_scope", "roles_of", "scope"]

ruleset = rules_lib.RuleSet()
ScopeFn = Callable[[Any, QuerySet], QuerySet]
_scopes: dict[tuple[type[Model], Action], ScopeFn] = {}

_ROLE_CACHE_ATTR = "_ilonet_role_cache"
TOKEN_SCOPE_ATTR = "_ilonet_token_scope"


def _is_active_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def roles_of(user: Any) -> list[tuple[str, int | None, str]]:
    """The user's current role assignments as (role, organisation id, scope_ref), cached on
    the user object for the length of a request."""
    if not _is_active_user(user):
        return []
    cached = getattr(user, _ROLE_CACHE_ATTR, None)
    if cached is None:
        from ilonet.accounts.selectors import current_role_tuples

        cached = current_role_tuples(user)
        setattr(user, _ROLE_CACHE_ATTR, cached)
    return cached


def forget_roles(user: Any) -> None:
    """Drop the cached roles (after a role change in the same request, and in tests)."""
    for attr in (_ROLE_CACHE_ATTR, "_ilonet_authority_cache"):
        if hasattr(user, attr):
            delattr(user, attr)


def can(user: Any, action: Action, obj: Any = None) -> bool:
    if not _is_active_user(user):
        return False
    if action in WRITE_ACTIONS and getattr(user, TOKEN_SCOPE_ATTR, "write") != "write":
        return False
    return ruleset.test_rule(str(action), user, obj)


def authorize(user: Any, action: Action, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` (audited) unless ``can(user, action, obj)``.

    Call it before opening the service's ``transaction.atomic`` block: a denial raised inside
    the block rolls the block back, and the "permission denied" audit event with it.
    """
    if can(user, action, obj):
        return
    from ilonet.audit import services as audit

    audit.record_denial(actor=user, action=action, obj=obj)
    raise PermissionDenied(_("You do not have permission to do this."))


def register_scope(model: type[Model], action: Action) -> Callable[[ScopeFn], ScopeFn]:
    def decorator(fn: ScopeFn) -> ScopeFn:
        _scopes[(model, action)] = fn
        return fn

    return decorator


def scope(user: Any, action: Action, queryset: QuerySet) -> QuerySet:
    """Restrict ``queryset`` to the rows ``user`` may ``action``; none when no scope rule."""
    if not _is_active_user(user) or not can(user, action):
        return queryset.none()
    fn = _scopes.get((queryset.model, action))
    if fn is None:
        return queryset.none()
    return fn(user, queryset)


from . import rules  # noqa: E402,F401  (registers the rule table)
