"""Warnings for the chair on the dashboard (Art. 7(7), Art. 8(1), Art. 8(2)(d))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet.shared.dates import long_date

from ..models import (
    Motion,
)
from .composition import composition
from .meetings import first_meeting_year, last_meeting, meetings_in_year
from .rules import rules_deadline

# --- warnings for the chair (Art. 7(7), Art. 8(1), Art. 8(2)(d)) --------------------------------------------


@dataclass(frozen=True)
class BoardWarning:
    code: str
    level: str  # "warning" or "info"
    message: str
    article: str


def officer_list_last_updated(*, user) -> datetime | None:
    """When the board's list of deployed ILOs (Art. 8(2)(d)) was last updated, through the
    networks app's public selector (the list is a snapshot kept there)."""
    from ilonet.networks import selectors as networks

    return (
        networks.officer_list_list(user=user)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def _past_years_with_too_few_meetings(this_year: int) -> list[BoardWarning]:
    """Art. 7(7): every past calendar year, from the year of the board's first meeting (not
    cancelled) on, in which fewer than two meetings were held; oldest first."""
    first = first_meeting_year()
    if first is None:
        return []
    warnings = []
    for year in range(first, this_year):
        count = meetings_in_year(year=year)
        if count < 2:
            warnings.append(
                BoardWarning(
                    "meetings_per_year",
                    "warning",
                    _(
                        "Only %(count)d meeting(s) held in %(year)d: the steering board meets at least "
                        "twice a year (Art. 7(7))."
                    )
                    % {"count": count, "year": year},
                    "Art. 7(7)",
                )
            )
    return warnings


def chair_warnings(*, user, now=None) -> list[BoardWarning]:
    """What the chair must act on: fewer than two meetings held or planned this calendar year,
    or held in any past year since the first meeting (Art. 7(7)); the list of deployed ILOs not
    updated since the last meeting (Art. 8(2)(d)); the rules of procedure not adopted within
    three months of the first meeting (Art. 8(1)); vacant voting seats (Art. 7(2)); decisions not
    yet passed on to the officers (Art. 7(9))."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    warnings: list[BoardWarning] = _past_years_with_too_few_meetings(today.year)
    count = meetings_in_year(year=today.year)
    if count < 2:
        warnings.append(
            BoardWarning(
                "meetings_per_year",
                "warning",
                _(
                    "%(count)d meeting(s) held or planned in %(year)d: the steering board meets at least "
                    "twice a year (Art. 7(7))."
                )
                % {"count": count, "year": today.year},
                "Art. 7(7)",
            )
        )
    last = last_meeting(now=now)
    if last is not None:
        updated = officer_list_last_updated(user=user)
        if updated is None or updated < last.starts_at:
            params = {
                "meeting": long_date(last.starts_at),
                "updated": long_date(updated) if updated else "",
            }
            message = (
                _(
                    "The list of deployed ILOs was last updated on %(updated)s, before the last meeting on "
                    "%(meeting)s: update it before the next meeting (Art. 8(2)(d))."
                )
                if updated
                else _(
                    "The list of deployed ILOs has not been drawn up since the last meeting on %(meeting)s: "
                    "update it before the next meeting (Art. 8(2)(d))."
                )
            ) % params
            warnings.append(BoardWarning("officer_list_outdated", "warning", message, "Art. 8(2)(d)"))
    deadline = rules_deadline()
    if deadline.adopted is None and deadline.deadline is not None:
        params = {"deadline": long_date(deadline.deadline)}
        if today > deadline.deadline:
            message = _(
                "The rules of procedure were due by %(deadline)s, three months after the first meeting, "
                "and are not adopted yet (Art. 8(1))."
            )
            level = "warning"
        else:
            message = _(
                "The rules of procedure must be adopted by %(deadline)s, three months after the first "
                "meeting (Art. 8(1))."
            )
            level = "info"
        warnings.append(BoardWarning("rules_deadline", level, message % params, "Art. 8(1)"))
    vacant = [r for r in composition(day=today).vacancies if r.seat.voting]
    if vacant:
        warnings.append(
            BoardWarning(
                "vacant_seats",
                "info",
                _(
                    "%(count)d voting seat(s) without a member: %(seats)s. A vacant seat still counts in the "
                    "absolute majority (Art. 7(8))."
                )
                % {"count": len(vacant), "seats": ", ".join(str(r.seat) for r in vacant[:10])},
                "Art. 7(2)",
            )
        )
    pending = Motion.objects.filter(dispatches__passed_on_at__isnull=True).distinct().count()
    if pending:
        warnings.append(
            BoardWarning(
                "decisions_not_passed_on",
                "info",
                _(
                    "%(count)d adopted decision(s) not yet passed on to the liaison officers by every "
                    "deploying authority (Art. 7(9))."
                )
                % {"count": pending},
                "Art. 7(9)",
            )
        )
    return warnings
