"""The pages and API of the imports (their progress and refused rows) and of the review queue of
suspected duplicate persons (RS 2(c)): a member state's return officers only, another state's
runs and suspects invisible (404), lists paged, a refused row's reason a stable code rendered in
the reader's language, a duplicate decided from the page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.returns.interchange import refusals, services
from ilonet.returns.models import DuplicateStatus, DuplicateSuspect, ImportRowError, ImportRun

from .conftest import client_for
from .interchange_data import case_row, cases, write_jsonl

# Every member state's rows readable (conftest: every_member_state); the key store is conftest's.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_member_state")]
API = "/api/v1/returns"


@pytest.fixture
def run(officer, tmp_path):
    rows = [*cases(2), case_row("BAD1", third_country="FR"), case_row("BAD2", opened_on="2025-13-01")]
    return services.import_file(
        actor=officer, path=write_jsonl(tmp_path / "a.jsonl", rows), member_state="NL", total_lines=12
    )


@pytest.fixture
def suspect(officer, tmp_path):
    services.import_file(
        actor=officer,
        path=write_jsonl(tmp_path / "d1.jsonl", [case_row("D1", family="Benali", born="1985-03-02")]),
        member_state="NL",
    )
    services.import_file(
        actor=officer,
        path=write_jsonl(tmp_path / "d2.jsonl", [case_row("D2", family="BENALI", born="1985-03-02")]),
        member_state="NL",
    )
    return DuplicateSuspect.objects.get()


def test_a_refused_rows_reason_is_a_code_with_parameters_rendered_in_the_readers_language(run):
    errors = {e.line: e for e in ImportRowError.objects.filter(run=run)}
    assert (errors[11].code, errors[11].params) == (
        "not_third_country",
        {"field": "third_country", "code": "FR"},
    )
    assert errors[12].code == "not_a_date" and errors[12].params["field"] == "opened_on"
    assert errors[11].reason == "third_country: France is an EU member state."
    with translation.override("nl"):
        dutch = errors[11].reason
    assert dutch.startswith("third_country: ") and "EU" in dutch and dutch != errors[11].reason


def test_every_refusal_code_renders_in_english_and_dutch():
    samples = dict(
        field="opened_on",
        limit=10,
        value="'x'",
        date="2025-01-01",
        code="MA",
        state="BE",
        import_state="NL",
        allowed="a, b",
        kind="'x'",
        detail={"en": "E", "nl": "N"},
        names="a",
        cells=3,
        width=4,
        external_id="X",
        line=2,
        case="C",
        member_state="NL",
        supersedes="S",
        last="2025-01-02",
        rule="closed_case",
    )
    for code in refusals.MESSAGES:
        english = refusals.render(code, samples, language="en")
        dutch = refusals.render(code, samples, language="nl")
        assert english and "%(" not in english and "refused (reason" not in english, code
        assert dutch != english or code in {"bad_record"}, f"{code}: no Dutch translation"


def test_the_core_rules_words_are_kept_in_each_language(officer, tmp_path):
    answer = {
        "record": "event",
        "external_id": "R1-A",
        "case_external_id": "R1",
        "kind": "readmission_answered",
        "occurred_on": "2025-01-12",
        "fields": {"answer": "accepted"},
    }
    run = services.import_file(
        actor=officer, path=write_jsonl(tmp_path / "r.jsonl", [case_row("R1"), answer]), member_state="NL"
    )
    error = ImportRowError.objects.get(run=run)
    assert error.code == "rule_refused" and error.params["rule"] == "answer_needs_request"
    assert set(error.params["detail"]) == {"en", "nl"}
    assert error.params["detail"]["en"] != error.params["detail"]["nl"]
    with translation.override("nl"):
        assert error.params["detail"]["nl"] in error.reason and error.reason.startswith(
            "geweigerd door regel"
        )


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["returns:import_list", "returns:duplicate_queue"])
def test_the_lists_are_for_return_officers_only(make_user, officer, name):
    assert client_for(officer).get(reverse(name)).status_code == 200
    for role in (Role.RETURN_COORDINATOR, Role.ILO):
        assert client_for(make_user(role)).get(reverse(name)).status_code == 403


def test_the_import_list_shows_the_states_own_runs_only(officer, belgian, run, tmp_path):
    services.import_file(
        actor=belgian,
        path=write_jsonl(tmp_path / "be.jsonl", cases(1, state="BE", prefix="B")),
        member_state="BE",
    )
    page = client_for(officer).get(reverse("returns:import_list"))
    assert [r.pk for r in page.context["runs"]] == [run.pk]
    be_run = ImportRun.objects.get(member_state="BE")
    assert client_for(officer).get(reverse("returns:import_detail", args=[be_run.pk])).status_code == 404
    assert client_for(officer).get(reverse("returns:import_progress", args=[be_run.pk])).status_code == 404
    assert client_for(officer).get(f"{API}/imports/{be_run.pk}").status_code == 404
    assert client_for(officer).get(f"{API}/imports/{be_run.pk}/errors").status_code == 404
    assert [r["id"] for r in client_for(officer).get(f"{API}/imports").json()["items"]] == [run.pk]


def test_the_import_list_is_paged(officer, tmp_path):
    for i in range(3):
        services.import_file(
            actor=officer,
            path=write_jsonl(tmp_path / f"{i}.jsonl", cases(1, prefix=f"P{i}")),
            member_state="NL",
        )
    from ilonet.returns.views import imports as views

    views.PAGE, old = 2, views.PAGE
    try:
        client = client_for(officer)
        first = client.get(reverse("returns:import_list"))
        assert len(first.context["runs"]) == 2 and first.context["page_obj"].has_next
        second = client.get(reverse("returns:import_list") + first.context["page_obj"].next_query)
        assert len(second.context["runs"]) == 1
    finally:
        views.PAGE = old
    assert client_for(officer).get(f"{API}/imports?page_size=2").json()["next"]


def test_the_import_page_shows_progress_and_the_refused_rows_in_the_readers_language(officer, run):
    page = client_for(officer).get(reverse("returns:import_detail", args=[run.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "France is an EU member state." in text and "not_third_country" in text
    assert 'hx-trigger="every' not in text  # a completed import is not polled
    dutch = client_for(officer, "nl").get(reverse("returns:import_detail", args=[run.pk])).content.decode()
    assert "France is an EU member state." not in dutch and "not_third_country" in dutch


def test_a_running_import_is_polled_and_its_panel_refreshes(officer, run):
    ImportRun.objects.filter(pk=run.pk).update(status="running", checkpoint_line=6)
    page = client_for(officer).get(reverse("returns:import_detail", args=[run.pk])).content.decode()
    assert (
        f'hx-get="{reverse("returns:import_progress", args=[run.pk])}"' in page
        and 'hx-trigger="every 2s"' in page
    )
    panel = client_for(officer).get(reverse("returns:import_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert panel.status_code == 200 and b"<html" not in panel.content and b'value="6"' in panel.content


def test_the_api_gives_the_progress_and_the_reasons_code_and_words(officer, run):
    progress = client_for(officer).get(f"{API}/imports/{run.pk}").json()
    seen = (progress["status"], progress["lines_done"], progress["share_done"], progress["rows_rejected"])
    assert seen == ("completed", 12, 1.0, 2)
    errors = client_for(officer, "nl").get(f"{API}/imports/{run.pk}/errors").json()["items"]
    assert [e["code"] for e in errors] == ["not_third_country", "not_a_date"]
    assert errors[0]["params"] == {"field": "third_country", "code": "FR"}
    assert errors[0]["reason"] != "third_country: France is an EU member state."


def test_an_officer_decides_a_duplicate_from_the_page(officer, suspect):
    client = client_for(officer)
    queue = client.get(reverse("returns:duplicate_queue"))
    assert [s.pk for s in queue.context["suspects"]] == [suspect.pk]
    assert "NL:D2" in queue.content.decode() and "NL:D1" in queue.content.decode()
    response = client.post(
        reverse("returns:decide_duplicate", args=[suspect.pk]),
        {"decision": "merge", "reason": "same passport"},
    )
    assert response.status_code == 302
    suspect.refresh_from_db()
    assert (suspect.status, suspect.reason, suspect.decided_by) == (
        DuplicateStatus.MERGED,
        "same passport",
        officer,
    )
    assert AuditEvent.objects.filter(action="returns.duplicate_merged").count() == 1
    assert client.get(reverse("returns:duplicate_queue")).context["suspects"] == []
    again = client.post(
        reverse("returns:decide_duplicate", args=[suspect.pk]), {"decision": "separate"}, follow=True
    )
    assert "already decided" in again.content.decode()
    suspect.refresh_from_db()
    assert suspect.status == DuplicateStatus.MERGED


def test_a_bad_decision_changes_nothing(officer, suspect):
    response = client_for(officer).post(
        reverse("returns:decide_duplicate", args=[suspect.pk]), {"decision": "x"}
    )
    assert response.status_code == 302
    suspect.refresh_from_db()
    assert suspect.status == DuplicateStatus.OPEN


def test_another_states_officer_neither_sees_nor_decides_a_duplicate(belgian, suspect):
    client = client_for(belgian)
    assert client.get(reverse("returns:duplicate_queue")).context["suspects"] == []
    assert (
        client.post(reverse("returns:decide_duplicate", args=[suspect.pk]), {"decision": "merge"}).status_code
        == 404
    )
    assert (
        client.post(f"{API}/duplicates/{suspect.pk}/merge", {}, content_type="application/json").status_code
        == 404
    )
    assert client.get(f"{API}/duplicates").json()["items"] == []
    suspect.refresh_from_db()
    assert suspect.status == DuplicateStatus.OPEN


def test_the_api_separates_a_duplicate(officer, suspect):
    client = client_for(officer)
    assert [s["id"] for s in client.get(f"{API}/duplicates").json()["items"]] == [suspect.pk]
    response = client.post(
        f"{API}/duplicates/{suspect.pk}/separate",
        {"reason": "different parents"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "separated"
    assert response.json()["case"] == "NL:D2" and response.json()["match"] == "NL:D1"
    again = client.post(f"{API}/duplicates/{suspect.pk}/merge", {}, content_type="application/json")
    assert again.status_code == 422
