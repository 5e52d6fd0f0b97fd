"""One explicit state machine per case type, and the replay that derives a case's stage and
status from its timeline (RS 2(a), RS 2(b), RS 2(c)).

- ``MACHINES``: per case type, its states (each with a stage and a base status), the transition
  table ``(state, event kind) -> state`` and the kinds allowed in every open state without moving
  it (``common``). A hand-over to enforced return (RS 2(a): from voluntary to forced return
  without gaps) leads into the enforced machine (target ``enforced:pre_return``).
- ``GUARDS``: rules over the timeline so far (a readmission answer needs a request, a return
  decision needs the end of legal stay, ...). Every refusal is a ``Refusal`` naming its rule.
- ``replay(events)``: the effective events in date order (an event whose approval is not given is
  not effective; a correction supersedes the event it names) through the machine; returns the
  derived ``Derived`` (case type, state, stage, status, hold, facts for the worklist) or raises
  ``Refusal``.

``manage.py returns_diagrams`` writes these machines as Mermaid diagrams into
docs/returns-state-machines.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .events import Kind as K

START = "start"
CLOSED = "closed"

STAGES: dict[str, Any] = {
    "counselling": _("Counselling"),
    "application": _("Application"),
    "evaluation": _("Evaluation"),
    "pre_return": _("Pre-return"),
    "return_implementation": _("Return implementation"),
    "reintegration": _("Reintegration"),
    "detention": _("Detention or alternative"),
    "implementation": _("Implementation"),
    "closed": _("Closed"),
}
STATUSES: dict[str, Any] = {
    "open": _("Open"),
    "application_submitted": _("Application submitted"),
    "under_evaluation": _("Under evaluation"),
    "preparing_return": _("Preparing return"),
    "departure_scheduled": _("Departure scheduled"),
    "departed": _("Departed"),
    "in_reintegration": _("In reintegration"),
    "detained_or_alternative": _("Detention or alternative"),
    "removal_scheduled": _("Removal scheduled"),
    "voluntary_departure_period": _("Voluntary departure period"),
    "pending_travel_document": _("Pending travel document"),
    "awaiting_readmission_answer": _("Awaiting readmission answer"),
    "awaiting_approval": _("Awaiting approval"),
    "suspended_by_appeal": _("Suspended by appeal"),
    "absconded": _("Absconded"),
    "on_hold": _("On hold"),
    "closed": _("Closed"),
}


@dataclass(frozen=True)
class State:
    name: str
    stage: str
    status: str


@dataclass(frozen=True)
class Machine:
    case_type: str
    initial: str
    states: tuple[State, ...]
    transitions: dict[tuple[str, str], str]
    common: frozenset[str]
    departed_common: frozenset[str] = frozenset()

    def state(self, name: str) -> State:
        return self._by_name[name]

    @cached_property
    def _by_name(self) -> dict[str, State]:
        return {s.name: s for s in self.states}

    def open_states(self) -> list[str]:
        return [s.name for s in self.states if s.name != CLOSED]

    def target(self, state: str, kind: str) -> str | None:
        """The state after ``kind`` in ``state`` (the same state for a common kind), or None."""
        if state == START:
            return self.initial if kind == K.CASE_OPENED else None
        if (state, kind) in self.transitions:
            return self.transitions[(state, kind)]
        if state == CLOSED:
            return None
        allowed = self.departed_common if self.state(state).status == "departed" else self.common
        if kind in allowed:
            return state
        if kind == K.CASE_CLOSED:
            return CLOSED
        return None

    def table(self) -> list[tuple[str, str, str]]:
        """Every allowed transition (from, kind, to), the start included: the diagrams and the
        generated tests read this."""
        rows = [(START, K.CASE_OPENED.value, self.initial)]
        for state in [s.name for s in self.states]:
            for kind in K:
                if kind == K.CASE_OPENED:
                    continue
                to = self.target(state, kind)
                if to is not None:
                    rows.append((state, kind.value, to))
        return rows


INFO = frozenset(
    {
        K.LEGAL_STAY_ENDED,
        K.RETURN_DECISION,
        K.ENTRY_BAN,
        K.APPEAL_LODGED,
        K.APPEAL_DECIDED,
        K.COUNSELLING_SESSION,
        K.ABSCONDING_RISK_ASSESSED,
        K.IDENTIFICATION_STEP,
        K.READMISSION_REQUESTED,
        K.READMISSION_ANSWERED,
        K.TRAVEL_DOCUMENT_REQUESTED,
        K.TRAVEL_DOCUMENT_ISSUED,
        K.SIS_ALERT_ENTERED,
        K.SIS_ALERT_DELETED,
        K.ABSCONDED,
        K.PERSON_LOCATED,
        K.IDENTITY_CHANGED,
        K.HOLD_PLACED,
        K.HOLD_RELEASED,
    }
)
AFTER_DEPARTURE = frozenset(
    {
        K.ENTRY_BAN,
        K.SIS_ALERT_ENTERED,
        K.SIS_ALERT_DELETED,
        K.IDENTITY_CHANGED,
        K.HOLD_PLACED,
        K.HOLD_RELEASED,
        K.READMISSION_ANSWERED,
        K.APPEAL_DECIDED,
        K.COUNSELLING_SESSION,
    }
)
HANDOVER = "enforced:pre_return"

VOLUNTARY = Machine(
    case_type="voluntary",
    initial="counselling",
    states=(
        State("counselling", "counselling", "open"),
        State("application", "application", "application_submitted"),
        State("evaluation", "evaluation", "under_evaluation"),
        State("pre_return", "pre_return", "preparing_return"),
        State("return_implementation", "return_implementation", "departure_scheduled"),
        State("departed", "return_implementation", "departed"),
        State("reintegration", "reintegration", "in_reintegration"),
        State(CLOSED, "closed", "closed"),
    ),
    transitions={
        ("counselling", K.AVR_APPLIED): "application",
        ("application", K.AVR_EVALUATION_STARTED): "evaluation",
        ("evaluation", K.AVR_ACCEPTED): "pre_return",
        ("evaluation", K.AVR_REJECTED): "counselling",
        ("pre_return", K.REINTEGRATION_ASSISTANCE): "pre_return",
        ("pre_return", K.DEPARTURE_SCHEDULED): "return_implementation",
        ("pre_return", K.VOLUNTARY_DEPARTURE): "departed",
        ("return_implementation", K.VOLUNTARY_DEPARTURE): "departed",
        ("return_implementation", K.REINTEGRATION_ASSISTANCE): "return_implementation",
        ("departed", K.REINTEGRATION_ASSISTANCE): "reintegration",
        ("reintegration", K.REINTEGRATION_ASSISTANCE): "reintegration",
        **{
            (s, K.HANDED_OVER): HANDOVER
            for s in ("counselling", "application", "evaluation", "pre_return", "return_implementation")
        },
    },
    common=INFO,
    departed_common=AFTER_DEPARTURE,
)
ENFORCED = Machine(
    case_type="enforced",
    initial="pre_return",
    states=(
        State("pre_return", "pre_return", "preparing_return"),
        State("detention", "detention", "detained_or_alternative"),
        State("implementation", "implementation", "removal_scheduled"),
        State("departed", "implementation", "departed"),
        State(CLOSED, "closed", "closed"),
    ),
    transitions={
        ("pre_return", K.DETENTION_ORDERED): "detention",
        ("pre_return", K.ENFORCED_RETURN_SCHEDULED): "implementation",
        ("pre_return", K.DETENTION_REVIEWED): "pre_return",
        ("pre_return", K.DETENTION_ENDED): "pre_return",
        ("detention", K.DETENTION_REVIEWED): "detention",
        ("detention", K.DETENTION_ENDED): "pre_return",
        ("detention", K.ENFORCED_RETURN_SCHEDULED): "implementation",
        ("implementation", K.DETENTION_ORDERED): "implementation",
        ("implementation", K.DETENTION_REVIEWED): "implementation",
        ("implementation", K.DETENTION_ENDED): "implementation",
        ("implementation", K.ENFORCED_RETURN_CANCELLED): "pre_return",
        ("implementation", K.ENFORCED_RETURN_CARRIED_OUT): "departed",
        ("departed", K.REINTEGRATION_ASSISTANCE): "departed",
    },
    common=INFO,
    departed_common=AFTER_DEPARTURE,
)
OWN_MEANS = Machine(
    case_type="own_means",
    initial="pre_return",
    states=(
        State("pre_return", "pre_return", "voluntary_departure_period"),
        State("departed", "return_implementation", "departed"),
        State(CLOSED, "closed", "closed"),
    ),
    transitions={
        ("pre_return", K.VOLUNTARY_DEPARTURE): "departed",
        ("pre_return", K.HANDED_OVER): HANDOVER,
    },
    common=INFO,
    departed_common=AFTER_DEPARTURE,
)
MACHINES: dict[str, Machine] = {m.case_type: m for m in (VOLUNTARY, ENFORCED, OWN_MEANS)}


class Refusal(ValidationError):
    """A refused event: ``rule`` names the rule (a stable key), the message says it in words."""

    def __init__(self, rule: str, message: str, *, seq: int | None = None) -> None:
        super().__init__(message, code=rule, params=None)
        self.rule = rule
        self.seq = seq


# --- the facts the guards and the worklist read ----------------------------------------------------


@dataclass
class Facts:
    legal_stay_ended_on: date | None = None
    return_decision_on: date | None = None
    departure_days: int | None = None
    appeal_pending: bool = False
    appeal_suspensive: bool = False
    readmission_pending_since: date | None = None
    readmission_requests: int = 0
    travel_document_requested_on: date | None = None
    travel_document_issued: bool = False
    sis_alert: bool = False
    absconded: bool = False
    held_since: date | None = None
    detention_active: bool = False
    next_review_on: date | None = None
    departed: bool = False


@dataclass
class Derived:
    case_type: str
    state: str
    stage: str
    status: str
    on_hold: bool
    closed_on: date | None
    outcome: str
    facts: Facts
    pending_approvals: int = 0
    last_date: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ev:
    """What the replay needs of an event."""

    seq: int
    kind: str
    occurred_on: date
    fields: dict[str, Any]
    supersedes_seq: int | None = None
    effective: bool = True


MOVES = frozenset(
    {
        K.AVR_APPLIED,
        K.AVR_EVALUATION_STARTED,
        K.AVR_ACCEPTED,
        K.AVR_REJECTED,
        K.DEPARTURE_SCHEDULED,
        K.VOLUNTARY_DEPARTURE,
        K.ENFORCED_RETURN_SCHEDULED,
        K.ENFORCED_RETURN_CARRIED_OUT,
        K.HANDED_OVER,
        K.DETENTION_ORDERED,
        K.REINTEGRATION_ASSISTANCE,
    }
)
NEEDS_DECISION = frozenset(
    {
        K.DEPARTURE_SCHEDULED,
        K.VOLUNTARY_DEPARTURE,
        K.ENFORCED_RETURN_SCHEDULED,
        K.ENFORCED_RETURN_CARRIED_OUT,
        K.HANDED_OVER,
        K.ENTRY_BAN,
        K.SIS_ALERT_ENTERED,
        K.APPEAL_LODGED,
        K.READMISSION_REQUESTED,
    }
)
ENFORCEMENT = frozenset({K.ENFORCED_RETURN_SCHEDULED, K.ENFORCED_RETURN_CARRIED_OUT, K.HANDED_OVER})


# kind -> (rule, what must hold of the timeline so far, the refusal)
CHECKS: dict[str, tuple[str, Any, Any]] = {
    K.LEGAL_STAY_ENDED: (
        "legal_stay_once",
        lambda f: f.legal_stay_ended_on is None,
        _("The end of legal stay is already recorded: record a correction instead."),
    ),
    K.RETURN_DECISION: (
        "decision_after_end_of_stay",
        lambda f: f.legal_stay_ended_on is not None,
        _("A return decision follows a decision ending legal stay (RS 2(a)): record that first."),
    ),
    K.APPEAL_LODGED: ("one_appeal", lambda f: not f.appeal_pending, _("An appeal is already pending.")),
    K.APPEAL_DECIDED: ("appeal_before_decision", lambda f: f.appeal_pending, _("No appeal is pending.")),
    K.READMISSION_ANSWERED: (
        "answer_needs_request",
        lambda f: f.readmission_pending_since is not None,
        _("A readmission answer needs a readmission request without an answer."),
    ),
    K.TRAVEL_DOCUMENT_REQUESTED: (
        "one_travel_document_request",
        lambda f: f.travel_document_requested_on is None or f.travel_document_issued,
        _("A travel document is already requested."),
    ),
    K.TRAVEL_DOCUMENT_ISSUED: (
        "issue_needs_request",
        lambda f: f.travel_document_requested_on is not None and not f.travel_document_issued,
        _("A travel document is issued only after an approved request."),
    ),
    K.SIS_ALERT_ENTERED: (
        "one_sis_alert",
        lambda f: not f.sis_alert,
        _("A SIS return alert is already entered."),
    ),
    K.SIS_ALERT_DELETED: (
        "sis_delete_needs_alert",
        lambda f: f.sis_alert,
        _("No SIS return alert is entered."),
    ),
    K.ABSCONDED: (
        "absconded_once",
        lambda f: not f.absconded,
        _("The person is already recorded as absconded."),
    ),
    K.PERSON_LOCATED: (
        "located_needs_absconding",
        lambda f: f.absconded,
        _("The person is not recorded as absconded."),
    ),
    K.HOLD_PLACED: ("hold_once", lambda f: f.held_since is None, _("The case is already on hold.")),
    K.HOLD_RELEASED: (
        "release_needs_hold",
        lambda f: f.held_since is not None,
        _("The case is not on hold."),
    ),
    K.DETENTION_ORDERED: (
        "one_detention",
        lambda f: not f.detention_active,
        _("A detention or alternative is already in force: re-assess it instead."),
    ),
    K.DETENTION_REVIEWED: (
        "review_needs_detention",
        lambda f: f.detention_active,
        _("No detention or alternative is in force."),
    ),
    K.DETENTION_ENDED: (
        "end_needs_detention",
        lambda f: f.detention_active,
        _("No detention or alternative is in force."),
    ),
}


def _guard(
    kind: str, facts: Facts, fields: dict[str, Any], case_type: str, state: str
) -> tuple[str, str] | None:
    """The rule an event breaks given the timeline so far: (rule key, message), or None."""
    f = facts
    if f.held_since and kind in MOVES:
        return "on_hold", _("The case is on hold: it moves no further until an officer releases the hold.")
    if kind in NEEDS_DECISION and f.return_decision_on is None:
        return "needs_return_decision", _("This step needs an approved return decision first (RS 2(a)).")
    if kind in ENFORCEMENT and f.appeal_pending and f.appeal_suspensive:
        return "suspensive_appeal", _(
            "An appeal with suspensive effect is pending: the return is not enforced."
        )
    if kind == K.RETURN_DECISION and f.return_decision_on is not None:
        return "one_return_decision", _("A return decision is already in force: record a correction instead.")
    if kind in CHECKS:
        rule, holds, message = CHECKS[kind]
        if not holds(f):
            return rule, str(message)
    if kind == K.CASE_CLOSED:
        outcome = fields.get("outcome")
        if outcome == "returned_voluntarily" and not (f.departed and case_type != "enforced"):
            return "outcome_matches_timeline", _(
                "Closed as returned voluntarily: record the voluntary departure first."
            )
        if outcome == "removed" and not (f.departed and case_type == "enforced"):
            return "outcome_matches_timeline", _("Closed as removed: record the enforced return first.")
    return None


def _apply(kind: str, day: date, data: dict[str, Any], f: Facts, review_days: int) -> None:
    if kind == K.LEGAL_STAY_ENDED:
        f.legal_stay_ended_on = day
    elif kind == K.RETURN_DECISION:
        f.return_decision_on, f.departure_days = day, int(data.get("voluntary_departure_days", 0))
    elif kind == K.APPEAL_LODGED:
        f.appeal_pending, f.appeal_suspensive = True, bool(data.get("suspensive_effect"))
    elif kind == K.APPEAL_DECIDED:
        f.appeal_pending = f.appeal_suspensive = False
        if data.get("result") == "upheld":
            f.return_decision_on, f.departure_days = None, None
    elif kind == K.READMISSION_REQUESTED:
        f.readmission_requests += 1
        f.readmission_pending_since = f.readmission_pending_since or day
    elif kind == K.READMISSION_ANSWERED:
        f.readmission_requests -= 1
        f.readmission_pending_since = None if f.readmission_requests == 0 else f.readmission_pending_since
    elif kind == K.TRAVEL_DOCUMENT_REQUESTED:
        f.travel_document_requested_on, f.travel_document_issued = day, False
    elif kind == K.TRAVEL_DOCUMENT_ISSUED:
        f.travel_document_issued = True
    elif kind in (K.SIS_ALERT_ENTERED, K.SIS_ALERT_DELETED):
        f.sis_alert = kind == K.SIS_ALERT_ENTERED
    elif kind in (K.ABSCONDED, K.PERSON_LOCATED):
        f.absconded = kind == K.ABSCONDED
    elif kind == K.HOLD_PLACED:
        f.held_since = day
    elif kind == K.HOLD_RELEASED:
        f.held_since = None
    elif kind == K.DETENTION_ORDERED:
        f.detention_active = True
        f.next_review_on = _date(data.get("review_on")) or day + timedelta(days=review_days)
    elif kind == K.DETENTION_REVIEWED:
        f.detention_active = bool(data.get("continued"))
        f.next_review_on = (
            (_date(data.get("next_review_on")) or day + timedelta(days=review_days))
            if f.detention_active
            else None
        )
    elif kind == K.DETENTION_ENDED:
        f.detention_active, f.next_review_on = False, None
    elif kind in (K.VOLUNTARY_DEPARTURE, K.ENFORCED_RETURN_CARRIED_OUT):
        f.departed, f.detention_active, f.next_review_on = True, False, None


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def effective_events(events: Iterable[Ev]) -> list[Ev]:
    """The events that count, in date order: effective (approved where approval is needed),
    not superseded by an effective correction, not retractions themselves."""
    events = list(events)
    superseded = {e.supersedes_seq for e in events if e.effective and e.supersedes_seq}
    active = [e for e in events if e.effective and e.seq not in superseded and e.kind != K.RETRACTED]
    opening = min((e.seq for e in active if e.kind == K.CASE_OPENED), default=None)
    return sorted(active, key=lambda e: (e.seq != opening, e.occurred_on, e.seq))


def replay(events: Iterable[Ev], *, review_days: int = 30) -> Derived:
    """The case as its timeline makes it; ``Refusal`` (naming the rule and the event) when an
    event cannot follow what comes before it."""
    all_events = list(events)
    pending = sum(1 for e in all_events if not e.effective)
    facts, state, machine = Facts(), START, None
    closed_on, outcome, last = None, "", None
    for ev in effective_events(all_events):
        if machine is None:
            if ev.kind != K.CASE_OPENED:
                raise Refusal("opened_first", _("A case's timeline starts with its opening."), seq=ev.seq)
            machine = MACHINES[ev.fields["case_type"]]
        target = machine.target(state, ev.kind)
        if target is None:
            if state == CLOSED:
                raise Refusal("closed_case", _("The case is closed: no event can follow."), seq=ev.seq)
            raise Refusal(
                f"{machine.case_type}.{state}.{ev.kind}",
                _("%(event)s cannot follow in the state “%(state)s” of a case of type %(type)s.")
                % {"event": ev.kind, "state": state, "type": machine.case_type},
                seq=ev.seq,
            )
        broken = _guard(ev.kind, facts, ev.fields, machine.case_type, state) if state != START else None
        if broken:
            raise Refusal(broken[0], broken[1], seq=ev.seq)
        _apply(ev.kind, ev.occurred_on, ev.fields, facts, review_days)
        if target == HANDOVER:
            machine, target = MACHINES["enforced"], "pre_return"
        state, last = target, ev.occurred_on
        if ev.kind == K.CASE_CLOSED:
            closed_on, outcome = ev.occurred_on, ev.fields.get("outcome", "")
    if machine is None:
        raise Refusal("opened_first", _("A case's timeline starts with its opening."))
    st = machine.state(state)
    return Derived(
        case_type=machine.case_type,
        state=state,
        stage=st.stage,
        status=_status(st, facts, pending),
        on_hold=facts.held_since is not None,
        closed_on=closed_on,
        outcome=outcome,
        facts=facts,
        pending_approvals=pending,
        last_date=last,
    )


def _status(st: State, f: Facts, pending: int) -> str:
    overlays: list[tuple[bool, str]] = [
        (st.name == CLOSED, "closed"),
        (f.held_since is not None, "on_hold"),
        (f.absconded, "absconded"),
        (f.appeal_pending and f.appeal_suspensive, "suspended_by_appeal"),
        (st.status == "departed", "departed"),
        (
            f.travel_document_requested_on is not None and not f.travel_document_issued,
            "pending_travel_document",
        ),
        (f.readmission_pending_since is not None, "awaiting_readmission_answer"),
        (pending > 0, "awaiting_approval"),
    ]
    return next((status for hit, status in overlays if hit), st.status)


def diagram(machine: Machine) -> str:
    """The machine as a Mermaid state diagram (self-loops of the common kinds left out)."""
    lines = ["stateDiagram-v2"]
    for state in machine.states:
        lines.append(f"    {state.name}: {state.name} (stage {state.stage})")
    for src, kind, dst in machine.table():
        if src == dst and (kind in machine.common or kind in machine.departed_common):
            continue
        a = "[*]" if src == START else src
        b = "enforced_pre_return" if dst == HANDOVER else dst
        lines.append(f"    {a} --> {b}: {kind}")
    return "\n".join(lines)
