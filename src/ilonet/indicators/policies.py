"""Who reads the return indicators and who keeps the register, the priorities and the obstacles
(operational strategy for more effective returns, RS 1, RS 2(c)).

- The indicators are aggregates with no personal data: the EU return coordinator, the
  Commission's steering board office (chair, secretariat) and the member states' return
  officers read them. Nobody reads a case here: there are none.
- The EU return coordinator loads Eurostat's tables, keeps the targets, the high-level
  network's meetings, the quarterly priority countries and their joint actions (RS 1), and
  follows up the obstacles.
- A member state's return officer records the capabilities of their own member state in the
  register and reports obstacles of their own member state to the coordinator (RS 1); the
  coordinator records any member state's and the third countries' coverage.
"""

from typing import Any

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ilonet import policy
from ilonet.directory import selectors as directory
from ilonet.policy.predicates import has_role

from .models import Capability, Obstacle

A = policy.Action
COORDINATOR = "return_coordinator"
RETURN_OFFICER = "return_officer"
READERS = frozenset({COORDINATOR, RETURN_OFFICER, "chair", "secretariat"})
_STATES = "indicators.member_states"


def officer_member_states(user: Any) -> frozenset[str]:
    """ISO codes of the member states a return officer acts for: the scope of each of their
    return-officer roles, else their own organisation's member state. Cached for the request."""

    def compute() -> frozenset[str]:
        ids = [
            org_id if org_id is not None else user.organisation_id
            for role, org_id, _ref in policy.roles_of(user)
            if role == RETURN_OFFICER
        ]
        return frozenset(directory.member_state_codes([i for i in ids if i is not None]))

    return policy.request_cache(user, _STATES, compute)


def _country_of(obj: Any) -> str | None:
    if obj is None:
        return None
    if isinstance(obj, Obstacle):
        return obj.member_state
    if isinstance(obj, str):
        return obj
    return getattr(obj, "country", None)


@rules.predicate
def keeps_register_for(user: Any, obj: Any = None) -> bool:
    """RS 2(c): the coordinator records any entry; a return officer only their own member
    state's capabilities (never a third country's coverage)."""
    held = policy.role_names(user)
    if COORDINATOR in held:
        return True
    if RETURN_OFFICER not in held:
        return False
    if obj is None:
        return True
    if getattr(obj, "capability", None) == Capability.JRS_COVERED:
        return False
    return _country_of(obj) in officer_member_states(user)


@rules.predicate
def reports_obstacle_for(user: Any, obj: Any = None) -> bool:
    """RS 1: obstacles and ad-hoc issues are reported quickly to the EU return coordinator, by
    the member state they concern (or by the coordinator)."""
    held = policy.role_names(user)
    if COORDINATOR in held:
        return True
    if RETURN_OFFICER not in held:
        return False
    return obj is None or _country_of(obj) in officer_member_states(user)


@rules.predicate
def submits_for(user: Any, obj: Any = None) -> bool:
    """RS, closing list: a member state that keeps its own return case system submits its own
    aggregates (the object is its ISO code)."""
    return obj is None or _country_of(obj) in officer_member_states(user)


def _own_state_refusal(user: Any, obj: Any) -> str:
    return str(_("A return officer acts for their own member state only (RS 2(c))."))


has_role(COORDINATOR, RETURN_OFFICER)  # record the names for the check in accounts
policy.register_rule(
    A.VIEW_RETURN_INDICATORS, has_role(*READERS), basis="RS 1; RS, closing list of indicators."
)
policy.register_rule(A.LOAD_EUROSTAT, has_role(COORDINATOR), basis="RS 2(c): better return statistics.")
policy.register_rule(
    A.MANAGE_RETURN_REGISTER,
    keeps_register_for,
    basis="RS 2(c); own member state.",
    refusal=_own_state_refusal,
)
policy.register_rule(A.MANAGE_RETURN_COORDINATION, has_role(COORDINATOR), basis="RS 1.")
policy.register_rule(
    A.REPORT_RETURN_OBSTACLE,
    reports_obstacle_for,
    basis="RS 1; own member state.",
    refusal=_own_state_refusal,
)

policy.register_rule(
    A.SUBMIT_RETURN_AGGREGATES,
    has_role(RETURN_OFFICER) & submits_for,
    basis="RS, closing list of indicators; own member state.",
    refusal=_own_state_refusal,
)


@policy.register_scope(Obstacle, A.VIEW_RETURN_INDICATORS)
def _obstacles_visible(user, qs):
    """The coordinator and the board office see every obstacle; a return officer those of their
    own member state."""
    held = policy.role_names(user)
    if held & {COORDINATOR, "chair", "secretariat"}:
        return qs
    return qs.filter(Q(member_state__in=sorted(officer_member_states(user))))
