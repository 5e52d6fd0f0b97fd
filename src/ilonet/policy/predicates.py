"""Reusable predicates over a user's current roles (built on the ``rules`` library).

Role names are plain strings: the accounts app owns the vocabulary (``accounts.roles.Role``)
and a test there checks every name asked for here exists.
"""

from typing import Any

import rules

from .registry import referenced_roles


def has_role(*roles: str) -> rules.Predicate:
    wanted = frozenset(str(role) for role in roles)
    referenced_roles.update(wanted)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def predicate(user: Any) -> bool:
        from . import role_names

        return bool(role_names(user) & wanted)

    return predicate


@rules.predicate
def has_any_role(user: Any) -> bool:
    """Any current role on the platform."""
    from . import roles_of

    return bool(roles_of(user))
