"""Votes, proxies, statements and receipts (Art. 7(3), Art. 7(4), Art. 7(8), Art. 8(1))."""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Schema, Status

from ilonet import policy

from .. import selectors, services
from ..models import (
    Choice,
    MotionStatus,
    VoteCapacity,
)
from .common import A, BoardIn, router
from .motions import _motion


class VoteIn(BoardIn):
    choice: Choice
    on_behalf_of_seat: int | None = Field(None, description="Seat id, when voting with a proxy (Art. 8(1))")


class VoteOut(Schema):
    seat: str
    capacity: VoteCapacity
    receipt: str | None = Field(
        None, description="Secret ballot only: shown once, never stored; check it in the published receipts"
    )


class ProxyIn(BoardIn):
    holder_email: str = Field(..., max_length=254)


class ProxyOut(Schema):
    seat: str
    holder: str


class StatementIn(BoardIn):
    text: str = Field(..., max_length=5000)


class StatementOut(Schema):
    author: str
    speaking_as: str
    text: str
    created_at: datetime


class ReceiptOut(Schema):
    fingerprint: str
    choice: Choice

    @staticmethod
    def resolve_fingerprint(obj) -> str:
        return obj.receipt_fingerprint[:16]


@router.post("/motions/{int:motion_id}/votes", action=A.VOTE, response={201: VoteOut})
def cast_vote(request, motion_id: int, payload: VoteIn):
    """Cast the vote of your seat, or of a seat whose proxy you hold (Art. 7(8), Art. 8(1)). Refused
    with the reason for non-voting members (Art. 7(3)), observers (Art. 7(4)), a second vote for
    a seat, an alternate whose member voted (Art. 7(2)), or a closed motion."""
    motion = _motion(request, motion_id)
    on_behalf_of = None
    if payload.on_behalf_of_seat is not None:
        on_behalf_of = get_object_or_404(
            selectors.seats_on(day=timezone.localdate()), pk=payload.on_behalf_of_seat
        )
    cast = services.cast_vote(
        actor=request.user, motion=motion, choice=payload.choice, on_behalf_of=on_behalf_of
    )
    return Status(
        201,
        {
            "seat": str(cast.participation.seat),
            "capacity": cast.participation.capacity,
            "receipt": cast.receipt,
        },
    )


@router.post("/motions/{int:motion_id}/proxies", action=A.VOTE, response={201: ProxyOut})
def grant_proxy(request, motion_id: int, payload: ProxyIn):
    """Let another voting member vote on your seat's behalf, where the rules of procedure allow
    it (Art. 8(1))."""
    motion = _motion(request, motion_id)
    holder = selectors.user_by_email(payload.holder_email)
    proxy = services.grant_proxy(actor=request.user, motion=motion, holder=holder)
    return Status(201, {"seat": str(proxy.grantor_seat), "holder": str(proxy.holder)})


@router.get("/motions/{int:motion_id}/statements", action=A.VIEW_BOARD, response=list[StatementOut])
def list_statements(request, motion_id: int):
    """Statements on a motion; the authors' names only for readers of the list of board members
    (Art. 9(3)), the capacity they spoke in for everyone."""
    names = policy.can(request.user, A.VIEW_BOARD_MEMBERS)
    return [
        {
            "author": str(c.author) if names else "",
            "speaking_as": c.speaking_as,
            "text": c.text,
            "created_at": c.created_at,
        }
        for c in selectors.comments_of(motion=_motion(request, motion_id))
    ]


@router.post("/motions/{int:motion_id}/statements", action=A.SPEAK, response={201: StatementOut})
def make_statement(request, motion_id: int, payload: StatementIn):
    """Speak on a motion: members, non-voting members (Art. 7(3)) and invited observers (Art. 7(4))."""
    motion = _motion(request, motion_id)
    policy.authorize(request.user, A.SPEAK, motion)
    statement = services.comment(actor=request.user, motion=motion, text=payload.text)
    return Status(
        201,
        {
            "author": str(statement.author),
            "speaking_as": statement.speaking_as,
            "text": statement.text,
            "created_at": statement.created_at,
        },
    )


@router.get("/motions/{int:motion_id}/receipts", action=A.VIEW_BOARD, response=list[ReceiptOut])
def list_receipts(request, motion_id: int):
    """The receipts of a closed secret vote with their votes, ordered by fingerprint."""
    return list(selectors.published_receipts(motion=_motion(request, motion_id)))


# --- what a user may see and do on a vote now (the same answer as the motion page) ------------------


class TallyOut(Schema):
    votes_for: int
    votes_against: int
    abstentions: int
    not_voted: int = Field(..., description="Seats that did not vote (yet), vacant seats included")
    voting_members: int
    absolute_majority: int
    quorum: int


class VoteStateOut(Schema):
    status: MotionStatus
    secret: bool
    seats_voted: int
    results: Literal["none", "sealed", "so_far", "final"] = Field(
        ...,
        description="none: draft or withdrawn; sealed: a secret ballot while it runs; so_far: an open vote "
        "while it runs (counted as cast); final: closed",
    )
    tally: TallyOut | None = Field(None, description="The votes so far (so_far) or the result (final)")
    results_note: str
    votes_by_seat_visible: bool = Field(
        ..., description="Who voted how: open votes, readers of the members list"
    )
    participants_visible: bool
    record_available: bool
    record_final: bool
    record_refusal: str
    receipts_published: bool
    may_open: bool
    open_refusal: str
    may_close: bool
    close_refusal: str
    closes_by_itself_at: datetime | None
    may_amend: bool
    may_withdraw: bool
    may_change_deadline: bool


def _state_out(state: selectors.VoteState) -> dict:
    data = dict(state.__dict__)
    count = state.tally
    data["tally"] = (
        None
        if count is None
        else {
            "votes_for": count.votes_for,
            "votes_against": count.votes_against,
            "abstentions": count.abstentions,
            "not_voted": count.not_voting,
            "voting_members": count.electorate,
            "absolute_majority": count.threshold,
            "quorum": count.quorum,
        }
    )
    return data


@router.get("/motions/{int:motion_id}/state", action=A.VIEW_BOARD, response=VoteStateOut)
def get_vote_state(request, motion_id: int):
    """What you may see and do on this vote now, and why not (the motion page shows the same):
    open votes are counted as they are cast and shown so far, secret ballots stay sealed until the
    close (Art. 8(1)); a written procedure closes at its deadline, earlier only when every voting
    member has voted (Art. 7(8))."""
    services.close_due_motions()
    return _state_out(selectors.vote_state(user=request.user, motion=_motion(request, motion_id)))
