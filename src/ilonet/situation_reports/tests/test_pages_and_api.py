"""The pages and the API: the same rules, the guard's refusal shown, the files produced."""

import io
import zipfile

import pytest
from django.urls import reverse

from ilonet.audit.models import AuditEvent
from ilonet.situation_reports.models import SituationReport

from .conftest import last_quarter

pytestmark = pytest.mark.django_db
EMAIL = "jan.jansen@example.nl"


def _form(**extra):
    start, end = last_quarter()
    data = {
        "subject": "officer",
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "summary": "Stable.",
        "b_text": "Departures rose.",
        "b_gender": "More women travel alone.",
    }
    data.update(extra)
    return data


def test_an_officer_writes_submits_and_the_secretariat_returns_through_the_pages(world, login):
    client = login(world["member"])
    response = client.post(reverse("situation_reports:report_create"), _form())
    report = SituationReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "situation_reports:report_detail", args=[report.pk]
    )
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Departures rose." in page.content.decode()
    assert client.post(reverse("situation_reports:report_submit", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    client = login(world["secretariat"])
    client.post(reverse("situation_reports:report_return", args=[report.pk]), {"reason": "Add routes."})
    report.refresh_from_db()
    assert report.status == "returned"


def test_the_form_shows_the_guards_report_and_stores_nothing(world, login):
    client = login(world["member"])
    response = client.post(reverse("situation_reports:report_create"), _form(d_text=f"Contact {EMAIL}."))
    body = response.content.decode()
    assert response.status_code == 422
    error = body[body.index('id="id_d_text_error"') :][:1500]
    assert "holds no personal data" in error and "e-mail address" in error
    assert EMAIL not in error  # masked; the author's own text stays in the field to be rewritten
    assert SituationReport.objects.count() == 0


def test_the_parliament_reader_is_refused_the_pages_with_the_reason(world, login, write):
    report = write(world["member"], submit=True)
    client = login(world["ep"])
    for url in (
        reverse("situation_reports:report_list"),
        reverse("situation_reports:report_detail", args=[report.pk]),
        reverse("situation_reports:overview"),
        reverse("situation_reports:coverage_map"),
    ):
        response = client.get(url)
        assert response.status_code == 403 and "Art. 9(4)" in response.content.decode(), url


def test_a_report_the_reader_may_not_open_is_not_found(world, login, write):
    report = write(world["member"], submit=True)
    response = login(world["outsider"]).get(reverse("situation_reports:report_detail", args=[report.pk]))
    assert response.status_code == 404


def test_the_overview_and_the_map_are_drawn_on_the_server(world, login, write):
    write(world["member"], submit=True)
    client = login(world["board"])
    overview = client.get(reverse("situation_reports:overview")).content.decode()
    assert '<svg class="ilonet-chart"' in overview and "Migration flows" in overview
    coverage = client.get(reverse("situation_reports:coverage_map")).content.decode()
    assert '<svg class="ilonet-map"' in coverage and 'data-country="MA"' in coverage
    assert "ilonet-map--sitrep-recent" in coverage
    assert (
        client.get(
            reverse("situation_reports:overview"), {"since": "2025-05-01", "until": "2025-01-01"}
        ).status_code
        == 200
    )


def test_the_evidence_page_pdf_and_zip_for_the_board_and_not_for_officers(world, login, write):
    write(world["member"], submit=True)
    client = login(world["board"])
    query = {"period_start": "2025-01-01", "period_end": "2026-12-31"}
    assert client.get(reverse("situation_reports:evidence"), query).status_code == 200
    pdf = client.get(reverse("situation_reports:evidence_pdf"), query)
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    archive = client.get(reverse("situation_reports:evidence_csv"), query)
    assert "figures.csv" in zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert AuditEvent.objects.filter(action="evidence_pack.exported").count() == 2
    assert login(world["member"]).get(reverse("situation_reports:evidence")).status_code == 403


def test_the_api_creates_refuses_personal_data_submits_and_returns(world, login):
    client = login(world["member"])
    start, end = last_quarter()
    payload = {
        "subject": "officer",
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "sections": {"c": {"text": f"Ask {EMAIL}."}},
    }
    refused = client.post("/api/v1/situation-reports", payload, content_type="application/json")
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert {e["field"] for e in errors} == {"c_text"} and EMAIL not in str(errors)
    payload["sections"] = {"c": {"text": "The sea route is used again.", "vulnerable_persons": "Minors."}}
    created = client.post("/api/v1/situation-reports", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    report_id = created.json()["id"]
    assert created.json()["sections"][0]["article"] == "Art. 3(4)(c)"
    submitted = client.post(f"/api/v1/situation-reports/{report_id}/submit")
    assert submitted.json()["status"] == "submitted"
    returned = login(world["desk"]).post(
        f"/api/v1/situation-reports/{report_id}/return",
        {"reason": "Add flows."},
        content_type="application/json",
    )
    assert returned.status_code == 200 and returned.json()["status"] == "returned"


def test_the_api_reads_scoped_and_refuses_the_parliament(world, login, write):
    write(world["member"], submit=True)
    assert login(world["outsider"]).get("/api/v1/situation-reports").json()["count"] == 0
    client = login(world["board"])
    assert client.get("/api/v1/situation-reports").json()["count"] == 1
    overview = client.get("/api/v1/situation-reports/overview").json()
    assert overview["reports"] == 1 and overview["rows"][-2]["by_topic"]["b"] == 1
    assert client.get("/api/v1/situation-reports/coverage").json()[0]["country"] == "MA"
    pack = client.get(
        "/api/v1/situation-reports/evidence", {"period_start": "2025-01-01", "period_end": "2026-12-31"}
    )
    assert pack.status_code == 200 and pack.json()["situation_reports"]["reports"] == 1
    assert (
        client.get(
            "/api/v1/situation-reports/evidence", {"period_start": "2026-01-01", "period_end": "2025-01-01"}
        ).status_code
        == 422
    )
    denied = login(world["ep"]).get("/api/v1/situation-reports")
    assert denied.status_code == 403 and "Art. 9(4)" in denied.json()["detail"]
