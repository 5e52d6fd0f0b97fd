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

# Art. 9(3): the contact list and the list of board members (the only personal data on the
# platform, Art. 9(2)(c)-(d)) are for ILOs, steering board members and duly authorised staff:
# read here as the secretariat and the deploying authorities. Platform administrators manage
# accounts, not the network: they are not among them (least privilege).
ART_9_3_READERS: frozenset[str] = frozenset({
    Role.ILO, Role.FACILITATOR, Role.BOARD_MEMBER, Role.BOARD_ALTERNATE, Role.NON_VOTING_MEMBER,
    Role.CHAIR, Role.SECRETARIAT, Role.DEPLOYING_AUTHORITY,
})  # fmt: skip
