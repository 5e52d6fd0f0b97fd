"""The queue: enqueue a job once per idempotency key, run its attempts, retry with backoff,
mark it dead, and recover the jobs of a worker that died.

Every attempt of a ``Job`` is one django-tasks result of the task ``run_job`` on the database
backend (django-tasks-db), run by ``manage.py db_worker``. An attempt goes:

1. **claim** (one short transaction): the job must still point at this attempt
   (``task_id``) and be queued or waiting to retry; it becomes running, its attempt is counted
   and it gets a lease (``timeout`` seconds).
2. **effect** (one transaction, ``atomic`` jobs): the job row is locked again, the function
   runs, and the job is marked succeeded *in the same transaction*. A worker killed before
   the commit leaves nothing; one killed after it leaves a succeeded job, and any later
   attempt of it is a no-op. The effect is committed once.
3. **failure** (one transaction): the error is kept; the job waits ``backoff`` seconds (doubled
   per attempt, with a fixed per-job jitter) for its next attempt, or is marked dead after
   ``max_attempts``.

A worker killed mid-job leaves its job "running" with a lease that runs out:
``recover_lost_jobs`` (run by the scheduler at every tick) puts it back on the queue; the lost
attempt counts, so a job that kills its worker every time ends dead too. A worker killed after
taking an attempt but before starting it leaves that attempt taken and the job waiting: it is
put back too, once the job's time limit has passed.
"""

from __future__ import annotations

import hashlib
import logging
import traceback as tb
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django_tasks import TaskContext, TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from . import clock, registry
from .models import Job, JobState
from .registry import JobDefinition

logger = logging.getLogger("ilonet.jobs")

MAX_ERROR = 2000
MAX_TRACEBACK = 20000
LOST = "WorkerLost: the worker stopped before the job finished (killed, or over its time limit)"


class JobNotRegistered(LookupError):
    pass


def _definition(name_or_definition: str | JobDefinition) -> JobDefinition:
    if isinstance(name_or_definition, JobDefinition):
        return name_or_definition
    definition = registry.get(name_or_definition)
    if definition is None:
        raise JobNotRegistered(f"No job called {name_or_definition!r} is declared.")
    return definition


def backoff_seconds(definition: JobDefinition, *, key: str, attempt: int) -> float:
    """Seconds before the attempt after ``attempt`` (1 = the first attempt failed):
    ``backoff * 2 ** (attempt - 1)``, at most ``backoff_cap``, plus a jitter of up to 10 %
    derived from the job's key (spreads jobs that failed together, and stays reproducible)."""
    base = min(definition.backoff_cap, definition.backoff * 2 ** max(attempt - 1, 0))
    digest = hashlib.sha256(f"{key}:{attempt}".encode()).digest()
    return base * (1 + 0.1 * int.from_bytes(digest[:4], "big") / 0xFFFFFFFF)


def _dispatch(job: Job, *, at: datetime | None) -> None:
    """Make the job's next attempt: one django-tasks result, run after ``at`` (None: now)."""
    attempt = run_job.using(run_after=at) if at is not None else run_job
    result = attempt.enqueue(job.pk)
    job.task_id = uuid.UUID(str(result.id))
    job.run_after = at or clock.now()
    job.save(update_fields=["task_id", "run_after"])


def enqueue(
    name_or_definition: str | JobDefinition,
    *,
    key: str | None = None,
    run_after: datetime | None = None,
    scheduled_for: datetime | None = None,
    **kwargs: Any,
) -> tuple[Job, bool]:
    """Put a job on the queue; ``(job, created)``. With a ``key``, the job is enqueued once:
    a second enqueue with the same key (a second scheduler, a repeated request) returns the
    first job. Call it inside the transaction of the change that needs the job: the job is
    queued if, and only if, the change commits."""
    definition = _definition(name_or_definition)
    key = key or f"{definition.name}:{uuid.uuid4().hex}"
    existing = Job.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    now = clock.now()
    try:
        with transaction.atomic():
            job = Job.objects.create(
                name=definition.name, key=key, kwargs=kwargs, max_attempts=definition.max_attempts,
                run_after=run_after or now, scheduled_for=scheduled_for, created_at=now,
            )  # fmt: skip
            _dispatch(job, at=run_after)
    except IntegrityError:  # enqueued at the same moment elsewhere (the key is unique)
        return Job.objects.get(key=key), False
    return job, True


# --- running an attempt ---------------------------------------------------------------------


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> dict[str, Any]:
    """The one django-tasks task: run one attempt of a ``Job``."""
    result = context.task_result
    worker = result.worker_ids[-1] if result.worker_ids else ""
    return execute(job_id=job_id, task_id=str(result.id), worker=worker)


