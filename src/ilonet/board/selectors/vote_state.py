"""What one user may see and do on a vote now: the one answer the motion page, its record (CSV and
PDF), the minutes and the API all follow (Art. 7(6), Art. 7(8), Art. 8(1), Art. 9(2)(c), Art. 9(3)).

The rules it applies:

- **Open votes** (not secret; "votes are open" in the rules of procedure, Art. 8(1)) are counted as
  they are cast: while the vote runs, everyone who sees the motion sees the votes so far (for,
  against, abstaining, not yet voted), and readers of the list of members (Art. 9(2)(c), Art. 9(3))
  see who voted how and can take the record so far. The result is final when the vote closes.
- **Secret ballots** are sealed until the vote closes: while it runs only the number of seats
  that voted is shown; afterwards the result and the receipts. Nobody ever sees who voted how;
  readers of the list of members see who took part once the vote has closed.
- **Closing.** The chair and secretariat (Art. 7(6)) close a vote in a meeting while it is open.
  A written procedure runs until its deadline, when it closes by itself; it closes earlier only
  when every voting member has voted (``close_refusal``; vacant seats count, Art. 7(8)).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ilonet import policy

from .. import counting
from ..models import (
    Motion,
    MotionStatus,
    Participation,
    Procedure,
)
from .motions import explanation, result_of, tally
from .votes import _when

# What the page shows about the count of a vote (``VoteState.results``).
RESULTS_NONE = "none"  # a draft, or a withdrawn motion: nothing was counted
RESULTS_SEALED = "sealed"  # a secret ballot while it runs: nothing until the close
RESULTS_SO_FAR = "so_far"  # an open vote while it runs: the votes so far
RESULTS_FINAL = "final"  # a closed vote: the result


@dataclass(frozen=True)
class VoteState:
    """What ``user`` may see and do on ``motion`` now, and why not where it matters."""

    status: str
    secret: bool
    seats_voted: int
    results: str
    tally: counting.Tally | None  # the result (final) or the votes so far (so_far), else None
    results_note: str  # the one sentence the page says about the count
    votes_by_seat_visible: bool  # who voted how (open votes, readers of the list of members)
    participants_visible: bool  # who took part, in which capacity
    record_available: bool  # the record as CSV and PDF
    record_final: bool
    record_refusal: str
    receipts_published: bool  # secret ballots, once closed
    may_open: bool
    open_refusal: str
    may_close: bool
    close_refusal: str
    closes_by_itself_at: datetime | None  # a written procedure's deadline while it runs
    may_amend: bool
    may_withdraw: bool
    may_change_deadline: bool


def _day(moment: datetime) -> str:
    return date_format(timezone.localdate(moment), "SHORT_DATE_FORMAT")


def seats_voted(*, motion: Motion) -> int:
    return Participation.objects.filter(motion=motion).count()


def open_refusal(*, motion: Motion, now: datetime | None = None) -> str:
    """Why the vote cannot be opened now, or "" (the remaining checks, such as the rules of
    procedure in force, are made when it is opened). A vote in a meeting opens on the meeting's
    day, in the composition of that day (Art. 7(8))."""
    now = now or timezone.now()
    if motion.status != MotionStatus.DRAFT:
        return _("Only a draft motion can be opened for voting.")
    meeting = motion.meeting if motion.procedure == Procedure.MEETING else None
    if meeting is not None and timezone.localdate(meeting.starts_at) > timezone.localdate(now):
        return _("A vote in a meeting opens on the day of the meeting (%(day)s).") % {
            "day": _day(meeting.starts_at)
        }
    return ""


def close_refusal(*, motion: Motion, now: datetime | None = None, voted: int | None = None) -> str:
    """Why the vote cannot be closed now, or "" when the rules allow closing it. The chair closes
    a vote in a meeting (Art. 7(6)); a written procedure runs until its deadline unless every
    voting member, vacant seats included (Art. 7(8)), has voted."""
    now = now or timezone.now()
    if motion.status != MotionStatus.OPEN:
        return _("This motion is not open for voting.")
    if motion.procedure != Procedure.WRITTEN or motion.closes_at is None or now >= motion.closes_at:
        return ""
    voted = seats_voted(motion=motion) if voted is None else voted
    electorate = motion.electorate or 0
    if voted >= electorate:
        return ""
    return " ".join(
        (
            _("A written procedure runs until its deadline unless every voting member has voted."),
            ngettext(
                "%(voted)d of the %(electorate)d voting members has voted.",
                "%(voted)d of the %(electorate)d voting members have voted.",
                voted,
            )
            % {"voted": voted, "electorate": electorate},
            _("The vote closes by itself at its deadline, %(when)s.") % {"when": _when(motion.closes_at)},
        )
    )


def _results(motion: Motion) -> tuple[str, counting.Tally | None, str]:
    if motion.status == MotionStatus.CLOSED:
        return RESULTS_FINAL, result_of(motion), explanation(motion)
    if motion.status == MotionStatus.OPEN and motion.secret:
        return (
            RESULTS_SEALED,
            None,
            _(
                "Secret ballot: the ballots stay sealed until the vote closes; then the result and the "
                "receipts are published. Nobody sees who voted how."
            ),
        )
    if motion.status == MotionStatus.OPEN:
        return (
            RESULTS_SO_FAR,
            tally(motion=motion),  # open votes write their ballots as they are cast
            _("Open vote: the votes are counted as they are cast; the result is final when the vote closes."),
        )
    if motion.status == MotionStatus.WITHDRAWN:
        return RESULTS_NONE, None, _("The motion was withdrawn; its votes were not counted.")
    return RESULTS_NONE, None, _("The vote has not opened yet.")


def vote_state(*, user, motion: Motion, now: datetime | None = None) -> VoteState:
    """What ``user`` may see and do on ``motion`` at ``now`` (see the module's docstring)."""
    now = now or timezone.now()
    status = motion.status
    names = policy.can(user, policy.Action.VIEW_BOARD_MEMBERS)  # Art. 9(2)(c), Art. 9(3)
    manages = policy.can(user, policy.Action.MANAGE_BOARD)  # Art. 7(6)
    voted = seats_voted(motion=motion) if status != MotionStatus.DRAFT else 0
    results, count, note = _results(motion)
    counted = status in (MotionStatus.OPEN, MotionStatus.CLOSED)
    participants = names and counted and (not motion.secret or status == MotionStatus.CLOSED)
    if not names:
        record_refusal = _(
            "The record of a vote names the members of the board; it is for readers of the list of "
            "members (Art. 9(3))."
        )
    elif status == MotionStatus.DRAFT:
        record_refusal = _("The vote has not opened yet.")
    elif status == MotionStatus.WITHDRAWN:
        record_refusal = _("The motion was withdrawn; its votes were not counted.")
    elif motion.secret and status != MotionStatus.CLOSED:
        record_refusal = _("The record of a secret vote is available once the vote has closed.")
    else:
        record_refusal = ""
    refusal_to_open = open_refusal(motion=motion, now=now)
    refusal_to_close = close_refusal(motion=motion, now=now, voted=voted)
    return VoteState(
        status=status,
        secret=motion.secret,
        seats_voted=voted,
        results=results,
        tally=count,
        results_note=note,
        votes_by_seat_visible=participants and not motion.secret,
        participants_visible=participants,
        record_available=not record_refusal,
        record_final=status == MotionStatus.CLOSED,
        record_refusal=record_refusal,
        receipts_published=motion.secret and status == MotionStatus.CLOSED,
        may_open=manages and not refusal_to_open,
        open_refusal=refusal_to_open,
        may_close=policy.can(user, policy.Action.CLOSE_VOTE) and not refusal_to_close,
        close_refusal=refusal_to_close,
        closes_by_itself_at=motion.closes_at
        if status == MotionStatus.OPEN and motion.procedure == Procedure.WRITTEN
        else None,
        may_amend=manages and status == MotionStatus.DRAFT,
        may_withdraw=manages and status in (MotionStatus.DRAFT, MotionStatus.OPEN),
        may_change_deadline=manages
        and motion.procedure == Procedure.WRITTEN
        and status in (MotionStatus.DRAFT, MotionStatus.OPEN),
    )
