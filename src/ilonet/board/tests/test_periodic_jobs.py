"""The steering board's periodic jobs on a fixed clock, run as in production: the scheduler
enqueues them at their time, a worker runs them. Written procedures close at their deadline
without anyone opening a page (Art. 7(8)); the chair is reminded, once per occasion, of the
rules of procedure (Art. 8(1)), of the two meetings a year (Art. 7(7)) and of the list of
deployed ILOs before each meeting (Art. 8(2)(d))."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.board import services
from ilonet.board.models import Choice, MotionStatus, Reminder
from ilonet.board.selectors import add_months
from ilonet.jobs import clock, testing
from ilonet.jobs.models import Job, JobState
from ilonet.jobs.scheduler import Scheduler
from ilonet.networks import services as network_services

BRUSSELS = ZoneInfo("Europe/Brussels")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_checkpoint_file(settings, tmp_path):
    """The scheduler also enqueues the nightly audit checkpoint: each test writes its own."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path


def run_the_scheduler_and_worker(at: datetime) -> None:
    """One scheduler tick at ``at`` and a worker running what is due, on a clock fixed at ``at``."""
    with clock.frozen(at):
        Scheduler(holder="test").tick(now=at)
        testing.run_queued_jobs(now=at)
    assert not Job.objects.filter(state__in=(JobState.FAILED, JobState.DEAD)).exists(), list(
        Job.objects.values_list("name", "error")
    )


def at_seven(day: date, seconds: int = 30) -> datetime:
    """Just after 07:00 in Brussels, when the reminders job is due."""
    return datetime.combine(day, time(7, 0, seconds), tzinfo=BRUSSELS)


def reminders(kind: str) -> list[str]:
    return list(Reminder.objects.filter(kind=kind).order_by("pk").values_list("key", flat=True))


# --- written procedures (Art. 7(8), Art. 8(1)) -----------------------------------------------------


def test_a_written_procedure_closes_at_its_deadline_within_a_minute_without_anyone_opening_a_page(board):
    voters = board.members(16)
    motion = board.motion(days=2)
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
    run_the_scheduler_and_worker(motion.closes_at - timedelta(seconds=30))
    motion.refresh_from_db()
    assert motion.status == MotionStatus.OPEN
    run_the_scheduler_and_worker(motion.closes_at + timedelta(seconds=59))
    motion.refresh_from_db()
    assert (motion.status, motion.outcome, motion.closed_at) == (
        MotionStatus.CLOSED,
        "adopted",
        motion.closes_at,
    )
    closing = AuditEvent.objects.get(action="board.motion_closed", object_id=str(motion.pk))
    assert closing.actor_id is None and closing.actor_label == "ILOnet (deadline)"
    # Later runs find nothing to close: the motion closed once.
    run_the_scheduler_and_worker(motion.closes_at + timedelta(minutes=5))
    assert AuditEvent.objects.filter(action="board.motion_closed").count() == 1


# --- rules of procedure within three months of the first meeting (Art. 8(1)) ---------------------------


def test_the_chair_is_reminded_a_month_and_a_week_before_the_rules_deadline_then_monthly(board, notices):
    first = board.meeting(starts_in=timedelta(days=-10))
    deadline = add_months(timezone.localdate(first.starts_at), 3)
    run_the_scheduler_and_worker(at_seven(deadline - timedelta(days=31)))
    assert reminders("rules_deadline") == []
    run_the_scheduler_and_worker(at_seven(deadline - timedelta(days=30)))
    assert reminders("rules_deadline") == [f"rules_deadline:{deadline}:30d"]
    run_the_scheduler_and_worker(at_seven(deadline - timedelta(days=29)))  # the next day: nothing new
    run_the_scheduler_and_worker(at_seven(deadline - timedelta(days=7)))
    run_the_scheduler_and_worker(at_seven(deadline + timedelta(days=1)))
    overdue = deadline + timedelta(days=1)
    assert reminders("rules_deadline") == [
        f"rules_deadline:{deadline}:30d",
        f"rules_deadline:{deadline}:7d",
        f"rules_deadline:{deadline}:overdue:{overdue:%Y-%m}",
    ]
    sent = [n for n in notices if n.kind == "board.reminder.rules_deadline"]
    assert [n.key for n in sent] == [f"board.reminder:{key}" for key in reminders("rules_deadline")]
    assert sent[0].audience_action == policy.Action.MANAGE_BOARD
    assert sent[0].recipients.roles == ("chair", "secretariat")
    assert sent[0].context["article"] == "Art. 8(1)" and sent[0].context["deadline"] == deadline.isoformat()
    events = AuditEvent.objects.filter(action="board.reminder_issued", details__kind="rules_deadline")
    assert events.count() == 3 and events.first().actor_label == "ILOnet (reminder)"


