"""The case contributions of every case at once, in SQL: the rebuild's counting.

``measures.contributions`` says what one case contributes, in Python, and the fold uses it for
the few cases an event touches. A rebuild needs every case: reading millions of timelines into
Python was the slow part (about 20 minutes projected for 5,000,000 cases), so the rebuild counts
the same measures in SQL over the effective events (``returns.facts.materialise``), in three
statements:

1. one sorted pass over the events (window functions, ``_windowed``) that emits every measure of
   every event at once (a join with a small table of the measures by kind of event,
   ``_emit_sql``) into a temporary table ``(case_id, area, key, value)``: the case's member state
   and third country as one integer (``AREAS``), the measure by number (``CODES``) and the quarter
   (``year * 10 + quarter``) as one integer ``key``; the rows sorted and emitted are integers;
2. the facts rows (one per case): those rows summed per case and key, one JSON array per case;
3. the counters: the same rows summed per key and area, without a join (the area travels with
   the rows); the names of the few areas joined to the sums.

The tests prove SQL and Python give the same contributions, case by case, on SQLite and
PostgreSQL.

How each measure follows ``measures.contributions`` (the events of a case in the order (date, seq)):

- running aggregates over that order give, at each event, the last end of stay for a negative
  asylum decision so far (``neg_day``, none when there was none), the return decisions so far
  (``rd_n``: a return decision's own number, a departure's last decision, whose date is the
  latest decision date so far and whose voluntary departure days are read from the running
  maximum of ``rd_n * 1,000,000 + days``), the answers so far (``ans_n``), the requests' dates so
  far (``reqs``, ten characters each, so the requests so far ``req_n`` are its length / 10);
- readmission answers are paired first in, first out: an answer with no request pending is
  ignored; with ``d = answers - requests`` so far, the answers ignored up to an event are the
  running maximum of ``d`` (at least 0) before it, so an answer counts when ``d`` does not pass
  that maximum and pairs with the request of number ``ans_n - maximum`` (its date from ``reqs``);
- a case's quarters with events: the first event of each quarter (the quarter differs from the
  previous event's);
- the cohort, at the case's first decision (``rd_n = 1``): the first departure's date and the last
  absconding's date over the whole case (a window over the whole partition, same sort).
"""

from __future__ import annotations

import time

from django.db import connection

from ilonet.returns import facts as source

from ..eurostat.datasets import EUROSTAT_TO_ISO
from .measures import MEASURES

EVENTS, CASES, EMITTED = "ind_bulk_ev", "ind_bulk_case", "ind_bulk_emit"
AREAS, CASE_AREAS = "ind_bulk_area", "ind_bulk_case_area"
RD, REQ, ANS = "return_decision", "readmission_requested", "readmission_answered"
VD, ERC, ABS = "voluntary_departure", "enforced_return_carried_out", "absconded"
KINDS = (RD, REQ, ANS, VD, ERC)  # the kinds that count for more than their quarter
# the kinds the counting reads, by number (the kinds of ``KINDS`` first); any other kind is 0
KIND = {kind: n for n, kind in enumerate((*KINDS, ABS), start=1)}
KEY_BASE = 100_000  # a measure's code and a quarter (year * 10 + quarter) in one integer
VDD_BASE = 1_000_000  # a decision's number and its voluntary departure days in one integer
LAST = ("",)  # a measure of the whole case, emitted at its last event
# the measures by number, in the order of their names (integers are cheaper to hash and sort than
# names, and this order is the names' order)
NAMES = tuple(sorted(MEASURES))
CODES = {name: i for i, name in enumerate(NAMES, start=1)}


def _q(kind: str) -> str:
    return f"'{kind}'"


