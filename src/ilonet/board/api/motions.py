"""Motions, decisions, their dispatch and the chair's warnings (Art. 7(8), Art. 7(9), Art. 8(1))."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination
from ilonet.api.plain import paginate_plain

from .. import selectors, services
from ..models import (
    Motion,
    MotionStatus,
    Outcome,
    Procedure,
)
from .common import PAGE, A, BoardIn, router

# --- motions and votes (Art. 7(8), Art. 8(1)) ----------------------------------------------------------


class ResultOut(Schema):
    votes_for: int
    votes_against: int
    abstentions: int
    did_not_vote: int
    voting_members: int
    absolute_majority: int
    quorum: int
    outcome: Outcome
    explanation: str


class MotionOut(Schema):
    id: int
    title: str
    text: str
    procedure: Procedure
    meeting: int | None = Field(None, alias="meeting_id")
    secret: bool
    status: MotionStatus
    vote_day: date | None
    voting_members: int | None = Field(None, alias="electorate")
    absolute_majority: int | None = Field(None, alias="threshold")
    quorum: int | None
    closes_at: datetime | None
    closed_at: datetime | None
    result: ResultOut | None

    @staticmethod
    def resolve_result(obj: Motion):
        tally = selectors.result_of(obj)
        if tally is None:
            return None
        return {
            "votes_for": tally.votes_for,
            "votes_against": tally.votes_against,
            "abstentions": tally.abstentions,
            "did_not_vote": tally.not_voting,
            "voting_members": tally.electorate,
            "absolute_majority": tally.threshold,
            "quorum": tally.quorum,
            "outcome": obj.outcome,
            "explanation": selectors.explanation(obj),
        }


class MotionIn(BoardIn):
    title: str = Field(..., max_length=300)
    text: str = Field(..., max_length=20000)
    procedure: Procedure
    meeting: int | None = None
    closes_at: datetime | None = None
    secret: bool = False
    communicate_to_ilos: bool = True
    # What the decision adopts, if anything (at most one): a draft of the rules of procedure
    # (Art. 8(1)), the work programme (Art. 8(2)(a)) or the activity report (Art. 8(2)(c)).
    rules: int | None = None
    programme: int | None = None
    report: int | None = None


class MotionAmendIn(BoardIn):
    title: str | None = Field(None, max_length=300)
    text: str | None = Field(None, max_length=20000)


class DeadlineIn(BoardIn):
    closes_at: datetime


def _motion(request, motion_id: int) -> Motion:
    policy.authorize(request.user, A.VIEW_BOARD)
    return get_object_or_404(selectors.motion_list(user=request.user), pk=motion_id)


@router.get("/motions", action=A.VIEW_BOARD, response=list[MotionOut])
@paginate_plain(MotionOut, page_size=PAGE)
def list_motions(request, status: MotionStatus | None = None):
    services.close_due_motions()
    return selectors.motion_list(user=request.user, status=status)


@router.post("/motions", action=A.MANAGE_BOARD, response={201: MotionOut})
def create_motion(request, payload: MotionIn):
    """Draft a motion, for a vote in a meeting or by written procedure (Art. 7(8))."""
    values = payload.dict()
    meeting_id = values.pop("meeting")
    meeting = (
        get_object_or_404(selectors.meeting_list(user=request.user), pk=meeting_id) if meeting_id else None
    )
    subjects = {
        "rules": selectors.rules_list(user=request.user),
        "programme": selectors.programme_list(user=request.user),
        "report": selectors.report_list(user=request.user),
    }
    for name, documents in subjects.items():
        pk = values.pop(name)
        values[name] = get_object_or_404(documents, pk=pk) if pk is not None else None
    return Status(201, services.create_motion(actor=request.user, meeting=meeting, **values))


@router.get("/motions/{int:motion_id}", action=A.VIEW_BOARD, response=MotionOut)
def get_motion(request, motion_id: int):
    services.close_due_motions()
    return _motion(request, motion_id)


@router.post("/motions/{int:motion_id}/open", action=A.MANAGE_BOARD, response=MotionOut)
def open_motion(request, motion_id: int):
    """Open the vote: fixes the composition (day) and the rules of procedure that apply."""
    return services.open_motion(actor=request.user, motion=_motion(request, motion_id))


@router.post("/motions/{int:motion_id}/close", action=A.CLOSE_VOTE, response=MotionOut)
def close_motion(request, motion_id: int):
    """Close the vote and count (Art. 7(8)). A written procedure closes before its deadline only
    when every voting member has voted (422 with the reason otherwise; ``GET /motions/{id}/state``
    says beforehand whether it may close)."""
    return services.close_motion(actor=request.user, motion=_motion(request, motion_id))


@router.post("/motions/{int:motion_id}/amend", action=A.MANAGE_BOARD, response=MotionOut)
def amend_motion(request, motion_id: int, payload: MotionAmendIn):
    """Amend a draft motion; the change is kept in its history (Art. 7(8))."""
    return services.amend_motion(actor=request.user, motion=_motion(request, motion_id), **payload.dict())


@router.post("/motions/{int:motion_id}/deadline", action=A.MANAGE_BOARD, response=MotionOut)
def extend_deadline(request, motion_id: int, payload: DeadlineIn):
    """Extend the deadline of a written procedure (never shortened while open)."""
    motion = _motion(request, motion_id)
    return services.extend_deadline(actor=request.user, motion=motion, closes_at=payload.closes_at)


@router.post("/motions/{int:motion_id}/withdraw", action=A.MANAGE_BOARD, response=MotionOut)
def withdraw_motion(request, motion_id: int):
    """Withdraw a draft or open motion; a secret vote's sealed ballots are discarded unopened."""
    return services.withdraw_motion(actor=request.user, motion=_motion(request, motion_id))


