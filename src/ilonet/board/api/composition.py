"""Composition and the list of members (Art. 7(2), Art. 7(3), Art. 9(2)(c), Art. 9(3))."""

from datetime import date

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ilonet.api.pagination import PageNumberPagination

from .. import selectors, services
from ..models import (
    Capacity,
    Membership,
    Seat,
    SeatKind,
)
from .common import PAGE, A, BoardIn, router

# --- composition and members (Art. 7(2), Art. 7(3), Art. 9(2)(c)) -------------------------------------------


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


@router.get("/composition", action=A.VIEW_BOARD, response=CompositionOut)
def get_composition(request, on: date | None = None):
    """The seats of the board on a day and the absolute majority of its voting members (Art. 7(8))."""
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
    id: int = Field(..., description="The membership (to end it)")
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
        return obj.listed_name or obj.listed_email  # the list's sealed copy (Art. 9(2)(c))

    @staticmethod
    def resolve_email(obj: Membership) -> str:
        return obj.listed_email

    @staticmethod
    def resolve_organisation(obj: Membership) -> str:
        return obj.user.organisation.code


@router.get("/members", action=A.VIEW_BOARD_MEMBERS, response=list[MemberOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_members(request, search: str | None = None):
    """The list of members of the board (Art. 9(2)(c)): for liaison officers, board members and
    duly authorised staff only (Art. 9(3)). Each request (one page) is audited."""
    if search and "\x00" in search:
        raise ValidationError({"search": _("Text must not contain NUL characters.")})
    services.record_members_list_read(
        actor=request.user,
        fmt="api",
        page=int(request.GET.get("page", 1) or 1),
        filters={"search": search or ""},
    )
    return selectors.member_list(user=request.user, search=search)


class AppointIn(BoardIn):
    email: str = Field(..., max_length=254)
    capacity: Capacity
    valid_from: date
    valid_until: date | None = None


class EndMembershipIn(BoardIn):
    valid_until: date


class SyncIn(BoardIn):
    on: date | None = None


class SyncOut(Schema):
    created: list[SeatOut]
    ended: list[SeatOut]


def _seat_out(seat: Seat) -> dict:
    return {
        "id": seat.pk,
        "organisation": seat.organisation.code,
        "name": str(seat),
        "kind": seat.kind,
        "number": seat.number,
        "voting": seat.voting,
        "vacant": False,
    }


@router.post("/seats/{int:seat_id}/memberships", action=A.MANAGE_BOARD, response={201: MemberOut})
def appoint(request, seat_id: int, payload: AppointIn):
    """Put a person on a seat as member or alternate (Art. 7(2), Art. 7(3))."""
    seat = get_object_or_404(Seat, pk=seat_id)
    values = payload.dict()
    user = selectors.user_by_email(values.pop("email"))
    return Status(201, services.appoint(actor=request.user, seat=seat, user=user, **values))


@router.post("/memberships/{int:membership_id}/end", action=A.MANAGE_BOARD, response=MemberOut)
def end_membership(request, membership_id: int, payload: EndMembershipIn):
    """End a membership on a day (the composition of earlier days is kept)."""
    membership = get_object_or_404(Membership.objects.select_related("seat", "user"), pk=membership_id)
    return services.end_membership(actor=request.user, membership=membership, valid_until=payload.valid_until)


@router.post("/composition/sync", action=A.MANAGE_BOARD, response=SyncOut)
def sync_composition(request, payload: SyncIn | None = None):
    """Bring the seats in line with the regulation and the directory from a day (Art. 7(2),
    Art. 7(3))."""
    result = services.sync_composition(actor=request.user, on=payload.on if payload else None)
    return {"created": [_seat_out(s) for s in result.created], "ended": [_seat_out(s) for s in result.ended]}
