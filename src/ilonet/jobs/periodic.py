"""The jobs app's own periodic jobs: the worker's heartbeat, housekeeping of the queue, and the
nightly verification of the audit chain with its signed checkpoint. The domain apps declare
theirs in their own ``jobs`` modules (``board.jobs``, ``deployments.jobs``)."""

from __future__ import annotations

import io
from datetime import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.utils.translation import gettext_lazy as _

from . import queue, tallies
from .registry import job
from .schedules import Daily, Every

HEARTBEAT = "worker.heartbeat"


@job(schedule=Every(minutes=1), label=_("Worker heartbeat"), max_attempts=1, timeout=60)
def heartbeat() -> dict[str, Any]:
    """Shows on the operations page that a worker runs jobs."""
    return {"beats": tallies.bump(HEARTBEAT)}


@job(schedule=Daily(time(3, 30)), label=_("Remove old finished jobs"), max_attempts=3, timeout=1800)
def prune_finished_jobs() -> dict[str, Any]:
    """Succeeded and cancelled jobs older than ``ILONET_JOBS_KEEP_DAYS``; dead jobs stay."""
    return queue.prune(keep_days=settings.JOBS_KEEP_DAYS)


@job(
    schedule=Daily(time(2, 30)),
    label=_("Verify the audit chain and write its signed checkpoint"),
    atomic=False,
    max_attempts=3,
    backoff=600,
    timeout=4 * 3600,
)
def verify_audit_chain_and_checkpoint() -> dict[str, Any]:
    """Nightly: walk the whole audit chain against the signed checkpoints
    (``manage.py verify_audit_chain``), then sign its head and append the checkpoint
    (``manage.py audit_checkpoint``). A broken chain fails the job (retried, then dead with the
    first broken event in its error, on the operations page) and no checkpoint is written.
    Not atomic: the verification reads millions of rows and the checkpoint is a line appended
    to a file outside the database; a second checkpoint of the same head is harmless."""
    out = io.StringIO()
    call_command("verify_audit_chain", stdout=out)
    call_command("audit_checkpoint", stdout=out)
    return {"output": out.getvalue().strip()}
