"""Composition of the board: seats and memberships (Art. 7(2), Art. 7(3), Art. 7(4))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.board.policies import forget_positions
from ilonet.policy.markers import system_operation
from ilonet.shared.dates import long_date
from ilonet.shared.envelope import name_digests

from .. import selectors
from ..dates import board_day_problems
from ..models import (
    BOARD_MEMBER_NAME_DOMAIN,
    Capacity,
    Membership,
    MembershipNameDigest,
    Seat,
    SeatKind,
)
from ..selectors.composition import expected_seats
from .common import A, _clean

# --- composition (Art. 7(2), Art. 7(3), Art. 7(4)) ----------------------------------------------------------


@dataclass
class SyncResult:
    created: list[Seat]
    ended: list[Seat]


def sync_composition(*, actor, on: date | None = None) -> SyncResult:
    """Bring the seats in line with the regulation and the directory from a day (Art. 7(2), Art. 7(3)):
    add seats for new participants (e.g. Denmark opting in, recital 31), end the seats of those
    that stopped taking part. Past compositions are kept, so past votes stay explainable."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        day = on or timezone.localdate()
        problems = board_day_problems("on", day)
        if problems:
            raise ValidationError(problems)
        later = Seat.objects.filter(valid_from__gt=day).order_by("valid_from").first()
        if later is not None:
            raise ValidationError(
                _(
                    "The composition is already recorded from %(day)s; "
                    "it cannot be changed for an earlier day."
                )
                % {"day": long_date(later.valid_from)}
            )
        current = {(s.organisation_id, s.number): s for s in selectors.seats_on(day=day)}
        wanted = {(org.pk, number): (org, kind, number) for org, kind, number in expected_seats()}
        created, ended = [], []
        for key, (org, kind, number) in wanted.items():
            if key not in current:
                seat = Seat(organisation=org, kind=kind, number=number, valid_from=day)
                seat.save()
                created.append(seat)
        for key, seat in current.items():
            if key not in wanted:
                if Membership.objects.filter(seat=seat, valid_from__gte=day).exists():
                    raise ValidationError(
                        _("%(seat)s has a membership starting on or after %(day)s; end it first.")
                        % {"seat": seat, "day": long_date(day)}
                    )
                seat.valid_until = max(seat.valid_from, day - timedelta(days=1))
                seat.save(update_fields=["valid_until"])
                Membership.objects.filter(seat=seat, valid_until__isnull=True).update(
                    valid_until=seat.valid_until
                )
                Membership.objects.filter(seat=seat, valid_until__gt=seat.valid_until).update(
                    valid_until=seat.valid_until
                )
                ended.append(seat)
        if created or ended:
            audit.record(
                action=AuditAction.BOARD_COMPOSITION_SYNCED,
                actor=actor,
                details={
                    "from": day,
                    "created": [str(s) for s in created],
                    "ended": [str(s) for s in ended],
                },
            )
        return SyncResult(created=created, ended=ended)


def _belongs_to(user, seat: Seat) -> bool:
    """A member state is represented by someone of that state (its ministries and agencies);
    the Commission and the agencies by their own staff (Art. 7(2), Art. 7(3))."""
    org = user.organisation
    if seat.kind in (SeatKind.MEMBER_STATE, SeatKind.ASSOCIATED):
        return org.member_state is not None and org.member_state.pk == seat.organisation_id
    return org.pk == seat.organisation_id or org.parent_id == seat.organisation_id


def _overlaps(qs, start: date, end: date | None):
    qs = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
    if end is not None:
        qs = qs.filter(valid_from__lte=end)
    return qs


