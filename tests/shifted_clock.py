"""A pytest plugin for ``make test-hours``: every test starts at one chosen local time.

The suite must pass whatever the hour (and the day of the year) CI runs it at. Tests that were
right at noon failed in CI between midnight and one in the morning in Brussels (a meeting "an
hour ago" was yesterday's) and across midnight (a day kept from a fixture's start was yesterday to
the services). With ``-p tests.shifted_clock`` and ``ILONET_TEST_CLOCK_AT`` the clock the code
reads, ``django.utils.timezone.now``, is moved so that each test starts at that local time
(Europe/Brussels, the site's zone) and runs on from there:

- ``HH:MM:SS.ffffff``: that time of today;
- ``MM-DD HH:MM:SS.ffffff``: that time of the next such day (today included), e.g. New Year's Eve.

Only this process's ``timezone.now`` moves: not the file system's times, not another process's
clock, not the database's ``now()``. A test that compares the clock with one of those is marked
``wall_clock`` and left out of these runs."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

AT = os.environ.get("ILONET_TEST_CLOCK_AT", "23:59:59.700000")


def target(at: str, now: datetime) -> datetime:
    """The local moment ``at`` names, seen from ``now`` (aware)."""
    local = timezone.localtime(now)
    day, _, time_of_day = at.rpartition(" ")
    moment = datetime.strptime(time_of_day, "%H:%M:%S.%f").time()
    start = local.replace(
        hour=moment.hour, minute=moment.minute, second=moment.second, microsecond=moment.microsecond
    )
    if not day:
        return start
    month, date_of_month = (int(part) for part in day.split("-"))
    chosen = start.replace(month=month, day=date_of_month)
    if chosen.date() < local.date():
        chosen = chosen.replace(year=local.year + 1)
    return timezone.make_aware(chosen.replace(tzinfo=None))  # that day's offset (summer or winter time)


def pytest_collection_modifyitems(config, items):
    left_out = [item for item in items if item.get_closest_marker("wall_clock") is not None]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item.get_closest_marker("wall_clock") is None]


@pytest.fixture(autouse=True)
def _clock_at_the_hour(monkeypatch):
    real = timezone.now
    now = real()
    offset: timedelta = target(AT, now) - now
    monkeypatch.setattr(timezone, "now", lambda: real() + offset)
