"""What the home page reads from the board: the votes waiting for a seat (Art. 7(2), Art. 7(8),
Art. 8(1)), the meetings ahead (Art. 7(4), Art. 7(7)) and the dated deadlines of the chair and
secretariat (Art. 7(7), Art. 8(1), Art. 8(2)(d))."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.board import selectors, services
from ilonet.board.models import Capacity, Choice, Procedure

pytestmark = pytest.mark.django_db


def _waiting(user, **kwargs) -> list:
    return list(selectors.votes_waiting_for(user=user, **kwargs))


def test_an_open_vote_waits_for_the_seat_until_the_seat_has_voted(board):
    member, alternate = board.appoint("nl"), board.appoint("nl", Capacity.ALTERNATE)
    motion = board.motion()
    assert _waiting(member) == [motion] and _waiting(alternate) == [motion]
    assert _waiting(member)[0].for_own_seat and not _waiting(member)[0].by_proxy
    services.cast_vote(actor=member, motion=motion, choice=Choice.FOR)
    assert _waiting(member) == [] and _waiting(alternate) == []  # one vote per seat (Art. 7(2))


def test_a_vote_in_a_meeting_waits_as_well_and_the_soonest_deadline_comes_first(board):
    member = board.appoint("nl")
    late = board.motion(title="Late", days=20)
    soon = board.motion(title="Soon", days=2)
    in_meeting = board.motion(title="In the meeting", procedure=Procedure.MEETING)
    assert _waiting(member) == [soon, late, in_meeting]


def test_a_proxy_makes_the_grantor_seat_wait_for_the_holder_until_it_is_used(board):
    board.rules(proxies_allowed=True, max_proxies_per_holder=1)
    grantor, holder = board.appoint("nl"), board.appoint("de")
    motion = board.motion()
    services.cast_vote(actor=holder, motion=motion, choice=Choice.FOR)
    assert _waiting(holder) == []
    services.grant_proxy(actor=grantor, motion=motion, holder=holder)
    waiting = _waiting(holder)
    assert waiting == [motion] and waiting[0].by_proxy and not waiting[0].for_own_seat
    services.cast_vote(actor=holder, motion=motion, choice=Choice.FOR, on_behalf_of=board.seat("nl"))
    assert _waiting(holder) == [] and _waiting(grantor) == []


def test_no_vote_waits_for_those_who_do_not_vote_nor_after_the_deadline(board, make_user):
    member, norway = board.appoint("nl"), board.appoint("no")
    observer = make_user(Role.OBSERVER, organisation="iom")
    motion = board.motion(days=1)
    draft = board.motion(open=False)
    assert draft not in _waiting(member)
    assert _waiting(norway) == [] and _waiting(observer) == []  # Art. 7(3), Art. 7(4)
    assert _waiting(member, now=motion.closes_at + timedelta(seconds=1)) == []


def test_meetings_ahead_end_sixty_days_out_leave_out_cancelled_ones_and_observers_see_their_own(
    board, make_user
):
    member = board.appoint("nl")
    observer = make_user(Role.OBSERVER, organisation="iom")
    soon = board.meeting(starts_in=timedelta(days=3), title="Soon")
    last_day = timezone.localdate() + timedelta(days=60)
    late_on_the_last_day = timezone.make_aware(datetime.combine(last_day, time(23, 0)))
    at_the_edge = board.meeting(starts_in=late_on_the_last_day - timezone.now(), title="Edge")
    board.meeting(starts_in=timedelta(days=62), title="Too far")
    cancelled = board.meeting(starts_in=timedelta(days=5), title="Cancelled")
    services.cancel_meeting(actor=board.chair, meeting=cancelled)
    assert list(selectors.meetings_ahead(user=member)) == [soon, at_the_edge]
    assert list(selectors.meetings_ahead(user=observer)) == []
    services.invite(actor=board.chair, meeting=soon, user=observer, role="observer")
    assert list(selectors.meetings_ahead(user=observer)) == [soon]


def test_the_chair_is_reminded_of_the_rules_the_list_of_ilos_and_the_meetings_of_the_year(board, secretariat):
    now = timezone.now()
    first = board.meeting(starts_in=-timedelta(days=100), title="First")
    upcoming = board.meeting(starts_in=timedelta(days=10), title="Next")
    reminders = {r.code: r for r in selectors.deadline_reminders(user=board.chair, now=now)}
    rules = reminders["rules_deadline"]
    assert rules.article == "Art. 8(1)" and rules.overdue
    assert rules.due == selectors.add_months(timezone.localdate(first.starts_at), 3)
    officer_list = reminders["officer_list"]
    assert officer_list.article == "Art. 8(2)(d)" and officer_list.due == timezone.localdate(
        upcoming.starts_at
    )
    in_year = selectors.meetings_in_year(year=timezone.localdate(now).year)
    assert ("meetings_per_year" in reminders) == (in_year < 2)
    assert [r.code for r in selectors.deadline_reminders(user=secretariat, now=now)] == list(reminders)
    assert selectors.deadline_reminders(user=board.appoint("nl"), now=now) == []


def test_reminders_end_once_the_rules_are_adopted_and_the_list_is_updated(board, make_user):
    from ilonet.networks import services as networks

    board.meeting(starts_in=-timedelta(days=20))
    board.meeting(starts_in=timedelta(days=10))
    board.rules()
    networks.update_officer_list(actor=board.chair, title="List before the next meeting")
    codes = {r.code for r in selectors.deadline_reminders(user=board.chair)}
    assert "rules_deadline" not in codes and "officer_list" not in codes