class _Sql:
    """The few expressions that differ between PostgreSQL and SQLite."""

    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def yq(self, day: str) -> str:
        """A date's quarter as one integer, year * 10 + quarter (``date_part``: ``EXTRACT`` is
        ``numeric`` arithmetic since PostgreSQL 14, several times dearer per row)."""
        if self.pg:
            return (
                f"(CAST(date_part('year', {day}) AS INTEGER) * 10 "
                f"+ CAST(date_part('quarter', {day}) AS INTEGER))"
            )
        month = f"CAST(strftime('%m', {day}) AS INTEGER)"
        return f"(CAST(strftime('%Y', {day}) AS INTEGER) * 10 + ({month} + 2) / 3)"

    def day_text(self, day: str) -> str:
        """A date as its ten characters YYYY-MM-DD (SQLite keeps dates so)."""
        return f"to_char({day}, 'YYYY-MM-DD')" if self.pg else day

    def text_day(self, text: str) -> str:
        return f"CAST({text} AS DATE)" if self.pg else text

    def concat(self, text: str) -> str:
        return f"string_agg({text}, '')" if self.pg else f"group_concat({text}, '')"

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
        """A case's lines as a JSON array of [measure, year, quarter, value], in the order the rows
        come (``_facts_select`` sorts them once, not inside each case's aggregate; SQLite has no
        ORDER BY inside an aggregate before 3.44)."""
        if self.pg:
            # the JSON text built by hand: several times cheaper than json_build_array per line
            name = self.name(f"key / {KEY_BASE}")
            yq = f"key % {KEY_BASE}"
            line = f"'[\"' || {name} || '\",' || ({yq} / 10) || ',' || ({yq} % 10) || ',' || value || ']'"
            return f"CAST('[' || string_agg({line}, ',') || ']' AS jsonb)"
        name, yq = self.name(f"key / {KEY_BASE}"), f"key % {KEY_BASE}"
        return f"json_group_array(json_array({name}, {yq} / 10, {yq} % 10, value))"

    def fence(self) -> str:
        """Keeps PostgreSQL from pulling a subquery up into the query around it: its columns are
        computed once per row, not once per use (a pulled-up expression is copied into every
        window function that reads it)."""
        return " OFFSET 0" if self.pg else ""

    def length(self, text: str) -> str:
        """The length of ASCII text (bytes: PostgreSQL counts no characters for it)."""
        return f"octet_length({text})" if self.pg else f"length({text})"

    def name(self, code: str) -> str:
        """A measure's name from its code (``CODES``)."""
        if self.pg:
            return f"(ARRAY[{', '.join(map(_q, NAMES))}])[{code}]"
        return f"CASE {code} {' '.join(f'WHEN {i} THEN {_q(n)}' for i, n in enumerate(NAMES, start=1))} END"


def geo_sql(column: str) -> str:
    """``fold.geo_of`` in SQL: ISO member-state codes to Eurostat's (GR is EL)."""
    whens = " ".join(f"WHEN '{iso}' THEN '{geo}'" for geo, iso in sorted(EUROSTAT_TO_ISO.items()))
    return f"CASE {column} {whens} ELSE {column} END"


def _measures(s: _Sql) -> list[tuple[str, tuple[str, ...], str, str, str]]:
    """Each measure as (name, the kinds of event that emit it (none: any kind, at the case's
    first event of a quarter; ``LAST``: the case's last event, where the running aggregates are
    the whole case's), the condition, the quarter (year * 10 + quarter), the value), over the
    columns of ``_windowed``'s rows ``x``."""
    j = "x.ans_n - x.ignored"  # the number of the request an answer pairs with
    asked = s.text_day(f"substr(x.reqs, CAST(({j} - 1) * 10 + 1 AS INTEGER), 10)")
    paired = f"x.ans_n - x.req_n <= x.ignored AND {j} >= 1"
    negative = "x.neg_day IS NOT NULL"  # an end of stay for a negative asylum decision so far
    asylum = f"x.rd_n = 1 AND {negative}"
    vdd = f"x.rd_key % {VDD_BASE}"  # the days granted by the case's last decision so far
    with_period = f"x.rd_n > 0 AND {vdd} > 0"

    def cohort(months: int) -> str:
        return f"x.first_return >= x.first_rd AND x.first_return <= {s.add_months('x.first_rd', months)}"

    yes, yq, one, decided = "1 = 1", "x.yq", "1", s.yq("x.first_rd")
    return [
        ("active_cases", (), yes, yq, one),
        ("return_decisions", (RD,), yes, yq, one),
        ("rd_after_negative_asylum", (RD,), negative, yq, one),
        ("asylum_to_rd_days", (RD,), asylum, yq, s.days("x.day", "x.neg_day")),
        ("asylum_to_rd_n", (RD,), asylum, yq, one),
        ("readmission_requests", (REQ,), yes, yq, one),
        ("readmission_answered", (ANS,), paired, s.yq(asked), one),
        ("readmission_accepted", (ANS,), f"{paired} AND x.acc = 1", s.yq(asked), one),
        ("readmission_answer_days", (ANS,), paired, s.yq(asked), s.days("x.day", asked)),
        ("returns_total", (VD, ERC), yes, yq, one),
        ("returns_voluntary", (VD,), yes, yq, one),
        ("vd_with_period", (VD,), with_period, yq, one),
        ("vd_within_period", (VD,), f"{with_period} AND {s.days('x.day', 'x.rd_day')} <= {vdd}", yq, one),
        ("cohort_decisions", LAST, "x.first_rd IS NOT NULL", decided, one),
        ("cohort_returned_6m", LAST, cohort(6), decided, one),
        ("cohort_returned_12m", LAST, cohort(12), decided, one),
        ("cohort_absconded", LAST, "x.last_abs >= x.first_rd", decided, one),
    ]


