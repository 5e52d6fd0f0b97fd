"""Rules for the steering board (Regulation (EU) 2019/1240, Art. 7, 8 and 9).

Who is who here:
- The board's own membership (``board.Membership``, with dates) is the source of truth for
  voting: a person votes for a voting seat they hold on the day (Art. 7(2), 7(8)). Holding a
  position also opens the board's pages, so an appointment made by the chair or secretariat
  takes effect without a separate role grant. The roles (board member, alternate, non-voting
  member, chair, secretariat, observer) open the pages too.
- Art. 7(3): non-voting members speak on every matter but do not vote; Art. 7(4): observers
  attend the meetings they are invited to and may speak there, and see nothing else.
- Art. 7(6), 8(1): the chair, helped by the secretariat, runs the board's business; the rules
  of procedure are adopted on the chair's proposal.
- Art. 7(9): each deploying authority passes adopted decisions on to its officers.
- Art. 9(2)(c), 9(3): the list of board members is personal data: only liaison officers,
  board members and duly authorised staff (chair, secretariat, deploying-authority officers,
  platform administrators) read it; not the European Parliament reader, observers, return
  officers or the return coordinator.
- Art. 9(2)(a), (b), (e): decisions, work programmes, activity reports, ad-hoc actions and
  trainings are shared with the network (officers, facilitators, deploying authorities).
- Art. 9(4), 8(2) last paragraph: the European Parliament reader sees only the work
  programmes and activity reports that were sent to the Parliament.
"""

from typing import Any

import rules

