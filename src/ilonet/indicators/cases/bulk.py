"""The case contributions of every case at once, in SQL: the rebuild's counting.

``measures.contributions`` says what one case contributes, in Python, and the fold uses it for
the few cases an event touches. A rebuild needs every case: reading millions of timelines into
Python was the slow part (about 20 minutes projected for 5,000,000 cases), so the rebuild counts
the same measures in SQL, one pass per family over the effective events
(``returns.facts.materialise``), into a temporary table ``(case_id, measure, year, quarter,
value)`` from which the facts rows (one per case) and the counters are written by
``INSERT … SELECT``. The tests prove both give the same contributions, case by case, on SQLite and
PostgreSQL.

How each family follows ``measures.contributions`` (the events of a case in the order (date, seq)):

- running sums over that order (window functions) give, at each event, the end-of-stay decisions
  seen so far (``negs``, the last one's date ``neg_day``), the return decisions so far (``rd_n``:
  a return decision's own number, a departure's last decision), the requests and the answers so
  far (``req_n``, ``ans_n``);
- readmission answers are paired first in, first out: an answer with no request pending is
  ignored; with ``d = answers - requests`` so far, the answers ignored up to an event are the
  running maximum of ``d`` (at least 0) before it, so an answer counts when ``d`` does not pass
  that maximum and pairs with the request of number ``ans_n - maximum``;
- the cohort: the first decision's date (the minimum), the first departure's date, the last
  absconding's date, per case.
"""

from __future__ import annotations

import time

from django.db import connection

from ilonet.returns import facts as source

from ..eurostat.datasets import EUROSTAT_TO_ISO

EVENTS, CASES, WINDOWED, CONTRIB = "ind_bulk_ev", "ind_bulk_case", "ind_bulk_w", "ind_bulk_contrib"
RD, REQ, ANS = "'return_decision'", "'readmission_requested'", "'readmission_answered'"
VD, ERC, ABS = "'voluntary_departure'", "'enforced_return_carried_out'", "'absconded'"


class _Sql:
    """The few expressions that differ between PostgreSQL and SQLite."""

    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def year(self, day: str) -> str:
        return (
            f"CAST(EXTRACT(YEAR FROM {day}) AS INTEGER)"
            if self.pg
            else f"CAST(strftime('%Y', {day}) AS INTEGER)"
        )

    def quarter(self, day: str) -> str:
        if self.pg:
            return f"CAST(EXTRACT(QUARTER FROM {day}) AS INTEGER)"
        return f"((CAST(strftime('%m', {day}) AS INTEGER) + 2) / 3)"

    def days(self, later: str, earlier: str) -> str:
        if self.pg:
            return f"({later} - {earlier})"
        return f"CAST(ROUND(julianday({later}) - julianday({earlier})) AS INTEGER)"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.pg else f"MAX({a}, {b})"

    def add_months(self, day: str, months: int) -> str:
        """``measures.add_months``: the same day ``months`` later, or that month's last day."""
        if self.pg:  # date + interval keeps the day or takes the month's last
            return f"CAST({day} + make_interval(months => {months}) AS DATE)"
        m0 = f"(CAST(strftime('%m', {day}) AS INTEGER) - 1 + {months})"
        y = f"(CAST(strftime('%Y', {day}) AS INTEGER) + {m0} / 12)"
        m = f"({m0} % 12 + 1)"
        first = f"printf('%04d-%02d-01', {y}, {m})"
        last = f"CAST(strftime('%d', date({first}, '+1 month', '-1 day')) AS INTEGER)"
        dd = f"CAST(strftime('%d', {day}) AS INTEGER)"
        return f"printf('%04d-%02d-%02d', {y}, {m}, MIN({dd}, {last}))"

    def lines(self) -> str:
        """A case's lines as a JSON array of [measure, year, quarter, value], sorted."""
        if self.pg:
            # the JSON text built by hand: several times cheaper than json_build_array per line
            return (
                "CAST('[' || string_agg('[\"' || measure || '\",' || year || ',' || quarter || ',' || value "
                "|| ']', ',' ORDER BY measure, year, quarter) || ']' AS jsonb)"
            )
        return "json_group_array(json_array(measure, year, quarter, value))"


def geo_sql(column: str) -> str:
    """``fold.geo_of`` in SQL: ISO member-state codes to Eurostat's (GR is EL)."""
    whens = " ".join(f"WHEN '{iso}' THEN '{geo}'" for geo, iso in sorted(EUROSTAT_TO_ISO.items()))
    return f"CASE {column} {whens} ELSE {column} END"


