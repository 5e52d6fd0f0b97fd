"""Exports of one member state's return cases (issue 13, items 7 and 8): streamed, in the
import's own format (an export imports again elsewhere, unchanged), in the shapes of SIS return
alerts, RCMS readmission requests, RIAT reintegration cases and EES overstay records; never
another member state's cases; the worklist of an imported case is the core's."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.returns import derive as core_derive
from ilonet.returns.interchange import derive, exports, references, services
from ilonet.returns.models import CaseEvent, ReturnCase, WorklistEntry

from .interchange_data import case_row, cases, event_rows, write_jsonl

# Every member state's rows readable (conftest: every_member_state); the key store is conftest's.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_member_state")]

YEAR = {"opened_from": date(2025, 1, 1), "opened_to": date(2025, 12, 31)}


@pytest.fixture
def officer(make_user):
    return make_user(Role.RETURN_OFFICER, organisation="nl")


def _readmission_case(ext: str) -> list[dict]:
    steps = [
        ("legal_stay_ended", "2025-03-01", {"reason": "permit_expired"}),
        ("return_decision", "2025-03-05", {"voluntary_departure_days": 0, "decision_reference": "RD-9"}),
        ("sis_alert_entered", "2025-03-06", {"sis_reference": "SIS-77"}),
        ("readmission_requested", "2025-03-10", {"channel": "rcms", "rcms_reference": "RCMS-123"}),
        ("readmission_answered", "2025-04-09", {"answer": "accepted"}),
    ]
    return [case_row(ext, opened_on="2025-03-01", case_type="enforced")] + [
        {
            "record": "event",
            "external_id": f"{ext}-E{i}",
            "case_external_id": ext,
            "kind": kind,
            "occurred_on": day,
            "fields": fields,
        }
        for i, (kind, day, fields) in enumerate(steps, start=1)
    ]


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_an_export_imports_again_unchanged_in_another_installation(officer, tmp_path):
    rows = cases(3) + _readmission_case("R1")
    services.import_file(actor=officer, path=write_jsonl(tmp_path / "a.jsonl", rows), member_state="NL")
    text = "".join(exports.export_for_operator(member_state="NL", fmt="jsonl", **YEAR))
    exported = [json.loads(line) for line in text.splitlines()]
    assert [r["external_id"] for r in exported] == [r["external_id"] for r in rows]
    assert [r.get("fields") for r in exported] == [r.get("fields") for r in rows]
    assert all("family_name" not in r for r in exported)  # no identity without asking for it


def test_a_csv_export_streams_with_its_header_and_is_audited(officer, tmp_path):
    services.import_file(actor=officer, path=write_jsonl(tmp_path / "a.jsonl", cases(2)), member_state="NL")
    response = exports.export_response(actor=officer, member_state="NL", fmt="csv", **YEAR)
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(_body(response))))
    assert [(r["record"], r["external_id"], r["kind"]) for r in table[:3]] == [
        ("case", "C00001", ""),
        ("event", "C00001-E1", "legal_stay_ended"),
        ("event", "C00001-E2", "return_decision"),
    ]
    assert len(table) == 10
    assert AuditEvent.objects.filter(action="returns.cases_exported", actor_id=officer.pk).count() == 1


def test_an_officer_exports_only_their_own_member_state(officer, make_user, tmp_path):
    belgian = make_user(Role.RETURN_OFFICER, organisation="be")
    services.import_file(actor=officer, path=write_jsonl(tmp_path / "a.jsonl", cases(2)), member_state="NL")
    services.import_file(
        actor=belgian,
        path=write_jsonl(tmp_path / "b.jsonl", cases(1, state="BE", prefix="B")),
        member_state="BE",
    )
    with pytest.raises(PermissionDenied):
        exports.export_response(actor=belgian, member_state="NL", **YEAR)
    body = _body(exports.export_response(actor=belgian, member_state="BE", fmt="jsonl", **YEAR))
    assert {json.loads(line)["external_id"][:1] for line in body.splitlines()} == {"B"}


def test_the_reference_shapes_carry_the_fields_of_sis_rcms_riat_and_ees(officer, tmp_path):
    services.import_file(
        actor=officer, path=write_jsonl(tmp_path / "a.jsonl", _readmission_case("R1")), member_state="NL"
    )

    def rows(shape: str) -> list[dict]:
        return list(
            csv.DictReader(
                io.StringIO("".join(references.export_lines(shape=shape, member_state="NL", **YEAR)))
            )
        )

    sis = rows("sis_return_alert")
    assert sis == [
        {
            "sis_reference": "SIS-77",
            "alert_category": "return",
            "issuing_member_state": "NL",
            "national_case_reference": "R1",
            "person_ref": ReturnCase.objects.get().person_ref,
            "decision_reference": "RD-9",
            "decision_date": "2025-03-05",
            "voluntary_departure_last_day": "",
            "decision_suspended": "false",
            "entry_ban_accompanies": "false",
            "country_of_return": "MA",
            "alert_entered_on": "2025-03-06",
            "alert_deleted_on": "",
        }
    ]
    rcms = rows("rcms_readmission_request")
    assert [(r["rcms_reference"], r["requested_state"], r["answer"], r["days_to_answer"]) for r in rcms] == [
        ("RCMS-123", "MA", "accepted", "30")
    ]
    assert [
        (r["authorised_stay_end"], r["overstay_reason"], r["entry_date"]) for r in rows("ees_overstay")
    ] == [("2025-03-01", "permit_expired", "")]
    assert rows("riat_reintegration_case") == []
    assert set(references.COLUMNS) == set(references.SHAPES)


def test_the_export_command_writes_a_file(officer, tmp_path):
    services.import_file(actor=officer, path=write_jsonl(tmp_path / "a.jsonl", cases(2)), member_state="NL")
    out = tmp_path / "out.jsonl"
    call_command(
        "returns_export",
        "--member-state",
        "NL",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--output",
        str(out),
        "--no-progress",
    )
    assert len(out.read_text().splitlines()) == 10


def test_an_imported_case_is_on_the_worklist_as_the_core_puts_it(officer, tmp_path):
    rows = [
        case_row("W1", case_type="own_means"),
        *event_rows("W1")[:2],
        case_row("W2"),
        {**event_rows("W2")[0], "occurred_on": "2025-01-10"},
    ]
    services.import_file(actor=officer, path=write_jsonl(tmp_path / "a.jsonl", rows), member_state="NL")
    for case in ReturnCase.objects.all():
        derived = core_derive.check(case, events=core_derive.timeline_of(case))
        expected = core_derive.worklist_since(case, derived)
        assert derive.worklist(derived) == expected
        assert dict(WorklistEntry.objects.filter(case=case).values_list("rule", "since")) == expected
    assert WorklistEntry.objects.filter(rule="departure_period_expired").count() == 1
    assert WorklistEntry.objects.filter(rule="no_return_decision").count() == 1


def test_events_for_a_case_imported_before_join_its_timeline(officer, tmp_path):
    first = [case_row("T1"), *event_rows("T1")[:2]]
    services.import_file(actor=officer, path=write_jsonl(tmp_path / "a.jsonl", first), member_state="NL")
    run = services.import_file(
        actor=officer, path=write_jsonl(tmp_path / "b.jsonl", event_rows("T1")[2:]), member_state="NL"
    )
    case = ReturnCase.objects.get()
    assert (run.events_created, case.last_seq, case.status, case.version) == (2, 5, "closed", 2)
    assert list(CaseEvent.objects.filter(case=case).values_list("seq", flat=True).order_by("seq")) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert not WorklistEntry.objects.filter(case=case).exists()


def _expected_records(state: str, first: date, last: date) -> list[dict]:
    """The export's records read back by the ORM, as the format says (docs/returns-interchange.md):
    each case opened in the period, by opening date and id, then its events but the opening, by
    number; ids as imported, else the case's reference (and the event's number)."""
    out: list[dict] = []
    period = ReturnCase.objects.filter(member_state=state, opened_on__range=(first, last))
    for case in period.order_by("opened_on", "pk"):
        events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
        ids = {e.seq: e.external_id or f"{case.reference}/{e.seq}" for e in events if e.kind != "case_opened"}
        opening = next((e for e in events if e.seq == 1 and e.kind == "case_opened"), None)
        case_id = (opening.external_id if opening else None) or case.reference
        out.append(
            {
                "record": "case",
                "external_id": case_id,
                "member_state": state,
                "case_type": case.case_type,
                "opened_on": case.opened_on.isoformat(),
                "third_country": case.third_country,
                "person_ref": case.person_ref,
            }
        )
        for event in events:
            if event.kind == "case_opened":
                continue
            record = {
                "record": "event",
                "external_id": ids[event.seq],
                "case_external_id": case_id,
                "kind": event.kind,
                "occurred_on": event.occurred_on.isoformat(),
                "fields": event.fields,
            }
            if event.supersedes_seq:
                record["supersedes"] = ids.get(
                    event.supersedes_seq, f"{case.reference}/{event.supersedes_seq}"
                )
            out.append(record)
    return out


def test_the_exported_records_are_the_cases_and_timelines_in_order(officer, open_case, tmp_path):
    """Whichever writes the lines (PostgreSQL's COPY, or Python on SQLite): every case of the
    period in order, each followed by its events; a correction names the event it supersedes;
    fields with quotes and non-ASCII letters come out as stored; a case made
    on the platform is named by its reference."""
    rows = _readmission_case("R1") + cases(2)
    rows[2] = {**rows[2], "fields": {**rows[2]["fields"], "decision_reference": 'RD "9" Zürich'}}
    rows.append(
        {
            "record": "event",
            "external_id": "R1-E5b",
            "case_external_id": "R1",
            "kind": "readmission_answered",
            "occurred_on": "2025-04-10",
            "fields": {"answer": "accepted"},
            "supersedes": "R1-E5",
        }
    )
    run = services.import_file(actor=officer, path=write_jsonl(tmp_path / "a.jsonl", rows), member_state="NL")
    assert run.rows_rejected == 0, list(run.row_errors.values_list("line", "code", "params"))
    open_case()  # made on the platform, opened today
    period = {"opened_from": date(2025, 1, 1), "opened_to": timezone.localdate()}
    text = "".join(exports.export_for_operator(member_state="NL", fmt="jsonl", **period))
    records = [json.loads(line) for line in text.splitlines()]
    expected = _expected_records("NL", period["opened_from"], period["opened_to"])
    assert records == expected
    assert [r["record"] for r in records].count("case") == 4
    assert any(r.get("supersedes") == "R1-E5" for r in records)
    assert any("Zürich" in json.dumps(r, ensure_ascii=False) for r in records)
    table = list(
        csv.DictReader(
            io.StringIO("".join(exports.export_for_operator(member_state="NL", fmt="csv", **period)))
        )
    )
    assert [(r["record"], r["external_id"], r["case_external_id"]) for r in table] == [
        (r["record"], r["external_id"], r.get("case_external_id", "")) for r in expected
    ]
    assert [json.loads(r["fields"]) for r in table if r["record"] == "event"] == [
        r["fields"] for r in expected if r["record"] == "event"
    ]


def test_the_database_writes_the_export_without_compiling_it(officer, tmp_path):
    """PostgreSQL: the export's statement runs with JIT compilation off (measured at 1,000,000
    cases: compiling its per-line expressions cost a third of a large member state's year).
    SQLite has no such setting and writes the lines in Python."""
    services.import_file(actor=officer, path=write_jsonl(tmp_path / "a.jsonl", cases(2)), member_state="NL")
    with CaptureQueriesContext(connection) as captured:
        text = "".join(
            exports.export_for_operator(
                member_state="NL", opened_from=date(2000, 1, 1), opened_to=timezone.localdate()
            )
        )
    assert text.count('"record":"case"') == 2
    sent = [query["sql"] for query in captured.captured_queries]
    assert ("SET LOCAL jit = off" in sent) == (connection.vendor == "postgresql"), sent
