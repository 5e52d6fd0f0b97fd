"""Votes, proxies and statements on a motion (Art. 7(2), Art. 7(3), Art. 7(4), Art. 7(8), Art. 8(1))."""

from __future__ import annotations

import base64
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction

from .. import sealing, selectors
from ..models import (
    Ballot,
    ChangeKind,
    Choice,
    Motion,
    MotionComment,
    MotionStatus,
    Participation,
    Proxy,
    SealedBallot,
    Seat,
)
from ..selectors.votes import _voting_position
from .common import A, _change, _clean
from .motions import _locked_motion


@dataclass
class CastVote:
    participation: Participation
    receipt: str | None  # shown once to the voter of a secret ballot; never stored


def _new_receipt() -> str:
    """A random receipt code of 100 bits, shown as five groups of four characters."""
    raw = secrets.token_bytes(13)
    code = base64.b32encode(raw).decode().rstrip("=")[:20]
    return "-".join(code[i : i + 4] for i in range(0, 20, 4))


def cast_vote(
    *, actor, motion: Motion, choice: str, on_behalf_of: Seat | None = None, now: datetime | None = None
) -> CastVote:
    """Cast the vote of a seat (Art. 7(8)). Refused, with the reason and nothing changed,
    for a non-voting member (Art. 7(3)), an observer (Art. 7(4)), a second vote for the same
    seat, an alternate whose member voted or attends (Art. 7(2)), a closed motion, or a proxy
    the rules of procedure do not allow (Art. 8(1)).

    Concurrency: the motion row is locked (``select_for_update``) for the whole check-and-write,
    and ``Participation`` is unique per (motion, seat), so two votes for one seat at the same
    instant yield one counted vote. A secret vote writes no ``Ballot`` now: its choice is sealed
    (``SealedBallot``, encrypted) and becomes a ballot when the vote closes
    (``services.motions._unseal_ballots``); the audit event says who took part but not the choice."""
    _authorize_vote(actor, motion)
    if choice not in Choice.values:
        raise ValidationError({"choice": _("Vote for, against or abstain.")})
    now = now or timezone.now()
    return _serialised_write(lambda: _record_vote(actor, motion, choice, on_behalf_of, now))


def _authorize_vote(actor, motion: Motion) -> None:
    """Ask the policy (one audited denial) and refuse with the specific reason (Art. 7(3),
    Art. 7(4), Art. 7(8)); a read-only API token keeps the policy's own message."""
    try:
        policy.authorize(actor, A.VOTE, motion)
    except PermissionDenied:
        if getattr(actor, policy.TOKEN_SCOPE_ATTR, "write") != "write" or not isinstance(motion, Motion):
            raise
        raise PermissionDenied(selectors.vote_denial_reason(user=actor, motion=motion)) from None


def _serialised_write(write, attempts: int = 20):
    """Run a write transaction; on SQLite, retry while another writer holds the database.

    PostgreSQL waits on the row lock by itself. SQLite has one writer at a time: a file database
    waits ``busy_timeout``, but a shared-cache database (the in-memory test database, or a busy
    file beyond the timeout) fails at once with "database is locked". The failed attempt rolled
    back entirely, so it is safe to try again; nested in an outer transaction it is not, and
    then the error is raised."""
    for attempt in range(attempts):
        try:
            return write()
        except OperationalError as error:
            if (
                connection.vendor != "sqlite"
                or "locked" not in str(error)
                or connection.in_atomic_block
                or attempt == attempts - 1
            ):
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


def _record_vote(actor, motion: Motion, choice: str, on_behalf_of: Seat | None, now: datetime) -> CastVote:
    with transaction.atomic():
        locked = _locked_motion(motion)
        right = selectors.check_vote_right(user=actor, motion=locked, on_behalf_of=on_behalf_of, now=now)
        receipt = _new_receipt() if locked.secret else None
        try:
            with transaction.atomic():
                participation = Participation.objects.create(
                    motion=locked,
                    seat=right.seat,
                    cast_by=actor,
                    capacity=right.capacity,
                    proxy=right.proxy,
                    choice="" if locked.secret else choice,
                    cast_at=now,
                )
        except IntegrityError:
            raise ValidationError(
                _("The vote for %(seat)s has already been cast; each seat has one vote (Art. 7(2)).")
                % {"seat": right.seat}
            ) from None
        if receipt:  # secret: sealed now, counted and written as a ballot when the vote closes
            sealed = sealing.seal(
                motion_id=locked.pk, choice=choice, fingerprint=selectors.receipt_fingerprint(receipt)
            )
            SealedBallot.objects.create(motion=locked, sealed=sealed)
        else:
            Ballot.objects.create(motion=locked, choice=choice)
        details: dict[str, Any] = {
            "seat": str(right.seat),
            "capacity": right.capacity,
            "secret": locked.secret,
        }
        if right.proxy is not None:
            details["proxy"] = right.proxy.pk
        if not locked.secret:
            details["choice"] = choice
        audit.record(action=AuditAction.BOARD_VOTE_CAST, actor=actor, obj=locked, details=details)
    motion.status = locked.status
    return CastVote(participation=participation, receipt=receipt)


