"""The queue: one job per idempotency key, effects committed once with the job's success,
retries with backoff, the dead-letter state, and the recovery of jobs whose worker died."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ilonet.jobs import clock, queue, tallies, testing
from ilonet.jobs.models import Job, JobState
from ilonet.jobs.registry import job

pytestmark = pytest.mark.django_db


@job(label="Probe: bumps, then fails", max_attempts=2, backoff=5)
def bumps_then_fails(*, name: str) -> None:
    tallies.bump(name)
    raise ValueError("after the effect")


def _attempt(job_row: Job) -> DBTaskResult:
    return DBTaskResult.objects.get(id=job_row.task_id)


def test_a_job_runs_once_and_records_its_result():
    job_row, created = testing.count_once.enqueue(name="a")
    assert created and job_row.state == JobState.QUEUED
    assert testing.run_queued_jobs() == 1
    job_row.refresh_from_db()
    assert (job_row.state, job_row.attempts, job_row.result) == (JobState.SUCCEEDED, 1, 1)
    assert tallies.value("a") == 1
    assert _attempt(job_row).status == TaskResultStatus.SUCCESSFUL
    assert testing.run_queued_jobs() == 0


def test_the_same_idempotency_key_enqueues_one_job():
    first, created = testing.count_once.enqueue(key="once", name="b")
    second, created_again = testing.count_once.enqueue(key="once", name="b")
    assert created and not created_again and first.pk == second.pk
    assert Job.objects.count() == 1 and DBTaskResult.objects.count() == 1
    testing.run_queued_jobs()
    assert tallies.value("b") == 1


def test_a_job_enqueued_in_a_transaction_that_rolls_back_never_exists():
    with pytest.raises(RuntimeError), transaction.atomic():
        testing.count_once.enqueue(name="c")
        raise RuntimeError("the change fails")
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_a_job_that_raises_is_retried_with_backoff_then_dead_with_its_error():
    start = timezone.now().replace(microsecond=0)
    definition = testing.always_fails
    with clock.frozen(start):
        job_row, _ = definition.enqueue(key="fails", message="the mail server is down")
        testing.run_queued_jobs()
    job_row.refresh_from_db()
    first_delay = queue.backoff_seconds(definition, key="fails", attempt=1)
    assert job_row.state == JobState.FAILED and job_row.attempts == 1
    assert job_row.error == "RuntimeError: the mail server is down"
    assert job_row.run_after == start + timedelta(seconds=first_delay)
    # Not before its time: the retry waits for the backoff.
    assert testing.run_queued_jobs(now=start + timedelta(seconds=first_delay - 1)) == 0
    second = start + timedelta(seconds=first_delay)
    with clock.frozen(second):
        assert testing.run_queued_jobs() == 1
    job_row.refresh_from_db()
    second_delay = queue.backoff_seconds(definition, key="fails", attempt=2)
    assert job_row.state == JobState.FAILED and job_row.attempts == 2
    assert job_row.run_after == second + timedelta(seconds=second_delay)
    with clock.frozen(job_row.run_after):
        assert testing.run_queued_jobs() == 1
    job_row.refresh_from_db()
    assert (job_row.state, job_row.attempts) == (JobState.DEAD, 3)
    assert job_row.error == "RuntimeError: the mail server is down"
    assert "RuntimeError" in job_row.traceback and job_row.task_id is None
    # Every attempt's django-tasks result records its failure; nothing more is queued.
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == [TaskResultStatus.FAILED] * 3
    assert testing.run_queued_jobs(now=start + timedelta(days=1)) == 0


def test_backoff_doubles_per_attempt_up_to_its_cap_with_a_jitter_of_at_most_a_tenth():
    definition = testing.always_fails  # backoff 10 s, cap 25 s
    for attempt, base in ((1, 10), (2, 20), (3, 25), (4, 25)):
        delay = queue.backoff_seconds(definition, key="k", attempt=attempt)
        assert base <= delay <= base * 1.1
    assert queue.backoff_seconds(definition, key="k", attempt=2) == queue.backoff_seconds(
        definition, key="k", attempt=2
    )
    assert queue.backoff_seconds(definition, key="k", attempt=2) != queue.backoff_seconds(
        definition, key="other", attempt=2
    )


def test_the_effects_of_a_failed_attempt_are_rolled_back():
    start = timezone.now()
    with clock.frozen(start):
        job_row, _ = bumps_then_fails.enqueue(name="rolled-back")
        testing.run_queued_jobs()
    with clock.frozen(start + timedelta(minutes=1)):
        testing.run_queued_jobs()
    job_row.refresh_from_db()
    assert job_row.state == JobState.DEAD and job_row.error == "ValueError: after the effect"
    assert tallies.value("rolled-back") == 0


def test_a_job_that_fails_then_succeeds_has_its_effect_once():
    start = timezone.now()
    job_row, _ = testing.fails_then_succeeds.enqueue(name="flaky", failures=2)
    for minutes in range(4):
        with clock.frozen(start + timedelta(minutes=minutes)):
            testing.run_queued_jobs()
    job_row.refresh_from_db()
    assert job_row.state == JobState.SUCCEEDED and job_row.attempts == 3
    assert job_row.result == {"succeeded_at_attempt": 3, "effects": 1}
    assert tallies.value("flaky") == 1


def test_a_second_run_of_an_attempt_after_the_commit_does_nothing():
    """A worker killed after the job's commit but before it recorded the attempt's result:
    the attempt runs again, and finds the job done."""
    job_row, _ = testing.count_once.enqueue(name="d")
    testing.run_queued_jobs()
    job_row.refresh_from_db()
    again = queue.execute(job_id=job_row.pk, task_id=str(job_row.task_id))
    assert again == {"skipped": "stale attempt (job is succeeded)"}
    assert tallies.value("d") == 1


def _start_and_lose(job_row: Job, worker: str = "lost-worker") -> None:
    """What a worker does before it is killed in the middle of the job: it takes the attempt
    and marks the job running, and never commits the job's transaction."""
    attempt = _attempt(job_row)
    attempt.claim(worker)
    claimed, reason = queue._claim(job_row.pk, job_row.task_id, worker)
    assert claimed is not None, reason