def appoint(
    *, actor, seat: Seat, user, capacity: str, valid_from: date, valid_until: date | None = None
) -> Membership:
    """Record a member or alternate of a seat (Art. 7(2), Art. 7(3)). One member and one alternate
    per seat at a time; a person holds one position at a time; the seat must exist then."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        Seat.objects.select_for_update().filter(pk=seat.pk).first()  # serialise appointments per seat
        errors: dict[str, str] = {}
        if capacity not in Capacity.values:
            errors["capacity"] = _("Choose member or alternate.")
        if valid_until is not None and valid_until < valid_from:
            errors["valid_until"] = _("The end date cannot be before the start date.")
        errors.update(board_day_problems("valid_from", valid_from))
        if seat.valid_from > valid_from or (
            seat.valid_until and (valid_until is None or valid_until > seat.valid_until)
        ):
            errors["valid_from"] = _("The seat is not part of the board for the whole period.")
        if not user.is_active:
            errors["email"] = _("This account is not active.")
        elif not _belongs_to(user, seat):
            errors["email"] = _(
                "%(person)s does not belong to %(organisation)s, whose seat this is (Art. 7(2))."
            ) % {
                "person": user,
                "organisation": seat.organisation,
            }
        if errors:
            raise ValidationError(errors)
        if _overlaps(
            Membership.objects.filter(seat=seat, capacity=capacity), valid_from, valid_until
        ).exists():
            raise ValidationError(
                {
                    "valid_from": _("%(seat)s already has a %(capacity)s in this period.")
                    % {"seat": seat, "capacity": Capacity(capacity).label.lower()}
                }
            )
        if _overlaps(Membership.objects.filter(user=user), valid_from, valid_until).exists():
            raise ValidationError(
                {
                    "email": _("%(person)s already holds a position on the board in this period.")
                    % {"person": user}
                }
            )
        membership = Membership(
            seat=seat,
            user=user,
            capacity=capacity,
            valid_from=valid_from,
            valid_until=valid_until,
            appointed_by=actor,
            # The list of members (Art. 9(2)(c)): the person's name and address as the list shows
            # them, sealed with their own data key; the account keeps its own sign-in address.
            listed_name=user.get_full_name(),
            listed_email=user.email,
        )
        _clean(membership)
        membership.save()
        _index_listed_name(membership)
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_MEMBERSHIP_CREATED,
            obj=membership,
            changes={
                "seat": str(seat),
                "capacity": capacity,
                "valid_from": valid_from,
                "valid_until": valid_until,
            },
        )
        forget_positions(user)
        return membership


def _index_listed_name(membership: Membership) -> None:
    """The blind index of the name on the list (Art. 9(2)(c)): keyed digests of the name and of
    its words, so the list is searched by name without a clear name in the database."""
    MembershipNameDigest.objects.filter(membership=membership).delete()
    MembershipNameDigest.objects.bulk_create(
        MembershipNameDigest(membership=membership, digest=digest)
        for digest in sorted(name_digests(membership.listed_name, domain=BOARD_MEMBER_NAME_DOMAIN))
    )


@system_operation
def follow_account_name(*, actor, user) -> int:
    """The account's name or e-mail address changed (``accounts.services.update_user``, which
    authorised the change and calls this in its transaction): the list of members (Art. 9(2)(c))
    shows them as the account now has them, as the minutes and the attendance do. Every
    membership of the person whose list fields were not erased gets the current name and
    address, sealed with the person's key, and the name's blind index; an erased membership
    stays erased. The audit event names the memberships and the fields, not their values.
    Returns how many memberships changed."""
    changed, fields = [], set()
    for membership in Membership.objects.filter(user=user).exclude(listed_name="", listed_email=""):
        now = {"listed_name": user.get_full_name(), "listed_email": user.email}
        differ = [name for name, value in now.items() if getattr(membership, name) != value]
        if not differ:
            continue
        for name in differ:
            setattr(membership, name, now[name])
        membership.save(update_fields=differ)
        if "listed_name" in differ:
            _index_listed_name(membership)
        changed.append(membership)
        fields.update(differ)
    if changed:
        audit.record(
            action=AuditAction.BOARD_MEMBER_LIST_NAME_UPDATED,
            actor=actor,
            details={
                "memberships": [m.pk for m in changed],
                "fields": sorted(fields),
                "reason": "account name or e-mail address changed",
                "basis": "Art. 9(2)(c)",
            },
        )
    return len(changed)


def end_membership(*, actor, membership: Membership, valid_until: date) -> Membership:
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        if valid_until < membership.valid_from:
            raise ValidationError({"valid_until": _("The end date cannot be before the start date.")})
        old = membership.valid_until
        membership.valid_until = valid_until
        membership.save(update_fields=["valid_until"])
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_MEMBERSHIP_ENDED,
            obj=membership,
            changes={"valid_until": [old, valid_until]},
        )
        forget_positions(membership.user)
        return membership


@system_operation
def record_members_list_read(
    *,
    actor,
    fmt: str = "html",
    page: int | None = None,
    rows: int | None = None,
    filters: dict[str, Any] | None = None,
) -> None:
    """Audit one read of the list of board members (Art. 9(2)(c), Art. 9(3)): one event per page or
    export, not per row."""
    audit.record(
        action=AuditAction.PERSONAL_DATA_READ,
        actor=actor,
        details={
            "list": "board_members",
            "format": fmt,
            "page": page,
            "rows": rows,
            "filters": filters or {},
        },
    )
