"""Recording events on a case's timeline (RS 2(a), RS 2(b), RS 2(c)).

Every call authorises first (before its transaction), validates the event's fields against the
registry (``events.py``), refuses a date in the future, replays the timeline with the new event
through the case type's state machine (``machine.py``; a refusal names its rule), then appends
the event, updates the derived stage and status and the worklist, bumps the case's version and
writes the audit event, all in one transaction: nothing is half-written.

A step that needs a second person's approval (``events.APPROVAL_KINDS``) is recorded with an
``Approval`` request and takes effect only once approved (``services.approvals``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.policy.markers import system_operation

from .. import derive, rls
from ..events import APPROVAL_KINDS, Kind, clean_fields, kind_of
from ..machine import Ev, Refusal
from ..models import Approval, CaseEvent, ReturnCase

A = policy.Action
EARLIEST = date(1990, 1, 1)


def _day(value: date | str | None, *, today: date) -> date:
    if value in (None, ""):
        return today
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({"occurred_on": _("Give a date as YYYY-MM-DD.")}) from None
    if day > today:
        raise ValidationError({"occurred_on": _("An event cannot be dated in the future.")})
    if day < EARLIEST:
        raise ValidationError({"occurred_on": _("An event cannot be dated before 1990.")})
    return day


def _case(reference_or_case: ReturnCase | str) -> ReturnCase:
    """The case by reference, read under the system scope only to authorise it next (its member
    state decides); ``ReturnCase.DoesNotExist`` for an unknown reference."""
    if isinstance(reference_or_case, ReturnCase):
        return reference_or_case
    with rls.system_scope():
        return ReturnCase.objects.get(reference=str(reference_or_case))


@system_operation
def append(
    case: ReturnCase,
    *,
    actor: Any,
    kind: str,
    occurred_on: date,
    fields: dict[str, Any],
    version: int | None,
    supersedes: int | None = None,
    manual: bool = True,
) -> CaseEvent:
    """Inside the caller's transaction and scope, after the caller authorised ``actor`` (or for the
    platform, ``actor=None``): lock the case, check the version, replay, append, derive, audit.
    ``fields`` must be cleaned already (``events.clean_fields``)."""
    spec = kind_of(kind)
    if manual and not spec.manual:
        raise ValidationError({"kind": _("This event is recorded by the platform, not by hand.")})
    case = derive.locked(case.pk, version)
    timeline = derive.timeline_of(case)
    if supersedes is not None:
        target = next((e for e in timeline if e.seq == supersedes), None)
        if target is None:
            raise ValidationError({"supersedes": _("No such event on this case.")})
        if kind != Kind.RETRACTED and target.kind != kind:
            raise ValidationError(
                {"supersedes": _("A correction is an event of the same kind as the one it corrects.")}
            )
    needs_approval = Kind(kind) in APPROVAL_KINDS
    seq = case.last_seq + 1
    new = Ev(seq, kind, occurred_on, fields, supersedes, effective=True)
    try:
        derive.check(case, events=[*timeline, new])  # as it will be once it takes effect
        derived = derive.check(
            case, events=[*timeline, Ev(seq, kind, occurred_on, fields, supersedes, not needs_approval)]
        )
    except Refusal as refusal:
        raise derive.refused(refusal) from None
    event = CaseEvent(
        case=case,
        member_state=case.member_state,
        seq=seq,
        kind=kind,
        occurred_on=occurred_on,
        fields=fields,
        supersedes_seq=supersedes,
        needs_approval=needs_approval,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    event.save(force_insert=True)
    if needs_approval:
        Approval.objects.create(
            case=case, member_state=case.member_state, event=event, step=kind, requested_by=event.recorded_by
        )
    case.last_seq = seq
    derive.store(
        case, derived, actor=actor, change=f"{kind}" + (" (approval requested)" if needs_approval else "")
    )
    audit.record(
        action=AuditAction.RETURN_EVENT_RECORDED,
        actor=actor,
        obj=case,
        details={
            "case": case.reference,
            "member_state": case.member_state,
            "seq": seq,
            "kind": kind,
            "occurred_on": occurred_on,
            "supersedes": supersedes,
            "approval_requested": needs_approval,
            "version": case.version,
            "basis": spec.basis,
        },
    )
    return event


def record_event(
    *,
    actor: Any,
    case: ReturnCase | str,
    kind: str,
    fields: dict[str, Any] | None = None,
    occurred_on: date | str | None = None,
    version: int | None = None,
    supersedes: int | None = None,
) -> CaseEvent:
    """Append an event of ``kind`` (``events.Kind``) dated ``occurred_on`` (default today, never
    in the future) with its ``fields``. With ``version`` (the case's version the officer saw),
    a case changed meanwhile is refused (``derive.StaleVersion``, naming the other change). With
    ``supersedes`` (an earlier event's number) the event is a correction of that event."""
    policy.authorize(actor, A.RECORD_RETURN_EVENTS)
    case = _case(case)
    policy.authorize(actor, A.RECORD_RETURN_EVENTS, case)
    today = timezone.localdate()
    day = _day(occurred_on, today=today)
    cleaned = clean_fields(kind, fields)
    with rls.scope_for(actor):
        return append(
            case,
            actor=actor,
            kind=kind,
            occurred_on=day,
            fields=cleaned,
            version=version,
            supersedes=supersedes,
        )


def retract_event(*, actor: Any, case: ReturnCase | str, seq: int, version: int | None = None) -> CaseEvent:
    """Mark an event as recorded in error: a new event that supersedes it (never a deletion).
    Refused when the timeline without it no longer holds (naming the rule)."""
    policy.authorize(actor, A.RECORD_RETURN_EVENTS)
    case = _case(case)
    policy.authorize(actor, A.RECORD_RETURN_EVENTS, case)
    with rls.scope_for(actor):
        return append(
            case,
            actor=actor,
            kind=Kind.RETRACTED,
            occurred_on=timezone.localdate(),
            fields={},
            version=version,
            supersedes=int(seq),
            manual=False,
        )


@system_operation
def hand_over_expired_departures(*, today: date, limit: int = 1000) -> int:
    """RS 2(a): a voluntary departure period that expired without departure hands the case over
    to enforced return at once. Appends the hand-over event (by the platform) to each such case
    whose worklist entry is due; a case that cannot move (on hold, a suspensive appeal) stays in
    the worklist for an officer. Returns how many cases were handed over."""
    from ..models import WorklistEntry, WorklistRule

    with rls.system_scope():
        due = list(
            WorklistEntry.objects.filter(rule=WorklistRule.DEPARTURE_PERIOD_EXPIRED, due_on__lte=today)
            .order_by("due_on", "id")
            .values_list("case_id", flat=True)[:limit]
        )
    handed = 0
    for case_id in due:
        try:
            with rls.system_scope():
                case = ReturnCase.objects.get(pk=case_id)
                append(
                    case,
                    actor=None,
                    kind=Kind.HANDED_OVER,
                    occurred_on=today,
                    fields={"reason": "voluntary_departure_period_expired"},
                    version=None,
                    manual=False,
                )
                handed += 1
        except ValidationError:
            continue
    return handed
