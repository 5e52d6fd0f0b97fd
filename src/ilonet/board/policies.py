"""Rules for the steering board (Regulation (EU) 2019/1240, Art. 7, 8 and 9).

Who is who here:
- The board's own membership (``board.Membership``, with dates) is the source of truth for
  voting: a person votes for a voting seat they hold on the day (Art. 7(2), Art. 7(8)).
  Holding a position also opens the board's pages, so an appointment made by the chair or
  secretariat takes effect without a separate role grant. The roles (board member, alternate,
  non-voting member, chair, secretariat, observer) open the pages too.
- Art. 7(3): non-voting members speak on every matter but do not vote; Art. 7(4): observers
  attend the meetings they are invited to and may speak there, and see nothing else.
- Art. 7(6), Art. 8(1): the chair, helped by the secretariat, runs the board's business; the
  rules of procedure are adopted on the chair's proposal.
- Art. 7(9): each deploying authority passes adopted decisions on to its officers.
- Art. 9(2)(c), Art. 9(3): the list of board members is personal data: only liaison officers,
  board members and duly authorised staff (chair, secretariat, deploying-authority officers)
  read it; not the European Parliament reader, observers, return officers or the return
  coordinator.
- Art. 9(2)(a), Art. 9(2)(b), Art. 9(2)(e): decisions, work programmes, activity reports,
  ad-hoc actions and trainings are shared with the network (officers, facilitators, deploying
  authorities).
- Art. 9(4), Art. 8(2) last paragraph: the European Parliament reader sees only the work
  programmes and activity reports that were sent to the Parliament.
"""

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from ilonet import policy
from ilonet.accounts.roles import ART_9_3_READERS, Role
from ilonet.deployments.policies import managed_authority_ids
from ilonet.policy.predicates import has_role

from . import selectors
from .models import (
    ActivityReport,
    AdHocAction,
    AgendaItem,
    DecisionDispatch,
    Meeting,
    Membership,
    Motion,
    Outcome,
    ProgrammeStatus,
    RulesOfProcedure,
    RulesStatus,
    Seat,
    Training,
    WorkProgramme,
)

A = policy.Action
VOTING_ROLES: frozenset[str] = frozenset({Role.BOARD_MEMBER, Role.BOARD_ALTERNATE})  # Art. 7(2)
BOARD_OFFICE: frozenset[str] = frozenset({Role.CHAIR, Role.SECRETARIAT})  # Art. 7(6)
# Everyone who takes part in the board's work; observers only in the meetings they attend.
FULL_BOARD_ROLES: frozenset[str] = frozenset({*VOTING_ROLES, Role.NON_VOTING_MEMBER, *BOARD_OFFICE})
BOARD_CIRCLE: frozenset[str] = FULL_BOARD_ROLES | {Role.OBSERVER}
MEMBER_LIST_READERS: frozenset[str] = ART_9_3_READERS  # Art. 9(2)(c), Art. 9(3)
# Art. 9(2)(a), Art. 9(2)(b), Art. 9(2)(e): what the board shares with the network.
NETWORK_READERS: frozenset[str] = FULL_BOARD_ROLES | {Role.ILO, Role.FACILITATOR, Role.DEPLOYING_AUTHORITY}
REPORT_READERS: frozenset[str] = NETWORK_READERS | {Role.EP_READER}  # Art. 8(2) last para., Art. 9(4)

_POSITIONS = "board.positions"


def board_positions(user: Any) -> list[tuple[int, bool, str]]:
    """(seat id, voting, capacity) of the user's board memberships today, cached for the
    request (dropped by ``forget_positions``)."""
    return policy.request_cache(
        user, _POSITIONS, lambda: selectors.position_tuples(user) if getattr(user, "pk", None) else []
    )


def forget_positions(user: Any) -> None:
    policy.forget_roles(user, _POSITIONS)


def _in_full_board(user: Any) -> bool:
    return bool(policy.role_names(user) & FULL_BOARD_ROLES) or bool(board_positions(user))


@rules.predicate
def holds_board_position(user: Any) -> bool:
    """A current membership of the board, as member or alternate (Art. 7(2), Art. 7(3))."""
    return bool(board_positions(user))


