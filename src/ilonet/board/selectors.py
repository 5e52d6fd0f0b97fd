"""Read-side functions of the steering board. Lists are restricted by ``policy.scope``;
the composition and vote-eligibility functions are the rules of Art. 7(2)-(4) and 7(8)."""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.accounts.roles import Role

from . import counting
from .models import (
    ActivityReport,
    AdHocAction,
    AgendaItem,
    Ballot,
    Capacity,
    Choice,
    DecisionDispatch,
    Evaluation,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Membership,
    Motion,
    MotionChange,
    MotionComment,
    MotionStatus,
    Outcome,
    Participant,
    ParticipantRole,
    Participation,
    Procedure,
    Proxy,
    RulesOfProcedure,
    RulesStatus,
    Seat,
    SeatKind,
    Training,
    VoteCapacity,
    WorkProgramme,
    WorkProgrammeItem,
)


def _valid_on(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})
    )


# --- composition (Art. 7(2)-(4)) --------------------------------------------------------------


def seats_on(*, day: date) -> QuerySet[Seat]:
    """The seats of the board on a day (Art. 7(2)-(3))."""
    return Seat.objects.filter(_valid_on(day)).select_related("organisation")


def voting_members_on(*, day: date) -> int:
    """The number of voting members of the board on a day: its voting seats, vacant or not
    (Art. 7(8); reading explained in ``counting``)."""
    return Seat.objects.filter(_valid_on(day), voting=True).count()


SEAT_ORDER = {SeatKind.COMMISSION: 0, SeatKind.AGENCY: 1, SeatKind.MEMBER_STATE: 2, SeatKind.ASSOCIATED: 3}


@dataclass
class SeatRow:
    seat: Seat
    member: Membership | None = None
    alternate: Membership | None = None

    @property
    def vacant(self) -> bool:
        return self.member is None


@dataclass
class Composition:
    """The board on a day: its seats with their holders, and the count of Art. 7(8)."""

    day: date
    rows: list[SeatRow]

    @property
    def voting(self) -> int:
        return sum(1 for r in self.rows if r.seat.voting)

    @property
    def non_voting(self) -> int:
        return sum(1 for r in self.rows if not r.seat.voting)

    @property
    def vacancies(self) -> list[SeatRow]:
        return [r for r in self.rows if r.vacant]

    @property
    def threshold(self) -> int:
        return counting.absolute_majority(self.voting)


def composition(*, day: date) -> Composition:
    """Seats and holders on a day (Art. 7(2)-(3)), two queries whatever the size."""
    seats = list(seats_on(day=day))
    rows = {s.pk: SeatRow(seat=s) for s in seats}
    for m in Membership.objects.filter(_valid_on(day), seat_id__in=rows).select_related(
        "user", "user__organisation"
    ):
        row = rows[m.seat_id]
        if m.capacity == Capacity.MEMBER:
            row.member = m
        else:
            row.alternate = m
    ordered = sorted(
        rows.values(), key=lambda r: (SEAT_ORDER[r.seat.kind], r.seat.organisation.name, r.seat.number)
    )
    return Composition(day=day, rows=ordered)


def positions_of(*, user, day: date) -> list[Membership]:
    """The user's board memberships on a day (a person holds one position at a time)."""
    if not getattr(user, "pk", None):
        return []
    return list(
        Membership.objects.filter(_valid_on(day), user_id=user.pk)
        .filter(_valid_on(day, "seat__"))
        .select_related("seat", "seat__organisation")
    )


def position_tuples(user) -> list[tuple[int, bool, str]]:
    """For the policy: (seat id, voting, capacity) of the user's positions today."""
    return [(m.seat_id, m.seat.voting, m.capacity) for m in positions_of(user=user, day=timezone.localdate())]


def member_list(*, user, day: date | None = None, search: str | None = None) -> QuerySet[Membership]:
    """The list of members of the board (Art. 9(2)(c)): personal data, for ILOs, board
    members and duly authorised staff only (Art. 9(3))."""
    day = day or timezone.localdate()
    qs = policy.scope(user, policy.Action.VIEW_BOARD_MEMBERS, Membership.objects.all())
    qs = qs.filter(_valid_on(day)).filter(_valid_on(day, "seat__"))
    if search:
        for word in search.split()[:5]:
            qs = qs.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(seat__organisation__name_en__icontains=word)
                | Q(seat__organisation__name_nl__icontains=word)
                | Q(seat__organisation__code__iexact=word)
            )
    return qs.select_related("seat", "seat__organisation", "user", "user__organisation").order_by(
        "seat__kind", "seat__organisation__code", "seat__number", "capacity", "pk"
    )


def is_invited(*, user, meeting_id: int) -> bool:
    return Participant.objects.filter(meeting_id=meeting_id, user_id=user.pk).exists()


