"""Read-side functions of the job queue (the operations page and its API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, QuerySet

from ilonet import policy

from . import clock, registry
from .models import Job, JobState, SchedulerLease, Tally
from .periodic import HEARTBEAT
from .scheduler import LEASE_NAME


def job_list(*, user, state: str | None = None, name: str | None = None) -> QuerySet[Job]:
    """Jobs the user may see, newest first; ``name`` matches part of the job's dotted name."""
    qs = policy.scope(user, policy.Action.VIEW_JOBS, Job.objects.all())
    if state:
        qs = qs.filter(state=state)
    if name:
        qs = qs.filter(name__icontains=name.strip())
    return qs.defer("traceback", "result")


def job_detail(*, user, pk: int) -> Job:
    return policy.scope(user, policy.Action.VIEW_JOBS, Job.objects.all()).get(pk=pk)


def label_of(name: str) -> str:
    definition = registry.get(name)
    return str(definition.label) if definition else name


@dataclass(frozen=True)
class QueueStatus:
    counts: dict[str, int]
    scheduler: SchedulerLease | None
    scheduler_alive: bool
    heartbeat_at: datetime | None
    worker_alive: bool


def queue_status(*, now: datetime | None = None) -> QueueStatus:
    """Jobs per state, the active scheduler and the worker's last heartbeat (a periodic job
    every minute: none for five minutes means no worker runs)."""
    now = now or clock.now()
    counts = {state: 0 for state in JobState.values}
    counts.update(dict(Job.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")))
    lease = SchedulerLease.objects.filter(name=LEASE_NAME).first()
    beat = Tally.objects.filter(name=HEARTBEAT).values_list("updated_at", flat=True).first()
    return QueueStatus(
        counts=counts,
        scheduler=lease,
        scheduler_alive=lease is not None and lease.expires_at > now,
        heartbeat_at=beat,
        worker_alive=beat is not None and beat > now - timedelta(minutes=5),
    )