def _claim(job_id: int, task_id: uuid.UUID, worker: str) -> tuple[Job | None, str]:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None, "no such job"
        if job.task_id != task_id or job.state not in (JobState.QUEUED, JobState.FAILED):
            return None, f"stale attempt (job is {job.state})"
        definition = registry.get(job.name)
        if definition is None:
            _finish_failed(job, JobNotRegistered(f"No job called {job.name!r} is declared."), final=True)
            return None, "not declared"
        now = clock.now()
        job.state, job.attempts, job.worker = JobState.RUNNING, job.attempts + 1, worker[:64]
        job.started_at, job.lease_until = now, now + timedelta(seconds=definition.timeout)
        job.save(update_fields=["state", "attempts", "worker", "started_at", "lease_until"])
        return job, ""


def _still_ours(job_id: int, task_id: uuid.UUID) -> Job | None:
    job = Job.objects.select_for_update().get(pk=job_id)
    return job if job.state == JobState.RUNNING and job.task_id == task_id else None


def _succeed(job: Job, value: Any) -> None:
    job.state, job.finished_at, job.lease_until = JobState.SUCCEEDED, clock.now(), None
    job.result = (
        value if isinstance(value, dict | list | str | int | float | bool) or value is None else str(value)
    )
    job.save(update_fields=["state", "finished_at", "lease_until", "result"])


def execute(*, job_id: int, task_id: str, worker: str = "") -> dict[str, Any]:
    """Run one attempt of a job (see the module's docstring); what ``run_job`` returns."""
    attempt_id = uuid.UUID(task_id)
    job, skipped = _claim(job_id, attempt_id, worker)
    if job is None:
        return {"skipped": skipped}
    definition = registry.get(job.name)
    assert definition is not None  # checked by the claim
    try:
        if definition.atomic:
            with transaction.atomic():
                locked = _still_ours(job_id, attempt_id)
                if locked is None:
                    return {"skipped": "taken over by another attempt"}
                _succeed(locked, definition.func(**job.kwargs))
        else:
            value = definition.func(**job.kwargs)
            with transaction.atomic():
                locked = _still_ours(job_id, attempt_id)
                if locked is None:
                    return {"skipped": "taken over by another attempt"}
                _succeed(locked, value)
    except (KeyboardInterrupt, SystemExit):
        _interrupted(job_id, attempt_id)
        raise
    except Exception as error:
        _failed(job_id, attempt_id, error)
        raise
    return {"job": job_id, "state": JobState.SUCCEEDED}


def _error_text(error: BaseException) -> tuple[str, str]:
    text = f"{type(error).__name__}: {error}"[:MAX_ERROR]
    return text, "".join(tb.format_exception(error))[-MAX_TRACEBACK:]


def _finish_failed(job: Job, error: BaseException | str, *, final: bool = False) -> None:
    """Record a failed attempt of a locked job: retry after the backoff, or dead."""
    if isinstance(error, BaseException):
        job.error, job.traceback = _error_text(error)
    else:
        job.error, job.traceback = error, ""
    job.lease_until = None
    definition = registry.get(job.name)
    if final or definition is None or job.attempts >= job.max_attempts:
        job.state, job.finished_at, job.task_id = JobState.DEAD, clock.now(), None
        job.save(update_fields=["state", "finished_at", "task_id", "error", "traceback", "lease_until"])
        logger.error("Job %s (%s) is dead after %d attempt(s): %s", job.pk, job.name, job.attempts, job.error)
        return
    job.state = JobState.FAILED
    job.save(update_fields=["state", "error", "traceback", "lease_until"])
    delay = backoff_seconds(definition, key=job.key, attempt=job.attempts)
    _dispatch(job, at=clock.now() + timedelta(seconds=delay))
    logger.warning("Job %s (%s) failed, attempt %d of %d; retry in %.0f s: %s",
                   job.pk, job.name, job.attempts, job.max_attempts, delay, job.error)  # fmt: skip


def _failed(job_id: int, attempt_id: uuid.UUID, error: BaseException) -> None:
    with transaction.atomic():
        job = _still_ours(job_id, attempt_id)
        if job is not None:
            _finish_failed(job, error)


def _interrupted(job_id: int, attempt_id: uuid.UUID) -> None:
    """The worker was asked to stop mid-job (a second Ctrl-C): nothing was committed; the job
    goes back on the queue at once and the attempt does not count."""
    with transaction.atomic():
        job = _still_ours(job_id, attempt_id)
        if job is not None:
            job.state, job.attempts, job.lease_until = JobState.QUEUED, max(job.attempts - 1, 0), None
            job.save(update_fields=["state", "attempts", "lease_until"])
            _dispatch(job, at=None)


