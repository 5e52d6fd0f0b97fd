"""The progress report for the high-level network (RS, closing paragraph): requested on the
page, built as a PDF by the background job, downloadable; a second run keeps the first PDF."""

import io

import pytest
from django.urls import reverse
from pdfminer.high_level import extract_text

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.indicators import demo
from ilonet.indicators.models import ProgressReport
from ilonet.jobs import testing as jobs
from ilonet.shared.uploads import get_storage

pytestmark = pytest.mark.django_db


def _pdf_text(report: ProgressReport) -> str:
    with get_storage().open(report.storage_key) as stored:
        data = stored.read()
    assert data.startswith(b"%PDF-")
    return " ".join(extract_text(io.BytesIO(data)).split())


def test_the_report_job_builds_a_pdf_with_the_indicators(make_user, login):
    demo.seed_indicators()
    client = login(make_user(Role.RETURN_COORDINATOR, organisation="com"))
    response = client.post(reverse("indicators:report_request"), {"year": 2025, "quarter": 3})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert not report.storage_key  # built in the background, not in the request
    assert jobs.run_queued_jobs() >= 1
    report.refresh_from_db()
    assert report.storage_key and report.finished_at
    text = _pdf_text(report)
    for name in (
        "Return rate",
        "Effective return rate (to third countries)",
        "Share of voluntary returns",
        "Member-state capabilities and Frontex coverage",
    ):
        assert name in text, name
    assert "2025-Q3" in text
    assert AuditEvent.objects.filter(action="indicators.report_built").count() == 1

    reader = login(make_user(Role.SECRETARIAT, organisation="com"))
    download = reader.get(reverse("indicators:report_download", args=[report.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_report_built_once_is_kept(make_user):
    from ilonet.indicators import report as report_module
    from ilonet.indicators import services

    coordinator = make_user(Role.RETURN_COORDINATOR, organisation="com")
    report = services.request_report(actor=coordinator, year=2024, quarter=4)
    jobs.run_queued_jobs()
    report.refresh_from_db()
    key = report.storage_key
    again = report_module.build(report.pk)
    assert again == {"report": report.pk, "key": key, "built": False}


def test_only_the_coordinator_requests_a_report(make_user, login):
    client = login(make_user(Role.SECRETARIAT, organisation="com"))
    assert client.post(reverse("indicators:report_request"), {"year": 2025, "quarter": 3}).status_code == 403
    assert ProgressReport.objects.count() == 0


def test_a_bad_report_request_is_refused_with_a_message(make_user, login):
    client = login(make_user(Role.RETURN_COORDINATOR, organisation="com"))
    response = client.post(reverse("indicators:report_request"), {"year": "x", "quarter": 9}, follow=True)
    assert response.status_code == 200 and "Give a year and a quarter." in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_a_report_not_built_yet_is_not_found(make_user, login):
    from ilonet.indicators import services

    coordinator = make_user(Role.RETURN_COORDINATOR, organisation="com")
    report = services.request_report(actor=coordinator, year=2024, quarter=4)
    response = login(coordinator).get(reverse("indicators:report_download", args=[report.pk]))
    assert response.status_code == 404


def test_the_report_has_the_case_data_indicators_with_definitions_flags_and_the_reconciliation(make_user):
    """The seven indicators and the measures beyond the return rate from case data, each with its
    definition; the submitted counts' flag; case data beside Eurostat's figures."""
    from datetime import date

    from ilonet.indicators import report as report_module
    from ilonet.indicators import services
    from ilonet.indicators.cases import fold
    from ilonet.indicators.cases.definitions import CASE_RULES
    from ilonet.indicators.definitions import INDICATORS
    from ilonet.indicators.models import IndicatorFigure, SubmittedCount

    from .casedata import case, decision, negative_asylum

    demo.seed_indicators()
    # Eurostat's demo figures have a year with quarters; case data in one of its quarters
    euro = IndicatorFigure.objects.filter(indicator="return_rate", source="eurostat", geo="NL").exclude(
        quarter=0
    )
    year, quarter = euro.order_by("-year", "-quarter").values_list("year", "quarter").first()
    day = date(year, 3 * quarter - 1, 10)
    case([negative_asylum(day), decision(day, 30), ("voluntary_departure", day)], ms="NL")
    fold.rebuild()
    # the demo's Sweden submitted its counts for the last four quarters: flagged s
    assert SubmittedCount.objects.filter(geo="SE", year=year, quarter=quarter).exists()
    coordinator = make_user(Role.RETURN_COORDINATOR, organisation="com")
    report = services.request_report(actor=coordinator, year=year, quarter=quarter)
    report_module.build(report.pk)
    report.refresh_from_db()
    text = _pdf_text(report)
    assert f"The strategy's seven indicators, {year}-Q{quarter}" in text
    assert "More than the return rate: measures from case data" in text
    for ind, _num, _den in CASE_RULES.values():
        assert str(ind.label) in text, ind.code
        assert " ".join(str(ind.definition).split())[:60] in text, ind.code
    for code in ("ms_case_management_it", "ms_return_counselling", "ms_frontex_services", "tc_jrs_covered"):
        assert str(INDICATORS[code].label) in text, code
    assert "Flags: s counts submitted by the member state" in text
    assert IndicatorFigure.objects.filter(geo="SE", period=f"{year}-Q{quarter}", flags="s").exists()
    assert "Case data and Eurostat side by side" in text
    assert "Return decisions / ordered to leave" in text  # a reconciliation line for NL
    assert "Eurostat counts a person once per period" in text