def meeting_list(*, user, when: str | None = None, year: int | None = None) -> QuerySet[Meeting]:
    """Meetings the user may see; ``when`` is "upcoming" or "past"."""
    qs = policy.scope(user, policy.Action.VIEW_BOARD, Meeting.objects.all())
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now).exclude(status=MeetingStatus.CANCELLED).order_by("starts_at", "pk")
    elif when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        qs = qs.order_by("-starts_at", "-pk")
    if year:
        qs = qs.filter(starts_at__year=year)
    return qs.annotate(
        participant_count=Count("participants", distinct=True),
        document_count=Count("documents", distinct=True),
    )


def meeting_detail(*, user, pk: int) -> Meeting:
    qs = policy.scope(user, policy.Action.VIEW_BOARD, Meeting.objects.all())
    return qs.prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position")),
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("user", "seat", "seat__organisation").order_by(
                "role", "seat__organisation__code", "user__last_name", "pk"
            ),
        ),
        Prefetch(
            "documents",
            queryset=MeetingDocument.objects.select_related("agenda_item", "uploaded_by").order_by(
                "agenda_item__position", "title", "pk"
            ),
        ),
        Prefetch("motions", queryset=Motion.objects.order_by("created_at", "pk")),
    ).get(pk=pk)


def document_detail(*, user, pk: int) -> MeetingDocument:
    qs = policy.scope(user, policy.Action.VIEW_BOARD, MeetingDocument.objects.all())
    return qs.select_related("meeting").get(pk=pk)


# --- rules of procedure (Art. 8(1)) -----------------------------------------------------------


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
        if self.adopted is None or self.deadline is None:
            return None
        return self.adopted.adopted_on <= self.deadline


