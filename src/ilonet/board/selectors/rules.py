"""Rules of procedure and the deadline to adopt them (Art. 8(1))."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from ilonet import policy

from ..models import (
    Meeting,
    MeetingStatus,
    RulesOfProcedure,
    RulesStatus,
)

# --- rules of procedure (Art. 8(1)) ---------------------------------------------------------------


def rules_in_force(*, day: date) -> RulesOfProcedure | None:
    """The rules of procedure adopted on or before a day, latest version (Art. 8(1))."""
    return (
        RulesOfProcedure.objects.filter(
            status__in=(RulesStatus.ADOPTED, RulesStatus.SUPERSEDED), adopted_on__lte=day
        )
        .order_by("-adopted_on", "-version")
        .first()
    )


def rules_list(*, user) -> QuerySet[RulesOfProcedure]:
    action = (
        policy.Action.VIEW_BOARD
        if policy.can(user, policy.Action.VIEW_BOARD)
        else policy.Action.VIEW_DECISIONS
    )
    return policy.scope(user, action, RulesOfProcedure.objects.all()).select_related("proposed_by")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if shorter (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class RulesDeadline:
    """Art. 8(1): rules of procedure adopted within three months of the first meeting."""

    first_meeting: Meeting | None
    deadline: date | None
    adopted: RulesOfProcedure | None

    @property
    def adopted_in_time(self) -> bool | None:
        if self.adopted is None or self.adopted.adopted_on is None or self.deadline is None:
            return None
        return self.adopted.adopted_on <= self.deadline


def first_meeting(*, now=None) -> Meeting | None:
    """The board's first meeting: the earliest that was not cancelled and has begun."""
    return (
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
        .filter(starts_at__lte=now or timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )


def rules_deadline(*, now=None) -> RulesDeadline:
    """The three-month deadline of Art. 8(1), counted from the first meeting."""
    first = first_meeting(now=now)
    deadline = add_months(timezone.localdate(first.starts_at), 3) if first else None
    adopted = (
        RulesOfProcedure.objects.filter(status__in=(RulesStatus.ADOPTED, RulesStatus.SUPERSEDED))
        .order_by("adopted_on", "version")
        .first()
    )
    return RulesDeadline(first_meeting=first, deadline=deadline, adopted=adopted)
