"""The indicators from case data on small hand-checked timelines: for each a zero, a quarter
boundary and cases crossing years; freshness by the job on a fixed clock; rebuild equals fold."""

from datetime import UTC, date, datetime

import pytest

from ilonet.indicators.cases import fold
from ilonet.indicators.models import IndicatorFigure

from .casedata import add, case, decision, negative_asylum

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def fig(code, period, geo="NL", citizen="TOTAL"):
    f = IndicatorFigure.objects.filter(indicator=code, period=period, geo=geo, citizen=citizen).first()
    return None if f is None else (f.numerator, f.denominator, f.value)


def test_return_decisions_after_negative_asylum_count_at_the_decision_date_and_zero_for_other_reasons():
    case([negative_asylum(date(2024, 3, 20)), decision(date(2024, 3, 31))])  # last day of Q1
    case([negative_asylum(date(2024, 3, 31)), decision(date(2024, 4, 1))])  # first day of Q2
    case([("legal_stay_ended", date(2024, 5, 2), {"reason": "permit_expired"}), decision(date(2024, 5, 3))])
    fold.fold(now=NOW)
    assert fig("case_rd_after_negative_asylum", "2024-Q1") == (1, None, 1.0)
    assert fig("case_rd_after_negative_asylum", "2024-Q2") == (1, None, 1.0)
    assert fig("case_return_decisions", "2024-Q2") == (2, None, 2.0)
    assert fig("case_rd_after_negative_asylum", "2024") == (2, None, 2.0)
    assert fig("case_rd_after_negative_asylum", "2024-Q2", citizen="MA") == (1, None, 1.0)
    assert fig("case_rd_after_negative_asylum", "2024-Q2", geo="EU27_2020") == (1, None, 1.0)
    # days from negative asylum decision to return decision: 11 and 1, mean 6 over the year
    assert fig("case_asylum_to_decision_days", "2024") == (12, 2, 6.0)


def test_zero_return_decisions_after_negative_asylum_is_a_zero_not_a_gap():
    case([("legal_stay_ended", date(2024, 2, 1), {"reason": "permit_expired"}), decision(date(2024, 2, 3))])
    fold.fold(now=NOW)
    assert fig("case_rd_after_negative_asylum", "2024-Q1") == (0, None, 0.0)
    assert fig("case_asylum_to_decision_days", "2024-Q1") == (0, 0, None)


def test_readmission_requests_answer_rate_and_delay_by_the_requests_quarter_across_years():
    rc = case([negative_asylum(date(2024, 10, 1)), decision(date(2024, 11, 1))], tc="NG")
    add(rc, [("readmission_requested", date(2024, 12, 31), {"channel": "rcms"}),
             ("readmission_answered", date(2025, 1, 30), {"answer": "accepted"}),
             ("readmission_requested", date(2025, 1, 1), {"channel": "rcms"})])  # fmt: skip
    fold.fold(now=NOW)
    assert fig("case_readmission_requests", "2024-Q4") == (1, None, 1.0)
    assert fig("case_readmission_requests", "2025-Q1") == (1, None, 1.0)
    assert fig("case_readmission_answer_rate", "2024-Q4", citizen="NG") == (1, 1, 100.0)
    assert fig("case_readmission_answer_days", "2024") == (30, 1, 30.0)
    assert fig("case_readmission_answer_rate", "2025-Q1") == (0, 1, 0.0)
    assert fig("case_readmission_requests", "2025-Q1", geo="NL", citizen="NG") == (1, None, 1.0)
    assert fig("case_readmission_requests", "2024-Q1") is None  # no case data: no figure


