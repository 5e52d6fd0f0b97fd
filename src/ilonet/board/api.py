"""API of the steering board (Art. 7, 8; Art. 9(2)(b)-(c), (e), 9(4)). Thin: the policy,
selectors and services do the work; the same rules as the pages apply."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination
from ilonet.api.schemas import StrictSchema
from ilonet.directory import selectors as directory

from . import selectors, services
from .models import (
    ActionStatus,
    AgendaKind,
    Capacity,
    Choice,
    ItemKind,
    ItemStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    Motion,
    MotionStatus,
    Outcome,
    ParticipantRole,
    Procedure,
    ProgrammeStatus,
    RulesStatus,
    SeatKind,
    SecretBallot,
    TrainingKind,
    VoteCapacity,
)

router = Router(tags=["board"])


class BoardIn(StrictSchema):
    """Request bodies of the board: unknown fields refused (``StrictSchema``), and no NUL
    character in any text (PostgreSQL cannot store it: it would be a server error, not a 422)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(_("Text must not contain NUL characters."))
        return value


A = policy.Action
PAGE = 50


# --- composition and members (Art. 7(2)-(3), 9(2)(c)) -----------------------------------------


class SeatOut(Schema):
    id: int
    organisation: str = Field(..., description="Directory code of the organisation")
    name: str
    kind: SeatKind
    number: int
    voting: bool
    vacant: bool


class CompositionOut(Schema):
    day: date
    voting_members: int = Field(..., description="Voting seats of the composition, vacant or not (Art. 7(8))")
    non_voting_members: int
    absolute_majority: int = Field(..., description="Votes in favour needed to adopt a decision (Art. 7(8))")
    seats: list[SeatOut]


@router.get("/composition", response=CompositionOut)
def get_composition(request, on: date | None = None):
    """The seats of the board on a day and the absolute majority of its voting members (Art. 7(8))."""
    policy.authorize(request.user, A.VIEW_BOARD)
    comp = selectors.composition(day=on or timezone.localdate())
    return {
        "day": comp.day,
        "voting_members": comp.voting,
        "non_voting_members": comp.non_voting,
        "absolute_majority": comp.threshold,
        "seats": [
            {
                "id": r.seat.pk,
                "organisation": r.seat.organisation.code,
                "name": str(r.seat),
                "kind": r.seat.kind,
                "number": r.seat.number,
                "voting": r.seat.voting,
                "vacant": r.vacant,
            }
            for r in comp.rows
        ],
    }


class MemberOut(Schema):
    seat: str
    seat_id: int
    voting: bool
    capacity: Capacity
    name: str
    email: str
    organisation: str
    valid_from: date
    valid_until: date | None

    @staticmethod
    def resolve_seat(obj: Membership) -> str:
        return str(obj.seat)

    @staticmethod
    def resolve_voting(obj: Membership) -> bool:
        return obj.seat.voting

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_email(obj: Membership) -> str:
        return obj.user.email

    @staticmethod
    def resolve_organisation(obj: Membership) -> str:
        return obj.user.organisation.code


