"""Who reads and manages the directory and the priority third countries.

Role names are plain strings: the directory sits below accounts (which owns ``Role``); a test
in accounts checks that every name asked for here is a role.
"""

from typing import Any

import rules

from ilonet import policy
from ilonet.policy.predicates import has_any_role, has_role

from .models import Organisation, PriorityCountry, PrioritySetter

A = policy.Action
PLATFORM_ADMIN = "platform_admin"
BOARD_OFFICE: frozenset[str] = frozenset({"chair", "secretariat"})  # Art. 7(6)
RETURN_COORDINATOR = "return_coordinator"  # RS 1
# The priorities hold no personal data: the Art. 9(3) readers (ILOs, facilitators, the board,
# its secretariat, deploying authorities) and the EU return coordinator read them.
PRIORITY_READERS: frozenset[str] = frozenset({
    "ilo", "facilitator", "board_member", "board_alternate", "non_voting_member", "chair",
    "secretariat", "deploying_authority", RETURN_COORDINATOR,
})  # fmt: skip
PRIORITY_SETTERS: dict[str, frozenset[str]] = {
    PrioritySetter.STEERING_BOARD: BOARD_OFFICE,  # Art. 8(2)(e)
    PrioritySetter.RETURN_COORDINATOR: frozenset({RETURN_COORDINATOR}),  # RS 1
}
# Record the names for the check in accounts (``sets_priorities_for`` asks for them directly).
has_role(*BOARD_OFFICE, RETURN_COORDINATOR)


@rules.predicate
def sets_priorities_for(user: Any, obj: Any = None) -> bool:
    """Art. 8(2)(e) and RS 1: the board (chair, secretariat) or the EU return coordinator
    sets priority countries, each only in its own name."""
    held = policy.role_names(user)
    if obj is None:
        return any(held & roles for roles in PRIORITY_SETTERS.values())
    set_by = obj.set_by if isinstance(obj, PriorityCountry) else str(obj)
    return bool(held & PRIORITY_SETTERS.get(set_by, frozenset()))


policy.register_rule(A.VIEW_DIRECTORY, has_any_role)
policy.register_rule(A.MANAGE_DIRECTORY, has_role(PLATFORM_ADMIN), basis="Platform administrators.")
policy.register_rule(
    A.VIEW_PRIORITY_COUNTRIES, has_role(*PRIORITY_READERS), basis="Art. 8(2)(e), Art. 9(3); RS 1."
)
policy.register_rule(A.MANAGE_PRIORITY_COUNTRIES, sets_priorities_for)


@policy.register_scope(Organisation, A.VIEW_DIRECTORY)
def _directory_visible(user, qs):
    return qs


@policy.register_scope(PriorityCountry, A.VIEW_PRIORITY_COUNTRIES)
def _priorities_visible(user, qs):
    return qs