def test_voluntary_share_and_voluntary_departures_within_the_period():
    a = case([negative_asylum(date(2024, 1, 2)), decision(date(2024, 3, 1), days=30)], case_type="voluntary")
    add(a, [("voluntary_departure", date(2024, 3, 31), {"assisted": True})])  # day 30: within, Q1
    b = case([negative_asylum(date(2024, 1, 2)), decision(date(2024, 3, 1), days=7)], case_type="voluntary")
    add(b, [("voluntary_departure", date(2024, 4, 1), {"assisted": False})])  # day 31: too late, Q2
    c = case([negative_asylum(date(2024, 1, 2)), decision(date(2024, 3, 1))])
    add(c, [("enforced_return_carried_out", date(2024, 4, 2))])
    fold.fold(now=NOW)
    assert fig("case_voluntary_share", "2024-Q1") == (1, 1, 100.0)
    assert fig("case_voluntary_share", "2024-Q2") == (1, 2, 50.0)
    assert fig("case_voluntary_share", "2024") == (2, 3, pytest.approx(66.6667))
    assert fig("case_vd_within_period", "2024-Q1") == (1, 1, 100.0)
    assert fig("case_vd_within_period", "2024-Q2") == (0, 1, 0.0)


def test_zero_voluntary_returns_when_every_return_is_enforced():
    c = case([negative_asylum(date(2024, 1, 2)), decision(date(2024, 1, 5))])
    add(c, [("enforced_return_carried_out", date(2024, 2, 2))])
    fold.fold(now=NOW)
    assert fig("case_voluntary_share", "2024-Q1") == (0, 1, 0.0)


def test_cohort_return_rate_6_and_12_months_and_absconding_share_across_years():
    a = case([negative_asylum(date(2024, 8, 1)), decision(date(2024, 8, 31))])
    add(a, [("enforced_return_carried_out", date(2025, 2, 28))])  # Aug 31 + 6 months = Feb 28: within
    b = case([negative_asylum(date(2024, 8, 1)), decision(date(2024, 9, 30))])
    add(b, [("enforced_return_carried_out", date(2025, 4, 1))])  # 6 months = Mar 30: only within 12
    c = case([negative_asylum(date(2024, 8, 1)), decision(date(2024, 9, 1))])
    add(c, [("absconded", date(2025, 1, 10))])
    fold.fold(now=NOW)
    assert fig("case_cohort_return_6m", "2024-Q3") == (1, 3, pytest.approx(33.3333))
    assert fig("case_cohort_return_12m", "2024-Q3") == (2, 3, pytest.approx(66.6667))
    assert fig("case_absconding_share", "2024-Q3") == (1, 3, pytest.approx(33.3333))
    assert fig("case_cohort_return_6m", "2025-Q1") == (0, 0, None)  # counted at the decision, not the return
    assert fig("case_returns", "2025-Q1") == (1, None, 1.0)


def test_zero_cohort_return_and_absconding():
    case([negative_asylum(date(2024, 1, 1)), decision(date(2024, 1, 2))])
    fold.fold(now=NOW)
    assert fig("case_cohort_return_12m", "2024-Q1") == (0, 1, 0.0)
    assert fig("case_absconding_share", "2024-Q1") == (0, 1, 0.0)


def test_unapproved_superseded_and_retracted_events_do_not_count():
    case([negative_asylum(date(2024, 1, 1)), decision(date(2024, 1, 2))], approval="requested")
    rc = case([negative_asylum(date(2024, 1, 1)), decision(date(2024, 1, 2))])
    add(rc, [("readmission_requested", date(2024, 1, 3), {"channel": "rcms"})])
    add(rc, [("retracted", date(2024, 1, 4))], supersedes=4)
    fold.fold(now=NOW)
    assert fig("case_return_decisions", "2024-Q1") == (1, None, 1.0)
    assert fig("case_readmission_requests", "2024-Q1") == (0, None, 0.0)


def _tick_and_run(at):
    from ilonet.jobs import clock, testing
    from ilonet.jobs.scheduler import Scheduler

    with clock.frozen(at):
        Scheduler(holder="test").tick(now=at)
        testing.run_queued_jobs(now=at)


