"""The scheduler of periodic jobs (``manage.py run_scheduler``).

A small loop on top of the queue. At every tick (every few seconds) the scheduler:

1. takes or renews its **lease** (the ``SchedulerLease`` row): one scheduler at a time is
   active; a second one started beside it waits, and takes over when the first stops renewing
   (stopped, killed, or its host gone) for ``lease_seconds``;
2. enqueues, for each periodic job, its most recent due run (``schedule.latest(now)``) with the
   key ``<job name>@<time of the run>``: the key is unique in the database, so even two
   schedulers that both believe they are active never enqueue the same run twice;
3. recovers the jobs of workers that died (``queue.recover_lost_jobs``).

Every function takes ``now``, so the tests run it on a fixed clock. With ticks every
``interval`` (5) seconds and a worker polling every second, each periodic job starts within
seconds of its time, well within a minute.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, close_old_connections, transaction

from . import clock, queue, registry
from .models import SchedulerLease

logger = logging.getLogger("ilonet.jobs.scheduler")

LEASE_NAME = "scheduler"


def run_key(name: str, at: datetime) -> str:
    """The idempotency key of a periodic job's run at ``at`` (UTC, to the second)."""
    return f"{name}@{at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


@dataclass
class Tick:
    active: bool
    enqueued: list[str] = field(default_factory=list)
    recovered: list[int] = field(default_factory=list)


class Scheduler:
    def __init__(self, *, holder: str | None = None, lease_seconds: float = 30.0):
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease = timedelta(seconds=lease_seconds)

    def acquire(self, now: datetime) -> bool:
        """Take or renew the lease; False while another scheduler holds a live one."""
        with transaction.atomic():
            lease = SchedulerLease.objects.select_for_update().filter(name=LEASE_NAME).first()
            if lease is None:
                try:
                    with transaction.atomic():
                        SchedulerLease.objects.create(
                            name=LEASE_NAME, holder=self.holder, acquired_at=now, beat_at=now,
                            expires_at=now + self.lease,
                        )  # fmt: skip
                except IntegrityError:  # another scheduler made it at the same moment
                    return False
                return True
            if lease.holder != self.holder and lease.expires_at > now:
                return False
            if lease.holder != self.holder:
                logger.info("Scheduler %s takes over from %s.", self.holder, lease.holder)
                lease.holder, lease.acquired_at = self.holder, now
            lease.beat_at, lease.expires_at = now, now + self.lease
            lease.save()
            return True

    def release(self) -> None:
        SchedulerLease.objects.filter(name=LEASE_NAME, holder=self.holder).delete()

    def tick(self, *, now: datetime | None = None) -> Tick:
        now = now or clock.now()
        if not self.acquire(now):
            return Tick(active=False)
        tick = Tick(active=True)
        for definition in registry.periodic_jobs():
            assert definition.schedule is not None
            at = definition.schedule.latest(now)
            _job, created = queue.enqueue(definition, key=run_key(definition.name, at), scheduled_for=at)
            if created:
                tick.enqueued.append(definition.name)
        tick.recovered = queue.recover_lost_jobs(now=now)
        return tick

    def run(self, *, interval: float = 5.0, stop: threading.Event | None = None) -> None:
        """Tick every ``interval`` seconds until ``stop`` is set; a failed tick is logged and
        the loop goes on (a database that restarts, a lock held too long)."""
        stop = stop or threading.Event()
        was_active = None
        while not stop.is_set():
            close_old_connections()
            try:
                tick = self.tick()
            except Exception:
                logger.exception("Scheduler tick failed; trying again in %s s.", interval)
            else:
                if tick.active != was_active:
                    logger.info(
                        "Scheduler %s is %s.",
                        self.holder,
                        "active" if tick.active else "standing by (another scheduler holds the lease)",
                    )
                    was_active = tick.active
                for name in tick.enqueued:
                    logger.info("Enqueued %s.", name)
                if tick.recovered:
                    logger.warning("Recovered %d job(s) of a worker that died.", len(tick.recovered))
            stop.wait(interval)
        try:
            self.release()
        except Exception:  # the database is gone: the lease runs out by itself
            logger.exception("Could not release the scheduler lease.")
