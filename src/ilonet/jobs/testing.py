"""Test support: run the queue in this process as the worker would, and probe jobs for the
tests and the benchmark. The probes are declared here, outside the autodiscovered ``jobs``
modules: a worker imports this module when it meets one (``registry.get``)."""

from __future__ import annotations

import time
from typing import Any

from . import tallies
from .inprocess import ready_attempts, run_queued_jobs
from .registry import job

__all__ = ["always_fails", "count_once", "ready_attempts", "run_queued_jobs"]

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
