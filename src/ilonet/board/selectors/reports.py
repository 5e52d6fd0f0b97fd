"""Activity reports and what they cover (Art. 8(2)(c), Art. 4(1))."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ilonet import policy

from ..models import (
    ActivityReport,
    AdHocAction,
    Meeting,
    MeetingStatus,
    Motion,
    Outcome,
    Training,
    WorkProgramme,
    WorkProgrammeItem,
)
from .biannual import newest_first


def report_list(*, user) -> QuerySet[ActivityReport]:
    scoped = policy.scope(user, policy.Action.VIEW_PROGRAMMES_AND_REPORTS, ActivityReport.objects.all())
    return newest_first(scoped).select_related("drafted_by")


def report_detail(*, user, pk: int) -> ActivityReport:
    return report_list(user=user).get(pk=pk)


def report_content(*, report: ActivityReport) -> dict[str, Any]:
    """What the activity report covers beyond its text, for its period (Art. 8(2)(c)):
    meetings held, decisions adopted, work programme items, ad-hoc actions and trainings."""
    start, end = report.period_start, report.period_end
    return {
        "meetings": list(
            Meeting.objects.filter(starts_at__date__gte=start, starts_at__date__lte=end)
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("starts_at")
        ),
        "decisions": list(
            Motion.objects.filter(
                outcome=Outcome.ADOPTED, closed_at__date__gte=start, closed_at__date__lte=end
            ).order_by("closed_at")
        ),
        "ad_hoc_actions": list(
            AdHocAction.objects.filter(agreed_on__gte=start, agreed_on__lte=end).order_by("agreed_on")
        ),
        "trainings": list(
            Training.objects.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=end))
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
            .order_by("starts_on", "pk")
        ),
        "programmes": list(
            WorkProgramme.objects.filter(period_start__lte=end, period_end__gte=start)
            .prefetch_related(Prefetch("items", queryset=WorkProgrammeItem.objects.select_related("owner")))
            .order_by("period_start")
        ),
    }


def default_report_period(today: date) -> tuple[date, date]:
    """The last two full calendar years (biannual report, Art. 8(2)(c))."""
    return date(today.year - 2, 1, 1), date(today.year - 1, 12, 31)


def meetings_and_decisions(*, period_start: date, period_end: date) -> dict[str, list[dict[str, Any]]]:
    """For the Commission's report on the regulation (Art. 12(2)): the board's meetings held in
    the period (Art. 7(7)) and the decisions it adopted or rejected (Art. 7(8)), with their
    counts; no names. Unscoped: the caller authorises."""
    meetings = (
        Meeting.objects.filter(starts_at__date__gte=period_start, starts_at__date__lte=period_end)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
    )
    motions = Motion.objects.filter(
        closed_at__date__gte=period_start,
        closed_at__date__lte=period_end,
        outcome__in=(Outcome.ADOPTED, Outcome.REJECTED, Outcome.NO_QUORUM),
    ).order_by("closed_at")
    return {
        "meetings": [
            {
                "date": timezone.localdate(m.starts_at),
                "title": m.title,
                "status": m.status,
                "status_label": m.get_status_display(),
            }
            for m in meetings
        ],
        "decisions": [
            {
                "date": timezone.localdate(m.closed_at) if m.closed_at else None,
                "title": m.title,
                "outcome": m.outcome,
                "outcome_label": m.get_outcome_display(),
                "for": m.votes_for,
                "against": m.votes_against,
                "abstentions": m.abstentions,
            }
            for m in motions
        ],
    }
