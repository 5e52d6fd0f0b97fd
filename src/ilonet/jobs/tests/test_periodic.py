"""The jobs app's own periodic jobs on a fixed clock: the nightly verification of the audit chain
with its signed checkpoint, the worker's heartbeat and the housekeeping of the queue."""

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.models import AuditEvent
from ilonet.jobs import clock, selectors, testing
from ilonet.jobs.models import Job, JobState
from ilonet.jobs.periodic import verify_audit_chain_and_checkpoint
from ilonet.jobs.scheduler import Scheduler, run_key

BRUSSELS = ZoneInfo("Europe/Brussels")
NIGHT = datetime(2026, 5, 4, 2, 30, tzinfo=BRUSSELS)
AUDIT_JOB = verify_audit_chain_and_checkpoint.name
pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoints(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_DIR = tmp_path
    return tmp_path / "checkpoints.jsonl"


def _tick_and_run(at: datetime) -> None:
    with clock.frozen(at):
        Scheduler(holder="test").tick(now=at)
        testing.run_queued_jobs(now=at)


def test_the_audit_chain_is_verified_and_checkpointed_every_night(checkpoints):
    audit.record(action=AuditAction.DEMO_SEEDED, details={"n": 1})
    _tick_and_run(NIGHT - timedelta(minutes=1))  # yesterday's run, made up at the first tick
    _tick_and_run(NIGHT + timedelta(seconds=30))
    tonight = Job.objects.get(key=run_key(AUDIT_JOB, NIGHT))
    assert tonight.state == JobState.SUCCEEDED
    assert "Audit chain intact" in tonight.result["output"] and "Checkpoint #" in tonight.result["output"]
    lines = [json.loads(line) for line in checkpoints.read_text().splitlines()]
    assert len(lines) == 2 and lines[-1]["seq"] == AuditEvent.objects.latest("seq").seq
    _tick_and_run(NIGHT + timedelta(hours=3))  # the same night: no second run
    assert len(checkpoints.read_text().splitlines()) == 2


def test_a_broken_audit_chain_fails_the_nightly_job_and_no_checkpoint_is_written(checkpoints):
    event = audit.record(action=AuditAction.DEMO_SEEDED, details={"n": 1})
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = %s WHERE seq = %s", ["rewritten", event.seq]
        )
    _tick_and_run(NIGHT + timedelta(seconds=30))
    tonight = Job.objects.get(key=run_key(AUDIT_JOB, NIGHT))
    assert tonight.state == JobState.FAILED
    assert tonight.error.startswith(f"CommandError: Audit chain broken at event #{event.seq}")
    assert not checkpoints.exists()
    for _retry in range(2):  # retried, then dead with the broken event named on the operations page
        tonight.refresh_from_db()
        _tick_and_run(tonight.run_after)
    tonight.refresh_from_db()
    assert tonight.state == JobState.DEAD and f"#{event.seq}" in tonight.error


def test_the_heartbeat_shows_that_a_worker_runs_jobs(checkpoints):
    at = datetime(2026, 5, 4, 12, 0, 10, tzinfo=BRUSSELS)
    assert not selectors.queue_status(now=at).worker_alive
    _tick_and_run(at)
    status = selectors.queue_status(now=at + timedelta(minutes=4))
    assert status.worker_alive and status.scheduler_alive is False  # the lease ran out (30 s)
    assert status.counts["succeeded"] == Job.objects.count()
    assert not selectors.queue_status(now=at + timedelta(minutes=6)).worker_alive


def test_finished_jobs_are_removed_after_the_days_kept(checkpoints, settings):
    settings.JOBS_KEEP_DAYS = 7
    day = datetime.combine(NIGHT.date(), time(12), tzinfo=BRUSSELS)
    _tick_and_run(day)
    first_day = set(Job.objects.values_list("pk", flat=True))
    _tick_and_run(day + timedelta(days=8))
    assert not first_day & set(Job.objects.values_list("pk", flat=True))
