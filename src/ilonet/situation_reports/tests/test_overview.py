"""The overview per country and topic over time and the coverage map, on hand-checked data."""

from datetime import date

import pytest

from ilonet.situation_reports import charts, figures, selectors

RECENT = figures.Level.RECENT


def test_reports_count_in_the_quarter_their_period_starts_and_per_topic():
    reports = [(1, date(2025, 1, 1)), (2, date(2025, 3, 31)), (3, date(2025, 4, 1)), (4, date(2024, 12, 31))]
    topics = {1: {"b", "c"}, 2: {"b"}, 3: {"l"}, 4: {"b"}}
    result = figures.overview(reports=reports, topics=topics, since=date(2025, 1, 1), until=date(2025, 9, 30))
    assert [row.quarter.label for row in result.rows] == ["2025 Q1", "2025 Q2", "2025 Q3"]
    q1, q2, q3 = result.rows
    assert (q1.reports, q1.by_topic) == (2, {"b": 2, "c": 1})
    assert (q2.reports, q2.by_topic) == (1, {"l": 1})
    assert (q3.reports, q3.by_topic) == (0, {})
    assert result.reports == 3  # report 4 starts before the range
    assert result.shown_totals[:3] == [0, 2, 1] and result.shown_totals[11] == 1


def test_filtering_on_a_topic_counts_only_reports_with_that_section():
    reports = [(1, date(2025, 1, 10)), (2, date(2025, 2, 10))]
    result = figures.overview(
        reports=reports,
        topics={1: {"b", "c"}, 2: {"c"}},
        since=date(2025, 1, 1),
        until=date(2025, 3, 1),
        topic="b",
    )
    assert result.topics == ["b"] and result.rows[0].reports == 1 and result.table[0][1] == [1]


def test_quarters_cross_the_year():
    assert [q.label for q in figures.quarters_between(date(2024, 11, 5), date(2025, 2, 1))] == [
        "2024 Q4",
        "2025 Q1",
    ]


def test_coverage_levels_recent_older_and_gaps():
    today = date(2026, 6, 30)
    rows = [
        ("MA", date(2026, 3, 31)),
        ("MA", date(2025, 12, 31)),
        ("TN", date(2025, 6, 30)),
        ("SN", date(2024, 1, 31)),
    ]
    result = figures.coverage(
        rows=rows, deployed={"MA", "NG"}, today=today, recent_days=120, year_ago=date(2025, 6, 30)
    )
    by_code = {c.code: c for c in result.countries}
    assert by_code["MA"].level == RECENT and by_code["MA"].last_end == date(2026, 3, 31)
    assert by_code["MA"].reports_last_year == 2
    assert by_code["TN"].level == figures.Level.OLDER and by_code["TN"].reports_last_year == 1
    assert by_code["SN"].reports_last_year == 0
    assert by_code["NG"].level == figures.Level.GAP and by_code["NG"].last_end is None
    assert result.count(RECENT) == 1 and result.count(figures.Level.GAP) == 1


def test_the_chart_draws_one_segment_per_topic_count_with_its_title():
    result = figures.overview(
        reports=[(1, date(2025, 1, 2)), (2, date(2025, 1, 3))],
        topics={1: {"b", "c"}, 2: {"b"}},
        since=date(2025, 1, 1),
        until=date(2025, 6, 30),
    )
    svg = str(charts.render(result, title="Chart"))
    assert svg.startswith("<svg") and svg.count("<rect") == 2
    assert "2025 Q1, Migration flows: 2" in svg and "2025 Q1, Routes: 1" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from outside


@pytest.mark.django_db
def test_the_overview_counts_only_submitted_reports_the_reader_may_read(world, write):
    w = world
    period = (date(2025, 1, 1), date(2025, 3, 31))
    write(w["member"], period=period, submit=True)  # b, f
    write(
        w["member"], network=w["morocco"], period=period, submit=True, sections={"c": {"text": "Sea route."}}
    )
    write(w["colleague"], period=period)  # a draft: not counted
    write(w["outsider"], period=period, submit=True)  # Tunisia
    board = selectors.overview(user=w["board"], since=date(2025, 1, 1), until=date(2025, 6, 30))
    assert [(r.reports, r.by_topic) for r in board.rows] == [(3, {"b": 2, "f": 2, "c": 1}), (0, {})]
    morocco = selectors.overview(
        user=w["board"], since=date(2025, 1, 1), until=date(2025, 6, 30), country="ma"
    )
    assert morocco.rows[0].reports == 2
    colleague = selectors.overview(user=w["colleague"], since=date(2025, 1, 1), until=date(2025, 6, 30))
    assert colleague.rows[0].reports == 2  # Tunisia's report is not the Moroccan network's to read
    coverage = selectors.coverage(user=w["board"], today=date(2025, 6, 30))
    assert {c.code: c.level for c in coverage.countries} == {"MA": RECENT, "TN": RECENT}