def _windowed(s: _Sql) -> str:
    """Every effective event with what the case's events up to it (in (date, seq) order) say, in
    one sort: two levels of window functions over the same order (the second needs the first's
    running sums), one pass each. ``k``, ``q`` and ``l`` are the keys of the join that emits the
    measures: the event's kind (``KIND``) where it counts for more than its quarter, 1 at the
    case's first event of a quarter, 1 at the case's last event. The case's area (member state and
    third country as one integer, ``AREAS``) is joined before the sort (one probe per event, not
    per emitted row). The sorted rows are integers and dates only: the kind is its number, read
    once per event before the sort (a kind's name is about twenty characters, compared about ten
    times per event)."""
    w = "PARTITION BY case_id ORDER BY day, seq"
    clamped = f"CASE WHEN y.vdd < 0 THEN 0 WHEN y.vdd >= {VDD_BASE} THEN {VDD_BASE - 1} ELSE y.vdd END"
    # the requests so far: their dates are ten characters each
    req_n = f"(COALESCE({s.length('y.reqs')}, 0) / 10)"
    ignored = s.greatest(f"COALESCE(MAX(y.ans_n - {req_n}) OVER before, 0)", "0")
    rd, req, ans, vd, erc, absc = (KIND[k] for k in (RD, REQ, ANS, VD, ERC, ABS))
    kind = f"CASE e.kind {' '.join(f'WHEN {_q(name)} THEN {n}' for name, n in KIND.items())} ELSE 0 END"
    # a departure is never a decision: the decisions before it are the decisions up to it
    return f"""SELECT y.*, {req_n} AS req_n, {ignored} AS ignored,
      MAX(CASE WHEN y.kind = {rd} THEN y.rd_n * {VDD_BASE} + {clamped} END) OVER before AS rd_key
    FROM (
      SELECT case_id, area, seq, kind, day, yq, vdd, acc,
        CASE WHEN kind <= {len(KINDS)} THEN kind ELSE 0 END AS k,
        CASE WHEN yq <> LAG(yq, 1, 0) OVER upto THEN 1 ELSE 0 END AS q,
        CASE WHEN LEAD(seq) OVER upto IS NULL THEN 1 ELSE 0 END AS l,
        MAX(CASE WHEN neg = 1 THEN day END) OVER upto AS neg_day,
        SUM(CASE WHEN kind = {rd} THEN 1 ELSE 0 END) OVER upto AS rd_n,
        MIN(CASE WHEN kind = {rd} THEN day END) OVER upto AS first_rd,
        MAX(CASE WHEN kind = {rd} THEN day END) OVER upto AS rd_day,
        SUM(CASE WHEN kind = {ans} THEN 1 ELSE 0 END) OVER upto AS ans_n,
        {s.concat(s.day_text("day"))} FILTER (WHERE kind = {req}) OVER upto AS reqs,
        MIN(CASE WHEN kind IN ({vd}, {erc}) THEN day END) OVER upto AS first_return,
        MAX(CASE WHEN kind = {absc} THEN day END) OVER upto AS last_abs
      FROM (
        SELECT e.case_id, c.area, e.seq, {kind} AS kind, e.day, e.neg, e.vdd, e.acc,
          {s.yq("e.day")} AS yq
        FROM {EVENTS} e JOIN {CASE_AREAS} c ON c.case_id = e.case_id{s.fence()}
      ) e
      WINDOW upto AS ({w} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    ) y
    WINDOW before AS ({w} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"""  # noqa: S608 - names only


