"""Warnings for the chair on the dashboard, and the dated reminders of the home page (Art. 7(7),
Art. 8(1), Art. 8(2)(d))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ilonet import policy
from ilonet.shared.dates import long_date

from ..models import (
    Motion,
)
from .composition import composition
from .meetings import first_meeting_year, last_meeting, meetings_in_year, next_meeting
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
                    ngettext(
                        "Only %(count)d meeting held in %(year)d: the steering board meets at least "
                        "twice a year (Art. 7(7)).",
                        "Only %(count)d meetings held in %(year)d: the steering board meets at least "
                        "twice a year (Art. 7(7)).",
                        count,
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
                ngettext(
                    "%(count)d meeting held or planned in %(year)d: the steering board meets at least "
                    "twice a year (Art. 7(7)).",
                    "%(count)d meetings held or planned in %(year)d: the steering board meets at least "
                    "twice a year (Art. 7(7)).",
                    count,
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
                ngettext(
                    "%(count)d voting seat without a member: %(seats)s. A vacant seat still counts in the "
                    "absolute majority (Art. 7(8)).",
                    "%(count)d voting seats without a member: %(seats)s. A vacant seat still counts in the "
                    "absolute majority (Art. 7(8)).",
                    len(vacant),
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
                ngettext(
                    "%(count)d adopted decision not yet passed on to the liaison officers by every "
                    "deploying authority (Art. 7(9)).",
                    "%(count)d adopted decisions not yet passed on to the liaison officers by every "
                    "deploying authority (Art. 7(9)).",
                    pending,
                )
                % {"count": pending},
                "Art. 7(9)",
            )
        )
    return warnings


# --- dated reminders for the chair and secretariat (home page) -------------------------------------


@dataclass(frozen=True)
class Reminder:
    """A deadline of the board's own work: what is due, by when (None: no date yet), whether the
    day has passed, and the article that sets it."""

    code: str
    message: str
    article: str
    due: date | None = None
    overdue: bool = False


def _day(value: date) -> str:
    """Dates in the EU's day-month-year order, as every page shows them."""
    return long_date(value)


def _rules_reminder(today: date) -> Reminder | None:
    """Art. 8(1): the board adopts its rules of procedure within three months of its first
    meeting (counted as ``rules_deadline`` counts it for the dashboard)."""
    deadline = rules_deadline()
    if deadline.adopted is not None:
        return None
    if deadline.deadline is None:
        return Reminder(
            "rules_deadline",
            _(
                "The rules of procedure are due within three months of the board's first meeting "
                "(Art. 8(1)); no meeting has been held yet."
            ),
            "Art. 8(1)",
        )
    params = {"deadline": _day(deadline.deadline)}
    if today > deadline.deadline:
        message = _(
            "The rules of procedure were due by %(deadline)s, three months after the first meeting, "
            "and are not adopted yet (Art. 8(1))."
        )
    else:
        message = _(
            "The rules of procedure must be adopted by %(deadline)s, three months after the first "
            "meeting (Art. 8(1))."
        )
    return Reminder(
        "rules_deadline", message % params, "Art. 8(1)", deadline.deadline, today > deadline.deadline
    )


def _officer_list_reminder(*, user, now: datetime) -> Reminder | None:
    """Art. 8(2)(d): the list of deployed ILOs is updated before each meeting. Due when it was
    never drawn up, or not since the last meeting; by the next meeting, if one is planned."""
    last = last_meeting(now=now)
    updated = officer_list_last_updated(user=user)
    if updated is not None and (last is None or updated >= last.starts_at):
        return None
    upcoming = next_meeting(now=now)
    if upcoming is None and last is None:
        return None
    params = {"updated": _day(timezone.localdate(updated)) if updated else ""}
    if upcoming is None:
        message = (
            _(
                "The list of deployed ILOs was last updated on %(updated)s, before the last meeting: "
                "update it before the next meeting (Art. 8(2)(d))."
            )
            if updated
            else _(
                "The list of deployed ILOs has not been drawn up yet: update "
                "it before the next meeting (Art. 8(2)(d))."
            )
        )
        return Reminder("officer_list", message % params, "Art. 8(2)(d)")
    day = timezone.localdate(upcoming.starts_at)
    params["meeting"] = _day(day)
    message = (
        _(
            "Update the list of deployed ILOs before the meeting of %(meeting)s; it was last updated "
            "on %(updated)s (Art. 8(2)(d))."
        )
        if updated
        else _(
            "Draw up the list of deployed ILOs before the meeting of %(meeting)s; it has never been "
            "drawn up (Art. 8(2)(d))."
        )
    )
    return Reminder("officer_list", message % params, "Art. 8(2)(d)", day)


def _meetings_reminder(today: date) -> Reminder | None:
    """Art. 7(7): the board meets at least twice a year; due by the end of the calendar year."""
    count = meetings_in_year(year=today.year)
    if count >= 2:
        return None
    if count == 0:
        message = _(
            "No meeting held or planned in %(year)d: the board meets at least twice a year; plan two "
            "by %(end)s (Art. 7(7))."
        )
    else:
        message = _(
            "One meeting held or planned in %(year)d: the board meets at least twice a year; plan "
            "another by %(end)s (Art. 7(7))."
        )
    end = date(today.year, 12, 31)
    return Reminder("meetings_per_year", message % {"year": today.year, "end": _day(end)}, "Art. 7(7)", end)


def deadline_reminders(*, user, now: datetime | None = None) -> list[Reminder]:
    """The board's dated deadlines for those who run its business (chair and secretariat,
    Art. 7(6)): the rules of procedure within three months of the first meeting (Art. 8(1)), the
    list of deployed ILOs before each meeting (Art. 8(2)(d)), two meetings a year (Art. 7(7)).
    Empty for everyone else. Soonest first, undated last; a constant number of queries."""
    if not policy.can(user, policy.Action.MANAGE_BOARD):
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    found = [
        _rules_reminder(today),
        _officer_list_reminder(user=user, now=now),
        _meetings_reminder(today),
    ]
    reminders = [r for r in found if r is not None]
    return sorted(reminders, key=lambda r: (r.due is None, r.due or today))
