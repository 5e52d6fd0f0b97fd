"""Who works on return cases (RS 2(c)).

- A member state's return officers see and work on their own member state's cases only (the
  member state of their organisation, or the one their return-officer role is scoped to); the
  objects checked are cases and what hangs on them (events, approvals, flags, obstacles), by
  their ``member_state``.
- The Commission, the agencies, the EU return coordinator and the steering board never see a
  case: they read aggregates without personal data (``selectors.obstacle_rollup``, the
  indicators).
- Approving a step needs a second person: the rule lets any return officer of the case's member
  state approve; the service refuses the requester (``services.approvals``).
"""

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from ilonet import policy
from ilonet.policy.predicates import has_role

from .access import RETURN_OFFICER, member_states_of
from .models import Approval, CaseEvent, CaseFlag, NameDigest, Obstacle, ReturnCase, WorklistEntry

A = policy.Action


def _state_of(obj: Any) -> str | None:
    if isinstance(obj, str):
        return obj.upper()
    return getattr(obj, "member_state", None)


@rules.predicate
def of_own_member_state(user: Any, obj: Any = None) -> bool:
    """RS 2(c): a return officer works on their own member state's cases only."""
    if obj is None:
        return True
    return _state_of(obj) in member_states_of(user)


officer = has_role(RETURN_OFFICER)


def _refusal(user: Any, obj: Any) -> str:
    if obj is not None and policy.role_names(user) & {RETURN_OFFICER}:
        return str(_("A return officer works on their own member state's return cases only (RS 2(c))."))
    return str(
        _(
            "Return cases are worked on by the member states' return officers; the Commission, the "
            "agencies and the EU return coordinator see aggregates only (RS 2(c))."
        )
    )


for _action in (A.VIEW_RETURN_CASES, A.RECORD_RETURN_EVENTS, A.APPROVE_RETURN_STEPS, A.SEARCH_RETURN_CASES):
    policy.register_rule(
        _action, officer & of_own_member_state, basis="RS 2(c); own member state.", refusal=_refusal
    )


def _own_states(user: Any, qs: Any) -> Any:
    return qs.filter(member_state__in=sorted(member_states_of(user)))


for _model in (ReturnCase, CaseEvent, Approval, CaseFlag, Obstacle, WorklistEntry, NameDigest):
    for _action in (A.VIEW_RETURN_CASES, A.RECORD_RETURN_EVENTS, A.APPROVE_RETURN_STEPS):
        policy.register_scope(_model, _action)(_own_states)