def test_an_event_folds_into_the_figure_by_the_job_within_a_minute_on_a_fixed_clock():
    from datetime import timedelta

    rc = case([negative_asylum(date(2024, 1, 1)), decision(date(2024, 1, 2))])
    _tick_and_run(NOW)
    assert fig("case_readmission_requests", "2024-Q1") == (0, None, 0.0)
    add(rc, [("readmission_requested", date(2024, 1, 9), {"channel": "rcms"})])
    _tick_and_run(NOW + timedelta(seconds=59))  # the same minute: the job ran already
    assert fig("case_readmission_requests", "2024-Q1") == (0, None, 0.0)
    _tick_and_run(NOW + timedelta(minutes=1))
    assert fig("case_readmission_requests", "2024-Q1") == (1, None, 1.0)
    assert fig("case_readmission_requests", "2024-Q1", geo="EU27_2020") == (1, None, 1.0)


def test_an_approval_decided_later_folds_in_without_a_new_event():
    from django.utils import timezone

    from ilonet.returns.models import Approval

    case([negative_asylum(date(2024, 1, 1)), decision(date(2024, 1, 2))], approval="requested")
    fold.fold(now=NOW)
    assert fig("case_return_decisions", "2024-Q1") == (0, None, 0.0)
    from ilonet.returns.rls import system_scope

    with system_scope():  # PostgreSQL: the returns tables are under row-level security
        Approval.objects.update(status="approved", decided_at=timezone.now())
    fold.fold(now=timezone.now())
    assert fig("case_return_decisions", "2024-Q1") == (1, None, 1.0)


def _all_figures():
    return sorted(
        IndicatorFigure.objects.filter(indicator__startswith="case_").values_list(
            "indicator", "source", "geo", "citizen", "period", "numerator", "denominator", "value", "flags"
        )
    )


def test_rebuild_equals_the_incremental_fold():
    from .casedata import random_cases

    cases = random_cases(60, seed=7)
    fold.fold(now=NOW, batch=25)  # several small batches
    random_cases(20, seed=8, extend=cases)  # events on existing cases after the first fold
    fold.fold(now=NOW, batch=25)
    incremental = _all_figures()
    assert incremental
    fold.rebuild(now=NOW)
    assert _all_figures() == incremental


def test_the_figures_equal_a_raw_sql_aggregate_over_the_returns_tables():
    from ilonet.indicators.cases import check

    from .casedata import random_cases

    random_cases(80, seed=11)
    fold.fold(now=NOW)
    raw = check.from_raw_sql()
    assert len(raw) > 50
    assert check.from_figures() == raw


def test_the_rebuilds_sql_counts_each_case_as_the_python_measures_do():
    """The rebuild counts in SQL (``cases.bulk``), the fold in Python (``cases.measures``): the
    same contributions, case by case, on timelines no service would write."""
    from ilonet.indicators.cases import bulk
    from ilonet.indicators.cases.measures import contributions
    from ilonet.returns import facts

    from .casedata import messy_cases

    cases = messy_cases(250, seed=1414)
    in_python = {tl.case_id: contributions(tl) for tl in facts.timelines(rc.id for rc in cases)}
    in_python = {i: {k: v for k, v in c.items() if v} for i, c in in_python.items()}
    in_sql = bulk.contributions_by_case()
    assert sum(len(c) for c in in_python.values()) > 500
    assert {m for c in in_python.values() for (m, _y, _q) in c} >= {
        "rd_after_negative_asylum", "asylum_to_rd_days", "readmission_answer_days", "readmission_accepted",
        "vd_within_period", "vd_with_period", "cohort_returned_6m", "cohort_returned_12m", "cohort_absconded",
    }  # fmt: skip
    assert in_sql == in_python


