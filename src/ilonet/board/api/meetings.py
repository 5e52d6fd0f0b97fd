"""Meetings, their agenda and minutes (Art. 7(4), Art. 7(5), Art. 7(6), Art. 7(7))."""

from datetime import datetime
from typing import Literal

from ninja import Field, File, Form, Schema, Status, UploadedFile
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination
from ilonet.api.schemas import DetailOut

from .. import selectors, services
from ..models import (
    AgendaKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
)
from .common import PAGE, A, BoardIn, router

# --- meetings (Art. 7(4), Art. 7(5), Art. 7(6), Art. 7(7)) ----------------------------------------


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
    id: int
    position: int
    title: str
    kind: str
    description: str
    motion: int | None = Field(None, alias="motion_id", description="The motion voted on under this item")


class ParticipantOut(Schema):
    id: int
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
        ..., description="Names only for readers of the list of board members (Art. 9(2)(c), Art. 9(3))"
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


@router.get("/meetings", action=A.VIEW_BOARD, response=list[MeetingOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_meetings(request, when: Literal["upcoming", "past"] | None = None):
    return selectors.meeting_list(user=request.user, when=when)


@router.post("/meetings", action=A.MANAGE_BOARD, response={201: MeetingDetailOut})
def create_meeting(request, payload: MeetingIn):
    """Convene a meeting (Art. 7(6)(c)) on today or a later day; the members on that day are invited."""
    meeting = services.create_meeting(actor=request.user, **payload.dict())
    return Status(201, _meeting_out(request, selectors.meeting_detail(user=request.user, pk=meeting.pk)))


class PastMeetingIn(MeetingIn):
    minutes: str = Field(..., min_length=1, max_length=50000)


@router.post("/meetings/past", action=A.MANAGE_BOARD, response={201: MeetingDetailOut})
def record_past_meeting(request, payload: PastMeetingIn):
    """Record a meeting that already took place, with its minutes; not before the board's first
    meeting, so the deadline of the rules of procedure does not move (Art. 8(1))."""
    meeting = services.record_past_meeting(actor=request.user, **payload.dict())
    return Status(201, _meeting_out(request, selectors.meeting_detail(user=request.user, pk=meeting.pk)))


@router.get("/meetings/{int:meeting_id}", action=A.VIEW_BOARD, response=MeetingDetailOut)
def get_meeting(request, meeting_id: int):
    return _meeting_out(request, selectors.meeting_detail(user=request.user, pk=meeting_id))


class AgendaItemIn(BoardIn):
    title: str = Field(..., max_length=300)
    kind: AgendaKind = AgendaKind.DISCUSSION
    description: str = Field("", max_length=5000)


class MinutesIn(BoardIn):
    minutes: str = Field(..., max_length=50000)


@router.post("/meetings/{int:meeting_id}/agenda", action=A.MANAGE_AGENDA, response={201: AgendaItemOut})
def add_agenda_item(request, meeting_id: int, payload: AgendaItemIn):
    meeting = selectors.meeting_detail(user=request.user, pk=meeting_id)
    return Status(201, services.add_agenda_item(actor=request.user, meeting=meeting, **payload.dict()))


@router.post("/meetings/{int:meeting_id}/minutes", action=A.MANAGE_BOARD, response=MeetingOut)
def record_minutes(request, meeting_id: int, payload: MinutesIn):
    """The minutes of a meeting that has begun; the meeting is then held."""
    meeting = selectors.meeting_detail(user=request.user, pk=meeting_id)
    return services.record_minutes(actor=request.user, meeting=meeting, minutes=payload.minutes)


class MeetingUpdateIn(BoardIn):
    title: str | None = Field(None, max_length=200)
    kind: MeetingKind | None = None
    joint_with: str | None = Field(None, max_length=300)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = Field(None, max_length=300)


class InvitationIn(BoardIn):
    email: str = Field(..., max_length=254)
    role: ParticipantRole


class AttendanceIn(BoardIn):
    present: list[int] = Field(..., max_length=500, description="ids of the participants present")


class MeetingDocumentOut(Schema):
    id: int = Field(
        ..., description="the document's id on the exchange platform (/api/v1/exchange/documents/{id})"
    )
    title: str
    marking: str


def _meeting(request, meeting_id: int) -> Meeting:
    return selectors.meeting_detail(user=request.user, pk=meeting_id)


@router.patch("/meetings/{int:meeting_id}", action=A.MANAGE_BOARD, response=MeetingOut)
def update_meeting(request, meeting_id: int, payload: MeetingUpdateIn):
    """Change a meeting that was not cancelled (its invitation's SEQUENCE is raised)."""
    fields = payload.dict(exclude_unset=True)
    return services.update_meeting(actor=request.user, meeting=_meeting(request, meeting_id), **fields)


@router.post("/meetings/{int:meeting_id}/cancel", action=A.MANAGE_BOARD, response=MeetingOut)
def cancel_meeting(request, meeting_id: int):
    """Cancel a meeting that was not held and has no open vote."""
    return services.cancel_meeting(actor=request.user, meeting=_meeting(request, meeting_id))


@router.post("/meetings/{int:meeting_id}/invitations", action=A.MANAGE_BOARD, response={201: ParticipantOut})
def invite(request, meeting_id: int, payload: InvitationIn):
    """Invite an observer (Art. 7(4)), a participant of a joint meeting (Art. 7(5)), the chair or
    the secretariat; members come with their seat."""
    meeting = _meeting(request, meeting_id)
    user = selectors.user_by_email(payload.email)
    return Status(201, services.invite(actor=request.user, meeting=meeting, user=user, role=payload.role))


@router.post("/meetings/{int:meeting_id}/attendance", action=A.MANAGE_BOARD, response=MeetingDetailOut)
def record_attendance(request, meeting_id: int, payload: AttendanceIn):
    """Who attended (Art. 7(2)); everyone else invited is recorded absent."""
    meeting = _meeting(request, meeting_id)
    services.record_attendance(actor=request.user, meeting=meeting, present=set(payload.present))
    return _meeting_out(request, _meeting(request, meeting_id))


@router.post(
    "/meetings/{int:meeting_id}/documents",
    action=A.MANAGE_BOARD,
    response={201: MeetingDocumentOut, 413: DetailOut, 415: DetailOut, 503: DetailOut},
)
def upload_document(
    request, meeting_id: int, title: Form[str], file: File[UploadedFile], marking: Form[str] = "limited"
):
    """Attach a PDF, ODT or DOCX to a meeting: stored in the steering board's space on the
    exchange platform (recognised by content, within the size limit, the personal-data guard,
    scanned for malware); no personal data (Art. 9(3)), a marking the platform may hold
    (Art. 9(1)). Refused: 413 over the size limit, 415 a type not accepted or a program, 422 a
    damaged, encrypted or macro-carrying file, personal data or a marking above what the
    platform may hold, 503 while the malware scanner is unavailable."""
    meeting = _meeting(request, meeting_id)
    document = services.upload_document(
        actor=request.user, meeting=meeting, title=title[:300], file=file, marking=marking[:20]
    )
    return Status(201, document)
