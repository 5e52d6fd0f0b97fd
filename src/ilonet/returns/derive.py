"""From the timeline to the cached columns and the worklist, in the transaction of each change.

Internal to the services (no authorisation here): ``timeline_of(case)`` reads the events as the
machine needs them, ``check(case, extra=..., ...)`` replays a hypothetical timeline (refusing with
the rule it breaks) and ``store(case, derived, ...)`` writes the derived stage, status, hold,
closing and erasure dates, bumps ``version`` and rewrites the case's worklist entries.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf
from .machine import Derived, Ev, Refusal, replay
from .models import ApprovalStatus, CaseEvent, CaseFlag, FlagKind, ReturnCase, WorklistEntry, WorklistRule


class StaleVersion(ValidationError):
    """The case changed since the caller read it: ``change`` names that change."""

    def __init__(self, case: ReturnCase) -> None:
        who = case.last_changed_by.get_full_name() if case.last_changed_by else _("the platform")
        when = case.last_changed_at
        message = _(
            "This case was changed meanwhile (version %(version)s): %(change)s by %(who)s%(when)s. "
            "Your change was not saved; reload the case and make it again."
        ) % {
            "version": case.version,
            "change": case.last_change or _("a change"),
            "who": who or _("another officer"),
            "when": f", {timezone.localtime(when):%Y-%m-%d %H:%M}" if when else "",
        }
        super().__init__({"version": [message]}, code="stale_version")
        self.current_version = case.version
        self.change = case.last_change


def locked(case_id: int, version: int | None) -> ReturnCase:
    """The case row, locked for the transaction; ``StaleVersion`` when ``version`` is given and
    is not the current one."""
    case = (
        ReturnCase.objects.select_for_update(of=("self",)).select_related("last_changed_by").get(pk=case_id)
    )
    if version is not None and int(version) != case.version:
        raise StaleVersion(case)
    return case


def timeline_of(case: ReturnCase) -> list[Ev]:
    rows = CaseEvent.objects.filter(case=case).order_by("seq")
    rows = rows.values_list(
        "seq", "kind", "occurred_on", "fields", "supersedes_seq", "needs_approval", "approval__status"
    )
    return [
        Ev(seq, kind, day, fields, sup, effective=not needs or status == ApprovalStatus.APPROVED)
        for seq, kind, day, fields, sup, needs, status in rows
        if not (needs and status in (ApprovalStatus.REFUSED, ApprovalStatus.REVOKED))
    ]


def check(case: ReturnCase, *, events: list[Ev]) -> Derived:
    """Replay ``events``; a ``Refusal`` names the rule broken."""
    return replay(events, review_days=conf.review_days())


def refused(refusal: Refusal, field: str = "kind") -> ValidationError:
    """The refusal as a form/API error on ``field``; ``.rule`` keeps the rule's key."""
    error = ValidationError({field: [ValidationError(refusal.messages[0], code=refusal.rule)]})
    error.rule = refusal.rule  # type: ignore[attr-defined]
    return error


def store(
    case: ReturnCase, derived: Derived, *, actor: Any, change: str, now: datetime | None = None
) -> None:
    now = now or timezone.now()
    case.case_type = derived.case_type
    case.state, case.stage, case.status = derived.state, derived.stage, derived.status
    case.on_hold = derived.on_hold
    case.closed_on, case.outcome = derived.closed_on, derived.outcome
    case.erase_on = derived.closed_on + timedelta(days=conf.retention_days()) if derived.closed_on else None
    case.version += 1
    case.last_change = change[:60]
    case.last_changed_by = actor if getattr(actor, "pk", None) else None
    case.last_changed_at = now
    case.save(
        update_fields=[
            "case_type",
            "state",
            "stage",
            "status",
            "on_hold",
            "closed_on",
            "outcome",
            "erase_on",
            "version",
            "last_change",
            "last_changed_by",
            "last_changed_at",
            "last_seq",
            "updated_at",
        ]
    )
    rebuild_worklist(case, derived)


def worklist_since(case: ReturnCase, derived: Derived) -> dict[str, date]:
    """The worklist rules the case falls under, each with the date its clock started (RS 2(a))."""
    f = derived.facts
    if case.closed_on:
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
    attention = (
        CaseFlag.objects.filter(case=case, kind=FlagKind.NEEDS_ATTENTION, cleared_at__isnull=True)
        .values_list("set_at", flat=True)
        .first()
    )
    if attention:
        rules[WorklistRule.NEEDS_ATTENTION] = timezone.localdate(attention)
    return rules


def rebuild_worklist(case: ReturnCase, derived: Derived | None = None) -> None:
    if derived is None:
        derived = check(case, events=timeline_of(case))
    delays = conf.delays()
    WorklistEntry.objects.filter(case=case).delete()
    WorklistEntry.objects.bulk_create(
        WorklistEntry(
            case=case,
            member_state=case.member_state,
            rule=rule,
            since=since,
            due_on=since + timedelta(days=delays.get(rule, 0)),
        )
        for rule, since in worklist_since(case, derived).items()
    )