def _windowed_sql(s: _Sql) -> str:
    w = "PARTITION BY case_id ORDER BY day, seq"
    before = f"({w} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"
    ignored = s.greatest(f"COALESCE(MAX(x.ans_n - x.req_n) OVER {before}, 0)", "0")
    return f"""CREATE TEMP TABLE {WINDOWED} AS
    SELECT x.*, {ignored} AS ignored
    FROM (
      SELECT case_id, seq, kind, day, vdd, acc,
        SUM(neg) OVER w AS negs,
        MAX(CASE WHEN neg = 1 THEN day END) OVER w AS neg_day,
        SUM(CASE WHEN kind = {RD} THEN 1 ELSE 0 END) OVER w AS rd_n,
        SUM(CASE WHEN kind = {REQ} THEN 1 ELSE 0 END) OVER w AS req_n,
        SUM(CASE WHEN kind = {ANS} THEN 1 ELSE 0 END) OVER w AS ans_n
      FROM {EVENTS}
      WHERE neg = 1 OR kind IN ({RD}, {REQ}, {ANS}, {VD}, {ERC}, {ABS})
      WINDOW w AS ({w} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    ) x"""  # noqa: S608 - no input: names and constants only


def _measures_ctes(s: _Sql) -> str:
    """The common table expressions ending in ``x (case_id, measure, year, quarter, value)``: every
    contribution of every case, not yet summed per key."""

    def yq(day: str) -> str:
        return f"{s.year(day)}, {s.quarter(day)}"

    asylum = f"FROM {WINDOWED} WHERE kind = {RD} AND rd_n = 1 AND negs > 0"
    return f"""pairs AS (
      SELECT a.case_id, r.day AS asked, a.day AS answered, a.acc
      FROM {WINDOWED} a JOIN {WINDOWED} r
        ON r.case_id = a.case_id AND r.kind = {REQ} AND r.req_n = a.ans_n - a.ignored
      WHERE a.kind = {ANS} AND a.ans_n - a.req_n <= a.ignored
    ), vd AS (
      SELECT v.case_id, v.day, r.day AS decided, r.vdd
      FROM {WINDOWED} v JOIN {WINDOWED} r ON r.case_id = v.case_id AND r.kind = {RD} AND r.rd_n = v.rd_n
      WHERE v.kind = {VD} AND v.rd_n > 0 AND r.vdd > 0
    ), cohort AS (
      SELECT case_id, MIN(CASE WHEN kind = {RD} THEN day END) AS decided,
        MIN(CASE WHEN kind IN ({VD}, {ERC}) THEN day END) AS returned,
        MAX(CASE WHEN kind = {ABS} THEN day END) AS absconded
      FROM {WINDOWED} GROUP BY case_id
    ), x (case_id, measure, year, quarter, value) AS (
      SELECT case_id, 'active_cases', {yq("day")}, 1 FROM {EVENTS} GROUP BY case_id, {yq("day")}
      UNION ALL SELECT case_id, 'return_decisions', {yq("day")}, 1 FROM {WINDOWED} WHERE kind = {RD}
      UNION ALL SELECT case_id, 'rd_after_negative_asylum', {yq("day")}, 1
        FROM {WINDOWED} WHERE kind = {RD} AND negs > 0
      UNION ALL SELECT case_id, 'asylum_to_rd_days', {yq("day")}, {s.days("day", "neg_day")} {asylum}
      UNION ALL SELECT case_id, 'asylum_to_rd_n', {yq("day")}, 1 {asylum}
      UNION ALL SELECT case_id, 'readmission_requests', {yq("day")}, 1 FROM {WINDOWED} WHERE kind = {REQ}
      UNION ALL SELECT case_id, 'readmission_answered', {yq("asked")}, 1 FROM pairs
      UNION ALL SELECT case_id, 'readmission_accepted', {yq("asked")}, 1 FROM pairs WHERE acc = 1
      UNION ALL SELECT case_id, 'readmission_answer_days', {yq("asked")}, {s.days("answered", "asked")}
        FROM pairs
      UNION ALL SELECT case_id, 'returns_total', {yq("day")}, 1 FROM {WINDOWED} WHERE kind IN ({VD}, {ERC})
      UNION ALL SELECT case_id, 'returns_voluntary', {yq("day")}, 1 FROM {WINDOWED} WHERE kind = {VD}
      UNION ALL SELECT case_id, 'vd_with_period', {yq("day")}, 1 FROM vd
      UNION ALL SELECT case_id, 'vd_within_period', {yq("day")}, 1 FROM vd
        WHERE {s.days("day", "decided")} <= vdd
      UNION ALL SELECT case_id, 'cohort_decisions', {yq("decided")}, 1 FROM cohort WHERE decided IS NOT NULL
      UNION ALL SELECT case_id, 'cohort_returned_6m', {yq("decided")}, 1 FROM cohort
        WHERE returned >= decided AND returned <= {s.add_months("decided", 6)}
      UNION ALL SELECT case_id, 'cohort_returned_12m', {yq("decided")}, 1 FROM cohort
        WHERE returned >= decided AND returned <= {s.add_months("decided", 12)}
      UNION ALL SELECT case_id, 'cohort_absconded', {yq("decided")}, 1 FROM cohort WHERE absconded >= decided
    )"""  # noqa: S608