def test_no_rules_reminder_once_the_rules_are_adopted(board):
    board.meeting(starts_in=timedelta(days=-10))
    board.rules()
    run_the_scheduler_and_worker(at_seven(timezone.localdate() + timedelta(days=80)))
    assert reminders("rules_deadline") == []


# --- at least two meetings a year (Art. 7(7)) -----------------------------------------------------------


def test_the_chair_is_reminded_each_quarter_while_fewer_than_two_meetings_are_held_or_planned(board, notices):
    year = timezone.localdate().year + 1
    run_the_scheduler_and_worker(at_seven(date(year, 3, 31)))
    assert reminders("meeting_cadence") == []
    run_the_scheduler_and_worker(at_seven(date(year, 4, 1)))
    assert reminders("meeting_cadence") == [f"meeting_cadence:{year}-04-01"]
    start = datetime(year, 5, 12, 10, tzinfo=BRUSSELS)
    board.meeting(starts_at=start, ends_at=start + timedelta(hours=6))
    run_the_scheduler_and_worker(at_seven(date(year, 7, 1)))  # one meeting: still too few
    assert reminders("meeting_cadence")[-1] == f"meeting_cadence:{year}-07-01"
    start = datetime(year, 11, 20, 10, tzinfo=BRUSSELS)
    board.meeting(starts_at=start, ends_at=start + timedelta(hours=6))
    run_the_scheduler_and_worker(at_seven(date(year, 10, 1)))  # a second one planned: no reminder
    assert reminders("meeting_cadence") == [f"meeting_cadence:{year}-04-01", f"meeting_cadence:{year}-07-01"]
    last = [n for n in notices if n.kind == "board.reminder.meeting_cadence"][-1]
    assert last.context == {"kind": "meeting_cadence", "due_on": f"{year}-07-01", "article": "Art. 7(7)",
                            "year": year, "meetings": 1}  # fmt: skip


# --- the list of deployed ILOs before each meeting (Art. 8(2)(d)) ----------------------------------------


def test_the_chair_is_reminded_before_a_meeting_when_the_list_of_deployed_ilos_is_outdated(board, notices):
    board.meeting(starts_in=timedelta(days=-30))
    upcoming = board.meeting(starts_in=timedelta(days=20))
    day = timezone.localdate(upcoming.starts_at)
    run_the_scheduler_and_worker(at_seven(day - timedelta(days=15)))
    assert reminders("officer_list") == []
    run_the_scheduler_and_worker(at_seven(day - timedelta(days=14)))
    run_the_scheduler_and_worker(at_seven(day - timedelta(days=13)))
    run_the_scheduler_and_worker(at_seven(day - timedelta(days=3)))
    assert reminders("officer_list") == [
        f"officer_list:{upcoming.pk}:{day}:14d",
        f"officer_list:{upcoming.pk}:{day}:3d",
    ]
    notice = [n for n in notices if n.kind == "board.reminder.officer_list"][0]
    assert notice.obj.meeting == upcoming and notice.context["article"] == "Art. 8(2)(d)"


def test_no_officer_list_reminder_when_the_list_was_updated_since_the_last_meeting(board, make_user):
    board.meeting(starts_in=timedelta(days=-30))
    upcoming = board.meeting(starts_in=timedelta(days=10))
    secretariat = make_user(Role.SECRETARIAT, organisation="com")
    network_services.update_officer_list(actor=secretariat, title="List for the next meeting")
    run_the_scheduler_and_worker(at_seven(timezone.localdate(upcoming.starts_at) - timedelta(days=3)))
    assert reminders("officer_list") == []


def test_issuing_the_due_reminders_twice_issues_nothing_twice(board, notices):
    board.meeting(starts_in=timedelta(days=-10))
    now = at_seven(timezone.localdate() + timedelta(days=85))
    first = services.issue_due_reminders(now=now)
    assert first and services.issue_due_reminders(now=now) == []
    assert len(notices) == len(first) == Reminder.objects.count()
