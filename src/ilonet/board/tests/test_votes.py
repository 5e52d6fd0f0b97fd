"""Votes and their refusals (Art. 7(2), Art. 7(3), Art. 7(4), Art. 7(8),
Art. 8(1)). Every refusal gives its reason, in
the user's language, and changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.board import selectors, services
from ilonet.board.models import (
    Ballot,
    Capacity,
    Choice,
    Participant,
    ParticipantRole,
    Participation,
    Procedure,
    Proxy,
    SecretBallot,
)

pytestmark = pytest.mark.django_db


def _nothing_recorded(motion):
    return (
        not Participation.objects.filter(motion=motion).exists()
        and not Ballot.objects.filter(motion=motion).exists()
    )


def test_a_member_votes_for_the_seat(board):
    member = board.appoint("nl")
    motion = board.motion()
    cast = services.cast_vote(actor=member, motion=motion, choice=Choice.FOR)
    assert cast.participation.seat == board.seat("nl") and cast.participation.capacity == "member"
    assert cast.receipt is None  # open vote: no receipt, the record says who voted how
    assert cast.participation.choice == Choice.FOR
    event = AuditEvent.objects.filter(action="board.vote_cast").get()
    assert event.details["choice"] == "for" and event.actor_id == member.pk


def test_non_voting_member_cannot_vote_and_nothing_changes(board):
    norway = board.appoint("no")
    motion = board.motion()
    with pytest.raises(PermissionDenied) as error:
        services.cast_vote(actor=norway, motion=motion, choice=Choice.FOR)
    assert "Art. 7(3)" in str(error.value) and "do not vote" in str(error.value)
    assert _nothing_recorded(motion)
    assert AuditEvent.objects.filter(action="permission.denied", details__permission="board.vote").exists()


def test_observer_cannot_vote(board, make_user):
    meeting = board.meeting()
    observer = make_user(Role.OBSERVER, organisation="iom")
    services.invite(actor=board.chair, meeting=meeting, user=observer, role=ParticipantRole.OBSERVER)
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting)
    with pytest.raises(PermissionDenied) as error:
        services.cast_vote(actor=observer, motion=motion, choice=Choice.AGAINST)
    assert "Art. 7(4)" in str(error.value)
    assert _nothing_recorded(motion)


def test_a_board_role_without_a_seat_cannot_vote(board, make_user):
    motion = board.motion()
    with pytest.raises(PermissionDenied) as error:
        services.cast_vote(actor=make_user(Role.BOARD_MEMBER), motion=motion, choice=Choice.FOR)
    assert "no seat" in str(error.value)
    assert _nothing_recorded(motion)


def test_second_vote_by_the_same_member_is_refused(board):
    member = board.appoint("nl")
    motion = board.motion()
    services.cast_vote(actor=member, motion=motion, choice=Choice.FOR)
    with pytest.raises(ValidationError) as error:
        services.cast_vote(actor=member, motion=motion, choice=Choice.AGAINST)
    assert "already voted" in error.value.messages[0]
    assert list(Ballot.objects.filter(motion=motion).values_list("choice", flat=True)) == ["for"]


def test_alternate_cannot_vote_after_the_member(board):
    member, alternate = board.appoint("nl"), board.appoint("nl", Capacity.ALTERNATE)
    motion = board.motion()
    services.cast_vote(actor=member, motion=motion, choice=Choice.FOR)
    with pytest.raises(ValidationError) as error:
        services.cast_vote(actor=alternate, motion=motion, choice=Choice.AGAINST)
    assert "alternate votes only when the member does not" in error.value.messages[0]
    assert Ballot.objects.filter(motion=motion).count() == 1


def test_member_cannot_vote_after_the_alternate_voted_for_the_seat(board):
    member, alternate = board.appoint("nl"), board.appoint("nl", Capacity.ALTERNATE)
    motion = board.motion()
    services.cast_vote(actor=alternate, motion=motion, choice=Choice.FOR)
    with pytest.raises(ValidationError) as error:
        services.cast_vote(actor=member, motion=motion, choice=Choice.AGAINST)
    assert "one vote" in error.value.messages[0]
    assert Ballot.objects.filter(motion=motion).count() == 1


def test_alternate_cannot_vote_when_the_member_attends_the_meeting(board):
    member, alternate = board.appoint("nl"), board.appoint("nl", Capacity.ALTERNATE)
    meeting = board.meeting()
    present = {p.pk for p in meeting.participants.all() if p.user_id == member.pk}
    services.record_attendance(actor=board.chair, meeting=meeting, present=present)
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting)
    with pytest.raises(ValidationError) as error:
        services.cast_vote(actor=alternate, motion=motion, choice=Choice.FOR)
    assert "in the member's absence" in error.value.messages[0]
    assert _nothing_recorded(motion)


def test_alternate_votes_when_the_member_is_absent(board):
    board.appoint("nl")
    alternate = board.appoint("nl", Capacity.ALTERNATE)
    meeting = board.meeting()
    present = {p.pk for p in meeting.participants.all() if p.user_id == alternate.pk}
    services.record_attendance(actor=board.chair, meeting=meeting, present=present)
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting)
    cast = services.cast_vote(actor=alternate, motion=motion, choice=Choice.FOR)
    assert cast.participation.capacity == "alternate"


def test_vote_after_the_motion_closed_is_refused(board):
    member, other = board.appoint("nl"), board.appoint("de")
    motion = board.motion(procedure=Procedure.MEETING)
    services.cast_vote(actor=other, motion=motion, choice=Choice.FOR)
    services.close_motion(actor=board.chair, motion=motion)
    with pytest.raises(ValidationError) as error:
        services.cast_vote(actor=member, motion=motion, choice=Choice.FOR)
    assert "closed" in error.value.messages[0]
    assert Ballot.objects.filter(motion=motion).count() == 1


def test_vote_after_the_written_procedure_deadline_is_refused(board):
    member = board.appoint("nl")
    motion = board.motion()
    with pytest.raises(ValidationError) as error:
        services.cast_vote(actor=member, motion=motion, choice=Choice.FOR, now=motion.closes_at)
    assert "deadline" in error.value.messages[0]
    assert _nothing_recorded(motion)


def test_a_draft_motion_takes_no_votes(board):
    member = board.appoint("nl")
    motion = board.motion(open=False)
    with pytest.raises(ValidationError):
        services.cast_vote(actor=member, motion=motion, choice=Choice.FOR)
    assert _nothing_recorded(motion)


def test_an_unknown_choice_is_refused(board):
    member = board.appoint("nl")
    motion = board.motion()
    with pytest.raises(ValidationError) as error:
        services.cast_vote(actor=member, motion=motion, choice="maybe")
    assert "choice" in error.value.message_dict
    assert _nothing_recorded(motion)


def test_proxy_refused_when_the_rules_of_procedure_do_not_allow_it(board):
    member, holder = board.appoint("nl"), board.appoint("de")
    motion = board.motion()
    with pytest.raises(ValidationError) as error:
        services.grant_proxy(actor=member, motion=motion, holder=holder)
    assert "Art. 8(1)" in error.value.messages[0]
    assert not Proxy.objects.exists()
    board.rules(proxies_allowed=False)
    motion = board.motion()
    with pytest.raises(ValidationError):
        services.grant_proxy(actor=member, motion=motion, holder=holder)
    assert not Proxy.objects.exists()


def test_a_proxy_vote_counts_for_the_grantor_seat(board):
    board.rules(proxies_allowed=True, max_proxies_per_holder=1)
    member, holder = board.appoint("nl"), board.appoint("de")
    motion = board.motion()
    services.grant_proxy(actor=member, motion=motion, holder=holder)
    services.cast_vote(actor=holder, motion=motion, choice=Choice.FOR)
    cast = services.cast_vote(
        actor=holder, motion=motion, choice=Choice.AGAINST, on_behalf_of=board.seat("nl")
    )
    assert cast.participation.capacity == "proxy" and cast.participation.seat == board.seat("nl")
    assert cast.participation.proxy.holder == holder
    with pytest.raises(ValidationError):  # the member voted through the proxy already
        services.cast_vote(actor=member, motion=motion, choice=Choice.FOR)


def test_a_member_holds_no_more_proxies_than_the_rules_allow(board):
    board.rules(proxies_allowed=True, max_proxies_per_holder=1)
    holder = board.appoint("de")
    motion = board.motion()
    services.grant_proxy(actor=board.appoint("nl"), motion=motion, holder=holder)
    with pytest.raises(ValidationError) as error:
        services.grant_proxy(actor=board.appoint("fr"), motion=motion, holder=holder)
    assert "(1)" in error.value.messages[0]
    assert Proxy.objects.count() == 1


def test_proxies_go_to_voting_members_other_than_the_own_alternate(board):
    board.rules(proxies_allowed=True)
    member, alternate, norway = (
        board.appoint("nl"),
        board.appoint("nl", Capacity.ALTERNATE),
        board.appoint("no"),
    )
    motion = board.motion()
    for holder in (alternate, norway, member):
        with pytest.raises(ValidationError):
            services.grant_proxy(actor=member, motion=motion, holder=holder)
    assert not Proxy.objects.exists()


def test_voting_with_a_proxy_one_does_not_hold_is_refused(board):
    member = board.appoint("de")
    board.appoint("nl")
    motion = board.motion()
    with pytest.raises(ValidationError) as error:
        services.cast_vote(actor=member, motion=motion, choice=Choice.FOR, on_behalf_of=board.seat("nl"))
    assert "no proxy" in error.value.messages[0]
    assert _nothing_recorded(motion)


def test_quorum_set_by_the_rules_of_procedure(board):
    board.rules(quorum_percent=100)
    voters = board.members(20)
    motion = board.motion()
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
    motion = services.close_motion(actor=board.chair, motion=motion, now=motion.closes_at)
    assert (motion.quorum, motion.outcome) == (31, "no_quorum")
    assert "quorum" in selectors.explanation(motion)


def test_written_procedure_closes_itself_at_the_deadline(board):
    voters = board.members(16)
    motion = board.motion(days=1)
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
    assert services.close_due_motions(now=timezone.now()) == []
    closed = services.close_due_motions(now=motion.closes_at + timedelta(seconds=1))
    assert [m.pk for m in closed] == [motion.pk] and closed[0].outcome == "adopted"
    assert services.close_due_motions(now=motion.closes_at + timedelta(days=1)) == []


def test_a_written_procedure_is_not_closed_early_unless_everyone_voted(board):
    board.members(3)
    motion = board.motion()
    with pytest.raises(ValidationError):
        services.close_motion(actor=board.chair, motion=motion)


def test_a_secret_ballot_needs_rules_of_procedure_that_provide_for_it(board):
    with pytest.raises(ValidationError) as error:
        board.motion(secret=True)
    assert "secret" in error.value.message_dict
    board.rules(secret_ballot=SecretBallot.ALWAYS)
    assert board.motion().secret is True


def test_adopting_new_rules_of_procedure_supersedes_the_old(board):
    first = board.rules(title="v1")
    second = board.rules(title="v2")
    first.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "adopted")
    assert selectors.rules_in_force(day=board.today) == second


def test_only_the_chair_proposes_rules_of_procedure(board, secretariat):
    with pytest.raises(PermissionDenied):
        services.propose_rules(actor=secretariat, title="Rules", text="Text")


def test_statements_by_non_voting_members_and_invited_observers(board, make_user):
    norway = board.appoint("no")
    meeting = board.meeting()
    observer = make_user(Role.OBSERVER, organisation="iom")
    stranger = make_user(Role.OBSERVER, organisation="iom")
    services.invite(actor=board.chair, meeting=meeting, user=observer, role=ParticipantRole.OBSERVER)
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting)
    assert "Non-voting" in services.comment(actor=norway, motion=motion, text="Norway agrees.").speaking_as
    assert services.comment(actor=observer, motion=motion, text="IOM can help.").speaking_as == "Observer"
    with pytest.raises(PermissionDenied):
        services.comment(actor=stranger, motion=motion, text="Not invited.")
    assert motion.comments.count() == 2


def test_adopted_decision_goes_to_every_deploying_authority(board, make_user):
    from ilonet.directory import demo as directory_demo

    authorities = directory_demo.ensure_authorities()
    voters = board.members(16)
    motion = board.motion()
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
    motion = services.close_motion(actor=board.chair, motion=motion, now=motion.closes_at)
    dispatched = set(motion.dispatches.values_list("authority__code", flat=True))
    assert {a.code for a in authorities} <= dispatched
    assert {"com", "frontex", "europol", "euaa"} <= dispatched

    dutch = make_user(Role.DEPLOYING_AUTHORITY, organisation="nl", scope="nl-auth")
    mine = list(selectors.dispatches_for(user=dutch, pending=True))
    assert [d.authority.code for d in mine] == ["nl-auth"]
    services.mark_passed_on(actor=dutch, dispatch=mine[0], note="E-mail to all officers")
    assert selectors.dispatches_for(user=dutch, pending=True).count() == 0
    with pytest.raises(ValidationError):
        services.mark_passed_on(actor=dutch, dispatch=mine[0])
    german = make_user(Role.DEPLOYING_AUTHORITY, organisation="de", scope="de-auth")
    with pytest.raises(PermissionDenied):
        services.mark_passed_on(actor=german, dispatch=motion.dispatches.get(authority__code="nl-auth"))


def test_a_rejected_decision_is_not_passed_on(board):
    motion = board.motion(procedure=Procedure.MEETING)
    motion = services.close_motion(actor=board.chair, motion=motion)
    assert motion.outcome == "rejected" and not motion.dispatches.exists()


def test_the_meeting_invites_members_alternates_and_non_voting_members(board):
    member, alternate, norway = (
        board.appoint("nl"),
        board.appoint("nl", Capacity.ALTERNATE),
        board.appoint("no"),
    )
    meeting = board.meeting()
    roles = dict(Participant.objects.filter(meeting=meeting).values_list("user_id", "role"))
    assert roles == {
        board.chair.pk: "chair",
        member.pk: "member",
        alternate.pk: "alternate",
        norway.pk: "non_voting",
    }


def test_the_scheduler_command_closes_written_procedures_past_their_deadline(board):
    from io import StringIO

    from django.core.management import call_command

    from ilonet.board.models import Motion

    motion = board.motion()
    Motion.objects.filter(pk=motion.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("board_close_due_motions", stdout=out)
    motion.refresh_from_db()
    assert motion.status == "closed" and motion.outcome == "rejected" and "1 motion closed" in out.getvalue()