# --- decisions and their dispatch (Art. 7(9)) -----------------------------------------------------


class DispatchOut(Schema):
    id: int
    decision: int = Field(..., alias="motion_id")
    decision_title: str = Field(..., alias="motion.title")
    authority: str = Field(..., alias="authority.code")
    passed_on_at: datetime | None
    note: str


class PassOnIn(BoardIn):
    note: str = Field("", max_length=500)


@router.get("/decisions", action=A.VIEW_DECISIONS, response=list[MotionOut])
@paginate(PageNumberPagination, page_size=PAGE, keyset=False)  # ordered by closed_at, unset on drafts
def list_decisions(request):
    """Adopted decisions (Art. 7(8)), shared with the network (Art. 9(2)(e))."""
    return selectors.decision_list(user=request.user)


@router.get("/dispatches", action=A.PASS_ON_DECISIONS, response=list[DispatchOut])
@paginate(PageNumberPagination, page_size=PAGE, keyset=False)  # ordered by a date that may be unset
def list_dispatches(request, pending: bool | None = None):
    """The decisions your deploying authorities pass on to their officers (Art. 7(9))."""
    return selectors.dispatches_for(user=request.user, pending=pending)


@router.post("/dispatches/{int:dispatch_id}/passed-on", action=A.PASS_ON_DECISIONS, response=DispatchOut)
def mark_passed_on(request, dispatch_id: int, payload: PassOnIn):
    dispatch = get_object_or_404(selectors.dispatches_for(user=request.user), pk=dispatch_id)
    return services.mark_passed_on(actor=request.user, dispatch=dispatch, note=payload.note)


class WarningOut(Schema):
    code: str
    level: str
    message: str
    article: str


@router.get("/warnings", action=A.MANAGE_BOARD, response=list[WarningOut])
def list_warnings(request):
    """What the chair must act on (Art. 7(7), Art. 8(1), Art. 8(2)(d), Art. 7(2), Art. 7(9))."""
    return selectors.chair_warnings(user=request.user)