from ilonet.accounts.roles import Role
from ilonet.board.models import (
    ActivityReport,
    AdHocAction,
    DecisionDispatch,
    Meeting,
    MeetingDocument,
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

from . import register_scope, roles_of, ruleset
from .actions import Action
from .predicates import ART_9_3_READERS, has_role
from .rules_deployments import managed_authority_ids

VOTING_ROLES: frozenset[str] = frozenset({Role.BOARD_MEMBER, Role.BOARD_ALTERNATE})  # Art. 7(2)
BOARD_OFFICE: frozenset[str] = frozenset({Role.CHAIR, Role.SECRETARIAT})  # Art. 7(6)
# Everyone who takes part in the board's work; observers only in the meetings they attend.
FULL_BOARD_ROLES: frozenset[str] = frozenset({*VOTING_ROLES, Role.NON_VOTING_MEMBER, *BOARD_OFFICE})
BOARD_CIRCLE: frozenset[str] = FULL_BOARD_ROLES | {Role.OBSERVER}
MEMBER_LIST_READERS: frozenset[str] = ART_9_3_READERS  # Art. 9(2)(c), 9(3)
# Art. 9(2)(a), (b), (e): what the board shares with the network.
NETWORK_READERS: frozenset[str] = FULL_BOARD_ROLES | {Role.ILO, Role.FACILITATOR, Role.DEPLOYING_AUTHORITY}
REPORT_READERS: frozenset[str] = NETWORK_READERS | {Role.EP_READER}  # Art. 8(2) last para., 9(4)

_POSITIONS_ATTR = "_ilonet_board_positions"


def _roles(user: Any) -> set[str]:
    return {role for role, _org, _ref in roles_of(user)}


def board_positions(user: Any) -> list[tuple[int, bool, str]]:
    """(seat id, voting, capacity) of the user's board memberships today, cached on the user
    for the request (dropped by ``forget_positions``)."""
    cached = getattr(user, _POSITIONS_ATTR, None)
    if cached is None:
        from ilonet.board.selectors import position_tuples

        cached = position_tuples(user) if getattr(user, "pk", None) else []
        setattr(user, _POSITIONS_ATTR, cached)
    return cached


def forget_positions(user: Any) -> None:
    if hasattr(user, _POSITIONS_ATTR):
        delattr(user, _POSITIONS_ATTR)


def _in_full_board(user: Any) -> bool:
    return bool(_roles(user) & FULL_BOARD_ROLES) or bool(board_positions(user))


@rules.predicate
def holds_board_position(user: Any) -> bool:
    """A current membership of the board, as member or alternate (Art. 7(2)-(3))."""
    return bool(board_positions(user))


@rules.predicate
def may_vote(user: Any, obj: Any = None) -> bool:
    """Art. 7(2), 7(8), 8(1): a member or alternate of a voting seat that is part of the
    composition on the day of the vote, or a member holding a proxy for the motion."""
    if obj is None:
        return bool(_roles(user) & VOTING_ROLES) or any(voting for _s, voting, _c in board_positions(user))
    if isinstance(obj, Motion):
        from ilonet.board.selectors import may_vote_on

        return may_vote_on(user=user, motion=obj)
    return False


@rules.predicate
def may_speak(user: Any, obj: Any = None) -> bool:
    """Art. 7(3): members, alternates and non-voting members speak on every matter; Art. 7(4):
    observers speak in the meetings they are invited to; the chair and secretariat too."""
    if _in_full_board(user):
        return True
    if Role.OBSERVER not in _roles(user):
        return False
    if obj is None:
        return True
    if isinstance(obj, Motion):
        from ilonet.board.selectors import is_invited

        return obj.meeting_id is not None and is_invited(user=user, meeting_id=obj.meeting_id)
    return False


@rules.predicate
def passes_on_for(user: Any, obj: Any = None) -> bool:
    """Art. 7(9): a deploying authority passes the board's decisions on to its officers."""
    if Role.DEPLOYING_AUTHORITY not in _roles(user):
        return False
    if obj is None:
        return True
    if isinstance(obj, DecisionDispatch):
        return obj.authority_id in managed_authority_ids(user)
    return False


board_circle = has_role(*BOARD_CIRCLE) | holds_board_position
full_board = has_role(*FULL_BOARD_ROLES) | holds_board_position

ruleset.add_rule(Action.VIEW_BOARD, board_circle)  # Art. 7
ruleset.add_rule(Action.MANAGE_BOARD, has_role(*BOARD_OFFICE))  # Art. 7(6)
ruleset.add_rule(Action.PROPOSE_RULES, has_role(Role.CHAIR))  # Art. 8(1)
ruleset.add_rule(Action.VOTE, may_vote)  # Art. 7(8)
ruleset.add_rule(Action.SPEAK, may_speak)  # Art. 7(3)-(4)
ruleset.add_rule(
    Action.VIEW_BOARD_MEMBERS, has_role(*MEMBER_LIST_READERS) | holds_board_position
)  # Art. 9(3)
ruleset.add_rule(Action.VIEW_DECISIONS, has_role(*NETWORK_READERS) | holds_board_position)  # Art. 9(2)
ruleset.add_rule(
    Action.VIEW_PROGRAMMES_AND_REPORTS, has_role(*REPORT_READERS) | holds_board_position
)  # Art. 9(2)(b), 9(4)
ruleset.add_rule(Action.PASS_ON_DECISIONS, passes_on_for)  # Art. 7(9)


def _all(user, qs):
    return qs


for _model, _action in (
    (Seat, Action.VIEW_BOARD),
    (Membership, Action.VIEW_BOARD),
    (Membership, Action.VIEW_BOARD_MEMBERS),
    (AdHocAction, Action.VIEW_DECISIONS),
    (Training, Action.VIEW_DECISIONS),
    (DecisionDispatch, Action.MANAGE_BOARD),
):
    register_scope(_model, _action)(_all)


@register_scope(Meeting, Action.VIEW_BOARD)
def _meetings_visible(user, qs):
    """Observers see only the meetings they are invited to (Art. 7(4))."""
    if _in_full_board(user):
        return qs
    return qs.filter(participants__user=user).distinct()


@register_scope(MeetingDocument, Action.VIEW_BOARD)
def _documents_visible(user, qs):
    if _in_full_board(user):
        return qs
    return qs.filter(meeting__participants__user=user).distinct()


@register_scope(Motion, Action.VIEW_BOARD)
def _motions_visible(user, qs):
    if _in_full_board(user):
        return qs
    return qs.filter(meeting__participants__user=user).distinct()


@register_scope(Motion, Action.VIEW_DECISIONS)
def _decisions_visible(user, qs):
    """Adopted decisions are shared with the network (Art. 9(2)(e))."""
    return qs.filter(outcome=Outcome.ADOPTED)


@register_scope(RulesOfProcedure, Action.VIEW_BOARD)
def _rules_visible_to_board(user, qs):
    if _in_full_board(user):
        return qs
    return qs.filter(status__in=(RulesStatus.ADOPTED, RulesStatus.SUPERSEDED))


@register_scope(RulesOfProcedure, Action.VIEW_DECISIONS)
def _rules_visible(user, qs):
    if _in_full_board(user):
        return qs
    return qs.filter(status__in=(RulesStatus.ADOPTED, RulesStatus.SUPERSEDED))


def _programme_or_report_scope(user, qs):
    """The board works on drafts; the network reads what was adopted (Art. 9(2)(b)); the
    European Parliament reader only what was sent to the Parliament (Art. 8(2), 9(4))."""
    if _in_full_board(user):
        return qs
    held = _roles(user)
    if held & NETWORK_READERS:
        return qs.filter(status=ProgrammeStatus.ADOPTED)
    if Role.EP_READER in held:
        return qs.filter(status=ProgrammeStatus.ADOPTED, sent_to_ep_on__isnull=False)
    return qs.none()


register_scope(WorkProgramme, Action.VIEW_PROGRAMMES_AND_REPORTS)(_programme_or_report_scope)
register_scope(ActivityReport, Action.VIEW_PROGRAMMES_AND_REPORTS)(_programme_or_report_scope)


@register_scope(DecisionDispatch, Action.PASS_ON_DECISIONS)
def _dispatches_of_own_authorities(user, qs):
    return qs.filter(authority_id__in=managed_authority_ids(user))
