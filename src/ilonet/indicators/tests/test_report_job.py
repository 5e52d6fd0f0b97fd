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
