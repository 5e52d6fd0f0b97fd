"""Reusable predicates over a user's current roles (built on the ``rules`` library)."""

from typing import Any

import rules

from ilonet.accounts.roles import Role


def has_role(*roles: str) -> rules.Predicate:
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def predicate(user: Any) -> bool:
        from . import roles_of

        return any(role in wanted for role, _org, _ref in roles_of(user))

    return predicate


@rules.predicate
def has_any_role(user: Any) -> bool:
    from . import roles_of

    return bool(roles_of(user))


is_platform_admin = has_role(Role.PLATFORM_ADMIN)
