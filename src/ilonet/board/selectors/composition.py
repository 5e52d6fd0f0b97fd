"""Composition of the board on a day: seats, memberships, the list of members (Art. 7(2), Art. 7(3),
Art. 7(4), Art. 9(2)(c))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.directory import selectors as directory
from ilonet.directory.models import Organisation
from ilonet.shared.envelope import name_digest

from .. import counting
from ..models import (
    BOARD_MEMBER_NAME_DOMAIN,
    Capacity,
    Membership,
    MembershipNameDigest,
    Seat,
    SeatKind,
)

COMMISSION_CODE = "com"
COMMISSION_SEATS = 2  # Art. 7(2)
AGENCY_CODES = ("frontex", "europol", "euaa")  # Art. 7(2): Frontex, Europol, EUAA (formerly EASO)


def user_by_email(email: str):
    """An active account by e-mail, or a translated field error."""
    user = (
        get_user_model()._default_manager.filter(email__iexact=(email or "").strip(), is_active=True).first()
    )
    if user is None:
        raise ValidationError({"email": _("No active account has this e-mail address.")})
    return user


def expected_seats() -> list[tuple[Organisation, str, int]]:
    """The seats the regulation gives (Art. 7(2), Art. 7(3)): one per participating member state
    (Denmark only if it takes part, recital 31), two for the Commission, one each for Frontex,
    Europol and EUAA, and a non-voting seat per Schengen-associated country."""
    seats: list[tuple[Organisation, str, int]] = [
        (state, SeatKind.MEMBER_STATE, 1) for state in directory.participating_member_states()
    ]
    commission = directory.get_by_code(COMMISSION_CODE)
    seats += [(commission, SeatKind.COMMISSION, n) for n in range(1, COMMISSION_SEATS + 1)]
    seats += [(directory.get_by_code(code), SeatKind.AGENCY, 1) for code in AGENCY_CODES]
    seats += [(country, SeatKind.ASSOCIATED, 1) for country in directory.schengen_associated_countries()]
    return seats


def _valid_on(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})
    )


# --- composition (Art. 7(2), Art. 7(3), Art. 7(4)) ----------------------------------------------------------


def seats_on(*, day: date) -> QuerySet[Seat]:
    """The seats of the board on a day (Art. 7(2), Art. 7(3))."""
    return Seat.objects.filter(_valid_on(day)).select_related("organisation")


def voting_members_on(*, day: date) -> int:
    """The number of voting members of the board on a day: its voting seats, vacant or not
    (Art. 7(8); reading explained in ``counting``)."""
    return Seat.objects.filter(_valid_on(day), voting=True).count()


SEAT_ORDER: dict[str, int] = {
    SeatKind.COMMISSION: 0,
    SeatKind.AGENCY: 1,
    SeatKind.MEMBER_STATE: 2,
    SeatKind.ASSOCIATED: 3,
}


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
    """Seats and holders on a day (Art. 7(2), Art. 7(3)), two queries whatever the size."""
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
    members and duly authorised staff only (Art. 9(3)). Its names and addresses are sealed per
    person (``Membership.listed_name``, ``listed_email``): each search word matches a whole word
    of the name through the blind index (case and accents do not matter), or the organisation."""
    day = day or timezone.localdate()
    qs = policy.scope(user, policy.Action.VIEW_BOARD_MEMBERS, Membership.objects.defer(None))
    qs = qs.filter(_valid_on(day)).filter(_valid_on(day, "seat__"))
    if search:
        for word in search.split()[:5]:
            by_name = MembershipNameDigest.objects.filter(
                digest=name_digest(word, domain=BOARD_MEMBER_NAME_DOMAIN) or ""
            ).values("membership_id")
            qs = qs.filter(
                Q(pk__in=by_name)
                | Q(seat__organisation__name_en__icontains=word)
                | Q(seat__organisation__name_nl__icontains=word)
                | Q(seat__organisation__code__iexact=word)
            )
    return qs.select_related("seat", "seat__organisation", "user", "user__organisation").order_by(
        "seat__kind", "seat__organisation__code", "seat__number", "capacity", "pk"
    )