# --- a worker that died ---------------------------------------------------------------------


def _abandon_attempt(task_id: uuid.UUID | None) -> None:
    """Close a django-tasks result left "running" by a worker that died."""
    if task_id is None:
        return
    DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=clock.now(),
        exception_class_path="ilonet.jobs.queue.WorkerLost",
        traceback=LOST,
    )


def _recover(job: Job, *, attempt_counted: bool) -> None:
    """Put a locked job whose attempt was lost back on the queue (or dead, if that was its
    last attempt)."""
    _abandon_attempt(job.task_id)
    if attempt_counted and job.attempts >= job.max_attempts:
        _finish_failed(job, LOST, final=True)
        return
    job.state, job.error, job.traceback, job.lease_until = JobState.QUEUED, LOST, "", None
    job.save(update_fields=["state", "error", "traceback", "lease_until"])
    _dispatch(job, at=None)


def recover_lost_jobs(*, now: datetime | None = None) -> list[int]:
    """Put back on the queue the jobs of workers that died; returns their ids. Two cases:

    - a job still running after its lease: the worker died during the job; the lost attempt
      counts (a job that kills its worker every time ends dead);
    - a job still waiting while its attempt was taken by a worker longer than the job's time
      limit ago: the worker died between taking the attempt and starting the job.

    Safe to run from several processes: each job is re-checked under its row lock."""
    now = now or clock.now()
    recovered = []
    running = Job.objects.filter(state=JobState.RUNNING, lease_until__lt=now)
    for pk in list(running.values_list("pk", flat=True)):
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=pk)
            if job.state == JobState.RUNNING and job.lease_until is not None and job.lease_until < now:
                _recover(job, attempt_counted=True)
                recovered.append(pk)
    taken = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values("id")
    waiting = Job.objects.filter(state__in=(JobState.QUEUED, JobState.FAILED), task_id__in=taken)
    for pk, name in list(waiting.values_list("pk", "name")):
        definition = registry.get(name)
        grace = timedelta(seconds=definition.timeout if definition else 600)
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=pk)
            if job.task_id is None:
                continue
            attempt = DBTaskResult.objects.filter(id=job.task_id, status=TaskResultStatus.RUNNING).first()
            if (job.state in (JobState.QUEUED, JobState.FAILED) and attempt is not None
                    and attempt.started_at is not None and attempt.started_at < now - grace):  # fmt: skip
                _recover(job, attempt_counted=False)
                recovered.append(pk)
    # Attempts of jobs that finished or moved on (the worker died after the job's commit).
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - timedelta(hours=1)
    )
    for result in stale.only("id", "args_kwargs")[:500]:
        job_id = (result.args_kwargs.get("args") or [None])[0]
        if not Job.objects.filter(pk=job_id, task_id=result.id).exists():
            _abandon_attempt(result.id)
    return recovered


# --- what administrators do (``services.retry_job``, ``services.cancel_job``) ----------------


def requeue(job: Job) -> None:
    """A dead or cancelled job gets a fresh set of attempts, now (call under its row lock)."""
    job.state, job.attempts, job.finished_at, job.lease_until = JobState.QUEUED, 0, None, None
    job.save(update_fields=["state", "attempts", "finished_at", "lease_until"])
    _dispatch(job, at=None)


def cancel(job: Job) -> None:
    """A queued job, or one waiting to retry, will not run (call under its row lock)."""
    if job.task_id is not None:
        DBTaskResult.objects.filter(id=job.task_id, status=TaskResultStatus.READY).delete()
    job.state, job.finished_at, job.task_id = JobState.CANCELLED, clock.now(), None
    job.save(update_fields=["state", "finished_at", "task_id"])


def prune(*, now: datetime | None = None, keep_days: int) -> dict[str, int]:
    """Delete succeeded and cancelled jobs, and finished django-tasks results, older than
    ``keep_days``. Dead jobs stay until an administrator retries them."""
    cutoff = (now or clock.now()) - timedelta(days=keep_days)
    jobs, _ = Job.objects.filter(
        state__in=(JobState.SUCCEEDED, JobState.CANCELLED), finished_at__lt=cutoff
    ).delete()
    results, _ = DBTaskResult.objects.filter(
        status__in=(TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED), finished_at__lt=cutoff
    ).delete()
    return {"jobs": jobs, "results": results}