@router.get("/members", response=list[MemberOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_members(request, search: str | None = None):
    """The list of members of the board (Art. 9(2)(c)): for liaison officers, board members and
    duly authorised staff only (Art. 9(3)). Each request (one page) is audited."""
    policy.authorize(request.user, A.VIEW_BOARD_MEMBERS)
    if search and "\x00" in search:
        raise ValidationError({"search": _("Text must not contain NUL characters.")})
    services.record_members_list_read(
        actor=request.user,
        fmt="api",
        page=int(request.GET.get("page", 1) or 1),
        filters={"search": search or ""},
    )
    return selectors.member_list(user=request.user, search=search)


# --- meetings (Art. 7(4)-(7)) ------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    title: str
    kind: MeetingKind
    joint_with: str
    starts_at: datetime
    ends_at: datetime
    location: str
    status: MeetingStatus


class AgendaItemOut(Schema):
    position: int
    title: str
    kind: str
    description: str


class ParticipantOut(Schema):
    name: str
    role: ParticipantRole
    seat: str | None
    attended: bool | None

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_seat(obj) -> str | None:
        return str(obj.seat) if obj.seat_id else None


class MeetingDetailOut(MeetingOut):
    minutes: str
    agenda: list[AgendaItemOut]
    participants: list[ParticipantOut] = Field(
        ..., description="Names only for readers of the list of board members (Art. 9(2)(c), 9(3))"
    )


def _meeting_out(request, meeting: Meeting) -> dict:
    names = policy.can(request.user, A.VIEW_BOARD_MEMBERS)
    data = MeetingOut.from_orm(meeting).dict()
    data.update(
        minutes=meeting.minutes,
        agenda=list(meeting.agenda_items.all()),
        participants=list(meeting.participants.all()) if names else [],
    )
    return data


class MeetingIn(BoardIn):
    title: str = Field(..., max_length=200)
    kind: MeetingKind = MeetingKind.REGULAR
    joint_with: str = Field("", max_length=300)
    starts_at: datetime
    ends_at: datetime
    location: str = Field(..., max_length=300)


@router.get("/meetings", response=list[MeetingOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_meetings(request, when: Literal["upcoming", "past"] | None = None):
    policy.authorize(request.user, A.VIEW_BOARD)
    return selectors.meeting_list(user=request.user, when=when)


@router.post("/meetings", response={201: MeetingDetailOut})
def create_meeting(request, payload: MeetingIn):
    """Convene a meeting (Art. 7(6)(c)); the members on that day are invited."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    meeting = services.create_meeting(actor=request.user, **payload.dict())
    return Status(201, _meeting_out(request, selectors.meeting_detail(user=request.user, pk=meeting.pk)))


@router.get("/meetings/{int:meeting_id}", response=MeetingDetailOut)
def get_meeting(request, meeting_id: int):
    policy.authorize(request.user, A.VIEW_BOARD)
    return _meeting_out(request, selectors.meeting_detail(user=request.user, pk=meeting_id))


# --- motions and votes (Art. 7(8), 8(1)) -------------------------------------------------------


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


def _motion(request, motion_id: int) -> Motion:
    policy.authorize(request.user, A.VIEW_BOARD)
    return get_object_or_404(selectors.motion_list(user=request.user), pk=motion_id)


@router.get("/motions", response=list[MotionOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_motions(request, status: MotionStatus | None = None):
    policy.authorize(request.user, A.VIEW_BOARD)
    services.close_due_motions()
    return selectors.motion_list(user=request.user, status=status)


@router.post("/motions", response={201: MotionOut})
def create_motion(request, payload: MotionIn):
    """Draft a motion, for a vote in a meeting or by written procedure (Art. 7(8))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    values = payload.dict()
    meeting_id = values.pop("meeting")
    meeting = (
        get_object_or_404(selectors.meeting_list(user=request.user), pk=meeting_id) if meeting_id else None
    )
    return Status(201, services.create_motion(actor=request.user, meeting=meeting, **values))


@router.get("/motions/{int:motion_id}", response=MotionOut)
def get_motion(request, motion_id: int):
    services.close_due_motions()
    return _motion(request, motion_id)


@router.post("/motions/{int:motion_id}/open", response=MotionOut)
def open_motion(request, motion_id: int):
    """Open the vote: fixes the composition (day) and the rules of procedure that apply."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    return services.open_motion(actor=request.user, motion=_motion(request, motion_id))


@router.post("/motions/{int:motion_id}/close", response=MotionOut)
def close_motion(request, motion_id: int):
    """Close the vote and count (Art. 7(8))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    return services.close_motion(actor=request.user, motion=_motion(request, motion_id))


@router.post("/motions/{int:motion_id}/votes", response={201: VoteOut})
def cast_vote(request, motion_id: int, payload: VoteIn):
    """Cast the vote of your seat, or of a seat whose proxy you hold (Art. 7(8), 8(1)). Refused
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


@router.post("/motions/{int:motion_id}/proxies", response={201: ProxyOut})
def grant_proxy(request, motion_id: int, payload: ProxyIn):
    """Let another voting member vote on your seat's behalf, where the rules of procedure allow
    it (Art. 8(1))."""
    motion = _motion(request, motion_id)
    holder = services.user_by_email(payload.holder_email)
    proxy = services.grant_proxy(actor=request.user, motion=motion, holder=holder)
    return Status(201, {"seat": str(proxy.grantor_seat), "holder": str(proxy.holder)})


@router.get("/motions/{int:motion_id}/statements", response=list[StatementOut])
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


@router.post("/motions/{int:motion_id}/statements", response={201: StatementOut})
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


@router.get("/motions/{int:motion_id}/receipts", response=list[ReceiptOut])
def list_receipts(request, motion_id: int):
    """The receipts of a closed secret vote with their votes, ordered by fingerprint."""
    return list(selectors.published_receipts(motion=_motion(request, motion_id)))


# --- decisions and their dispatch (Art. 7(9)) ----------------------------------------------------


class DispatchOut(Schema):
    id: int
    decision: int = Field(..., alias="motion_id")
    decision_title: str = Field(..., alias="motion.title")
    authority: str = Field(..., alias="authority.code")
    passed_on_at: datetime | None
    note: str


class PassOnIn(BoardIn):
    note: str = Field("", max_length=500)


@router.get("/decisions", response=list[MotionOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_decisions(request):
    """Adopted decisions (Art. 7(8)), shared with the network (Art. 9(2)(e))."""
    policy.authorize(request.user, A.VIEW_DECISIONS)
    return selectors.decision_list(user=request.user)


@router.get("/dispatches", response=list[DispatchOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_dispatches(request, pending: bool | None = None):
    """The decisions your deploying authorities pass on to their officers (Art. 7(9))."""
    policy.authorize(request.user, A.PASS_ON_DECISIONS)
    return selectors.dispatches_for(user=request.user, pending=pending)


@router.post("/dispatches/{int:dispatch_id}/passed-on", response=DispatchOut)
def mark_passed_on(request, dispatch_id: int, payload: PassOnIn):
    policy.authorize(request.user, A.PASS_ON_DECISIONS)
    dispatch = get_object_or_404(selectors.dispatches_for(user=request.user), pk=dispatch_id)
    return services.mark_passed_on(actor=request.user, dispatch=dispatch, note=payload.note)


# --- rules, work programmes, activity reports (Art. 8(1)-(2)) ------------------------------------


class RulesOut(Schema):
    id: int
    version: int
    title: str
    text: str
    status: RulesStatus
    adopted_on: date | None
    proxies_allowed: bool
    max_proxies_per_holder: int
    quorum_percent: int
    secret_ballot: SecretBallot
    written_procedure_allowed: bool
    written_procedure_min_days: int


class ProgrammeOut(Schema):
    id: int
    title: str
    period_start: date
    period_end: date
    status: ProgrammeStatus
    adopted_on: date | None
    sent_to_ep_on: date | None


class ReportOut(ProgrammeOut):
    overview: dict


@router.get("/rules", response=list[RulesOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_rules(request):
    if not policy.can(request.user, A.VIEW_BOARD):
        policy.authorize(request.user, A.VIEW_DECISIONS)
    return selectors.rules_list(user=request.user)


@router.get("/programmes", response=list[ProgrammeOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_programmes(request):
    """Work programmes (Art. 8(2)(a)); the European Parliament reader sees those sent to it."""
    policy.authorize(request.user, A.VIEW_PROGRAMMES_AND_REPORTS)
    return selectors.programme_list(user=request.user)


@router.get("/reports", response=list[ReportOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_reports(request):
    """Activity reports with their overview of deployments (Art. 4(1), 8(2)(c))."""
    policy.authorize(request.user, A.VIEW_PROGRAMMES_AND_REPORTS)
    return selectors.report_list(user=request.user)


class RulesIn(BoardIn):
    title: str = Field(..., max_length=200)
    text: str = Field(..., max_length=100000)
    proxies_allowed: bool = False
    max_proxies_per_holder: int = Field(1, ge=1, le=5)
    quorum_percent: int = Field(0, ge=0, le=100)
    secret_ballot: SecretBallot = SecretBallot.NEVER
    written_procedure_allowed: bool = True
    written_procedure_min_days: int = Field(5, ge=1, le=60)


@router.post("/rules", response={201: RulesOut})
def propose_rules(request, payload: RulesIn):
    """A new version of the rules of procedure, on the chair's proposal (Art. 8(1))."""
    policy.authorize(request.user, A.PROPOSE_RULES)
    return Status(201, services.propose_rules(actor=request.user, **payload.dict()))


class PeriodIn(BoardIn):
    title: str = Field(..., max_length=200)
    period_start: date
    period_end: date


class ProgrammeIn(PeriodIn):
    summary: str = Field("", max_length=20000)


class ProgrammeItemIn(BoardIn):
    kind: ItemKind
    title: str = Field(..., max_length=300)
    description: str = Field("", max_length=5000)
    resources: str = Field("", max_length=2000)
    owner: str | None = Field(None, description="Directory code of the owner", max_length=40)
    due_on: date | None = None


class ProgrammeItemOut(Schema):
    id: int
    kind: ItemKind
    title: str
    resources: str
    owner: str | None = Field(None, alias="owner.code")
    due_on: date | None
    status: ItemStatus


class ReportIn(PeriodIn):
    body: str = Field("", max_length=100000)


@router.post("/programmes", response={201: ProgrammeOut})
def create_programme(request, payload: ProgrammeIn):
    """Draft a biannual work programme (Art. 8(2)(a))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    return Status(201, services.create_programme(actor=request.user, **payload.dict()))


@router.post("/programmes/{int:programme_id}/items", response={201: ProgrammeItemOut})
def add_programme_item(request, programme_id: int, payload: ProgrammeItemIn):
    """A priority or activity with the resources it needs and its owner (Art. 8(2)(a))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    programme = get_object_or_404(selectors.programme_list(user=request.user), pk=programme_id)
    values = payload.dict()
    owner_code = values.pop("owner")
    owner = (
        get_object_or_404(directory.organisation_list(user=request.user), code=owner_code)
        if owner_code
        else None
    )
    return Status(
        201, services.add_programme_item(actor=request.user, programme=programme, owner=owner, **values)
    )


@router.post("/reports", response={201: ReportOut})
def create_report(request, payload: ReportIn):
    """Draft the activity report; its overview of deployments comes from the registry (Art. 4(1),
    8(2)(c))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    return Status(201, services.create_report(actor=request.user, **payload.dict()))


class AgendaItemIn(BoardIn):
    title: str = Field(..., max_length=300)
    kind: AgendaKind = AgendaKind.DISCUSSION
    description: str = Field("", max_length=5000)


class MinutesIn(BoardIn):
    minutes: str = Field(..., max_length=50000)


@router.post("/meetings/{int:meeting_id}/agenda", response={201: AgendaItemOut})
def add_agenda_item(request, meeting_id: int, payload: AgendaItemIn):
    policy.authorize(request.user, A.MANAGE_BOARD)
    meeting = selectors.meeting_detail(user=request.user, pk=meeting_id)
    return Status(201, services.add_agenda_item(actor=request.user, meeting=meeting, **payload.dict()))


@router.post("/meetings/{int:meeting_id}/minutes", response=MeetingOut)
def record_minutes(request, meeting_id: int, payload: MinutesIn):
    """The minutes of a meeting that has begun; the meeting is then held."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    meeting = selectors.meeting_detail(user=request.user, pk=meeting_id)
    return services.record_minutes(actor=request.user, meeting=meeting, minutes=payload.minutes)


class AdHocActionOut(Schema):
    id: int
    title: str
    description: str
    networks: str
    agreed_on: date
    due_on: date | None
    status: ActionStatus
    result: str


class AdHocActionIn(BoardIn):
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=5000)
    networks: str = Field(..., max_length=500)
    agreed_on: date
    due_on: date | None = None


class TrainingOut(Schema):
    id: int
    kind: TrainingKind
    title: str
    description: str
    provider: str
    starts_on: date | None
    ends_on: date | None


class TrainingIn(BoardIn):
    kind: TrainingKind
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    provider: str = Field("", max_length=200)
    starts_on: date | None = None
    ends_on: date | None = None


@router.get("/actions", response=list[AdHocActionOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_ad_hoc_actions(request):
    """Ad-hoc actions agreed outside the work programme (Art. 8(3)(a)) and their results."""
    policy.authorize(request.user, A.VIEW_DECISIONS)
    return selectors.ad_hoc_action_list(user=request.user)


@router.post("/actions", response={201: AdHocActionOut})
def record_ad_hoc_action(request, payload: AdHocActionIn):
    policy.authorize(request.user, A.MANAGE_BOARD)
    return Status(201, services.record_ad_hoc_action(actor=request.user, **payload.dict()))


@router.get("/trainings", response=list[TrainingOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_trainings(request):
    """Training activities and curricula the board supports (Art. 8(3)(c))."""
    policy.authorize(request.user, A.VIEW_DECISIONS)
    return selectors.training_list(user=request.user)


@router.post("/trainings", response={201: TrainingOut})
def record_training(request, payload: TrainingIn):
    policy.authorize(request.user, A.MANAGE_BOARD)
    return Status(201, services.record_training(actor=request.user, **payload.dict()))


class WarningOut(Schema):
    code: str
    level: str
    message: str
    article: str


@router.get("/warnings", response=list[WarningOut])
def list_warnings(request):
    """What the chair must act on (Art. 7(7), 8(1), 8(2)(d), 7(2), 7(9))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    return selectors.chair_warnings(user=request.user)
