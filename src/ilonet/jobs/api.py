"""The job queue in the API, as on the operations page: for platform administrators."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Schema
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination
from ilonet.api.routing import PolicyRouter
from ilonet.shared.text import single_line_problem

from . import selectors, services
from .models import JobState

router = PolicyRouter(tags=["jobs"])


class JobOut(Schema):
    id: int
    name: str
    label: str
    key: str
    state: JobState
    attempts: int
    max_attempts: int
    kwargs: dict[str, Any]
    created_at: datetime
    scheduled_for: datetime | None
    run_after: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str

    @staticmethod
    def resolve_label(obj) -> str:
        return selectors.label_of(obj.name)


class JobDetailOut(JobOut):
    traceback: str
    result: Any = None


class QueueStatusOut(Schema):
    counts: dict[str, int]
    scheduler_alive: bool
    scheduler: str | None
    scheduler_beat_at: datetime | None
    worker_alive: bool
    heartbeat_at: datetime | None


@router.get("", response=list[JobOut], action=policy.Action.VIEW_JOBS)
@paginate(PageNumberPagination, page_size=50)
def list_jobs(request, state: JobState | None = None, name: str | None = None):
    """Jobs, newest first; filter by state (queued, running, failed, dead, succeeded, cancelled)
    and by part of the job's name."""
    problem = single_line_problem(name or "")
    if problem:
        raise ValidationError({"name": problem})
    return selectors.job_list(user=request.user, state=state, name=(name or "")[:100])


@router.get("/status", response=QueueStatusOut, action=policy.Action.VIEW_JOBS)
def queue_status(request):
    """Jobs per state, whether a scheduler is active and whether a worker runs jobs."""
    status = selectors.queue_status()
    return {
        "counts": status.counts,
        "scheduler_alive": status.scheduler_alive,
        "scheduler": status.scheduler.holder if status.scheduler else None,
        "scheduler_beat_at": status.scheduler.beat_at if status.scheduler else None,
        "worker_alive": status.worker_alive,
        "heartbeat_at": status.heartbeat_at,
    }


def _job(request, job_id: int):
    return get_object_or_404(selectors.job_list(user=request.user).defer(None), pk=job_id)


@router.get("/{int:job_id}", response=JobDetailOut, action=policy.Action.VIEW_JOBS)
def get_job(request, job_id: int):
    return _job(request, job_id)


@router.post("/{int:job_id}/retry", response=JobDetailOut, action=policy.Action.MANAGE_JOBS)
def retry_job(request, job_id: int):
    """Run a dead or cancelled job again with a fresh set of attempts (audited)."""
    return services.retry_job(actor=request.user, job=_job(request, job_id))


@router.post("/{int:job_id}/cancel", response=JobDetailOut, action=policy.Action.MANAGE_JOBS)
def cancel_job(request, job_id: int):
    """Withdraw a queued job, or one waiting to retry (audited)."""
    return services.cancel_job(actor=request.user, job=_job(request, job_id))
