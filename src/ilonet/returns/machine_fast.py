"""The replay of a new case for the bulk import (``interchange.derive.passes_new``): the state
machines of ``machine`` (RS 2(a), RS 2(b)), their transitions asked once per state and kind
instead of once per event, no ``Ev`` per step and no sort; the guards and the facts are
``machine``'s own functions, so a refused step is refused by the same rule (the import then
checks the case again through ``machine.replay`` for the rule's words).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from .events import Kind as K
from .machine import (
    CHECKS,
    ENFORCEMENT,
    HANDOVER,
    MACHINES,
    MOVES,
    NEEDS_DECISION,
    START,
    Derived,
    Facts,
    _apply,
    _guard,
    _status,
)

# Per case type, (state, kind) -> the state after it (None: refused), every state and kind: what
# ``Machine.target`` answers, asked once here instead of once per event.
TARGETS: dict[str, dict[tuple[str, str], str | None]] = {
    case_type: {
        (state, kind.value): machine.target(state, kind)
        for state in (START, *(s.name for s in machine.states))
        for kind in K
    }
    for case_type, machine in MACHINES.items()
}
# The kinds ``_guard`` can refuse (any other kind it lets pass whatever the facts), and the kinds
# ``_apply`` changes the facts for (any other it leaves as they are): a test holds both true.
GUARDED = frozenset(
    str(k) for k in (*MOVES, *NEEDS_DECISION, *ENFORCEMENT, *CHECKS, K.RETURN_DECISION, K.CASE_CLOSED)
)
APPLIED = frozenset(
    str(k)
    for k in (
        K.LEGAL_STAY_ENDED,
        K.RETURN_DECISION,
        K.APPEAL_LODGED,
        K.APPEAL_DECIDED,
        K.READMISSION_REQUESTED,
        K.READMISSION_ANSWERED,
        K.TRAVEL_DOCUMENT_REQUESTED,
        K.TRAVEL_DOCUMENT_ISSUED,
        K.SIS_ALERT_ENTERED,
        K.SIS_ALERT_DELETED,
        K.ABSCONDED,
        K.PERSON_LOCATED,
        K.HOLD_PLACED,
        K.HOLD_RELEASED,
        K.DETENTION_ORDERED,
        K.DETENTION_REVIEWED,
        K.DETENTION_ENDED,
        K.VOLUNTARY_DEPARTURE,
        K.ENFORCED_RETURN_CARRIED_OUT,
    )
)
_RETRACTED = K.RETRACTED.value
_CLOSED_KIND = K.CASE_CLOSED.value
_UNKNOWN: Any = object()


def replay_new(
    case_type: str,
    opened_on: date,
    steps: Iterable[tuple[str, date, dict[str, Any]]],
    *,
    review_days: int = 30,
) -> Derived | None:
    """A new case, opened as ``case_type`` on ``opened_on``, with ``steps`` (kind, date, fields)
    after its opening, numbered in this order, all effective, none a correction: the case as
    ``replay`` derives it, or None when ``replay`` refuses the timeline or a step's date comes
    before the one before it (the bulk import then checks again, with the refusal's rule and
    words: ``returns.interchange.derive.check``). No ``Ev`` per step, no sort (the dates are in
    order, else None), the transitions from ``TARGETS``; the guards and the facts are
    ``replay``'s own functions. A test holds it equal to ``replay`` on seeded random timelines."""
    machine = MACHINES[case_type]
    targets = TARGETS[case_type]
    facts = Facts()
    state, last, latest = machine.initial, opened_on, opened_on
    closed_on, outcome = None, ""
    for kind, day, fields in steps:
        if day < latest:
            return None
        latest = day
        if kind == _RETRACTED:  # not effective: ``effective_events`` leaves retractions out
            continue
        target = targets.get((state, kind), _UNKNOWN)
        if target is _UNKNOWN:  # a kind not of ``Kind``: the machine's own answer (None)
            target = machine.target(state, kind)
        if target is None:
            return None
        if kind in GUARDED and _guard(kind, facts, fields, machine.case_type, state) is not None:
            return None
        if kind in APPLIED:
            _apply(kind, day, fields, facts, review_days)
        if target == HANDOVER:
            machine, target = MACHINES["enforced"], "pre_return"
            targets = TARGETS["enforced"]
        state, last = target, day
        if kind == _CLOSED_KIND:
            closed_on, outcome = day, fields.get("outcome", "")
    st = machine.state(state)
    return Derived(
        case_type=machine.case_type,
        state=state,
        stage=st.stage,
        status=_status(st, facts, 0),
        on_hold=facts.held_since is not None,
        closed_on=closed_on,
        outcome=outcome,
        facts=facts,
        pending_approvals=0,
        last_date=last,
    )
