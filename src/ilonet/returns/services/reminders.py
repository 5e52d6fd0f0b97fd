"""Reminders of detention re-assessments before they fall due (RS 2(a)).

Each detention order and re-assessment schedules the next review (its own date, or
``RETURNS_DETENTION_REVIEW_DAYS`` later); the worklist lists it ``-RETURNS_WORKLIST_DELAYS
["detention_review_due"]`` days before. The daily job reminds the case's member state's return
officers once per review date (``models.Reminder``, unique), by a notice that names the case's
reference and the date only, no personal data.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.jobs.notify import Audience, notify
from ilonet.policy.markers import system_operation

from .. import rls
from ..models import Reminder, ReturnCase, WorklistEntry, WorklistRule

A = policy.Action


@system_operation
def remind_detention_reviews(*, today: date, limit: int = 5000) -> int:
    """Remind once per case and review date whose reminder is due; returns how many."""
    with rls.system_scope():
        due = list(
            WorklistEntry.objects.filter(rule=WorklistRule.DETENTION_REVIEW_DUE, due_on__lte=today)
            .order_by("due_on", "id")
            .values_list("case_id", "since")[:limit]
        )
    sent = 0
    for case_id, review_on in due:
        with rls.system_scope():
            case = ReturnCase.objects.get(pk=case_id)
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        case=case,
                        member_state=case.member_state,
                        rule=WorklistRule.DETENTION_REVIEW_DUE,
                        due_on=review_on,
                    )
            except IntegrityError:
                continue  # reminded already
            notify(
                "returns.detention_review_due",
                key=f"returns.detention_review:{case.pk}:{review_on.isoformat()}",
                obj=case,
                audience_action=A.VIEW_RETURN_CASES,
                recipients=Audience(roles=("return_officer",)),
                context={"case": case.reference, "review_on": review_on.isoformat()},
                link=f"/returns/cases/{case.reference}/",
            )
            audit.record(
                action=AuditAction.RETURN_REMINDER_SENT,
                obj=case,
                details={
                    "case": case.reference,
                    "member_state": case.member_state,
                    "review_on": review_on,
                    "basis": "RS 2(a)",
                },
            )
            sent += 1
    return sent