def _facts_and_counts():
    from ilonet.indicators.models import CaseCount, CaseFacts

    # a case without an event is never folded; a rebuild writes its (empty) facts row
    facts_rows = {
        f.case_id: (f.geo, f.citizen, sorted(map(tuple, f.lines))) for f in CaseFacts.objects.all() if f.lines
    }
    counts = set(CaseCount.objects.values_list("measure", "geo", "citizen", "year", "quarter", "value"))
    return facts_rows, counts


def test_rebuild_equals_the_incremental_fold_on_messy_timelines():
    from .casedata import messy_cases

    cases = messy_cases(120, seed=2026)
    fold.fold(now=NOW, batch=40)
    messy_cases(30, seed=2027)
    from .casedata import add as add_events

    add_events(cases[0], [("readmission_requested", date(2024, 3, 31), {"channel": "rcms"})])
    fold.fold(now=NOW, batch=40)
    incremental, state = _all_figures(), _facts_and_counts()
    assert len(incremental) > 100
    fold.rebuild(now=NOW)
    assert _facts_and_counts() == state
    assert _all_figures() == incremental


def test_the_folds_scan_of_approval_decisions_reads_the_decided_at_and_revoked_at_indexes():
    """``facts.cases_with_decisions_since`` runs every minute: it must not read every approval."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ilonet.returns import facts

    from .casedata import random_cases

    random_cases(5, seed=3)
    with CaptureQueriesContext(connection) as queries:
        facts.cases_with_decisions_since(NOW)
    scans = [q["sql"] for q in queries if "returns_approval" in q["sql"]]
    plans = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a handful of rows: tell the planner a scan is dear
            cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in scans:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}" if connection.vendor == "sqlite" else f"EXPLAIN {sql}")
            plans.append(" ".join(str(row) for row in cursor.fetchall()))
    plan = " | ".join(plans)
    assert "returns_approval_decided" in plan, plan
    assert "returns_approval_revoked" in plan, plan


def test_the_rebuilds_emitted_rows_are_integers_keyed_by_area_and_measure_quarter():
    """The rebuild sorts and groups ten million rows at 1,000,000 cases: they carry the case, the
    area (member state and third country as one integer), the measure and quarter as one key
    and the value, all integers; the key sorts as (measure, year, quarter) and each area names
    its member state and third country."""
    from django.db import connection

    from ilonet.indicators.cases import bulk
    from ilonet.returns import facts

    from .casedata import random_cases

    cases = random_cases(40, seed=1415)
    assert bulk.KEY_BASE > 9999 * 10 + 4  # the quarter of any year, year * 10 + quarter
    s = bulk._Sql(connection.vendor)
    facts.materialise(events=bulk.EVENTS, cases=bulk.CASES)
    with connection.cursor() as cursor:
        try:
            bulk._areas(cursor, s)
            cursor.execute(bulk._emit_sql(s))
            cursor.execute(f"SELECT * FROM {bulk.EMITTED}")  # noqa: S608
            rows = cursor.fetchall()
            assert [d[0] for d in cursor.description] == ["case_id", "area", "key", "value"]
            cursor.execute(f"SELECT area, member_state, third_country FROM {bulk.AREAS}")  # noqa: S608
            areas = {a: (ms, tc) for a, ms, tc in cursor.fetchall()}
        finally:
            bulk._drop(cursor, bulk.EMITTED, bulk.CASE_AREAS, bulk.AREAS, bulk.EVENTS, bulk.CASES)
    assert len(rows) > 200
    assert all(isinstance(v, int) for row in rows for v in row)
    by_case = {rc.id: (rc.member_state, rc.third_country) for rc in cases}
    assert {areas[area] == by_case[case_id] for case_id, area, _k, _v in rows} == {True}
    keys = {key for _c, _a, key, _v in rows}

    def decode(key):
        return bulk.NAMES[key // bulk.KEY_BASE - 1], key % bulk.KEY_BASE // 10, key % 10

    decoded = sorted(map(decode, keys))
    assert decoded == [decode(k) for k in sorted(keys)]
    assert {q for _n, _y, q in decoded} == {1, 2, 3, 4}
