"""Bulk import of return cases (issue 13, item 8): idempotent, one transaction per batch, a bad
row refused by its line without stopping the rest, a malformed file refused before anything is
written, suspected duplicate persons queued for review, one member state's import writing only
its own cases."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.personaldata import vault
from ilonet.returns import rls
from ilonet.returns.interchange import copying, persons, reading, selectors, services
from ilonet.returns.interchange import rows as rows_module
from ilonet.returns.models import (
    CaseEvent,
    DuplicateStatus,
    DuplicateSuspect,
    ImportRowError,
    ImportRun,
    NameDigest,
    ReturnCase,
)

from .interchange_data import case_row, cases, event_rows, write_csv, write_jsonl

# Every member state's rows readable (conftest: every_member_state); the key store is conftest's.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_member_state")]


@pytest.fixture
def officer(make_user):
    return make_user(Role.RETURN_OFFICER, organisation="nl")


def _import(officer, path, **kwargs):
    return services.import_file(actor=officer, path=path, member_state="NL", **kwargs)


def test_an_import_creates_cases_with_their_timelines_and_derived_state(officer, tmp_path):
    run = _import(officer, write_jsonl(tmp_path / "a.jsonl", cases(3)))
    assert (run.status, run.cases_created, run.events_created, run.rows_rejected) == ("completed", 3, 12, 0)
    case = ReturnCase.objects.get(reference="NL:C00001")
    assert list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("seq", "kind")) == [
        (1, "case_opened"),
        (2, "legal_stay_ended"),
        (3, "return_decision"),
        (4, "voluntary_departure"),
        (5, "case_closed"),
    ]
    assert (case.status, case.last_seq, str(case.closed_on), case.outcome) == (
        "closed",
        5,
        "2025-02-11",
        "returned_voluntarily",
    )


def test_the_identity_is_sealed_per_person_and_found_by_the_blind_index(officer, tmp_path):
    _import(officer, write_jsonl(tmp_path / "a.jsonl", [case_row("X1", family="Zarqaoui")]))
    case = ReturnCase.objects.get(reference="NL:X1")
    assert "Zarqaoui" not in case.identity_sealed
    identity = persons.open_identity(case.person_ref, case.identity_sealed)
    assert (identity["names"][0]["family"], identity["birth_date"], identity["nationalities"]) == (
        "Zarqaoui",
        "1990-04-12",
        ["MA"],
    )
    assert NameDigest.objects.filter(case=case, digest=vault.name_digest("Zarqaoui")).exists()


def test_reimporting_a_file_changes_nothing(officer, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", cases(4))
    _import(officer, path)
    counts = (
        ReturnCase.objects.count(),
        CaseEvent.objects.count(),
        NameDigest.objects.count(),
        vault.key_count(),
    )
    again = _import(officer, path)
    assert again.pk != ImportRun.objects.order_by("pk").first().pk
    assert (again.cases_created, again.events_created, again.rows_unchanged, again.rows_rejected) == (
        0,
        0,
        20,
        0,
    )
    assert counts == (
        ReturnCase.objects.count(),
        CaseEvent.objects.count(),
        NameDigest.objects.count(),
        vault.key_count(),
    )


def test_a_csv_file_imports_like_json_lines(officer, tmp_path):
    run = _import(officer, write_csv(tmp_path / "a.csv", cases(2)))
    assert (run.file_format, run.cases_created, run.events_created, run.rows_rejected) == ("csv", 2, 8, 0)


def test_one_bad_row_among_many_is_refused_with_its_line_and_the_rest_imported(officer, tmp_path):
    rows = cases(30)
    rows[64] = {**rows[64], "occurred_on": "2025-13-40"}  # line 65: the closure of case 13
    run = _import(officer, write_jsonl(tmp_path / "a.jsonl", rows), batch_size=7)
    errors = [(e.line, e.reason) for e in ImportRowError.objects.filter(run=run)]
    assert errors == [(65, "occurred_on: not a date as YYYY-MM-DD ('2025-13-40')")]
    assert (run.cases_created, run.events_created, run.rows_rejected) == (30, 119, 1)


def test_an_event_out_of_order_or_breaking_the_machine_is_refused_by_its_rule(officer, tmp_path):
    ext = "R1"
    answer = {
        "record": "event",
        "external_id": "R1-A",
        "case_external_id": ext,
        "kind": "readmission_answered",
        "occurred_on": "2025-01-12",
        "fields": {"answer": "accepted"},
    }
    early = {**event_rows(ext)[0], "external_id": "R1-early", "occurred_on": "2024-01-01"}
    rows = [case_row(ext), event_rows(ext)[0], answer, early]
    run = _import(officer, write_jsonl(tmp_path / "a.jsonl", rows))
    reasons = {e.line: e.reason for e in ImportRowError.objects.filter(run=run)}
    assert "answer_needs_request" in reasons[3]
    assert "before the case's last event" in reasons[4]
    assert run.events_created == 1


def test_a_malformed_file_is_refused_before_anything_is_written(officer, tmp_path):
    binary = tmp_path / "a.csv"
    binary.write_text("name;first\nx;y\n", encoding="utf-8")
    with pytest.raises(reading.MalformedFile, match="line 1"):
        _import(officer, binary)
    empty = tmp_path / "b.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(reading.MalformedFile):
        _import(officer, empty)
    assert not ImportRun.objects.exists() and not ReturnCase.objects.exists()


def test_unreadable_lines_are_refused_by_line(officer, tmp_path):
    rows = [*cases(1), "{not json", '["a list"]', {"record": "case", "external_id": "Z", "colour": "red"}]
    run = _import(officer, write_jsonl(tmp_path / "a.jsonl", rows))
    reasons = {e.line: e.reason for e in ImportRowError.objects.filter(run=run)}
    assert set(reasons) == {6, 7, 8}
    assert "not valid JSON" in reasons[6] and "one JSON object" in reasons[7] and "colour" in reasons[8]


def test_a_duplicate_row_is_refused_with_the_line_of_the_first(officer, tmp_path):
    rows = cases(3)
    rows.append(rows[0])  # the first case again, line 16, in another batch
    rows.append(rows[1])  # its first event again, line 17
    run = _import(officer, write_jsonl(tmp_path / "a.jsonl", rows), batch_size=5)
    reasons = {e.line: e.reason for e in ImportRowError.objects.filter(run=run)}
    assert reasons == {
        16: "duplicate row: external id C00001 already imported from line 1",
        17: "duplicate row: external id C00001-E1 already imported from line 2",
    }
    assert ReturnCase.objects.count() == 3


def test_an_external_id_is_one_member_states_once_for_cases_and_events_together(officer, make_user, tmp_path):
    """A case's id is on its opening event, so one unique index on the events holds cases' and
    events' ids together, per member state: a row of the other kind with a held id is refused,
    and the database refuses a second row with it; another member state may use it."""
    _import(officer, write_jsonl(tmp_path / "a.jsonl", cases(1)))
    rows = [case_row("C00001-E1"), {**event_rows("C00001")[0], "external_id": "C00001"}]
    run = _import(officer, write_jsonl(tmp_path / "b.jsonl", rows))
    reasons = {e.line: e.reason for e in ImportRowError.objects.filter(run=run)}
    assert reasons == {
        1: "external id C00001-E1 is already used by an event",
        2: "external id C00001 is already used by a case",
    }
    assert (ReturnCase.objects.count(), CaseEvent.objects.count()) == (1, 5)
    case = ReturnCase.objects.get()
    assert CaseEvent.objects.get(case=case, seq=1).external_id == "C00001"  # the case's, on its opening
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.create(
            case=case,
            member_state="NL",
            seq=6,
            kind="case_closed",
            occurred_on=date(2025, 3, 1),
            external_id="C00001",
        )
    belgian = make_user(Role.RETURN_OFFICER, organisation="be")
    other = services.import_file(
        actor=belgian, path=write_jsonl(tmp_path / "be.jsonl", cases(1, state="BE")), member_state="BE"
    )
    assert (other.cases_created, other.events_created, other.rows_rejected) == (1, 4, 0)


def test_each_batch_is_one_audit_event(officer, tmp_path):
    before = AuditEvent.objects.count()
    run = _import(officer, write_jsonl(tmp_path / "a.jsonl", cases(10)), batch_size=20)
    assert run.batches == 3
    events = AuditEvent.objects.filter(action="returns.import_batch_committed").order_by("seq")
    assert [e.details["last_line"] for e in events] == [20, 40, 50]
    assert AuditEvent.objects.count() == before + 1 + 3  # the start and one per batch


def test_suspected_duplicate_persons_wait_for_review_and_the_import_goes_on(officer, make_user, tmp_path):
    first = [case_row("D1", family="Benali", born="1985-03-02")]
    later = [
        case_row("D2", family="BENALI", born="1985-03-02"),
        case_row("D3", family="Benali", born="1985-03-03"),
        case_row("D4", family="Bénali", born="1985-03-02"),
    ]
    _import(officer, write_jsonl(tmp_path / "a.jsonl", first))
    run = _import(officer, write_jsonl(tmp_path / "b.jsonl", later))
    assert (run.cases_created, run.duplicates_suspected) == (3, 2)
    queue = list(selectors.duplicate_queue(actor=officer))
    d1 = ReturnCase.objects.get(reference="NL:D1")
    assert {(s.case.reference, s.match_id) for s in queue} == {("NL:D2", d1.pk), ("NL:D4", d1.pk)}

    merged = services.merge_duplicate(actor=officer, suspect=queue[0], reason="same passport")
    separated = services.separate_duplicate(actor=officer, suspect=queue[1], reason="different parents")
    assert (merged.status, separated.status) == (DuplicateStatus.MERGED, DuplicateStatus.SEPARATED)
    assert selectors.same_person_cases(actor=officer, case_id=d1.pk) == [queue[0].case_id]
    assert not selectors.duplicate_queue(actor=officer)
    assert AuditEvent.objects.filter(action="returns.duplicate_merged").count() == 1
    with pytest.raises(ValidationError):
        services.separate_duplicate(actor=officer, suspect=merged)
    belgian = make_user(Role.RETURN_OFFICER, organisation="be")
    with pytest.raises(PermissionDenied):
        services.merge_duplicate(actor=belgian, suspect=DuplicateSuspect.objects.first())


def test_an_import_for_one_member_state_cannot_write_another_states_cases(officer, make_user, tmp_path):
    belgian = make_user(Role.RETURN_OFFICER, organisation="be")
    services.import_file(
        actor=belgian,
        path=write_jsonl(tmp_path / "be.jsonl", cases(1, state="BE", prefix="B")),
        member_state="BE",
    )
    be_case = ReturnCase.objects.get(member_state="BE")
    rows = [
        case_row("N1", state="BE"),
        {**event_rows("B00001")[0], "external_id": "N-E1"},
        *cases(1),
        case_row("N2", third_country="FR"),
    ]
    run = _import(officer, write_jsonl(tmp_path / "nl.jsonl", rows))
    reasons = {e.line: e.reason for e in ImportRowError.objects.filter(run=run)}
    assert reasons == {
        1: "member_state: BE in an import for NL",
        2: "case_external_id: no case B00001 of NL",
        8: "third_country: France is an EU member state.",
    }
    assert CaseEvent.objects.filter(case=be_case).count() == 5
    assert set(ReturnCase.objects.values_list("member_state", flat=True)) == {"BE", "NL"}
    assert not CaseEvent.objects.filter(member_state="NL", case=be_case).exists()
    with pytest.raises(PermissionDenied):
        services.import_file(actor=officer, path=tmp_path / "be.jsonl", member_state="BE")
    assert (
        selectors.import_progress(actor=officer, run_id=ImportRun.objects.get(member_state="BE").pk) is None
    )


def test_two_walls_keep_another_states_row_out_of_an_import(officer, tmp_path):
    """The first wall: the row is refused when read. The second (PostgreSQL): even a bug that let
    a Belgian row through would be refused by the row-level security while the import writes in
    the Dutch scope."""
    with pytest.raises(rows_module.RowProblem, match="BE in an import for NL"):
        rows_module.parse(case_row("X", state="BE"), member_state="NL", today=date(2026, 1, 1))
    if connection.vendor != "postgresql":
        return
    columns, rows, constants = copying.table_rows(
        ReturnCase,
        [
            {
                "id": copying.reserve_ids(ReturnCase, 1)[0],
                "reference": "BE:X",
                "member_state": "BE",
                "case_type": "enforced",
                "third_country": "MA",
                "person_ref": "rcx",
                "state": "pre_return",
                "stage": "pre_return",
                "status": "open",
                "opened_on": date(2025, 1, 1),
                "created_at": timezone.now(),
                "updated_at": timezone.now(),
            }
        ],
    )
    with pytest.raises(DatabaseError, match="row-level security"), rls.member_state_scope(["NL"]):
        copying.write_rows(ReturnCase, columns, rows, constants=constants)


def test_the_progress_record_shows_counts_and_share_done(officer, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", cases(4))
    run = _import(officer, path, total_lines=20)
    progress = selectors.import_progress(actor=officer, run_id=run.pk)
    assert progress["share_done"] == 1.0 and progress["lines_done"] == 20 and progress["cases_created"] == 4


def test_a_fresh_files_event_ids_are_not_looked_up_one_by_one(officer, tmp_path, monkeypatch):
    """The ids looked up for a batch: its cases', the cases and corrections its events name, and
    the events of cases held before; not the events of the batch's new cases (the events' unique
    index refuses one already held, below)."""
    from ilonet.returns.interchange.batch import Batch

    looked_up: list[set[str]] = []
    original = Batch._known
    monkeypatch.setattr(
        Batch, "_known", lambda self, wanted: looked_up.append(set(wanted)) or original(self, wanted)
    )
    _import(officer, write_jsonl(tmp_path / "a.jsonl", cases(2)))
    assert looked_up == [{"C00001", "C00002"}]
    looked_up.clear()
    more = [{**event, "external_id": f"{event['external_id']}-again"} for event in event_rows("C00001")[3:]]
    run = _import(officer, write_jsonl(tmp_path / "b.jsonl", cases(2) + more))
    assert looked_up == [
        {"C00001", "C00002"},
        {f"C0000{n}-E{i}" for n in (1, 2) for i in range(1, 5)} | {"C00001-E4-again"},
    ]
    assert (run.rows_unchanged, run.events_created, run.rows_rejected) == (10, 0, 1)


def test_an_event_id_held_elsewhere_in_a_new_case_refuses_that_row_and_keeps_the_batch(
    officer, tmp_path, monkeypatch
):
    """Not looked up first, the held id makes the events' unique index refuse the batch's write;
    the batch is written again with every id looked up: that row is refused with its line and
    reason, the rest of the batch is written once, nothing twice."""
    from ilonet.returns.interchange.batch import Batch

    _import(officer, write_jsonl(tmp_path / "a.jsonl", cases(1)))
    writes: list[bool] = []
    original = Batch.write
    monkeypatch.setattr(
        Batch,
        "write",
        lambda self, probe_every_event=False: (
            writes.append(probe_every_event) or original(self, probe_every_event=probe_every_event)
        ),
    )
    events = event_rows("C00002")
    rows = [case_row("C00002"), *events[:2], {**events[2], "external_id": "C00001"}, *cases(1, prefix="D")]
    run = _import(officer, write_jsonl(tmp_path / "b.jsonl", rows))
    assert writes == [False, True]
    reasons = {e.line: e.reason for e in ImportRowError.objects.filter(run=run)}
    assert reasons == {4: "external id C00001 is already used by a case"}
    case = ReturnCase.objects.get(reference="NL:C00002")
    assert list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("kind", flat=True)) == [
        "case_opened",
        "legal_stay_ended",
        "return_decision",
    ]
    assert (run.cases_created, run.events_created, run.rows_rejected) == (2, 6, 1)
    assert ReturnCase.objects.count() == 3
    assert vault.key_exists(case.person_ref)


def test_a_batch_runs_on_to_the_end_of_its_last_case(officer, tmp_path, monkeypatch):
    """A batch of 7 lines ends where the next case begins (a case and its events are five lines
    here): the second case's events are written with it, and no batch reads a timeline back."""
    from ilonet.returns.interchange import derive

    read_back: list[set[int]] = []
    original = derive.load_timelines
    monkeypatch.setattr(derive, "load_timelines", lambda ids: read_back.append(set(ids)) or original(ids))
    run = _import(officer, write_jsonl(tmp_path / "a.jsonl", cases(3)), batch_size=7)
    events = AuditEvent.objects.filter(action="returns.import_batch_committed").order_by("seq")
    assert [(e.details["first_line"], e.details["last_line"]) for e in events] == [(1, 10), (11, 15)]
    assert (run.cases_created, run.events_created, run.rows_rejected) == (3, 12, 0)
    assert not any(read_back)
