"""The case-indicator page and API: aggregates only (the Commission, the agencies and the
coordinator never see a case), submitted aggregates (idempotent, refused where case data exist,
problems with row or line and column), the reconciliation with Eurostat, the obstacles rollup."""

from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ilonet import policy
from ilonet.accounts import testing as account_tokens
from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.indicators.cases import fold
from ilonet.indicators.eurostat.load import load_stream
from ilonet.indicators.models import IndicatorFigure, SubmittedCount
from ilonet.returns.models import Obstacle
from ilonet.returns.rls import system_scope

from .casedata import add, case, decision, negative_asylum
from .samples import BASE_DIMS, tsv

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
BASE = "/api/v1/returns/indicators"
AGGREGATE_READERS = (Role.RETURN_COORDINATOR, Role.CHAIR, Role.SECRETARIAT)


@pytest.fixture
def cases_folded():
    rc = case([negative_asylum(date(2023, 2, 1)), decision(date(2023, 2, 3))], ms="AT", tc="MA")
    add(rc, [("enforced_return_carried_out", date(2023, 5, 2))])
    with system_scope():
        Obstacle.objects.create(
            member_state="AT", third_country="MA", case=rc, kind="health", flagged_on=date(2023, 3, 1)
        )
    fold.fold(now=NOW)
    return rc


@pytest.fixture
def api(make_user):
    def client_for(role, scope=None):
        user = make_user(role, scope=scope)
        _token, secret = account_tokens.issue_api_token(actor=user, name="test", scope="write")
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)

    return client_for


@pytest.mark.parametrize("role", (*AGGREGATE_READERS, Role.NON_VOTING_MEMBER))
def test_the_commission_agencies_and_coordinator_never_see_a_case(cases_folded, make_user, login, role):
    user = make_user(role)
    assert not policy.can(user, policy.Action.VIEW_RETURN_CASES)
    assert not policy.can(user, policy.Action.VIEW_RETURN_CASES, cases_folded)
    client = login(user)
    for url in (reverse("indicators:cases"), reverse("indicators:obstacles")):
        response = client.get(url)
        if role == Role.NON_VOTING_MEMBER:
            assert response.status_code == 403
            continue
        body = response.content.decode()
        assert response.status_code == 200
        assert cases_folded.reference not in body and cases_folded.person_ref not in body
    if role != Role.NON_VOTING_MEMBER:
        assert "Health conditions" in client.get(reverse("indicators:obstacles")).content.decode()


def test_the_case_page_shows_every_case_indicator_with_chart_table_and_csv(cases_folded, make_user, login):
    client = login(make_user(Role.RETURN_COORDINATOR))
    body = client.get(reverse("indicators:cases") + "?geo=AT&period=2023").content.decode()
    from ilonet.indicators.cases.definitions import CASE_RULES

    for code in CASE_RULES:
        assert f"indicator={code}" in body, code
    assert body.count("<svg") >= 3
    csv_url = reverse("indicators:export", args=["trend"]) + "?indicator=case_returns&quarterly=1&geo=AT"
    csv_text = b"".join(client.get(csv_url).streaming_content).decode()
    assert "2023-Q2,AT,1" in csv_text


def test_submitted_aggregates_are_idempotent_and_fill_the_quarters_without_case_data(api):
    client = api(Role.RETURN_OFFICER, scope="nl")
    body = {"member_state": "NL", "rows": [
        {"third_country": "MA", "period": "2024-Q1", "measure": "readmission_requests", "value": 7},
        {"third_country": "NG", "period": "2024-Q1", "measure": "readmission_requests", "value": 3},
    ]}  # fmt: skip
    first = client.post(f"{BASE}/cases/submissions", body, content_type="application/json")
    assert first.status_code == 200 and first.json() == {"rows": 2, "changed": 2}
    audits = AuditEvent.objects.filter(action="indicators.aggregates_submitted").count()
    again = client.post(f"{BASE}/cases/submissions", body, content_type="application/json")
    assert again.json() == {"rows": 2, "changed": 0}
    assert AuditEvent.objects.filter(action="indicators.aggregates_submitted").count() == audits == 1
    f = IndicatorFigure.objects.get(
        indicator="case_readmission_requests", geo="NL", citizen="TOTAL", period="2024-Q1"
    )
    assert (f.source, f.value, f.flags) == ("submitted", 10.0, "s")
    eu = IndicatorFigure.objects.get(
        indicator="case_readmission_requests", geo="EU27_2020", citizen="TOTAL", period="2024"
    )
    assert eu.value == 10.0


