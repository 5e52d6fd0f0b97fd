"""The board's rules in the one policy module (Art. 7(2), Art. 7(3), Art. 7(4), Art. 7(8),
Art. 9(3)): the board's own
membership decides who votes; roles open pages."""

import pytest

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.board import services
from ilonet.board.models import Capacity, Procedure
from ilonet.board.policies import forget_positions

pytestmark = pytest.mark.django_db
A = policy.Action


def test_an_appointment_opens_the_board_without_a_role_grant(board, make_user):
    person = make_user(None, organisation="nl")
    assert not policy.can(person, A.VIEW_BOARD)
    board.appoint("nl", user=person)
    forget_positions(person)
    assert policy.can(person, A.VIEW_BOARD) and policy.can(person, A.VIEW_BOARD_MEMBERS)
    assert policy.can(person, A.VOTE, board.motion())


def test_a_board_member_role_without_a_seat_does_not_vote_on_a_motion(board, make_user):
    person = make_user(Role.BOARD_MEMBER)
    motion = board.motion()
    assert policy.can(person, A.VOTE) and not policy.can(person, A.VOTE, motion)


def test_a_non_voting_member_speaks_but_does_not_vote(board):
    norway = board.appoint("no", Capacity.MEMBER)
    motion = board.motion()
    assert policy.can(norway, A.SPEAK, motion) and not policy.can(norway, A.VOTE, motion)


def test_an_observer_speaks_only_where_invited(board, make_user):
    observer = make_user(Role.OBSERVER, organisation="iom")
    invited, other = board.meeting(), board.meeting(title="Other")
    services.invite(actor=board.chair, meeting=invited, user=observer, role="observer")
    here = board.motion(procedure=Procedure.MEETING, meeting=invited)
    there = board.motion(procedure=Procedure.MEETING, meeting=other)
    written = board.motion()
    assert policy.can(observer, A.SPEAK, here)
    assert not policy.can(observer, A.SPEAK, there) and not policy.can(observer, A.SPEAK, written)
    visible = policy.scope(observer, A.VIEW_BOARD, type(here).objects.all())
    assert list(visible) == [here]


def test_a_deploying_authority_passes_on_only_for_its_own_authorities(board, make_user):
    from ilonet.board.models import DecisionDispatch
    from ilonet.directory import demo as directory_demo

    directory_demo.ensure_authorities()
    motion = board.motion(procedure=Procedure.MEETING)
    services.close_motion(actor=board.chair, motion=motion)
    nl = DecisionDispatch.objects.create(
        motion=motion, authority=board.seat("nl").organisation.children.get()
    )
    dutch = make_user(Role.DEPLOYING_AUTHORITY, scope="nl-auth")
    german = make_user(Role.DEPLOYING_AUTHORITY, scope="de-auth")
    assert policy.can(dutch, A.PASS_ON_DECISIONS, nl) and not policy.can(german, A.PASS_ON_DECISIONS, nl)
