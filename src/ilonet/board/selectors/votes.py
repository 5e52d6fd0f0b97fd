"""Who may vote on a motion, and the receipts of secret ballots (Art. 7(2), Art. 7(3), Art. 7(4),
Art. 7(8), Art. 8(1))."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.shared.dates import long_date, long_datetime

from ..models import (
    Ballot,
    Capacity,
    Membership,
    Motion,
    MotionStatus,
    Participant,
    ParticipantRole,
    Participation,
    Procedure,
    Proxy,
    Seat,
    VoteCapacity,
)
from .composition import positions_of


def speaking_as(*, user, motion: Motion) -> str:
    """How a statement is labelled: the seat and capacity, or the role at the meeting (Art. 7(3),
    Art. 7(4))."""
    for m in positions_of(user=user, day=timezone.localdate()):
        if not m.seat.voting:
            return _("Non-voting member, %(seat)s") % {"seat": m.seat}
        return _("%(capacity)s, %(seat)s") % {"capacity": m.get_capacity_display(), "seat": m.seat}
    held = {role for role, _o, _r in policy.roles_of(user)}
    if Role.CHAIR in held:
        return _("Chair")
    if Role.SECRETARIAT in held:
        return _("Secretariat")
    if Role.OBSERVER in held:
        return _("Observer")
    return str(Role(sorted(held)[0]).label) if held else ""


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
    """Why a user may not vote at all on a motion, in the user's language (Art. 7(3), Art. 7(4))."""
    today = timezone.localdate()
    positions = positions_of(user=user, day=today)
    if any(not m.seat.voting for m in positions):
        return _("Non-voting members (Art. 7(3)) may speak on every matter but do not vote.")
    if positions:
        day = motion.vote_day or today
        return _("Your seat was not part of the board on the day of the vote (%(day)s).") % {
            "day": long_date(day)
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
    return long_datetime(moment)


def check_vote_right(*, user, motion: Motion, on_behalf_of: Seat | None = None, now=None) -> VoteRight:
    """Everything that must hold for a vote to be accepted, each refusal with its reason:
    the motion is open; the voter holds a voting seat of the composition on the day of the vote
    (Art. 7(2), Art. 7(8)) or a proxy for the seat (Art. 8(1)); the seat has not voted yet (one vote
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
    if capacity == VoteCapacity.ALTERNATE and motion.procedure == Procedure.MEETING and motion.meeting_id:
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


def votes_waiting_for(*, user, now: datetime | None = None) -> QuerySet[Motion]:
    """Open votes, in a meeting or by written procedure, that wait for the user: the voting seat
    the user holds as member or alternate was part of the board on the day of the vote and has not
    voted yet (Art. 7(2), Art. 7(8)), or the user holds a proxy for a seat that has not voted yet
    (Art. 8(1)). A written procedure whose deadline has passed waits for nobody. Scoped by the
    policy; one query (plus the user's positions), soonest deadline first. Each motion carries
    ``for_own_seat`` and ``by_proxy``."""
    now = now or timezone.now()
    if not policy.can(user, policy.Action.VOTE):
        return Motion.objects.none()
    own: Q | None = None
    for m in positions_of(user=user, day=timezone.localdate(now)):
        if not m.seat.voting:
            continue
        in_electorate = Q(vote_day__isnull=True) | Q(vote_day__gte=m.seat.valid_from)
        if m.seat.valid_until is not None:
            in_electorate &= Q(vote_day__isnull=True) | Q(vote_day__lte=m.seat.valid_until)
        voted = Exists(Participation.objects.filter(motion=OuterRef("pk"), seat_id=m.seat_id))
        waiting = in_electorate & ~Q(voted)
        own = waiting if own is None else own | waiting
    proxy = Exists(
        Proxy.objects.filter(motion=OuterRef("pk"), holder_id=user.pk).exclude(
            Exists(Participation.objects.filter(motion=OuterRef("motion"), seat=OuterRef("grantor_seat")))
        )
    )
    qs = policy.scope(
        user,
        policy.Action.VIEW_BOARD,
        Motion.objects.filter(status=MotionStatus.OPEN).filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=now)
        ),
    )
    own_seat = ExpressionWrapper(own, output_field=BooleanField()) if own is not None else Value(False)
    return (
        qs.filter(proxy if own is None else own | proxy)
        .annotate(for_own_seat=own_seat, by_proxy=proxy)
        .select_related("meeting")
        .order_by(F("closes_at").asc(nulls_last=True), "pk")
    )
