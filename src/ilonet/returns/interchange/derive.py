"""The import's view of a timeline, checked by the core's state machines (``returns.machine``):
an imported event is refused, with the rule it breaks, exactly when the same event entered on
the page would be; the case's state, stage and status are derived by the same replay.

Imported events need no approval here: the sending system's decision (a return decision, an
entry ban, ...) is taken as approved there, so they are stored with ``needs_approval`` false.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from ilonet.returns import machine
from ilonet.returns.events import Kind
from ilonet.returns.models import CaseEvent, ReturnCase

OPENED = Kind.CASE_OPENED.value


class Step(NamedTuple):
    kind: str
    occurred_on: date
    fields: dict[str, Any]
    supersedes_seq: int | None = None


def opening(case_type: str, opened_on: date) -> Step:
    return Step(OPENED, opened_on, {"case_type": case_type})


def _evs(steps: Iterable[Step]) -> list[machine.Ev]:
    return [machine.Ev(seq, s.kind, s.occurred_on, s.fields, s.supersedes_seq) for seq, s in enumerate(steps, 1)]


def check(held: list[Step], new: list[Step]) -> tuple[int | None, str] | None:
    """None when ``new`` can follow the ``held`` timeline; else (the index in ``held + new`` of
    the event refused, or None, and the rule with its reason). One replay per case."""
    last = max((e.occurred_on for e in held), default=None)
    for index, step in enumerate(new, start=len(held)):
        if last is not None and step.occurred_on < last:
            return index, (
                f"occurred_on: {step.occurred_on.isoformat()} is before the case's last event ({last.isoformat()})"
            )
        last = step.occurred_on
    try:
        machine.replay(_evs([*held, *new]))
    except machine.Refusal as refused:
        index = refused.seq - 1 if refused.seq else None
        return index, f"refused by rule {refused.rule}: {' '.join(str(m) for m in refused.messages)}"
    return None


class Derived(NamedTuple):
    state: str
    stage: str
    status: str
    on_hold: bool
    closed_on: date | None
    outcome: str


def state_of(case_type: str, events: list[Step]) -> Derived:
    derived = machine.replay(_evs(events))
    return Derived(derived.state, derived.stage, derived.status, derived.on_hold, derived.closed_on,
                   derived.outcome)  # fmt: skip


def load_timelines(case_ids: set[int]) -> list:
    """The timelines of cases held before this batch (the cases an event row appends to)."""
    from .batch import Timeline

    if not case_ids:
        return []
    steps: dict[int, list[tuple[int, Step]]] = {}
    for case_id, seq, kind, occurred_on, fields, supersedes in CaseEvent.objects.filter(
        case_id__in=case_ids
    ).values_list("case_id", "seq", "kind", "occurred_on", "fields", "supersedes_seq"):
        steps.setdefault(case_id, []).append((seq, Step(kind, occurred_on, fields or {}, supersedes)))
    out = []
    for case_id, case_type, last_seq in ReturnCase.objects.filter(pk__in=case_ids).values_list(
        "pk", "case_type", "last_seq"
    ):
        ordered = [step for _seq, step in sorted(steps.get(case_id, []))]
        out.append(Timeline(case_id, case_type, last_seq, ordered, False))
    return out