def grant_proxy(*, actor, motion: Motion, holder) -> Proxy:
    """Let another voting member vote on the seat's behalf, if the rules of procedure allow it
    (Art. 8(1): "under which conditions a member may act on behalf of another member")."""
    _authorize_vote(actor, motion)
    with transaction.atomic():
        return _grant_proxy_locked(actor, _locked_motion(motion), holder)


def _grant_proxy_locked(actor, motion: Motion, holder) -> Proxy:
    if motion.status not in (MotionStatus.DRAFT, MotionStatus.OPEN):
        raise ValidationError(_("The vote on this motion is over."))
    rules = (
        motion.rules_in_force
        if motion.status == MotionStatus.OPEN
        else selectors.rules_in_force(day=timezone.localdate())
    )
    if rules is None or not rules.proxies_allowed:
        raise ValidationError(
            _("The rules of procedure do not allow a member to act on behalf of another member (Art. 8(1)).")
        )
    today = timezone.localdate()
    mine = _voting_position(user=actor, motion=motion, day=today)
    if mine is None:  # the membership ended since the policy was asked
        raise ValidationError(selectors.vote_denial_reason(user=actor, motion=motion))
    seat = mine.seat
    if Participation.objects.filter(motion=motion, seat=seat).exists():
        raise ValidationError(_("The vote for %(seat)s has already been cast.") % {"seat": seat})
    if Proxy.objects.filter(motion=motion, grantor_seat=seat).exists():
        raise ValidationError(_("A proxy for %(seat)s on this motion already exists.") % {"seat": seat})
    theirs = _voting_position(user=holder, motion=motion, day=today)
    if theirs is None or holder.pk == actor.pk:
        raise ValidationError({"email": _("A proxy goes to another voting member of the board (Art. 8(1)).")})
    if theirs.seat_id == seat.pk:
        raise ValidationError(
            {"email": _("Your alternate votes in your absence without a proxy (Art. 7(2)).")}
        )
    held = Proxy.objects.filter(motion=motion, holder=holder).count()
    if held >= rules.max_proxies_per_holder:
        raise ValidationError(
            {
                "email": _(
                    "%(person)s already holds the most proxies the rules of procedure allow (%(max)d)."
                )
                % {"person": holder, "max": rules.max_proxies_per_holder}
            }
        )
    proxy = Proxy.objects.create(motion=motion, grantor_seat=seat, holder=holder, granted_by=actor)
    _change(motion, ChangeKind.PROXY, actor, timezone.now(), seat=str(seat), holder=str(holder))
    audit.record_change(
        actor=actor,
        action=AuditAction.BOARD_PROXY_GRANTED,
        obj=motion,
        changes={"seat": str(seat), "holder": holder.email},
    )
    return proxy


def comment(*, actor, motion: Motion, text: str) -> MotionComment:
    """A statement on a motion: members, alternates, non-voting members (Art. 7(3)) and invited
    observers (Art. 7(4)) speak; none of that is a vote."""
    policy.authorize(actor, A.SPEAK, motion)
    with transaction.atomic():
        motion = _locked_motion(motion)
        if motion.status not in (MotionStatus.DRAFT, MotionStatus.OPEN):
            raise ValidationError(_("The debate on this motion is closed."))
        text = (text or "").strip()
        if not text:
            raise ValidationError({"text": _("Write your statement.")})
        statement = MotionComment(
            motion=motion,
            author=actor,
            speaking_as=selectors.speaking_as(user=actor, motion=motion)[:200],
            text=text,
        )
        _clean(statement)
        statement.save()
        audit.record_change(
            actor=actor, action=AuditAction.BOARD_MOTION_COMMENTED, obj=motion, changes={"length": len(text)}
        )
        return statement
