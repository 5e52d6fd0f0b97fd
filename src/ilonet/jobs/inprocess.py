"""Running the queue inside this process as the worker would: for the tests, the benchmark and
the demo (which runs its first jobs while seeding). No polling loop, no forked worker."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from . import clock


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
