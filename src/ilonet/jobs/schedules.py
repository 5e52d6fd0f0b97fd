"""When a periodic job runs: every N minutes, or daily at a local time.

A schedule answers one question, ``latest(now)``: the most recent time the job was due, at or
before ``now``. The scheduler enqueues that run once (its key is the job's name and that time),
so a run missed while no scheduler ran is made up once, not once per missed time: periodic jobs
catch up by themselves (closing every procedure past its deadline, not one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

EPOCH = datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC"))


@dataclass(frozen=True)
class Every:
    """Every ``minutes`` minutes, aligned on whole minutes since 2000-01-01 00:00 UTC."""

    minutes: int

    def __post_init__(self) -> None:
        if not 1 <= self.minutes <= 24 * 60:
            raise ValueError("Every(minutes=…) takes 1 to 1440 minutes.")

    def latest(self, now: datetime) -> datetime:
        period = timedelta(minutes=self.minutes)
        return EPOCH + ((now - EPOCH) // period) * period

    def __str__(self) -> str:
        return f"every {self.minutes} min" if self.minutes != 1 else "every minute"


@dataclass(frozen=True)
class Daily:
    """Every day at ``at``, local time (``TIME_ZONE``, Europe/Brussels)."""

    at: time

    def latest(self, now: datetime) -> datetime:
        zone = ZoneInfo(settings.TIME_ZONE)
        local = timezone.localtime(now, zone)
        today = datetime.combine(local.date(), self.at, tzinfo=zone)
        if today <= now:
            return today
        return datetime.combine(local.date() - timedelta(days=1), self.at, tzinfo=zone)

    def __str__(self) -> str:
        return f"daily at {self.at:%H:%M}"


Schedule = Every | Daily
