"""Motions, decisions, their results and their dispatch to the officers (Art. 7(8), Art. 7(9))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.accounts.roles import Role

from .. import counting
from ..models import (
    Ballot,
    Choice,
    DecisionDispatch,
    Motion,
    MotionChange,
    MotionComment,
    MotionStatus,
    Participation,
    Proxy,
)
from .composition import positions_of

# --- motions and votes (Art. 7(8), Art. 8(1)) ----------------------------------------------------------


def motion_list(
    *, user, status: str | None = None, procedure: str | None = None, search: str | None = None
) -> QuerySet[Motion]:
    qs = policy.scope(user, policy.Action.VIEW_BOARD, Motion.objects.all())
    if status:
        qs = qs.filter(status=status)
    if procedure:
        qs = qs.filter(procedure=procedure)
    if search:
        qs = qs.filter(Q(title__icontains=search.strip()) | Q(text__icontains=search.strip()))
    return qs.select_related("meeting").order_by("-created_at", "-pk")


def motion_detail(*, user, pk: int) -> Motion:
    qs = policy.scope(user, policy.Action.VIEW_BOARD, Motion.objects.all())
    return qs.select_related("meeting", "rules", "programme", "report", "rules_in_force", "created_by").get(
        pk=pk
    )


def decision_list(*, user, search: str | None = None) -> QuerySet[Motion]:
    """Adopted decisions (Art. 7(8)), shared with the network (Art. 9(2)(e))."""
    qs = policy.scope(user, policy.Action.VIEW_DECISIONS, Motion.objects.all())
    if search:
        qs = qs.filter(Q(title__icontains=search.strip()) | Q(text__icontains=search.strip()))
    return (
        qs.select_related("meeting")
        .annotate(
            dispatch_total=Count("dispatches", distinct=True),
            dispatch_done=Count(
                "dispatches", filter=Q(dispatches__passed_on_at__isnull=False), distinct=True
            ),
        )
        .order_by("-closed_at", "-pk")
    )


def decision_detail(*, user, pk: int) -> Motion:
    qs = policy.scope(user, policy.Action.VIEW_DECISIONS, Motion.objects.all())
    return qs.select_related("meeting").get(pk=pk)


def tally(*, motion: Motion) -> counting.Tally:
    """Count the ballots of a motion (Art. 7(8)). The ballots, not the participations, are
    counted, so open and secret votes go through the same code."""
    counts = dict(
        Ballot.objects.filter(motion=motion)
        .values_list("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    return counting.Tally(
        electorate=motion.electorate or 0,
        threshold=motion.threshold or 0,
        quorum=motion.quorum or 0,
        votes_for=counts.get(Choice.FOR, 0),
        votes_against=counts.get(Choice.AGAINST, 0),
        abstentions=counts.get(Choice.ABSTAIN, 0),
    )


def result_of(motion: Motion) -> counting.Tally | None:
    """The frozen result of a closed motion."""
    if motion.status != MotionStatus.CLOSED or motion.votes_for is None:
        return None
    return counting.Tally(
        electorate=motion.electorate or 0,
        threshold=motion.threshold or 0,
        quorum=motion.quorum or 0,
        votes_for=motion.votes_for,
        votes_against=motion.votes_against or 0,
        abstentions=motion.abstentions or 0,
    )


def explanation(motion: Motion) -> str:
    result = result_of(motion)
    return counting.explain(motion.outcome, result) if result is not None and motion.outcome else ""


def vote_record(*, motion: Motion) -> QuerySet[Participation]:
    """Who took part, in which capacity and (open votes only) how."""
    return (
        Participation.objects.filter(motion=motion)
        .select_related("seat", "seat__organisation", "cast_by", "proxy", "proxy__holder")
        .order_by("seat__kind", "seat__organisation__code", "seat__number")
    )


def proxies_of(*, motion: Motion) -> QuerySet[Proxy]:
    return (
        Proxy.objects.filter(motion=motion)
        .select_related("grantor_seat", "grantor_seat__organisation", "holder", "granted_by")
        .order_by("created_at", "pk")
    )


def comments_of(*, motion: Motion) -> QuerySet[MotionComment]:
    return MotionComment.objects.filter(motion=motion).select_related("author").order_by("created_at", "pk")


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a motion as shown to a reader: ``who`` is the person's name and e-mail only
    for readers of the list of members, otherwise the role that acted."""

    at: datetime
    kind: str
    kind_label: str
    who: str
    details: dict[str, Any]


def _role_label(change: MotionChange) -> str:
    if change.by_id is None:
        return _("ILOnet") if change.by_label == "ILOnet" else _("a member of the board")
    held = {role for role, _o, _r in policy.roles_of(change.by)}
    if Role.CHAIR in held:
        return _("the chair")
    if Role.SECRETARIAT in held:
        return _("the secretariat")
    return _("a member of the board")


def changes_of(*, user, motion: Motion) -> list[HistoryEntry]:
    """The history of a motion (Art. 7(8)). Names and e-mails of the people who acted are
    personal data for the readers of the list of members only (Art. 9(2)(c), Art. 9(3));
    observers (Art. 7(4)) and other readers see "the chair", "the secretariat" and no details
    (a proxy's details name the holder)."""
    names = policy.can(user, policy.Action.VIEW_BOARD_MEMBERS)
    changes = MotionChange.objects.filter(motion=motion).select_related("by").order_by("at", "pk")
    return [
        HistoryEntry(
            at=c.at,
            kind=c.kind,
            kind_label=c.get_kind_display(),
            who=c.by_label if names else _role_label(c),
            details=c.details if names else {},
        )
        for c in changes
    ]


def open_motions_for(*, user) -> list[Motion]:
    """Open motions on which the user's seat has not voted yet (for the dashboard)."""
    motions = list(
        policy.scope(user, policy.Action.VIEW_BOARD, Motion.objects.filter(status=MotionStatus.OPEN))
        .select_related("meeting")
        .order_by("closes_at", "pk")
    )
    today = timezone.localdate()
    seats = {m.seat_id for m in positions_of(user=user, day=today) if m.seat.voting}
    voted = set(
        Participation.objects.filter(motion__in=motions, seat_id__in=seats).values_list(
            "motion_id", flat=True
        )
    )
    return [m for m in motions if m.pk not in voted]


# --- decisions passed on (Art. 7(9)) --------------------------------------------------------------


def dispatches_for(*, user, pending: bool | None = None) -> QuerySet[DecisionDispatch]:
    """The adopted decisions the user's deploying authorities must pass on (Art. 7(9))."""
    qs = policy.scope(user, policy.Action.PASS_ON_DECISIONS, DecisionDispatch.objects.all())
    if pending is True:
        qs = qs.filter(passed_on_at__isnull=True)
    elif pending is False:
        qs = qs.filter(passed_on_at__isnull=False)
    return qs.select_related("motion", "authority", "authority__parent", "passed_on_by").order_by(
        "passed_on_at", "-motion__closed_at", "authority__code", "pk"
    )


def dispatches_of(*, motion: Motion) -> QuerySet[DecisionDispatch]:
    return (
        DecisionDispatch.objects.filter(motion=motion)
        .select_related("authority", "authority__parent", "passed_on_by")
        .order_by("authority__kind", "authority__code")
    )


def due_motions(*, now=None) -> QuerySet[Motion]:
    """Written procedures whose deadline has passed and that are still open."""
    return Motion.objects.filter(status=MotionStatus.OPEN, closes_at__lte=now or timezone.now())
