"""Keeping the case indicators fresh: fold, refresh, rebuild.

Case events arrive one at a time (the returns services); figures are read far more often. So
the figures are precomputed, in three layers without personal data below the pages:

1. ``CaseFacts``: one row per case, its contribution (``measures.contributions``);
2. ``CaseCount``: the sums of the contributions per measure, member state, third country and
   quarter, changed by *deltas* (new contribution minus old) so that a fold touches only the
   counters of the cases it refolds;
3. ``IndicatorFigure`` rows of source ``cases`` (and ``submitted``), recomputed per member state
   and year from the counters (a few hundred rows), then the EU total of that year from the
   member states' rows.

``fold()`` (the job ``fold_case_events``, every minute) reads the events recorded since the
watermark (``CaseFoldState.last_event_id``) in bounded batches, and the cases whose approvals were
decided or revoked since the last run (a decision changes what takes effect without a new event),
refolds those cases and refreshes the figures they touch. Why a job and not the same
transaction: the returns core must not import the indicators (layers), the fold costs an event's
transaction nothing, and a minute is what the strategy asks. ``rebuild()`` recomputes everything
from the timelines (``manage.py rebuild_case_indicators``); the tests prove both give the same.

Known limit: on PostgreSQL an event whose transaction commits after a later-numbered event was
folded is missed by the watermark until the next change of its case or a rebuild (transactions
of the returns services are short; the nightly rebuild closes the gap).
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction

from ilonet.jobs import clock
from ilonet.returns import facts as source

from ..definitions import COUNT, PERCENT, Indicator
from ..eurostat.datasets import EU_TOTAL, EUROSTAT_TO_ISO, MEMBER_STATES
from ..models import CaseCount, CaseFacts, CaseFoldState, IndicatorFigure, SubmittedCount
from ..periods import label
from . import bulk
from .definitions import CASE_RULES, SUBMITTABLE
from .measures import contributions

BATCH = 5000  # events per fold transaction
ROUNDS = 20  # batches per run at most (the next run goes on)
DECISION_MARGIN = timedelta(minutes=5)  # approval decisions looked at again (clock skew, slow commits)
ISO_TO_EUROSTAT = {iso: geo for geo, iso in EUROSTAT_TO_ISO.items()}
TOTAL = "TOTAL"
SUBMITTED_FLAG = "s"
SOURCES = ("cases", "submitted")


def geo_of(member_state: str) -> str:
    return ISO_TO_EUROSTAT.get(member_state, member_state)


def _lines(timeline: source.CaseTimeline) -> list[list[Any]]:
    return [[m, y, q, v] for (m, y, q), v in sorted(contributions(timeline).items()) if v]


# ---------------------------------------------------------------------------- counters
def _insert_facts(rows: list[tuple[int, str, str, list[list[Any]]]]) -> None:
    table = CaseFacts._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: a bulk load, several times faster
            with cursor.cursor.copy(f"COPY {table} (case_id, geo, citizen, lines) FROM STDIN") as copy:
                for i, g, c, lines in rows:
                    copy.write_row((i, g, c, json.dumps(lines)))
            return
        sql = f"INSERT INTO {table} (case_id, geo, citizen, lines) VALUES (%s, %s, %s, %s)"  # noqa: S608
        cursor.executemany(sql, [(i, g, c, json.dumps(lines)) for i, g, c, lines in rows])


def _apply_delta(delta: Counter[tuple[str, str, str, int, int]]) -> None:
    rows = [(*key, value) for key, value in delta.items() if value]
    if not rows:
        return
    table = CaseCount._meta.db_table
    sql = (
        f"INSERT INTO {table} (measure, geo, citizen, year, quarter, value) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (measure, geo, citizen, year, quarter) "
        f"DO UPDATE SET value = {table}.value + excluded.value"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        for geo, year in {(r[1], r[3]) for r in rows}:
            cursor.execute(f"DELETE FROM {table} WHERE geo = %s AND year = %s AND value = 0", [geo, year])  # noqa: S608


def refold(case_ids: Iterable[int]) -> set[tuple[str, int]]:
    """Replace the contributions of these cases; the (member state, year) pairs touched."""
    ids = sorted(set(case_ids))
    if not ids:
        return set()
    delta: Counter[tuple[str, str, str, int, int]] = Counter()
    touched: set[tuple[str, int]] = set()
    for old in CaseFacts.objects.filter(case_id__in=ids):
        for m, y, q, v in old.lines:
            delta[(m, old.geo, old.citizen, y, q)] -= v
            touched.add((old.geo, y))
    new: list[tuple[int, str, str, list[list[Any]]]] = []
    for tl in source.timelines(ids):
        geo, lines = geo_of(tl.member_state), _lines(tl)
        for m, y, q, v in lines:
            delta[(m, geo, tl.third_country, y, q)] += v
            touched.add((geo, y))
        new.append((tl.case_id, geo, tl.third_country, lines))
    CaseFacts.objects.filter(case_id__in=ids).delete()
    _insert_facts(new)
    _apply_delta(delta)
    return touched


# ---------------------------------------------------------------------------- figures
def _value(ind: Indicator, num: int, den: int | None) -> float | None:
    if ind.unit == COUNT:
        return float(num)
    if not den:
        return None
    return round((100.0 if ind.unit == PERCENT else 1.0) * num / den, 4)


FIGURE_COLUMNS = (
    "indicator", "source", "geo", "citizen", "period", "year", "quarter",
    "numerator", "denominator", "value", "flags",
)  # fmt: skip


Count = tuple[str, str, int, int]  # (measure, citizen, quarter, value) of one member state and year


def figures_for(
    geo: str,
    year: int,
    *,
    counts: Iterable[Count] | None = None,
    submitted_counts: Iterable[Count] | None = None,
) -> list[tuple[Any, ...]]:
    """The figures of one member state in one year (its quarters and the year), from the counters;
    a quarter without case data takes the member state's submitted counts, if any. The counters
    and submitted counts of that member state and year are read here unless given (``refresh``
    reads those of every pair at once)."""
    if counts is None:
        counts = CaseCount.objects.filter(geo=geo, year=year).values_list(
            "measure", "citizen", "quarter", "value"
        )
    if submitted_counts is None:
        submitted_counts = SubmittedCount.objects.filter(geo=geo, year=year).values_list(
            "measure", "citizen", "quarter", "value"
        )
    sums: dict[tuple[str, str, int], int] = defaultdict(int)
    for m, c, q, v in counts:
        sums[(m, c, q)] += v
        sums[(m, TOTAL, q)] += v
    case_quarters = {q for (m, c, q), v in sums.items() if m == "active_cases" and c == TOTAL and v > 0}
    submitted: set[int] = set()
    for m, c, q, v in submitted_counts:
        if q not in case_quarters:  # case data takes precedence (docs/indicators.md)
            sums[(m, c, q)] += v
            sums[(m, TOTAL, q)] += v
            submitted.add(q)
    for (m, c, _q), v in list(sums.items()):
        sums[(m, c, 0)] += v
    rows: list[tuple[Any, ...]] = []
    for code, (ind, num, den) in CASE_RULES.items():
        needed = {num, den} - {None}
        quarters = sorted(case_quarters | (submitted if needed <= set(SUBMITTABLE) else set()))
        if not quarters:
            continue
        citizens = {c for (m, c, _q) in sums if m in needed} | {TOTAL}
        for c in sorted(citizens):
            for q in [*quarters, 0]:
                n = sums.get((num, c, q), 0)
                d = sums.get((den, c, q), 0) if den else None
                if c != TOTAL and not n and not d:
                    continue
                mixed = q in submitted or (q == 0 and bool(submitted & set(quarters)))
                only_submitted = q in submitted or (q == 0 and not case_quarters)
                source_name = "submitted" if only_submitted else "cases"
                flags = SUBMITTED_FLAG if mixed else ""
                rows.append(
                    (code, source_name, geo, c, label(year, q), year, q, n, d, _value(ind, n, d), flags)
                )
    return rows


def _insert(rows: list[tuple[Any, ...]]) -> int:
    table = IndicatorFigure._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one round trip, not one per row
            with cursor.cursor.copy(f"COPY {table} ({', '.join(FIGURE_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return len(rows)
        sql = (
            f"INSERT INTO {table} ({', '.join(FIGURE_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(FIGURE_COLUMNS))})"
        )
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])
    return len(rows)


def _unit_value_sql() -> str:
    """The value of an EU-total row from its sums, per indicator's unit (as ``_value``)."""
    counts = ", ".join(f"'{c}'" for c, (i, _n, _d) in CASE_RULES.items() if i.unit == COUNT)
    percents = ", ".join(f"'{c}'" for c, (i, _n, _d) in CASE_RULES.items() if i.unit == PERCENT)
    return (
        f"CASE WHEN indicator IN ({counts}) THEN 1.0 * numerator "
        "WHEN denominator IS NULL OR denominator = 0 THEN NULL "
        f"WHEN indicator IN ({percents}) THEN ROUND(100.0 * numerator / denominator, 4) "
        "ELSE ROUND(1.0 * numerator / denominator, 4) END"
    )


