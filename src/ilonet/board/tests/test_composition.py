"""Composition of the board (Art. 7(2), Art. 7(3), Art. 7(4)) and the count of its voting members (Art. 7(8)),
proved with real votes at the boundary."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from ilonet.board import selectors, services
from ilonet.board.models import Capacity, Choice, Seat, SeatKind
from ilonet.directory.models import Organisation

pytestmark = pytest.mark.django_db

# 26 participating member states (Denmark does not take part, recital 31), two Commission
# seats, Frontex, Europol, EUAA (Art. 7(2)).
VOTING_WITHOUT_DENMARK = 26 + 2 + 3


def test_composition_follows_the_regulation(board):
    comp = selectors.composition(day=board.today)
    kinds = {kind: sum(1 for r in comp.rows if r.seat.kind == kind) for kind in SeatKind.values}
    assert kinds == {"member_state": 26, "commission": 2, "agency": 3, "associated": 4}
    assert not Seat.objects.filter(organisation__code="dk").exists()
    assert all(not r.seat.voting for r in comp.rows if r.seat.kind == SeatKind.ASSOCIATED)


def test_threshold_without_denmark_is_16_of_31(board):
    comp = selectors.composition(day=board.today)
    assert (comp.voting, comp.threshold) == (VOTING_WITHOUT_DENMARK, 16)


def test_denmark_opting_in_adds_a_voting_seat_from_that_day_only(board):
    Organisation.objects.filter(code="dk").update(takes_part_in_ilo_regulation=True)
    opt_in = board.today + timedelta(days=10)
    result = services.sync_composition(actor=board.chair, on=opt_in)
    assert [s.organisation.code for s in result.created] == ["dk"]
    assert selectors.voting_members_on(day=opt_in) == 32
    assert selectors.composition(day=opt_in).threshold == 17
    # The composition of earlier days, hence earlier votes, is unchanged.
    assert selectors.composition(day=board.today).threshold == 16


def test_a_state_that_stops_taking_part_loses_its_seat_from_that_day(board):
    member = board.appoint("ie")
    Organisation.objects.filter(code="ie").update(takes_part_in_ilo_regulation=False)
    leave = board.today + timedelta(days=5)
    result = services.sync_composition(actor=board.chair, on=leave)
    assert [s.organisation.code for s in result.ended] == ["ie"]
    assert selectors.voting_members_on(day=leave) == 30
    assert selectors.voting_members_on(day=leave - timedelta(days=1)) == 31
    assert not selectors.positions_of(user=member, day=leave)


def test_schengen_associated_members_present_do_not_change_the_threshold(board):
    for code in ("is", "li", "no", "ch"):
        board.appoint(code)
    comp = selectors.composition(day=board.today)
    assert comp.non_voting == 4 and not [r for r in comp.rows if not r.seat.voting and r.vacant]
    assert (comp.voting, comp.threshold) == (31, 16)


def test_vacancies_still_count_in_the_absolute_majority(board):
    board.members(3)
    comp = selectors.composition(day=board.today)
    assert len([r for r in comp.vacancies if r.seat.voting]) == 28
    assert (comp.voting, comp.threshold) == (31, 16)


def test_absolute_majority_counts_all_voting_members(board):
    """15 votes in favour and none against fail: the majority is of all 31 voting members,
    not of the 15 who voted; the 16th vote in favour adopts the motion (Art. 7(8))."""
    voters = board.members(16)
    failing, passing = board.motion(title="fails"), board.motion(title="passes")
    for user in voters[:15]:
        services.cast_vote(actor=user, motion=failing, choice=Choice.FOR)
        services.cast_vote(actor=user, motion=passing, choice=Choice.FOR)
    services.cast_vote(actor=voters[15], motion=passing, choice=Choice.FOR)
    failing = services.close_motion(actor=board.chair, motion=failing, now=failing.closes_at)
    passing = services.close_motion(actor=board.chair, motion=passing, now=passing.closes_at)
    assert (failing.outcome, failing.votes_for, failing.threshold, failing.electorate) == (
        "rejected",
        15,
        16,
        31,
    )
    assert (passing.outcome, passing.votes_for, passing.threshold) == ("adopted", 16, 16)
    assert "16" in selectors.explanation(failing) and "31" in selectors.explanation(failing)


def test_with_denmark_the_16th_vote_is_no_longer_enough(board):
    Organisation.objects.filter(code="dk").update(takes_part_in_ilo_regulation=True)
    services.sync_composition(actor=board.chair, on=board.today)
    voters = board.members(17)
    fails, passes = board.motion(title="16"), board.motion(title="17")
    for user in voters[:16]:
        services.cast_vote(actor=user, motion=fails, choice=Choice.FOR)
        services.cast_vote(actor=user, motion=passes, choice=Choice.FOR)
    services.cast_vote(actor=voters[16], motion=passes, choice=Choice.FOR)
    fails = services.close_motion(actor=board.chair, motion=fails, now=fails.closes_at)
    passes = services.close_motion(actor=board.chair, motion=passes, now=passes.closes_at)
    assert (fails.electorate, fails.threshold, fails.outcome) == (32, 17, "rejected")
    assert passes.outcome == "adopted"


def test_the_threshold_is_fixed_by_the_composition_on_the_day_the_vote_opens(board):
    motion = board.motion()
    Organisation.objects.filter(code="dk").update(takes_part_in_ilo_regulation=True)
    services.sync_composition(actor=board.chair, on=board.today)
    motion.refresh_from_db()
    assert (motion.electorate, motion.threshold) == (31, 16)


def test_member_and_alternate_share_one_seat(board):
    member = board.appoint("nl")
    alternate = board.appoint("nl", Capacity.ALTERNATE)
    assert {m.seat_id for m in selectors.positions_of(user=member, day=board.today)} == {
        m.seat_id for m in selectors.positions_of(user=alternate, day=board.today)
    }
    assert selectors.voting_members_on(day=board.today) == 31


def test_a_seat_has_one_member_and_one_alternate_at_a_time(board, make_user):
    board.appoint("nl")
    with pytest.raises(ValidationError) as error:
        board.appoint("nl", user=make_user("board_member", organisation="nl"))
    assert "valid_from" in error.value.message_dict


def test_a_person_holds_one_position_at_a_time(board):
    member = board.appoint("nl")
    with pytest.raises(ValidationError) as error:
        board.appoint("nl", Capacity.ALTERNATE, user=member)
    assert "email" in error.value.message_dict


def test_a_member_state_is_represented_by_its_own_people(board, make_user):
    german = make_user("board_member", organisation="de")
    with pytest.raises(ValidationError) as error:
        board.appoint("nl", user=german)
    assert "Netherlands" in error.value.message_dict["email"][0]


def test_ending_a_membership_ends_the_right_to_vote(board):
    member = board.appoint("nl")
    membership = selectors.positions_of(user=member, day=board.today)[0]
    services.end_membership(actor=board.chair, membership=membership, valid_until=board.today)
    assert selectors.positions_of(user=member, day=board.today + timedelta(days=1)) == []
    with pytest.raises(ValidationError):
        services.end_membership(
            actor=board.chair, membership=membership, valid_until=board.today - timedelta(days=1)
        )


def test_the_composition_cannot_be_rewritten_before_its_recorded_start(board):
    later = board.today + timedelta(days=3)
    Organisation.objects.filter(code="dk").update(takes_part_in_ilo_regulation=True)
    services.sync_composition(actor=board.chair, on=later)
    with pytest.raises(ValidationError):
        services.sync_composition(actor=board.chair, on=board.today)
    assert Seat.objects.filter(organisation__code="dk").count() == 1