def test_a_job_whose_worker_died_runs_again_after_its_lease_and_has_its_effect_once():
    start = timezone.now()
    with clock.frozen(start):
        job_row, _ = testing.count_once.enqueue(name="e")  # time limit (lease) 3 s
        _start_and_lose(job_row)
        lost_attempt = job_row.task_id
    assert queue.recover_lost_jobs(now=start + timedelta(seconds=1)) == []  # the lease still holds
    assert queue.recover_lost_jobs(now=start + timedelta(seconds=4)) == [job_row.pk]
    job_row.refresh_from_db()
    assert job_row.state == JobState.QUEUED and job_row.task_id != lost_attempt
    assert job_row.error.startswith("WorkerLost")
    assert DBTaskResult.objects.get(id=lost_attempt).status == TaskResultStatus.FAILED
    testing.run_queued_jobs()
    job_row.refresh_from_db()
    assert (job_row.state, job_row.attempts) == (JobState.SUCCEEDED, 2)
    assert tallies.value("e") == 1
    # The lost attempt, were it to run after all, finds the job no longer its own.
    assert queue.execute(job_id=job_row.pk, task_id=str(lost_attempt))["skipped"].startswith("stale")


def test_an_attempt_taken_by_a_worker_that_died_before_starting_it_is_made_again():
    start = timezone.now()
    job_row, _ = testing.count_once.enqueue(name="f")
    _attempt(job_row).claim("died-at-once")  # taken, then the worker died: the job still waits
    assert queue.recover_lost_jobs(now=start + timedelta(seconds=1)) == []
    assert queue.recover_lost_jobs(now=start + timedelta(seconds=5)) == [job_row.pk]
    testing.run_queued_jobs()
    job_row.refresh_from_db()
    assert (job_row.state, job_row.attempts) == (JobState.SUCCEEDED, 1)
    assert tallies.value("f") == 1


def test_a_job_that_kills_its_worker_every_time_ends_dead():
    start = timezone.now()
    job_row, _ = testing.count_once.enqueue(name="g")
    Job.objects.filter(pk=job_row.pk).update(max_attempts=2)
    for round_ in range(2):
        job_row.refresh_from_db()
        with clock.frozen(start + timedelta(minutes=round_)):
            _start_and_lose(job_row)
        queue.recover_lost_jobs(now=start + timedelta(minutes=round_, seconds=30))
    job_row.refresh_from_db()
    assert (job_row.state, job_row.attempts) == (JobState.DEAD, 2)
    assert job_row.error.startswith("WorkerLost")
    assert tallies.value("g") == 0


def test_a_job_nobody_declares_ends_dead_with_a_clear_error():
    job_row, _ = testing.nothing.enqueue()
    Job.objects.filter(pk=job_row.pk).update(name="ilonet.nowhere.gone")
    testing.run_queued_jobs()
    job_row.refresh_from_db()
    assert job_row.state == JobState.DEAD
    assert job_row.error == "JobNotRegistered: No job called 'ilonet.nowhere.gone' is declared."


def test_old_finished_jobs_are_pruned_and_dead_ones_kept():
    start = timezone.now()
    with clock.frozen(start):
        done, _ = testing.count_once.enqueue(name="h")
        dead, _ = testing.always_fails.enqueue()
        testing.run_queued_jobs()
    Job.objects.filter(pk=dead.pk).update(state=JobState.DEAD, finished_at=start)
    assert queue.prune(now=start + timedelta(days=13), keep_days=14)["jobs"] == 0
    assert queue.prune(now=start + timedelta(days=15), keep_days=14)["jobs"] == 1
    assert list(Job.objects.values_list("pk", flat=True)) == [dead.pk]