# a case's contributions summed per key (an integer: the counters' sums are then bigint, not numeric)
GROUPED = (
    "SELECT case_id, measure, year, quarter, CAST(SUM(value) AS INTEGER) AS value FROM x "
    "GROUP BY case_id, measure, year, quarter HAVING SUM(value) <> 0"
)


def _contrib_sql(s: _Sql) -> str:
    return f"CREATE TEMP TABLE {CONTRIB} AS WITH {_measures_ctes(s)} {GROUPED}"  # noqa: S608


def _facts_select(s: _Sql, contrib: str) -> str:
    """Every case's facts row: its member state, third country and lines (none: ``[]``)."""
    empty = "CAST('[]' AS jsonb)" if s.pg else "'[]'"
    return (
        f"SELECT c.case_id, {geo_sql('c.member_state')}, c.third_country, COALESCE(l.lines, {empty}) "  # noqa: S608
        f"FROM {CASES} c LEFT JOIN (SELECT case_id, {s.lines()} AS lines FROM {contrib} GROUP BY case_id) l "
        "ON l.case_id = c.case_id"
    )


def _counts_select(contrib: str) -> str:
    """The counters: the contributions summed per measure, member state, third country and quarter."""
    geo = geo_sql("c.member_state")
    return (
        f"SELECT x.measure, {geo}, c.third_country, x.year, x.quarter, SUM(x.value) "  # noqa: S608
        f"FROM {contrib} x JOIN {CASES} c ON c.case_id = x.case_id "
        f"GROUP BY x.measure, {geo}, c.third_country, x.year, x.quarter HAVING SUM(x.value) <> 0"
    )


def _drop(cursor, *tables: str) -> None:
    for table in tables:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


def rebuild_counts(facts_table: str, counts_table: str) -> dict[str, float]:
    """Fill the (empty) facts and counter tables from every case's effective events, in SQL, in
    the caller's transaction; the seconds each step took."""
    s = _Sql(connection.vendor)
    steps: dict[str, float] = {}
    started = time.perf_counter()

    def step(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        steps[name] = round(now - started, 2)
        started = now

    with connection.cursor() as cursor:
        if s.pg:  # the sorts and hashes of millions of rows in memory, for this transaction only;
            # no JIT: these wide statements run once, and from about 50,000 cases their plan cost
            # passes jit_above_cost (100,000): each would be compiled before it runs
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
        source.materialise(events=EVENTS, cases=CASES)
        step("events_s")
        try:
            cursor.execute(_windowed_sql(s))
            if s.pg:
                cursor.execute(f"ANALYZE {WINDOWED}")
            step("window_s")
            cursor.execute(_contrib_sql(s))
            if s.pg:
                cursor.execute(f"ANALYZE {CONTRIB}")
            step("measures_s")
            # SQLite has no ORDER BY inside an aggregate before 3.44: the rows come in order
            ordered = (
                CONTRIB if s.pg else f"(SELECT * FROM {CONTRIB} ORDER BY case_id, measure, year, quarter) o"  # noqa: S608
            )
            cursor.execute(
                f"INSERT INTO {facts_table} (case_id, geo, citizen, lines) {_facts_select(s, ordered)}"  # noqa: S608
            )
            step("facts_rows_s")
            cursor.execute(
                f"INSERT INTO {counts_table} (measure, geo, citizen, year, quarter, value) "  # noqa: S608
                f"{_counts_select(CONTRIB)}"
            )
            step("counters_s")
        finally:
            _drop(cursor, CONTRIB, WINDOWED, EVENTS, CASES)
    return steps


def contributions_by_case() -> dict[int, dict[tuple[str, int, int], int]]:
    """Every case's contributions computed by the SQL above (for the tests: equal, case by case,
    to ``measures.contributions``)."""
    s = _Sql(connection.vendor)
    source.materialise(events=EVENTS, cases=CASES)
    out: dict[int, dict[tuple[str, int, int], int]] = {}
    with connection.cursor() as cursor:
        try:
            cursor.execute(_windowed_sql(s))
            cursor.execute(_contrib_sql(s))
            cursor.execute(f"SELECT case_id FROM {CASES}")  # noqa: S608
            for (case_id,) in cursor.fetchall():
                out[int(case_id)] = {}
            cursor.execute(f"SELECT case_id, measure, year, quarter, value FROM {CONTRIB}")  # noqa: S608
            for case_id, m, y, q, v in cursor.fetchall():
                out[int(case_id)][(m, int(y), int(q))] = int(v)
        finally:
            _drop(cursor, CONTRIB, WINDOWED, EVENTS, CASES)
    return out
