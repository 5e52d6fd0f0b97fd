"""Quarters and years, as Eurostat writes them (``2023``, ``2023-Q1``)."""

from __future__ import annotations

import calendar
import re
from datetime import date

PERIOD = re.compile(r"(\d{4})(?:-Q([1-4]))?")


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> date:
    month = 3 * quarter
    return date(year, month, calendar.monthrange(year, month)[1])


def label(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}" if quarter else str(year)


def parse(text: str) -> tuple[int, int] | None:
    """``2023`` -> (2023, 0); ``2023-Q2`` -> (2023, 2); anything else None."""
    m = PERIOD.fullmatch(text.strip())
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2) or 0)


def previous_quarters(year: int, quarter: int, count: int) -> list[tuple[int, int]]:
    """The ``count`` quarters before (year, quarter), oldest first."""
    out = []
    for _ in range(count):
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        out.append((year, quarter))
    return out[::-1]