def _areas_sql() -> list[str]:
    """Each (member state, third country) of the cases as one integer (``AREAS``), and each case's
    area (``CASE_AREAS``): the rows sorted and emitted carry one integer instead of two texts, and
    the counters group integers; the names come back from the few areas at the end."""
    return [
        f"CREATE TEMP TABLE {AREAS} AS SELECT "  # noqa: S608 - names only
        "ROW_NUMBER() OVER (ORDER BY member_state, third_country) AS area, member_state, third_country "
        f"FROM (SELECT DISTINCT member_state, third_country FROM {CASES}) d",
        f"CREATE TEMP TABLE {CASE_AREAS} AS SELECT c.case_id, a.area FROM {CASES} c "  # noqa: S608
        f"JOIN {AREAS} a ON a.member_state = c.member_state AND a.third_country = c.third_country",
    ]


def _emit_sql(s: _Sql) -> str:
    """Every contribution of every case, not yet summed per key, with the case's area (so the
    counters need no join): ``(case_id, area, key, value)``, the key the measure's code and the
    quarter in one integer, ``code * KEY_BASE + yq`` (one sort key and one grouping column
    instead of two; the same order). Each windowed event joins the rows of its (k, q, l) in a small
    table of measures (one pass, no scan per measure), and keeps those whose condition holds: on
    PostgreSQL a hash join; on SQLite ``CROSS JOIN`` keeps the events as the outer loop, each
    looking its rows up in an automatic index of the small table (the other way round, SQLite
    indexed every event)."""
    measures = _measures(s)
    rows = []
    for k in ("", *KINDS):
        for q in (0, 1):
            for last in (0, 1):
                for name, kinds, _cond, _yq, _value in measures:
                    if kinds == () and q or kinds == LAST and last or kinds not in ((), LAST) and k in kinds:
                        rows.append(f"({KIND.get(k, 0)}, {q}, {last}, {CODES[name]})")

    def by_code(i: int, usual: str) -> str:  # a CASE on the measure's code, for the unusual ones
        whens = [f"WHEN {CODES[m[0]]} THEN {m[i]}" for m in measures if m[i] != usual]
        return f"CASE m.code {' '.join(whens)} ELSE {usual} END"

    return f"""CREATE TEMP TABLE {EMITTED} AS
    WITH m (k, q, l, code) AS (VALUES {", ".join(rows)})
    SELECT x.case_id, x.area, m.code * {KEY_BASE} + {by_code(3, "x.yq")} AS key, {by_code(4, "1")} AS value
    FROM ({_windowed(s)}) x
    CROSS JOIN m
    WHERE m.k = x.k AND m.q = x.q AND m.l = x.l AND {by_code(2, "1 = 1")}"""  # noqa: S608 - names and constants only


def _grouped() -> str:
    """A case's contributions summed per key (an integer: the counters' sums are bigint)."""
    return (
        f"SELECT case_id, key, CAST(SUM(value) AS INTEGER) AS value FROM {EMITTED} "  # noqa: S608
        "GROUP BY case_id, key HAVING SUM(value) <> 0"
    )