def _eu_totals(years: list[int]) -> None:
    """The EU totals of these years: the member states' rows summed in SQL, the value computed
    per unit in the same statement (no row passes through Python)."""
    if not years:
        return
    table = IndicatorFigure._meta.db_table
    codes = ", ".join(["%s"] * len(CASE_RULES))
    states = ", ".join(["%s"] * len(MEMBER_STATES))
    in_years = ", ".join(["%s"] * len(years))
    value = _unit_value_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(FIGURE_COLUMNS)}) "  # noqa: S608 - names are ours
            "SELECT indicator, source, geo, citizen, period, year, quarter, numerator, denominator, "
            f"{value}, flags FROM (SELECT indicator, 'cases' AS source, %s AS geo, citizen, period, "
            "year, quarter, "
            "SUM(numerator) AS numerator, SUM(denominator) AS denominator, MAX(flags) AS flags "
            f"FROM {table} WHERE year IN ({in_years}) AND indicator IN ({codes}) AND geo IN ({states}) "
            "GROUP BY indicator, citizen, period, year, quarter) eu",
            [EU_TOTAL, *years, *CASE_RULES, *MEMBER_STATES],
        )


def _counts_of(model: Any, pairs: set[tuple[str, int]]) -> dict[tuple[str, int], list[Count]]:
    """The rows of ``CaseCount`` or ``SubmittedCount`` of these (member state, year) pairs, read
    at once (one query, not two per pair), by pair."""
    out: dict[tuple[str, int], list[Count]] = defaultdict(list)
    if not pairs:
        return out
    qs = model.objects.filter(geo__in={g for g, _y in pairs}, year__in={y for _g, y in pairs})
    for g, y, m, c, q, v in qs.values_list("geo", "year", "measure", "citizen", "quarter", "value").iterator(
        chunk_size=20000
    ):
        if (g, y) in pairs:
            out[(g, y)].append((m, c, q, v))
    return out


