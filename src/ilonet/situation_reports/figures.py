"""The figures of the overview and the coverage map, computed from plain rows (no database):
the selectors read the rows, these functions count, so the counting is tested on hand-checked
data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from .topics import Topic

RECENT_DAYS = 120  # a report "recent" on the map: its period ended at most this many days ago


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * (self.number - 1) + 1, 1)

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.number}"

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)


def quarters_between(since: date, until: date) -> list[Quarter]:
    result, quarter, last = [], Quarter.of(since), Quarter.of(until)
    while (quarter.year, quarter.number) <= (last.year, last.number):
        result.append(quarter)
        quarter = quarter.next()
    return result


@dataclass
class OverviewRow:
    quarter: Quarter
    reports: int = 0
    by_topic: dict[str, int] = field(default_factory=dict)

    @property
    def cells(self) -> list[int]:
        return [self.by_topic.get(code, 0) for code in Topic.values]


@dataclass
class Overview:
    rows: list[OverviewRow]
    topics: list[str]  # the topic letters shown (all, or the one filtered on)

    @property
    def reports(self) -> int:
        return sum(row.reports for row in self.rows)

    @property
    def totals(self) -> list[int]:
        return [sum(row.by_topic.get(code, 0) for row in self.rows) for code in Topic.values]

    @property
    def table(self) -> list[tuple[OverviewRow, list[int]]]:
        """Each quarter with its counts for the topics shown (in the order of ``topics``)."""
        return [(row, [row.by_topic.get(code, 0) for code in self.topics]) for row in self.rows]

    @property
    def shown_totals(self) -> list[int]:
        return [sum(row.by_topic.get(code, 0) for row in self.rows) for code in self.topics]

    @property
    def peak(self) -> int:
        return max((row.reports for row in self.rows), default=0)


def overview(
    *,
    reports: Iterable[tuple[int, date]],
    topics: Mapping[int, set[str]],
    since: date,
    until: date,
    topic: str | None = None,
) -> Overview:
    """Reports per quarter (the quarter their period starts in) and, per topic, how many of
    them have a section on it. With ``topic``, only the reports with that section count."""
    rows = {q: OverviewRow(q) for q in quarters_between(since, until)}
    for report_id, start in reports:
        covered = topics.get(report_id, set())
        if topic and topic not in covered:
            continue
        row = rows.get(Quarter.of(start))
        if row is None:
            continue
        row.reports += 1
        for code in covered:
            row.by_topic[code] = row.by_topic.get(code, 0) + 1
    return Overview(rows=list(rows.values()), topics=[topic] if topic else list(Topic.values))


class Level:
    RECENT = "ilonet-map--sitrep-recent"
    OLDER = "ilonet-map--sitrep-older"
    GAP = "ilonet-map--sitrep-gap"
    OTHER = "ilonet-map--other"


@dataclass(frozen=True)
class CountryCoverage:
    code: str
    last_end: date | None
    reports_last_year: int
    deployed: bool
    level: str


@dataclass
class Coverage:
    countries: list[CountryCoverage]
    recent_days: int

    def count(self, level: str) -> int:
        return sum(1 for c in self.countries if c.level == level)


def coverage(
    *,
    rows: Iterable[tuple[str, date]],
    deployed: set[str],
    today: date,
    recent_days: int,
    year_ago: date,
) -> Coverage:
    """``rows``: (country, period end) of each submitted report per country it covers. A country
    is *recent* when a report's period ended in the last ``recent_days`` days, *older* when its
    last report is older, a *gap* when officers are deployed there now but no report covers it."""
    last: dict[str, date] = {}
    in_year: Counter[str] = Counter()
    for code, end in rows:
        if code not in last or end > last[code]:
            last[code] = end
        if end >= year_ago:
            in_year[code] += 1
    result = []
    for code in sorted(set(last) | deployed):
        end = last.get(code)
        if end is not None and (today - end).days <= recent_days:
            level = Level.RECENT
        elif end is not None:
            level = Level.OLDER
        else:
            level = Level.GAP
        result.append(CountryCoverage(code, end, in_year[code], code in deployed, level))
    return Coverage(countries=result, recent_days=recent_days)
