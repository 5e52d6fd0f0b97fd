"""The import's view of a timeline, checked by the core's state machines (``returns.machine``):
an imported event is refused, with the rule it breaks, exactly when the same event entered on
the page would be; the case's state, stage, status, erasure date and worklist entries are
derived by the same replay and rules (``returns.derive``).

Imported events need no approval here: the sending system's decision (a return decision, an
entry ban, ...) is taken as approved there, so they are stored with ``needs_approval`` false.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

from ilonet.returns import conf, machine, machine_fast
from ilonet.returns import derive as core
from ilonet.returns.events import Kind
from ilonet.returns.models import ReturnCase, WorklistRule

from .refusals import in_each_language

OPENED = Kind.CASE_OPENED.value


class Step(NamedTuple):
    kind: str
    occurred_on: date
    fields: dict[str, Any]
    supersedes_seq: int | None = None


def opening(case_type: str, opened_on: date) -> machine.Ev:
    return machine.Ev(1, OPENED, opened_on, {"case_type": case_type})


def numbered(steps: list[Step], base: int) -> list[machine.Ev]:
    return [
        machine.Ev(base + i, s.kind, s.occurred_on, s.fields, s.supersedes_seq)
        for i, s in enumerate(steps, 1)
    ]


def check(
    held: list[machine.Ev], new: list[machine.Ev]
) -> tuple[int | None, str, dict[str, Any]] | machine.Derived:
    """The derived case when ``new`` can follow the ``held`` timeline; else (the index in ``new``
    of the event refused, or None when the held timeline itself breaks, and the reason's code
    and parameters: ``refusals``). One replay per case and batch; a refusal's words are made
    again in each language (``refusals.in_each_language``)."""
    last = max((e.occurred_on for e in held), default=None)
    for index, ev in enumerate(new):
        if last is not None and ev.occurred_on < last:
            return (
                index,
                "before_last_event",
                {"date": ev.occurred_on.isoformat(), "last": last.isoformat()},
            )
        last = ev.occurred_on
    try:
        return machine.replay([*held, *new], review_days=conf.review_days())
    except machine.Refusal as refused:
        index = next((i for i, ev in enumerate(new) if ev.seq == refused.seq), None)
        timeline = [*held, *new]
        detail = in_each_language(lambda: _refusal_words(timeline))
        return index, "rule_refused", {"rule": refused.rule, "detail": detail}


def passes(held: list[machine.Ev], new: list[machine.Ev]) -> machine.Derived | None:
    """``check`` without the reasons: the derived case when ``new`` can follow ``held``, else
    None (the batch then checks again and says why, ``check``). The import uses ``passes_new``
    for its new cases; this, over ``machine.replay``, is what a test holds it equal to."""
    last = max((e.occurred_on for e in held), default=None)
    for ev in new:
        if last is not None and ev.occurred_on < last:
            return None
        last = ev.occurred_on
    try:
        return machine.replay([*held, *new], review_days=conf.review_days())
    except machine.Refusal:
        return None


def passes_new(
    case_type: str, opened_on: date, steps: list[tuple[str, date, dict[str, Any]]]
) -> machine.Derived | None:
    """``passes`` for a new case (its opening, then ``steps``: kind, date, fields; no correction):
    the same answer by ``machine_fast.replay_new``, without an ``Ev`` per step nor a sort."""
    return machine_fast.replay_new(case_type, opened_on, steps, review_days=conf.review_days())


def _refusal_words(timeline: list[machine.Ev]) -> str:
    """The state machine's words for the refusal of ``timeline`` in the active language."""
    try:
        machine.replay(timeline, review_days=conf.review_days())
    except machine.Refusal as refused:
        return " ".join(str(m) for m in refused.messages)
    return ""


def state_of(events: list[machine.Ev]) -> machine.Derived:
    return machine.replay(events, review_days=conf.review_days())


def erase_on(derived: machine.Derived) -> date | None:
    return derived.closed_on + timedelta(days=conf.retention_days()) if derived.closed_on else None


def worklist(derived: machine.Derived) -> dict[str, date]:
    """The worklist rules a new case falls under (``returns.derive.worklist_since`` without its
    flag query: a case made by the import has no flag yet; a test holds the two equal)."""
    f = derived.facts
    if derived.closed_on:
        return {}
    rules: dict[str, date] = {}
    if f.legal_stay_ended_on and not f.return_decision_on:
        rules[WorklistRule.NO_RETURN_DECISION] = f.legal_stay_ended_on
    if f.readmission_pending_since:
        rules[WorklistRule.READMISSION_UNANSWERED] = f.readmission_pending_since
    if (
        derived.case_type in ("voluntary", "own_means")
        and f.return_decision_on
        and f.departure_days is not None
        and not f.departed
    ):
        rules[WorklistRule.DEPARTURE_PERIOD_EXPIRED] = f.return_decision_on + timedelta(
            days=f.departure_days + 1
        )
    if f.detention_active and f.next_review_on:
        rules[WorklistRule.DETENTION_REVIEW_DUE] = f.next_review_on
    if f.travel_document_requested_on and not f.travel_document_issued and not f.departed:
        rules[WorklistRule.TRAVEL_DOCUMENT_PENDING] = f.travel_document_requested_on
    if f.held_since:
        rules[WorklistRule.ON_HOLD] = f.held_since
    return rules


def load_timelines(case_ids: set[int]) -> list:
    """The timelines of cases held before this batch (the cases an event row appends to), as the
    core reads them (approvals decide which events are effective)."""
    from .batch import Timeline

    out = []
    for case in ReturnCase.objects.filter(pk__in=case_ids).order_by("pk"):
        out.append(Timeline(case.pk, case.case_type, case.last_seq, core.timeline_of(case), False, case=case))
    return out


def store_existing(case: ReturnCase, derived: machine.Derived, *, actor: Any, last_seq: int) -> None:
    case.last_seq = last_seq
    core.store(case, derived, actor=actor, change="import")
