"""What administrators do with the job queue: retry a dead or cancelled job, cancel one that
waits. Both are audited. (Enqueueing and running jobs is ``queue``; it asks the policy nothing,
it is the system's own work.)"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction

from . import queue
from .models import CANCELLABLE, RETRYABLE, Job


def retry_job(*, actor: Any, job: Job) -> Job:
    """Run a dead or cancelled job again, with a fresh set of attempts."""
    policy.authorize(actor, policy.Action.MANAGE_JOBS, job)
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state not in RETRYABLE:
            raise ValidationError(_("Only a dead or cancelled job can be retried."))
        before = job.state
        queue.requeue(job)
        audit.record(
            action=AuditAction.JOB_RETRIED, actor=actor, obj=job,
            details={"job": job.name, "key": job.key, "was": before},
        )  # fmt: skip
        return job


def cancel_job(*, actor: Any, job: Job) -> Job:
    """Withdraw a job that waits to run (queued, or failed and waiting to retry)."""
    policy.authorize(actor, policy.Action.MANAGE_JOBS, job)
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state not in CANCELLABLE:
            raise ValidationError(_("Only a queued job, or one waiting to retry, can be cancelled."))
        before = job.state
        queue.cancel(job)
        audit.record(
            action=AuditAction.JOB_CANCELLED, actor=actor, obj=job,
            details={"job": job.name, "key": job.key, "was": before},
        )  # fmt: skip
        return job