def _facts_select(s: _Sql) -> str:
    """Every case's facts row: its member state, third country and lines (none: ``[]``)."""
    empty = "CAST('[]' AS jsonb)" if s.pg else "'[]'"
    grouped = f"({_grouped()} ORDER BY case_id, key)"
    return (
        f"SELECT c.case_id, {geo_sql('c.member_state')}, c.third_country, COALESCE(l.lines, {empty}) "  # noqa: S608
        f"FROM {CASES} c LEFT JOIN (SELECT case_id, {s.lines()} AS lines FROM {grouped} g "
        "GROUP BY case_id) l ON l.case_id = c.case_id"
    )


def _counts_select(s: _Sql) -> str:
    """The counters: the contributions summed per measure, area and quarter (straight from the
    emitted rows: a case's own sums change nothing in these sums), the area's names joined to the
    sums (a few tens of thousands of rows)."""
    return (
        f"SELECT {s.name(f'n.key / {KEY_BASE}')}, {geo_sql('a.member_state')}, a.third_country, "  # noqa: S608
        f"n.key % {KEY_BASE} / 10, n.key % 10, n.value FROM ("
        f"SELECT key, area, SUM(value) AS value FROM {EMITTED} GROUP BY key, area HAVING SUM(value) <> 0"
        f") n JOIN {AREAS} a ON a.area = n.area"
    )


def _areas(cursor, s: _Sql) -> None:
    if not s.pg:
        for sql in _areas_sql():
            cursor.execute(sql)
        return
    # every case probes the few areas by hash (the planner sorted 1,000,000 cases for a merge join)
    cursor.execute("SELECT current_setting('enable_mergejoin')")
    before = cursor.fetchone()[0]
    cursor.execute("SELECT set_config('enable_mergejoin', 'off', true)")
    try:
        for sql in _areas_sql():
            cursor.execute(sql)
    finally:
        cursor.execute("SELECT set_config('enable_mergejoin', %s, true)", [before])
    cursor.execute(f"ANALYZE {AREAS}")
    cursor.execute(f"ANALYZE {CASE_AREAS}")


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
            _areas(cursor, s)
            cursor.execute(_emit_sql(s))
            if s.pg:
                cursor.execute(f"ANALYZE {EMITTED}")
            step("measures_s")
            facts_sql = f"INSERT INTO {facts_table} (case_id, geo, citizen, lines) {_facts_select(s)}"  # noqa: S608
            if s.pg:  # one sort by (case, measure, quarter) feeds both sums: no hash table of every
                # case's keys before it (the planner underestimates them tenfold)
                cursor.execute("SELECT current_setting('enable_hashagg')")
                before = cursor.fetchone()[0]
                cursor.execute("SELECT set_config('enable_hashagg', 'off', true)")
                cursor.execute(facts_sql)
                cursor.execute("SELECT set_config('enable_hashagg', %s, true)", [before])
            else:
                cursor.execute(facts_sql)
            step("facts_rows_s")
            columns = "measure, geo, citizen, year, quarter, value"
            cursor.execute(f"INSERT INTO {counts_table} ({columns}) {_counts_select(s)}")  # noqa: S608
            step("counters_s")
        finally:
            _drop(cursor, EMITTED, CASE_AREAS, AREAS, EVENTS, CASES)
    return steps


def contributions_by_case() -> dict[int, dict[tuple[str, int, int], int]]:
    """Every case's contributions computed by the SQL above (for the tests: equal, case by case,
    to ``measures.contributions``)."""
    s = _Sql(connection.vendor)
    source.materialise(events=EVENTS, cases=CASES)
    out: dict[int, dict[tuple[str, int, int], int]] = {}
    with connection.cursor() as cursor:
        try:
            _areas(cursor, s)
            cursor.execute(_emit_sql(s))
            cursor.execute(f"SELECT case_id FROM {CASES}")  # noqa: S608
            for (case_id,) in cursor.fetchall():
                out[int(case_id)] = {}
            cursor.execute(_grouped())
            for case_id, key, v in cursor.fetchall():
                code, yq = divmod(int(key), KEY_BASE)
                out[int(case_id)][(NAMES[code - 1], yq // 10, yq % 10)] = int(v)
        finally:
            _drop(cursor, EMITTED, CASE_AREAS, AREAS, EVENTS, CASES)
    return out