def test_a_submission_for_a_quarter_with_case_data_or_another_state_is_refused(api):
    case([negative_asylum(date(2024, 1, 2)), decision(date(2024, 1, 3))], ms="NL")
    fold.fold(now=NOW)
    client = api(Role.RETURN_OFFICER, scope="nl")
    row = {"third_country": "MA", "period": "2024-Q1", "measure": "readmission_requests", "value": 7}
    refused = client.post(
        f"{BASE}/cases/submissions", {"member_state": "NL", "rows": [row]}, content_type="application/json"
    )
    assert refused.status_code == 422 and "case data take precedence" in refused.content.decode()
    body = {"member_state": "DE", "rows": [{**row, "period": "2024-Q2"}]}
    other = client.post(f"{BASE}/cases/submissions", body, content_type="application/json")
    assert other.status_code == 403
    assert not SubmittedCount.objects.exists()


def test_a_bad_submission_file_names_line_and_column_and_keeps_nothing(api):
    client = api(Role.RETURN_OFFICER, scope="nl")
    data = b"third_country,period,measure,value\nMA,2024-Q1,returns_total,4\nFR,2024-Q5,guesses,-1\n"
    upload = SimpleUploadedFile("nl.csv", data, content_type="text/csv")
    response = client.post(f"{BASE}/cases/submissions/file?member_state=NL", {"file": upload})
    text = response.content.decode()
    assert response.status_code == 422
    for where in (
        "Line 3, column third_country",
        "Line 3, column period",
        "Line 3, column measure",
        "Line 3, column value",
    ):
        assert where in text
    assert not SubmittedCount.objects.exists()
    good = SimpleUploadedFile(
        "nl.csv", data.splitlines(keepends=True)[0] + b"MA,2024-Q1,returns_total,4\n", content_type="text/csv"
    )
    assert client.post(f"{BASE}/cases/submissions/file?member_state=NL", {"file": good}).json() == {
        "rows": 1,
        "changed": 1,
    }


def test_reconciliation_shows_case_data_beside_eurostat_with_the_difference(api):
    for _ in range(3):
        case([negative_asylum(date(2023, 2, 1)), decision(date(2023, 2, 3))], ms="AT")
    fold.fold(now=NOW)
    load_stream(tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["5 p"])]), dataset="migr_eiord")
    load_stream(tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["1"])]), dataset="migr_eirtn")
    rows = api(Role.RETURN_COORDINATOR).get(f"{BASE}/cases/reconciliation?period=2023").json()["items"]
    decisions = next(r for r in rows if r["figure"].startswith("Return decisions"))
    assert (decisions["geo"], decisions["cases"], decisions["eurostat"], decisions["difference"]) == (
        "AT",
        3.0,
        5.0,
        -2.0,
    )
    assert decisions["flags"] == "p"