def first_meeting() -> Meeting | None:
    """The board's first meeting: the earliest that was not cancelled and has begun."""
    return (
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
        .filter(starts_at__lte=timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )


def rules_deadline() -> RulesDeadline:
    """The three-month deadline of Art. 8(1), counted from the first meeting."""
    first = first_meeting()
    deadline = add_months(timezone.localdate(first.starts_at), 3) if first else None
    adopted = (
        RulesOfProcedure.objects.filter(status__in=(RulesStatus.ADOPTED, RulesStatus.SUPERSEDED))
        .order_by("adopted_on", "version")
        .first()
    )
    return RulesDeadline(first_meeting=first, deadline=deadline, adopted=adopted)


# --- motions and votes (Art. 7(8), 8(1)) ------------------------------------------------------


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


def changes_of(*, motion: Motion) -> QuerySet[MotionChange]:
    return MotionChange.objects.filter(motion=motion).order_by("at", "pk")


def receipt_fingerprint(code: str) -> str:
    """SHA-256 of the receipt as shown to the voter, ignoring case, spaces and dashes."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"ilonet-ballot-receipt:{normal}".encode()).hexdigest()


def published_receipts(*, motion: Motion) -> QuerySet[Ballot]:
    """The receipts of a secret vote with their choices, ordered by fingerprint (which says
    nothing about who or when). Published only once the vote has closed, so that watching the
    list during the vote cannot link a new receipt to the person who just voted."""
    if not motion.secret or motion.status != MotionStatus.CLOSED:
        return Ballot.objects.none()
    return Ballot.objects.filter(motion=motion).order_by("receipt_fingerprint")


def find_receipt(*, motion: Motion, code: str) -> Ballot | None:
    """The ballot with this receipt, once the vote has closed (Art. 8(1): secret ballots)."""
    if not code.strip():
        return None
    return published_receipts(motion=motion).filter(receipt_fingerprint=receipt_fingerprint(code)).first()


def electorate_includes(*, seat: Seat, motion: Motion) -> bool:
    day = motion.vote_day or timezone.localdate()
    return seat.voting and seat.valid_from <= day and (seat.valid_until is None or day <= seat.valid_until)


def _voting_position(*, user, motion: Motion, day: date) -> Membership | None:
    for m in positions_of(user=user, day=day):
        if electorate_includes(seat=m.seat, motion=motion):
            return m
    return None


def may_vote_on(*, user, motion: Motion) -> bool:
    """Art. 7(8): a member or alternate of a voting seat of the composition on the day of the
    vote, or the holder of a proxy for the motion (Art. 8(1))."""
    today = timezone.localdate()
    if _voting_position(user=user, motion=motion, day=today) is not None:
        return True
    return Proxy.objects.filter(motion=motion, holder_id=user.pk).exists()


def vote_denial_reason(*, user, motion: Motion) -> str:
    """Why a user may not vote at all on a motion, in the user's language (Art. 7(3), 7(4))."""
    today = timezone.localdate()
    positions = positions_of(user=user, day=today)
    if any(not m.seat.voting for m in positions):
        return _("Non-voting members (Art. 7(3)) may speak on every matter but do not vote.")
    if positions:
        day = motion.vote_day or today
        return _("Your seat was not part of the board on the day of the vote (%(day)s).") % {
            "day": date_format(day, "SHORT_DATE_FORMAT")
        }
    if Role.OBSERVER in {role for role, _o, _r in policy.roles_of(user)} or (
        motion.meeting_id
        and Participant.objects.filter(
            meeting_id=motion.meeting_id, user_id=user.pk, role=ParticipantRole.OBSERVER
        ).exists()
    ):
        return _("Observers (Art. 7(4)) may attend and speak but do not vote.")
    return _("You hold no seat on the steering board today, so you cannot vote (Art. 7(2)).")


@dataclass
class VoteRight:
    seat: Seat
    capacity: str
    proxy: Proxy | None = None


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def check_vote_right(*, user, motion: Motion, on_behalf_of: Seat | None = None, now=None) -> VoteRight:
    """Everything that must hold for a vote to be accepted, each refusal with its reason:
    the motion is open; the voter holds a voting seat of the composition on the day of the vote
    (Art. 7(2), 7(8)) or a proxy for the seat (Art. 8(1)); the seat has not voted yet (one vote
    per member state, member and alternate share it, Art. 7(2)); an alternate does not vote
    when the member attends the meeting (Art. 7(2)). Call it with the motion row locked."""
    now = now or timezone.now()
    if motion.status != MotionStatus.OPEN:
        if motion.status == MotionStatus.CLOSED:
            raise ValidationError(
                _("The vote on this motion closed on %(when)s; no more votes are accepted.")
                % {"when": _when(motion.closed_at or now)}
            )
        raise ValidationError(_("This motion is not open for voting."))
    if motion.closes_at and now >= motion.closes_at:
        raise ValidationError(
            _("The deadline of this written procedure passed on %(when)s; no more votes are accepted.")
            % {"when": _when(motion.closes_at)}
        )
    proxy = None
    if on_behalf_of is not None:
        proxy = Proxy.objects.filter(motion=motion, grantor_seat=on_behalf_of, holder_id=user.pk).first()
        if proxy is None:
            raise ValidationError(
                _("You hold no proxy for %(seat)s on this motion (Art. 8(1)).") % {"seat": on_behalf_of}
            )
        if _voting_position(user=user, motion=motion, day=timezone.localdate(now)) is None:
            raise PermissionDenied(_("Only a voting member can act on behalf of another member (Art. 8(1))."))
        seat, capacity = on_behalf_of, VoteCapacity.PROXY
    else:
        position = _voting_position(user=user, motion=motion, day=timezone.localdate(now))
        if position is None:
            raise PermissionDenied(vote_denial_reason(user=user, motion=motion))
        seat = position.seat
        capacity = VoteCapacity.MEMBER if position.capacity == Capacity.MEMBER else VoteCapacity.ALTERNATE
    existing = Participation.objects.filter(motion=motion, seat=seat).first()
    if existing is not None:
        if existing.cast_by_id == user.pk:
            raise ValidationError(_("You have already voted on this motion; a vote cannot be cast twice."))
        if capacity == VoteCapacity.ALTERNATE and existing.capacity == VoteCapacity.MEMBER:
            raise ValidationError(
                _(
                    "The member for %(seat)s has already voted; the alternate votes only when the member "
                    "does not (Art. 7(2))."
                )
                % {"seat": seat}
            )
        raise ValidationError(
            _(
                "The vote for %(seat)s has already been cast (%(capacity)s); each seat has one vote "
                "(Art. 7(2))."
            )
            % {"seat": seat, "capacity": existing.get_capacity_display()}
        )
    if capacity == VoteCapacity.ALTERNATE and motion.procedure == Procedure.MEETING:
        member_present = Participant.objects.filter(
            meeting_id=motion.meeting_id, seat=seat, role=ParticipantRole.MEMBER, attended=True
        ).exists()
        if member_present:
            raise ValidationError(
                _(
                    "The member for %(seat)s attends this meeting; the alternate votes only in the "
                    "member's absence (Art. 7(2))."
                )
                % {"seat": seat}
            )
    return VoteRight(seat=seat, capacity=capacity, proxy=proxy)


@dataclass
class VoterView:
    """What the motion page shows one user about their own vote."""

    may_vote: bool = False
    reason: str = ""
    seat: Seat | None = None
    voted: bool = False
    proxies: list[Proxy] = field(default_factory=list)


def voter_view(*, user, motion: Motion) -> VoterView:
    view = VoterView(
        proxies=list(
            Proxy.objects.filter(motion=motion, holder_id=user.pk).select_related(
                "grantor_seat", "grantor_seat__organisation"
            )
        )
    )
    position = _voting_position(user=user, motion=motion, day=timezone.localdate())
    if position is not None:
        view.seat = position.seat
        view.voted = Participation.objects.filter(motion=motion, seat=position.seat).exists()
    if motion.status != MotionStatus.OPEN:
        return view
    try:
        check_vote_right(user=user, motion=motion)
    except (PermissionDenied, ValidationError) as error:
        view.reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    else:
        view.may_vote = True
    return view


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


# --- decisions passed on (Art. 7(9)) ----------------------------------------------------------


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


# --- work programme, ad-hoc actions, training, activity report (Art. 8(2)-(3)) ---------------


def programme_list(*, user) -> QuerySet[WorkProgramme]:
    qs = policy.scope(user, policy.Action.VIEW_PROGRAMMES_AND_REPORTS, WorkProgramme.objects.all())
    return qs.annotate(item_count=Count("items")).order_by("-period_start", "-pk")


def programme_detail(*, user, pk: int) -> WorkProgramme:
    qs = policy.scope(user, policy.Action.VIEW_PROGRAMMES_AND_REPORTS, WorkProgramme.objects.all())
    return qs.prefetch_related(
        Prefetch("items", queryset=WorkProgrammeItem.objects.select_related("owner").order_by("kind", "pk")),
        Prefetch("evaluations", queryset=Evaluation.objects.select_related("recorded_by")),
        Prefetch("trainings", queryset=Training.objects.order_by("starts_on", "pk")),
    ).get(pk=pk)


def ad_hoc_action_list(*, user, status: str | None = None) -> QuerySet[AdHocAction]:
    qs = policy.scope(user, policy.Action.VIEW_DECISIONS, AdHocAction.objects.all())
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("meeting").order_by("-agreed_on", "-pk")


def training_list(*, user, kind: str | None = None) -> QuerySet[Training]:
    qs = policy.scope(user, policy.Action.VIEW_DECISIONS, Training.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("programme").order_by("-starts_on", "-pk")


def report_list(*, user) -> QuerySet[ActivityReport]:
    qs = policy.scope(user, policy.Action.VIEW_PROGRAMMES_AND_REPORTS, ActivityReport.objects.all())
    return qs.select_related("drafted_by").order_by("-period_start", "-pk")


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


# --- warnings for the chair (Art. 7(7), 8(1), 8(2)(d)) ----------------------------------------


@dataclass(frozen=True)
class BoardWarning:
    code: str
    level: str  # "warning" or "info"
    message: str
    article: str


def meetings_in_year(*, year: int) -> int:
    """Meetings held or planned (not cancelled) in a calendar year (Art. 7(7))."""
    return Meeting.objects.filter(starts_at__year=year).exclude(status=MeetingStatus.CANCELLED).count()


def last_meeting(*, now=None) -> Meeting | None:
    now = now or timezone.now()
    return (
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
        .filter(starts_at__lte=now)
        .order_by("-starts_at", "-pk")
        .first()
    )


def next_meeting(*, now=None) -> Meeting | None:
    now = now or timezone.now()
    return (
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
        .filter(starts_at__gt=now)
        .order_by("starts_at", "pk")
        .first()
    )


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


def chair_warnings(*, user, now=None) -> list[BoardWarning]:
    """What the chair must act on: fewer than two meetings held or planned this calendar year
    (Art. 7(7)); the list of deployed ILOs not updated since the last meeting (Art. 8(2)(d));
    the rules of procedure not adopted within three months of the first meeting (Art. 8(1));
    vacant voting seats (Art. 7(2)); decisions not yet passed on to the officers (Art. 7(9))."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    warnings: list[BoardWarning] = []
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
                "meeting": date_format(timezone.localdate(last.starts_at), "SHORT_DATE_FORMAT"),
                "updated": date_format(timezone.localdate(updated), "SHORT_DATE_FORMAT") if updated else "",
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
        params = {"deadline": date_format(deadline.deadline, "SHORT_DATE_FORMAT")}
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


def due_motions(*, now=None) -> QuerySet[Motion]:
    """Written procedures whose deadline has passed and that are still open."""
    return Motion.objects.filter(status=MotionStatus.OPEN, closes_at__lte=now or timezone.now())


def upcoming_meetings(*, user, limit: int = 5) -> list[Meeting]:
    return list(meeting_list(user=user, when="upcoming")[:limit])


def default_report_period(today: date) -> tuple[date, date]:
    """The last two full calendar years (biannual report, Art. 8(2)(c))."""
    return date(today.year - 2, 1, 1), date(today.year - 1, 12, 31)
