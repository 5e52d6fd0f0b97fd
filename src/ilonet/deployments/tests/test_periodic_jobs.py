"""A deployment ends at its planned end without anyone notifying it: the daily job, run by the
scheduler and a worker on a fixed clock, ends it, notifies the steering board (Art. 4(1)) and
hands the end to the notification hook, once."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ilonet import policy
from ilonet.audit.models import AuditEvent
from ilonet.deployments.models import DeploymentNotification, DeploymentStatus
from ilonet.jobs import clock, testing
from ilonet.jobs.models import Job, JobState
from ilonet.jobs.scheduler import Scheduler

from .helpers import days, deploy, desk, officer

BRUSSELS = ZoneInfo("Europe/Brussels")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_checkpoint_file(settings, tmp_path):
    """The scheduler also enqueues the nightly audit checkpoint: each test writes its own."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path


def run_the_scheduler_and_worker(at: datetime) -> None:
    with clock.frozen(at):
        Scheduler(holder="test").tick(now=at)
        testing.run_queued_jobs(now=at)
    assert not Job.objects.filter(state__in=(JobState.FAILED, JobState.DEAD)).exists(), list(
        Job.objects.values_list("name", "error")
    )


def test_a_deployment_ends_at_its_planned_end_once_and_the_board_is_notified(make_user, notices):
    authority = desk(make_user)
    end = days(5)  # read once: a test run across midnight must not compare two days' "in five days"
    deployment = deploy(authority, officer(make_user), start=days(-100), end=end)
    other = deploy(authority, officer(make_user), start=days(-100), end=days(40), country="TN")
    # On the planned end itself the officer is still deployed.
    run_the_scheduler_and_worker(datetime.combine(end, time(23, 59), tzinfo=BRUSSELS))
    deployment.refresh_from_db()
    assert deployment.status == DeploymentStatus.ACTIVE
    # The daily job runs at 00:05; the first tick after it ends the deployment.
    run_the_scheduler_and_worker(datetime.combine(end + timedelta(days=1), time(0, 5, 40), tzinfo=BRUSSELS))
    deployment.refresh_from_db()
    other.refresh_from_db()
    assert (deployment.status, deployment.end_date) == (DeploymentStatus.ENDED, end)
    assert other.status == DeploymentStatus.ACTIVE
    notification = DeploymentNotification.objects.filter(deployment=deployment).latest("version")
    assert (notification.kind, notification.notified_by_id) == ("ended", None)
    assert notification.notified_by_label == "ILOnet (planned end)"
    event = AuditEvent.objects.get(action="deployment.ended", object_id=str(deployment.pk))
    assert event.actor_id is None and event.actor_label == "ILOnet (planned end)"
    # The steering board hears of the end (Art. 4(1)), and the deploying authority is told.
    [board_notice] = [n for n in notices if n.kind == "deployment.ended"]
    assert board_notice.obj == deployment and board_notice.audience_action == policy.Action.VIEW_DEPLOYMENTS
    assert {"board_member", "chair", "secretariat"} <= set(board_notice.recipients.roles)
    [notice] = [n for n in notices if n.kind == "deployment.ended_at_planned_end"]
    assert notice.obj == deployment
    assert notice.key == f"deployment.ended:{deployment.pk}:v{deployment.version}"
    assert notice.audience_action == policy.Action.MANAGE_DEPLOYMENTS
    assert notice.recipients.roles == ("deploying_authority",)
    assert notice.context["ended_on"] == end.isoformat()
    # The next day's run ends nothing again and tells nobody again.
    run_the_scheduler_and_worker(datetime.combine(end + timedelta(days=2), time(0, 6), tzinfo=BRUSSELS))
    assert len([n for n in notices if n.kind.startswith("deployment.ended")]) == 2
    assert AuditEvent.objects.filter(action="deployment.ended").count() == 1


def test_a_planned_deployment_is_not_ended_by_the_job(make_user):
    authority = desk(make_user)
    plan = deploy(authority, officer(make_user), status="planned", start=days(3), end=days(10))
    run_the_scheduler_and_worker(datetime.combine(days(11), time(0, 5, 30), tzinfo=BRUSSELS))
    plan.refresh_from_db()
    assert plan.status == DeploymentStatus.PLANNED


def test_a_deployment_whose_planned_end_was_moved_later_is_not_ended(make_user):
    from ilonet.deployments import services

    authority = desk(make_user)
    deployment = deploy(authority, officer(make_user), start=days(-100), end=days(2))
    services.update_deployment(actor=authority, deployment=deployment, planned_end_date=days(30))
    run_the_scheduler_and_worker(datetime.combine(days(3), time(0, 5, 30), tzinfo=BRUSSELS))
    deployment.refresh_from_db()
    assert deployment.status == DeploymentStatus.ACTIVE and timedelta(0) < deployment.planned_end_date - days(
        3
    )