@rules.predicate
def may_vote(user: Any, obj: Any = None) -> bool:
    """Art. 7(2), Art. 7(8), Art. 8(1): a member or alternate of a voting seat that is part of
    the composition on the day of the vote, or a member holding a proxy for the motion."""
    if obj is None:
        held = policy.role_names(user)
        return bool(held & VOTING_ROLES) or any(voting for _s, voting, _c in board_positions(user))
    if isinstance(obj, Motion):
        return selectors.may_vote_on(user=user, motion=obj)
    return False


@rules.predicate
def may_speak(user: Any, obj: Any = None) -> bool:
    """Art. 7(3): members, alternates and non-voting members speak on every matter; Art. 7(4):
    observers speak in the meetings they are invited to; the chair and secretariat too."""
    if _in_full_board(user):
        return True
    if Role.OBSERVER not in policy.role_names(user):
        return False
    if obj is None:
        return True
    if isinstance(obj, Motion):
        return obj.meeting_id is not None and selectors.is_invited(user=user, meeting_id=obj.meeting_id)
    return False


@rules.predicate
def passes_on_for(user: Any, obj: Any = None) -> bool:
    """Art. 7(9): a deploying authority passes the board's decisions on to its officers."""
    if Role.DEPLOYING_AUTHORITY not in policy.role_names(user):
        return False
    if obj is None:
        return True
    if isinstance(obj, DecisionDispatch):
        return obj.authority_id in managed_authority_ids(user)
    return False


@rules.predicate
def agenda_may_change(user: Any, obj: Any = None) -> bool:
    """Art. 7(6), Art. 7(7): the agenda of a meeting (or of an item's meeting) changes while the
    meeting is planned; once held (minutes recorded) or cancelled it is part of the record."""
    if obj is None:
        return True
    meeting = obj.meeting if isinstance(obj, AgendaItem) else obj
    return isinstance(meeting, Meeting) and not selectors.agenda_refusal(meeting=meeting)


@rules.predicate
def vote_may_close(user: Any, obj: Any = None) -> bool:
    """Art. 7(6), Art. 7(8), Art. 8(1): a vote in a meeting closes while it is open; a written
    procedure at its deadline, earlier only when every voting member has voted."""
    if obj is None:
        return True
    return isinstance(obj, Motion) and not selectors.close_refusal(motion=obj)


board_circle = has_role(*BOARD_CIRCLE) | holds_board_position
has_role(*VOTING_ROLES, Role.DEPLOYING_AUTHORITY)  # recorded for the role-name check

# What a refused user reads (Art. 9(3), Art. 9(4)); the Parliament's reader is told what is open to it.
PARLIAMENT_REFUSAL = _(
    "The European Parliament has access to the parts of the platform the steering board opened to it: "
    "the work programmes and activity reports sent to it (Art. 8(2), Art. 9(4))."
)
BOARD_REFUSAL = _(
    "The steering board's work is for its members and alternates, the non-voting members, the chair and "
    "the secretariat, and for observers in the meetings they are invited to (Art. 7(2), Art. 7(3), "
    "Art. 7(4), Art. 7(6))."
)
DECISIONS_REFUSAL = _(
    "The steering board's decisions are shared with the network: liaison officers, facilitators, "
    "deploying authorities and the board (Art. 9(2)(a), Art. 9(2)(e))."
)
MEMBERS_REFUSAL = _(
    "The list of steering board members is personal data, only for liaison officers, steering board "
    "members and duly authorised staff (Art. 9(2)(c), Art. 9(3))."
)


def _refusal(general):
    def reason(user: Any, obj: Any = None):
        return PARLIAMENT_REFUSAL if Role.EP_READER in policy.role_names(user) else general

    return reason


