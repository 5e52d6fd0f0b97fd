"""Reminders to the chair, issued by the daily job (Art. 7(7), Art. 8(1), Art. 8(2)(d))."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.jobs.notify import Audience, notify
from ilonet.policy.markers import system_operation

from .. import selectors
from ..models import Reminder

# Who is reminded: the chair, helped by the secretariat (Art. 7(6)).
CHAIR_AND_SECRETARIAT = Audience(roles=("chair", "secretariat"))


@system_operation
def issue_due_reminders(*, now: datetime | None = None) -> list[Reminder]:
    """Record every reminder to the chair due at ``now`` that was not recorded yet, audit it,
    and hand it to the notification hook (``ilonet.jobs.notify``) in the same transaction.
    Idempotent: a reminder's key is unique, so a second run issues nothing twice."""
    now = now or timezone.now()
    issued = []
    for due in selectors.due_reminders(now=now):
        if Reminder.objects.filter(key=due.key).exists():
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    reminder = Reminder.objects.create(
                        kind=due.kind, key=due.key, due_on=due.due_on, meeting=due.meeting,
                        details={**due.details, "article": due.article}, issued_at=now,
                    )  # fmt: skip
            except IntegrityError:  # issued at the same moment by another run
                continue
            audit.record(
                action=AuditAction.BOARD_REMINDER_ISSUED, actor=None, actor_label="ILOnet (reminder)",
                obj=reminder, details={"kind": due.kind, "key": due.key, "article": due.article},
            )  # fmt: skip
            notify(
                f"board.reminder.{due.kind}", key=f"board.reminder:{due.key}", obj=reminder,
                audience_action=policy.Action.MANAGE_BOARD, recipients=CHAIR_AND_SECRETARIAT,
                context={"kind": due.kind, "due_on": due.due_on.isoformat(), "article": due.article,
                         **due.details},
                link=reverse("board:dashboard"),
            )  # fmt: skip
            issued.append(reminder)
    return issued
