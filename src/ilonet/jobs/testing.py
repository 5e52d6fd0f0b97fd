"""Test support: run the queue in this process as the worker would, and probe jobs for the
tests and the benchmark. The probes are declared here, outside the autodiscovered ``jobs``
modules: a worker imports this module when it meets one (``registry.get``)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.db.models import Q
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from . import clock, tallies
from .registry import job


def ready_attempts(*, now: datetime | None = None):
    """The django-tasks results a worker would pick at ``now`` (default: the clock)."""
    at = now or clock.now()
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after=get_date_max()) | Q(run_after__lte=at)
    )


def run_queued_jobs(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Run every attempt ready at ``now``, one after the other, through django-tasks-db's own
    worker (claim, run, record the result), without its polling loop (which closes database
    connections, and with them a test's transaction). Attempts made ready while running (a
    retry due at once) run too. Returns the number run."""
    worker = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="in-process", excluded_queue_names=[],
    )  # fmt: skip
    ran = 0
    while ran < limit:
        attempt = ready_attempts(now=now).order_by(*DBTaskResult._meta.ordering).first()
        if attempt is None:
            return ran
        attempt.claim(worker.worker_id)
        worker.run_task(attempt)
        ran += 1
    return ran


# --- probes ------------------------------------------------------------------------------------


@job(label="Probe: count once", max_attempts=100, timeout=3.0, backoff=0)
def count_once(*, name: str, hold: float = 0.0) -> int:
    """Add one to the tally ``name`` and hold the transaction open ``hold`` seconds (a window
    for a kill in the middle of the job)."""
    value = tallies.bump(name)
    if hold:
        time.sleep(hold)
    return value


@job(label="Probe: always fails", max_attempts=3, backoff=10, backoff_cap=25)
def always_fails(*, message: str = "the probe fails") -> None:
    raise RuntimeError(message)


@job(label="Probe: fails, then succeeds", max_attempts=5, backoff=10, atomic=False)
def fails_then_succeeds(*, name: str, failures: int) -> dict[str, Any]:
    """Not atomic, so its count of attempts survives the failures: fails ``failures`` times."""
    attempt = tallies.bump(f"{name}.attempts")
    if attempt <= failures:
        raise RuntimeError(f"attempt {attempt} fails")
    return {"succeeded_at_attempt": attempt, "effects": tallies.bump(name)}


@job(label="Probe: nothing", max_attempts=1, timeout=60)
def nothing() -> None:
    """The cheapest job: the queue's own overhead (the benchmark)."""
    return None
