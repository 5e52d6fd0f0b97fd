"""A pytest plugin for ``make test-hours``: every test starts at one local time of day.

The suite must pass whatever the hour CI runs it at. Tests that were right at noon failed in
CI between midnight and one in the morning in Brussels (a meeting "an hour ago" was yesterday's)
and across midnight (a day kept from a fixture's start was yesterday to the services). With
``-p tests.shifted_clock`` and ``ILONET_TEST_CLOCK_AT=HH:MM:SS.ffffff`` the clock the code reads,
``django.utils.timezone.now``, is moved so that each test starts at that time of today (Europe
/Brussels, the site's zone), and runs on from there.

Only this process's ``timezone.now`` moves: not the file system's times, not another process's
clock, not the database's ``now()``. A test that compares the clock with one of those is marked
``wall_clock`` and left out of these runs."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

AT = os.environ.get("ILONET_TEST_CLOCK_AT", "23:59:59.700000")


def pytest_collection_modifyitems(config, items):
    kept = [item for item in items if item.get_closest_marker("wall_clock") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.fixture(autouse=True)
def _clock_at_the_hour(monkeypatch):
    real = timezone.now
    local = timezone.localtime(real())
    at = datetime.strptime(AT, "%H:%M:%S.%f").time()
    offset: timedelta = (
        local.replace(hour=at.hour, minute=at.minute, second=at.second, microsecond=at.microsecond) - local
    )
    monkeypatch.setattr(timezone, "now", lambda: real() + offset)