def refresh(touched: Iterable[tuple[str, int]], *, cleared: bool = False) -> int:
    """Recompute the figures of these (member state, year) pairs and the EU totals of their years:
    the counters read in one query, the rows written at once (COPY on PostgreSQL), the EU totals
    of every year in one statement. ``cleared``: the caller deleted every case figure already
    (the rebuild)."""
    pairs = set(touched)
    codes = list(CASE_RULES)
    years = sorted({y for _g, y in pairs})
    if not cleared:
        for geo, year in sorted(pairs):
            IndicatorFigure.objects.filter(indicator__in=codes, geo=geo, year=year).delete()
        IndicatorFigure.objects.filter(indicator__in=codes, geo=EU_TOTAL, year__in=years).delete()
    counts, submitted = _counts_of(CaseCount, pairs), _counts_of(SubmittedCount, pairs)
    rows: list[tuple[Any, ...]] = []
    for geo, year in sorted(pairs):
        rows += figures_for(
            geo, year, counts=counts.get((geo, year), []), submitted_counts=submitted.get((geo, year), [])
        )
    written = _insert(rows)
    _eu_totals(years)
    return written


# ---------------------------------------------------------------------------- fold and rebuild
def _state() -> CaseFoldState:
    CaseFoldState.objects.get_or_create(pk=1)
    return CaseFoldState.objects.select_for_update().get(pk=1)


def fold_once(*, now: datetime | None = None, batch: int = BATCH) -> dict[str, int]:
    """One bounded batch: the events since the watermark and the recent approval decisions."""
    now = now or clock.now()
    with transaction.atomic():
        state = _state()
        events = source.events_after(state.last_event_id, limit=batch)
        ids = {case_id for _id, case_id in events}
        if state.decisions_since is not None:
            ids |= source.cases_with_decisions_since(state.decisions_since - DECISION_MARGIN)
        written = refresh(refold(ids))
        if events:
            state.last_event_id = events[-1][0]
        state.decisions_since, state.folded_at = now, now
        state.save()
    return {"events": len(events), "cases": len(ids), "figures": written, "full": int(len(events) == batch)}


def fold(*, now: datetime | None = None, batch: int = BATCH, rounds: int = ROUNDS) -> dict[str, int]:
    """Fold until the events are drained or ``rounds`` batches have run (the next run goes on)."""
    total = {"events": 0, "cases": 0, "figures": 0, "batches": 0}
    for _ in range(rounds):
        done = fold_once(now=now, batch=batch)
        for key in ("events", "cases", "figures"):
            total[key] += done[key]
        total["batches"] += 1
        if not done["full"]:
            break
    return total


def _clear() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {CaseFacts._meta.db_table}, {CaseCount._meta.db_table}")
    else:
        CaseFacts.objects.all().delete()
        CaseCount.objects.all().delete()


def rebuild(*, now: datetime | None = None) -> dict[str, float]:
    """Everything again from the effective events, in one transaction (the pages show the old
    figures until it commits): the facts and counters counted in SQL (``bulk``), then the figures
    of every member state and year from the counters."""
    now = now or clock.now()
    started = time.perf_counter()
    with transaction.atomic():
        state = _state()
        high = source.last_event_id()
        _clear()
        steps = bulk.rebuild_counts(CaseFacts._meta.db_table, CaseCount._meta.db_table)
        facts_done = time.perf_counter()
        IndicatorFigure.objects.filter(indicator__in=list(CASE_RULES)).delete()
        touched = set(CaseCount.objects.values_list("geo", "year").distinct())
        touched |= set(SubmittedCount.objects.values_list("geo", "year").distinct())
        written = refresh(touched, cleared=True)
        state.last_event_id, state.decisions_since, state.rebuilt_at = high, now, now
        state.save()
    return {
        "cases": CaseFacts.objects.count(),
        "counters": CaseCount.objects.count(),
        "figures": written,
        "facts_s": round(facts_done - started, 2),
        "figures_s": round(time.perf_counter() - facts_done, 2),
        **steps,
    }
