"""Demo data of the operations page: the worker's first heartbeat, run while seeding, so the
list of jobs and a job's page show something before the scheduler's first minute has passed."""

from __future__ import annotations

from . import periodic, queue
from .inprocess import run_queued_jobs

DEMO_KEY = "demo:first-heartbeat"


def seed_jobs() -> None:
    """Enqueue the heartbeat once (a second seeding finds the same key) and run it here."""
    _job, created = queue.enqueue(periodic.heartbeat, key=DEMO_KEY)
    if created:
        run_queued_jobs()
