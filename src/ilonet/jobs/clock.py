"""The time background work runs at: ``timezone.now()``, or a fixed time in tests.

The scheduler, the queue (leases, backoff) and the periodic jobs read the time here, so a test
can run them on a fixed clock: ``with clock.frozen(datetime(...)): ...``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

_frozen: list[datetime] = []


def now() -> datetime:
    return _frozen[-1] if _frozen else timezone.now()


@contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    """Fix ``now()`` to ``at`` (an aware datetime) inside the block."""
    if timezone.is_naive(at):
        raise ValueError("clock.frozen needs an aware datetime")
    _frozen.append(at)
    try:
        yield at
    finally:
        _frozen.pop()