policy.register_rule(
    A.VIEW_BOARD,
    board_circle,
    basis="Art. 7(2), Art. 7(3), Art. 7(4), Art. 7(6).",
    refusal=_refusal(BOARD_REFUSAL),
)
policy.register_rule(A.MANAGE_BOARD, has_role(*BOARD_OFFICE), basis="Art. 7(6).")
policy.register_rule(
    A.MANAGE_AGENDA,
    has_role(*BOARD_OFFICE) & agenda_may_change,
    basis="Art. 7(6), Art. 7(7): the chair and secretariat prepare a meeting's agenda while the meeting "
    "is planned; once it is held or cancelled, its agenda is part of the record.",
)
policy.register_rule(
    A.CLOSE_VOTE,
    has_role(*BOARD_OFFICE) & vote_may_close,
    basis="Art. 7(6), Art. 7(8), Art. 8(1): the chair and secretariat close a vote in a meeting; a "
    "written procedure closes at its deadline, earlier only when every voting member has voted.",
)
policy.register_rule(A.PROPOSE_RULES, has_role(Role.CHAIR), basis="Art. 8(1).")
policy.register_rule(A.VOTE, may_vote)
policy.register_rule(A.SPEAK, may_speak)
policy.register_rule(
    A.VIEW_BOARD_MEMBERS,
    has_role(*MEMBER_LIST_READERS) | holds_board_position,
    basis="Art. 9(2)(c), Art. 9(3).",
    refusal=MEMBERS_REFUSAL,
)
policy.register_rule(
    A.VIEW_DECISIONS,
    has_role(*NETWORK_READERS) | holds_board_position,
    basis="Art. 9(2)(a), Art. 9(2)(e).",
    refusal=_refusal(DECISIONS_REFUSAL),
)
policy.register_rule(
    A.VIEW_PROGRAMMES_AND_REPORTS,
    has_role(*REPORT_READERS) | holds_board_position,
    basis="Art. 9(2)(b), Art. 8(2) last paragraph, Art. 9(4).",
)
policy.register_rule(A.PASS_ON_DECISIONS, passes_on_for)


def _all(user, qs):
    return qs


for _model, _action in (
    (Seat, A.VIEW_BOARD),
    (Membership, A.VIEW_BOARD),
    (Membership, A.VIEW_BOARD_MEMBERS),
    (AdHocAction, A.VIEW_DECISIONS),
    (Training, A.VIEW_DECISIONS),
    (DecisionDispatch, A.MANAGE_BOARD),
):
    policy.register_scope(_model, _action)(_all)


def _invited_or_board(path: str):
    """Observers see only what belongs to the meetings they are invited to (Art. 7(4))."""

    def restrict(user, qs):
        if _in_full_board(user):
            return qs
        return qs.filter(**{path: user}).distinct()

    return restrict


policy.register_scope(Meeting, A.VIEW_BOARD)(_invited_or_board("participants__user"))
policy.register_scope(Motion, A.VIEW_BOARD)(_invited_or_board("meeting__participants__user"))


@policy.register_scope(Motion, A.VIEW_DECISIONS)
def _decisions_visible(user, qs):
    """Adopted decisions are shared with the network (Art. 9(2)(e))."""
    return qs.filter(outcome=Outcome.ADOPTED)


def _adopted_rules_or_board(user, qs):
    if _in_full_board(user):
        return qs
    return qs.filter(status__in=(RulesStatus.ADOPTED, RulesStatus.SUPERSEDED))


policy.register_scope(RulesOfProcedure, A.VIEW_BOARD)(_adopted_rules_or_board)
policy.register_scope(RulesOfProcedure, A.VIEW_DECISIONS)(_adopted_rules_or_board)


def _programme_or_report_scope(user, qs):
    """The board works on drafts; the network reads what was adopted (Art. 9(2)(b)); the
    European Parliament reader only what was sent to the Parliament (Art. 8(2), Art. 9(4))."""
    if _in_full_board(user):
        return qs
    held = policy.role_names(user)
    if held & NETWORK_READERS:
        return qs.filter(status=ProgrammeStatus.ADOPTED)
    if Role.EP_READER in held:
        return qs.filter(status=ProgrammeStatus.ADOPTED, sent_to_ep_on__isnull=False)
    return qs.none()


policy.register_scope(WorkProgramme, A.VIEW_PROGRAMMES_AND_REPORTS)(_programme_or_report_scope)
policy.register_scope(ActivityReport, A.VIEW_PROGRAMMES_AND_REPORTS)(_programme_or_report_scope)


@policy.register_scope(DecisionDispatch, A.PASS_ON_DECISIONS)
def _dispatches_of_own_authorities(user, qs):
    return qs.filter(authority_id__in=managed_authority_ids(user))
