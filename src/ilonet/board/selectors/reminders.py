"""Which reminders to the chair are due on a day (Art. 7(7), Art. 8(1), Art. 8(2)(d)).

A pure computation over the board's meetings and rules and the date of the last list of
deployed ILOs; ``services.issue_due_reminders`` records each one once (its key is unique).
Each occasion has stages (a month before a deadline, a week before it): when several are
reached, only the latest is due, so a job that did not run for a while sends one reminder, not
a burst of stale ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from ..models import Meeting, ReminderKind
from .meetings import last_meeting, meetings_in_year, next_meeting
from .rules import rules_deadline

# Art. 8(1): remind 30 and 7 days before the deadline, then once a month while overdue.
RULES_STAGES = (30, 7)
# Art. 7(7): on these days of the year, remind if fewer than two meetings are held or planned.
CADENCE_CHECKPOINTS = ((4, 1), (7, 1), (10, 1))
# Art. 8(2)(d): remind 14 and 3 days before a meeting if the list was not updated since the last one.
OFFICER_LIST_STAGES = (14, 3)


@dataclass(frozen=True)
class DueReminder:
    kind: str
    key: str
    due_on: date
    article: str
    meeting: Meeting | None = None
    details: dict[str, Any] = field(default_factory=dict)


def _stage(days_left: int, stages: tuple[int, ...]) -> int | None:
    """The latest stage reached ``days_left`` days before the date (None: none yet)."""
    reached = [stage for stage in stages if days_left <= stage]
    return min(reached) if reached else None


def rules_reminder(*, now: datetime) -> DueReminder | None:
    """Art. 8(1): the rules of procedure are adopted within three months of the first
    meeting: a month and a week before that deadline, then each month while they are not."""
    today = timezone.localdate(now)
    deadline = rules_deadline(now=now)
    if deadline.adopted is not None or deadline.deadline is None:
        return None
    due = deadline.deadline
    details = {"deadline": due.isoformat()}
    if today > due:
        due_on = max(due + timedelta(days=1), today.replace(day=1))
        return DueReminder(ReminderKind.RULES_DEADLINE, f"rules_deadline:{due}:overdue:{today:%Y-%m}", due_on,
                           "Art. 8(1)", details={**details, "stage": "overdue"})  # fmt: skip
    stage = _stage((due - today).days, RULES_STAGES)
    if stage is None:
        return None
    return DueReminder(ReminderKind.RULES_DEADLINE, f"rules_deadline:{due}:{stage}d",
                       due - timedelta(days=stage), "Art. 8(1)",
                       details={**details, "stage": f"{stage}d"})  # fmt: skip


def cadence_reminder(*, now: datetime) -> DueReminder | None:
    """Art. 7(7): the board meets at least twice a year: on 1 April, 1 July and 1 October,
    a reminder if fewer than two meetings are held or planned in the year."""
    today = timezone.localdate(now)
    reached = [date(today.year, month, day) for month, day in CADENCE_CHECKPOINTS
               if date(today.year, month, day) <= today]  # fmt: skip
    if not reached:
        return None
    count = meetings_in_year(year=today.year)
    if count >= 2:
        return None
    checkpoint = reached[-1]
    return DueReminder(ReminderKind.MEETING_CADENCE, f"meeting_cadence:{checkpoint}", checkpoint, "Art. 7(7)",
                       details={"year": today.year, "meetings": count})  # fmt: skip


def officer_list_reminder(*, now: datetime, list_taken_at: datetime | None) -> DueReminder | None:
    """Art. 8(2)(d): the board updates the list of deployed ILOs before each meeting: 14 and 3
    days before the next meeting, a reminder if the list was not drawn up since the last
    meeting (or never)."""
    upcoming = next_meeting(now=now)
    if upcoming is None:
        return None
    day = timezone.localdate(upcoming.starts_at)
    stage = _stage((day - timezone.localdate(now)).days, OFFICER_LIST_STAGES)
    if stage is None:
        return None
    previous = last_meeting(now=now)
    if list_taken_at is not None and (previous is None or list_taken_at >= previous.starts_at):
        return None
    return DueReminder(
        ReminderKind.OFFICER_LIST, f"officer_list:{upcoming.pk}:{day}:{stage}d", day - timedelta(days=stage),
        "Art. 8(2)(d)", meeting=upcoming,
        details={"meeting": upcoming.pk, "meeting_on": day.isoformat(), "stage": f"{stage}d",
                 "list_taken_at": list_taken_at.isoformat() if list_taken_at else None},
    )  # fmt: skip


def due_reminders(*, now: datetime) -> list[DueReminder]:
    """Every reminder to the chair due at ``now`` (recorded or not yet)."""
    from ilonet.networks import selectors as networks

    found = [
        rules_reminder(now=now),
        cadence_reminder(now=now),
        officer_list_reminder(now=now, list_taken_at=networks.officer_list_last_taken_at()),
    ]
    return [reminder for reminder in found if reminder is not None]
