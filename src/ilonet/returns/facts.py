"""Read-side streams for the return indicators (issue 14), without personal data.

Written for ``ilonet.indicators`` (which sits above this app) by the case-indicators work, beside
the returns core and not part of it: the indicators fold case timelines into aggregate figures and
need the timelines of many cases at once, the events and approval decisions since a watermark,
and one raw SQL aggregate to check the figures against (the obstacles' rollup is the core's
``selectors.obstacle_rollup``). Every function here runs under the core's explicit system scope
(``rls.system_scope()``: every member state on PostgreSQL) and returns only what an aggregate
needs: case ids (internal numbers), member state, third country of return, event kinds, dates and
the event fields the indicators read. No name, no identity, no reference leaves this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .machine import Ev
from .models import Approval, ApprovalStatus, CaseEvent, ReturnCase
from .rls import system_scope

# The event fields the indicators read (everything else stays here).
FIELDS_READ = ("reason", "voluntary_departure_days", "answer", "outcome", "case_type")


@dataclass(frozen=True)
class CaseTimeline:
    case_id: int
    member_state: str
    third_country: str
    events: list[Ev]


def _timelines(case_filter: dict[str, Any], event_filter: dict[str, Any]) -> list[CaseTimeline]:
    cases = {
        i: (ms, tc)
        for i, ms, tc in ReturnCase.objects.filter(**case_filter).values_list(
            "id", "member_state", "third_country"
        )
    }
    rows = (
        CaseEvent.objects.filter(**event_filter)
        .order_by("case_id", "seq")
        .values_list(
            "case_id", "seq", "kind", "occurred_on", "fields", "supersedes_seq", "needs_approval",
            "approval__status",
        )
    )  # fmt: skip
    events: dict[int, list[Ev]] = {i: [] for i in cases}
    for case_id, seq, kind, day, fields, sup, needs, status in rows:
        if case_id not in events or (needs and status in (ApprovalStatus.REFUSED, ApprovalStatus.REVOKED)):
            continue
        kept = {k: fields[k] for k in FIELDS_READ if k in (fields or {})}
        effective = not needs or status == ApprovalStatus.APPROVED
        events[case_id].append(Ev(seq, kind, day, kept, sup, effective=effective))
    return [CaseTimeline(i, cases[i][0], cases[i][1], events[i]) for i in sorted(cases)]


def timelines(case_ids: Iterable[int]) -> list[CaseTimeline]:
    """The timelines of the given cases (missing ids are skipped), in case-id order."""
    ids = sorted(set(case_ids))
    if not ids:
        return []
    with system_scope():
        return _timelines({"id__in": ids}, {"case_id__in": ids})


def timelines_after(case_id: int, *, limit: int) -> list[CaseTimeline]:
    """Up to ``limit`` cases with an id above ``case_id``, in id order (for a rebuild)."""
    with system_scope():
        ids = list(
            ReturnCase.objects.filter(id__gt=case_id).order_by("id").values_list("id", flat=True)[:limit]
        )
        if not ids:
            return []
        # a range of ids (an index range scan), not a list of thousands of parameters
        return _timelines(
            {"id__gt": case_id, "id__lte": ids[-1]}, {"case_id__gt": case_id, "case_id__lte": ids[-1]}
        )


def events_after(event_id: int, *, limit: int) -> list[tuple[int, int]]:
    """(event id, case id) of up to ``limit`` events with an id above ``event_id``, in id order."""
    with system_scope():
        return list(
            CaseEvent.objects.filter(id__gt=event_id).order_by("id").values_list("id", "case_id")[:limit]
        )


def last_event_id() -> int:
    with system_scope():
        last = CaseEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0


def cases_with_decisions_since(moment: datetime) -> set[int]:
    """Cases whose approvals were decided or revoked at or after ``moment``: a decision changes
    which events take effect without a new event on the timeline."""
    with system_scope():
        decided = Approval.objects.filter(decided_at__gte=moment).values_list("case_id", flat=True)
        revoked = Approval.objects.filter(revoked_at__gte=moment).values_list("case_id", flat=True)
        return set(decided) | set(revoked)


def _raw_sql(vendor: str) -> str:
    if vendor == "postgresql":
        reason, year, quarter = (
            "l.fields->>'reason'",
            "EXTRACT(YEAR FROM x.day)",
            "EXTRACT(QUARTER FROM x.day)",
        )
    else:
        reason = "json_extract(l.fields, '$.reason')"
        year = "CAST(strftime('%Y', x.day) AS INTEGER)"
        quarter = "((CAST(strftime('%m', x.day) AS INTEGER) + 2) / 3)"
    return f"""
    WITH ev AS (
      SELECT e.case_id, e.seq, e.kind, e.occurred_on AS day, e.fields, e.supersedes_seq,
             (NOT e.needs_approval OR a.status = 'approved') AS effective
      FROM returns_caseevent e LEFT JOIN returns_approval a ON a.event_id = e.id
    ), superseded AS (
      SELECT DISTINCT case_id, supersedes_seq AS seq FROM ev WHERE effective AND supersedes_seq IS NOT NULL
    ), eff AS (
      SELECT ev.* FROM ev LEFT JOIN superseded s ON s.case_id = ev.case_id AND s.seq = ev.seq
      WHERE ev.effective AND ev.kind <> 'retracted' AND s.case_id IS NULL
    ), neg AS (
      SELECT l.case_id, l.day, l.seq FROM eff l
      WHERE l.kind = 'legal_stay_ended' AND {reason} = 'negative_asylum_decision'
    ), x AS (
      SELECT 'return_decisions' AS measure, case_id, day, seq FROM eff WHERE kind = 'return_decision'
      UNION ALL
      SELECT DISTINCT 'rd_after_negative_asylum', r.case_id, r.day, r.seq FROM eff r
        JOIN neg l ON l.case_id = r.case_id AND (l.day < r.day OR (l.day = r.day AND l.seq < r.seq))
        WHERE r.kind = 'return_decision'
      UNION ALL
      SELECT 'readmission_requests', case_id, day, seq FROM eff WHERE kind = 'readmission_requested'
      UNION ALL
      SELECT 'returns_total', case_id, day, seq FROM eff
        WHERE kind IN ('voluntary_departure', 'enforced_return_carried_out')
      UNION ALL
      SELECT 'returns_voluntary', case_id, day, seq FROM eff WHERE kind = 'voluntary_departure'
    )
    SELECT x.measure, c.member_state, c.third_country, {year}, {quarter}, COUNT(*)
    FROM x JOIN returns_returncase c ON c.id = x.case_id
    GROUP BY x.measure, c.member_state, c.third_country, {year}, {quarter}
    """  # noqa: S608 - no input: table and column names only


def raw_counts() -> dict[tuple[str, str, str, int, int], int]:
    """The first indicators' counts straight from the base tables in one SQL aggregate, to check
    the precomputed figures against (tests, benchmark): (measure, member state, third country,
    year, quarter) -> count."""
    from django.db import connection

    with system_scope(), connection.cursor() as cursor, _without_nested_loops(cursor):
        cursor.execute(_raw_sql(connection.vendor))
        return {(m, ms, tc, int(y), int(q)): int(n) for m, ms, tc, y, q, n in cursor.fetchall()}


# ---------------------------------------------------------------------------- bulk, in SQL
def _materialise_sql(vendor: str, events: str, cases: str) -> list[str]:
    if vendor == "postgresql":
        reason, answer = "ev.fields->>'reason'", "ev.fields->>'answer'"
        days = "COALESCE(TRUNC((ev.fields->>'voluntary_departure_days')::numeric)::int, 0)"
        temp = "CREATE TEMP TABLE"
        # ``ev`` read twice but not written out: a whole-table rebuild read every effective event
        # into the common table expression's store and sorted it for a merge anti join (1,000,000
        # cases: 5.2 million rows spilled twice, 40 s); inlined, the superseded pairs are the few
        # rows of their own scan and the anti join hashes them (``_without_nested_loops``)
        inline = " NOT MATERIALIZED"
    else:
        reason, answer = "json_extract(ev.fields, '$.reason')", "json_extract(ev.fields, '$.answer')"
        days = "COALESCE(CAST(json_extract(ev.fields, '$.voluntary_departure_days') AS INTEGER), 0)"
        temp = "CREATE TEMP TABLE"
        inline = ""
    return [
        f"{temp} {cases} AS SELECT id AS case_id, member_state, third_country FROM returns_returncase",  # noqa: S608
        f"""{temp} {events} AS
        WITH ev AS{inline} (
          SELECT e.case_id, e.seq, e.kind, e.occurred_on AS day, e.fields, e.supersedes_seq
          FROM returns_caseevent e LEFT JOIN returns_approval a ON a.event_id = e.id
          WHERE NOT e.needs_approval OR a.status = 'approved'
        ), superseded AS (
          SELECT DISTINCT case_id, supersedes_seq AS seq FROM ev WHERE supersedes_seq IS NOT NULL
        )
        SELECT ev.case_id, ev.seq, ev.kind, ev.day,
          CASE WHEN ev.kind = 'legal_stay_ended' AND {reason} = 'negative_asylum_decision'
               THEN 1 ELSE 0 END AS neg,
          CASE WHEN ev.kind = 'return_decision' THEN {days} ELSE 0 END AS vdd,
          CASE WHEN ev.kind = 'readmission_answered' AND {answer} = 'accepted' THEN 1 ELSE 0 END AS acc
        FROM ev LEFT JOIN superseded s ON s.case_id = ev.case_id AND s.seq = ev.seq
        WHERE ev.kind <> 'retracted' AND s.case_id IS NULL""",  # noqa: S608 - names only, no input
    ]


def materialise(*, events: str, cases: str) -> None:
    """Two temporary tables for a bulk recomputation in SQL (the rebuild of the case indicators),
    in the caller's transaction: ``cases`` (case_id, member_state, third_country) of every case,
    and ``events`` (case_id, seq, kind, day, neg, vdd, acc) of every *effective* event, as
    ``machine.effective_events`` keeps them (approved where approval is needed, not superseded by
    an effective event, not a retraction): ``neg`` is 1 for an end of legal stay for a negative
    asylum decision, ``vdd`` a return decision's voluntary departure days, ``acc`` 1 for an
    accepted readmission answer. No name, no identity, no reference: internal ids, codes, dates.
    The caller drops the tables (``DROP TABLE``) when done."""
    from django.db import connection

    with system_scope(), connection.cursor() as cursor, _without_nested_loops(cursor):
        for table in (events, cases):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        for sql in _materialise_sql(connection.vendor, events, cases):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {cases}")
            cursor.execute(f"ANALYZE {events}")


@contextmanager
def _without_nested_loops(cursor: Any) -> Iterator[None]:
    """PostgreSQL, for the whole-table passes here: the row-level-security condition hides the
    rows from the planner's estimates (a few hundred rows of millions), so it would join by
    nested loops, one index probe per event, or worse, or sort millions of rows for a merge
    join; hash joins are right for every row."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT current_setting('enable_nestloop'), current_setting('enable_mergejoin')")
    loops, merges = cursor.fetchone()
    cursor.execute(
        "SELECT set_config('enable_nestloop', 'off', true), set_config('enable_mergejoin', 'off', true)"
    )
    try:
        yield
    finally:
        cursor.execute(
            "SELECT set_config('enable_nestloop', %s, true), set_config('enable_mergejoin', %s, true)",
            [loops, merges],
        )
