"""What the domain apps register with the policy at start-up: one rule per action, queryset
scopes per (model, action), and the source of a user's roles.

The core knows no domain: role names are plain strings here, and each app's ``policies``
module (autodiscovered by ``PolicyConfig.ready``) fills these registries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import rules as rules_lib
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from .actions import Action

RoleTuple = tuple[str, int | None, str]  # (role, organisation id, scope_ref)
ScopeFn = Callable[[Any, QuerySet], QuerySet]
# Why the rule refuses, in the reader's language, citing the law: a (lazily) translated text, or
# a function of (user, object) giving one, or None for the generic refusal.
Refusal = Callable[[Any, Any], "str | None"] | Promise | str | None


@dataclass(frozen=True)
class Rule:
    action: Action
    predicate: rules_lib.Predicate
    basis: str  # the article(s) the rule implements, shown in docs/permissions.md
    module: str
    refusal: Refusal = None  # the reason given to a refused user (403 page, API detail)


ruleset = rules_lib.RuleSet()
_rules: dict[Action, list[Rule]] = {}  # a list, so the start-up check can count
_scopes: dict[tuple[type[Model], Action], ScopeFn] = {}


@dataclass
class RoleProvider:
    lookup: Callable[[Any], list[RoleTuple]] | None = None
    choices: Sequence[tuple[str, str]] = ()


role_provider = RoleProvider()
referenced_roles: set[str] = set()  # every role name a predicate asks for (checked by accounts)


def register_rule(
    action: Action, predicate: rules_lib.Predicate, *, basis: str = "", refusal: Refusal = None
) -> None:
    """Declare who may do ``action``, and optionally the reason a refused user is given (a
    translated text citing the article, or a function of user and object returning one). A
    second rule for the same action is a start-up error."""
    rule = Rule(action, predicate, basis or _doc_of(predicate), _caller_module(), refusal)
    if action in _rules:
        owners = ", ".join(r.module for r in (*_rules[action], rule))
        raise ImproperlyConfigured(f"Action {action} has more than one rule ({owners}).")
    _rules[action] = [rule]
    ruleset.add_rule(str(action), predicate)


def register_scope(model: type[Model], action: Action) -> Callable[[ScopeFn], ScopeFn]:
    """Declare which rows of ``model`` a user allowed ``action`` sees (decorator)."""

    def decorator(fn: ScopeFn) -> ScopeFn:
        if (model, action) in _scopes and _scopes[(model, action)] is not fn:
            raise ImproperlyConfigured(f"Scope ({model.__name__}, {action}) is registered twice.")
        _scopes[(model, action)] = fn
        return fn

    return decorator


def register_role_provider(
    *, lookup: Callable[[Any], list[RoleTuple]], choices: Sequence[tuple[str, str]]
) -> None:
    """The accounts app tells the policy how to read a user's current roles, and which roles
    exist (value, label) for the generated permission tables."""
    role_provider.lookup = lookup
    role_provider.choices = tuple(choices)


def rules_for(action: Action) -> list[Rule]:
    return list(_rules.get(action, ()))


def refusal_of(action: Action, user: Any, obj: Any) -> str | None:
    """The reason the rule of ``action`` gives for refusing ``user`` (None: no reason given)."""
    found = _rules.get(action)
    refusal = found[0].refusal if found else None
    if callable(refusal):
        refusal = refusal(user, obj)
    return str(refusal) if refusal else None


def scope_fn(model: type[Model], action: Action) -> ScopeFn | None:
    return _scopes.get((model, action))


def registered_scopes() -> Iterable[tuple[type[Model], Action]]:
    return tuple(_scopes)


def _doc_of(predicate: rules_lib.Predicate) -> str:
    doc = (getattr(predicate, "fn", None) and predicate.fn.__doc__) or ""
    return " ".join(doc.split())


def _caller_module() -> str:
    import inspect

    frame = inspect.currentframe()
    outer = frame.f_back.f_back if frame and frame.f_back else None
    return outer.f_globals.get("__name__", "?") if outer else "?"