def test_the_case_page_reads_the_figures_in_one_statement_and_the_chart_cache_once(make_user, login):
    """Twelve trends, three tables by third country and the reconciliation: one statement for
    all their figures (``selectors.case_page``; 42 queries once, then three, one per kind), and
    one cache read for every chart; once this process has the charts, none (``charts``' memo),
    with the same page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ilonet.indicators import charts

    for ms, tc in (("AT", "MA"), ("NL", "NG"), ("DE", "MA")):
        rc = case([negative_asylum(date(2023, 2, 1)), decision(date(2023, 2, 3))], ms=ms, tc=tc)
        add(rc, [("readmission_requested", date(2023, 3, 1), {"channel": "rcms"}),
                 ("readmission_answered", date(2023, 4, 2), {"answer": "accepted"})])  # fmt: skip
    fold.fold(now=NOW)
    client = login(make_user(Role.RETURN_COORDINATOR))
    url = reverse("indicators:cases") + "?geo=AT&period=2023"
    charts.forget()  # the memo holds no chart of an earlier test (whose cache rows are gone)
    assert client.get(url).status_code == 200  # the charts rendered and cached once
    charts.forget()  # another process: the charts from the shared cache
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    figure_reads = [q["sql"] for q in queries if "indicators_indicatorfigure" in q["sql"]]
    cache_reads = [q["sql"] for q in queries if "ilonet_cache" in q["sql"]]
    assert len(figure_reads) == 1, figure_reads  # trends, by third country, reconciliation at once
    assert len(cache_reads) == 1, cache_reads
    assert body.count("<svg") >= 12 + 3
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()
    assert not [q["sql"] for q in queries if "ilonet_cache" in q["sql"]]
    assert _without_csrf(again) == _without_csrf(body)


def _row(f) -> tuple:
    from ilonet.indicators.selectors import FIGURE_ROW

    return tuple(getattr(f, name) for name in FIGURE_ROW)


@pytest.mark.parametrize(("geo", "period"), [("NL", "2024-Q2"), ("EU27_2020", "2023"), ("EL", None)])
def test_the_case_pages_one_statement_equals_its_three_reads_and_the_raw_sql_aggregate(geo, period):
    """``selectors.case_page`` gives what the three reads give (the trends of an area, the tables
    by third country of a period, the reconciliation's figures), and every figure of it that the
    raw SQL aggregate over the returns tables checks equals that aggregate (a member state's, or
    the sum over member states for the EU total)."""
    from collections import defaultdict

    from ilonet.indicators import selectors
    from ilonet.indicators.cases import check, reconcile
    from ilonet.indicators.cases.definitions import CASE_RULES
    from ilonet.indicators.cases.pages import BY_THIRD_COUNTRY

    from .casedata import random_cases

    random_cases(60, seed=14)
    fold.fold(now=NOW)
    load_stream(tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,NL", ["5 p"])]), dataset="migr_eiord")
    page = selectors.case_page(
        trend_indicators=list(CASE_RULES),
        geo=geo,
        country_indicators=list(BY_THIRD_COUNTRY),
        period=period,
        pair_indicators=reconcile.INDICATORS,
    )
    trends = selectors.trends(indicators=list(CASE_RULES), quarterly=True, geo=geo)
    assert {k: [_row(f) for f in v] for k, v in trends.items()} == page.trends
    if period:
        countries = selectors.by_third_countries(indicators=list(BY_THIRD_COUNTRY), period=period)
        assert {k: [_row(f) for f in v] for k, v in countries.items()} == page.by_third_country
    else:
        assert page.by_third_country == {code: [] for code in BY_THIRD_COUNTRY}
    assert reconcile.paired(page.pairs) == reconcile.lines(period=period)
    raw = check.from_raw_sql()
    eu: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for (code, _g, citizen, p), (n, d) in raw.items():
        eu[(code, citizen, p)][0] += n
        eu[(code, citizen, p)][1] += d or 0
    shown = [f for v in page.trends.values() for f in v] + [
        f for v in page.by_third_country.values() for f in v
    ]
    checked = 0
    for f in shown:
        if f.indicator not in check.CHECKED or f.source != "cases" or not (f.numerator or f.denominator):
            continue
        if f.geo == "EU27_2020":
            n, d = eu[(f.indicator, f.citizen, f.period)]
            expected = (n, d if CASE_RULES[f.indicator][2] else None)
        else:
            expected = raw[(f.indicator, f.geo, f.citizen, f.period)]
        assert (f.numerator, f.denominator) == expected, f
        checked += 1
    assert checked > 10


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_panel_written_in_python_equals_the_panel_template(language):
    """``Panel.html`` gives what ``indicators/_panel.html`` gives: with and without a chart,
    with and without rows, with characters to escape in the title, definition and query."""
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.safestring import mark_safe

    from ilonet.indicators.dashboard import Panel, panels_html

    panels = [
        Panel(
            key="trend",
            title='Returns <"A&B">',
            definition="x < y & 'z'",
            columns=["Period", "Área <b>"],
            rows=[["2023-Q1", 3, None, 12.5, "p"]],
            svg=mark_safe('<svg role="img"><text>1 &amp; 2</text></svg>'),
            query={"indicator": "case_returns", "quarterly": "1", "geo": "A&B/C D"},
        ),
        Panel(key="map", title="Empty", definition="", columns=["A", "B"], rows=[], query={}),
        Panel(
            key="reconciliation", title="R", definition="d", columns=["A"], rows=[["é"]], query={"period": ""}
        ),
    ]
    with translation.override(language):
        for counter in (0, 1, 101, 200):
            for panel in panels:
                expected = render_to_string(
                    "indicators/_panel.html", {"panel": panel, "forloop_counter": counter}
                )
                assert str(panel.html(counter)) == expected
        assert str(panels_html(panels, first=101)) == "".join(
            render_to_string("indicators/_panel.html", {"panel": p, "forloop_counter": 101 + i})
            for i, p in enumerate(panels)
        )


def _without_csrf(body: str) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"|csrf[-_]token[^>]*|nonce="[^"]*"', "", body)


def test_one_indicator_view_in_one_query_equals_its_three_parts():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ilonet.indicators import selectors

    from .casedata import random_cases

    random_cases(40, seed=21)
    fold.fold(now=NOW)
    checked = 0
    for code, period, geo, citizen in (
        ("case_returns", "2024-Q2", "NL", "TOTAL"),
        ("case_voluntary_share", "2024-Q3", "EU27_2020", "MA"),
        ("case_readmission_answer_rate", "2023-Q4", "EL", "NG"),
    ):
        with CaptureQueriesContext(connection) as queries:
            view = selectors.view(indicator=code, period=period, geo=geo, citizen=citizen)
        assert len(queries) == 1
        assert view.figures == list(
            selectors.figures(indicator=code, period=period, geo=geo, citizen=citizen)
        )
        assert view.trend == selectors.trend(indicator=code, quarterly=True, geo=geo)
        assert view.comparison == selectors.comparison(indicator=code, period=period)
        checked += len(view.trend) + len(view.comparison)
    assert checked > 10
