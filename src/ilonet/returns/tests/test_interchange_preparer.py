"""The batches prepared in a process of their own (``importing.prepared_in_process``, chosen
by the setting ``RETURNS_IMPORT_PREPARER``) are the batches the reading thread prepares: the
same rows, refusals and replays, each person sealed under a key of its own (the random parts
differ, the digests do not), in file order; a failure reaches the import in its place, and the
process ends with the import. An import through it writes the rows an import through the thread
writes."""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest

from ilonet.personaldata import vault
from ilonet.returns import conf
from ilonet.returns.interchange import importing, persons, reading, services
from ilonet.returns.models import CaseEvent, ImportRun, ImportStatus, ReturnCase

from .interchange_data import case_row, cases, event_rows, write_csv, write_jsonl

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_member_state")]

TODAY = date(2026, 1, 1)


def _messy(state: str = "NL") -> list[dict | str]:
    """Cases with their events, a bad row, a line that is not JSON, a row repeated, an event for
    a case of a later line, and two persons with the same name and birth date."""
    rows: list[dict | str] = [*cases(4, state=state)]
    rows.append({**event_rows("C00002")[0], "external_id": "C00002-X", "occurred_on": "2031-01-01"})
    rows.append("{not json")
    rows.append(cases(1, state=state)[0])  # C00001 again
    rows.append({**event_rows("C00009")[0], "external_id": "C00009-EARLY"})
    rows += [case_row("C00009", state=state), *event_rows("C00009")]
    rows.append(case_row("C00010", state=state, family="Family C00001"))
    return rows


def _without_randomness(prepared):
    """A prepared batch with each sealed person's random parts (reference, sealed identity,
    wrapped key) left out."""
    sealed = {line: (person.digests, person.whole, person.born) for line, person in prepared.sealed.items()}
    return (
        prepared.first_line,
        prepared.last_line,
        prepared.parsed,
        prepared.refused,
        sealed,
        prepared.replayed,
    )


def _run(run_row: ImportRun, path, how) -> list:
    if how == "thread":
        return list(importing.read_ahead(importing._batches(path, run_row, TODAY)))  # noqa: SLF001
    return list(importing.prepared_in_process(path, run_row, TODAY))


def test_the_process_prepares_the_batches_the_thread_prepares(officer, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", _messy())
    run = ImportRun(member_state="NL", checkpoint_line=3, batch_size=7, file_format="jsonl")
    by_thread, by_process = _run(run, path, "thread"), _run(run, path, "process")
    assert len(by_process) == len(by_thread) > 3
    assert [_without_randomness(p) for p in by_process] == [_without_randomness(p) for p in by_thread]
    assert by_process[0].first_line == 4  # after the checkpoint
    # each person sealed under its own key, which opens it (the key wrapped for the key store)
    people = [person for prepared in by_process for person in prepared.sealed.values()]
    assert (
        len({person.person_ref for person in people})
        == len({person.wrapped for person in people})
        == len(people)
    )
    vault.store_wrapped([(person.person_ref, person.wrapped) for person in people])
    opened = [persons.open_identity(person.person_ref, person.sealed) for person in people]
    assert all(identity["names"][0]["given"] == "Youssef" for identity in opened)


def _written(state: str) -> tuple[list, list]:
    cases_ = sorted(
        ReturnCase.objects.filter(member_state=state).values_list(
            "reference",
            "case_type",
            "state",
            "stage",
            "status",
            "on_hold",
            "last_seq",
            "opened_on",
            "closed_on",
        )
    )
    events = sorted(
        CaseEvent.objects.filter(member_state=state).values_list(
            "external_id",
            "case__reference",
            "seq",
            "kind",
            "occurred_on",
            "fields",
            "supersedes_seq",
            "import_line",
        )
    )
    strip = len(state) + 1  # the reference's "NL:" or "BE:"
    return (
        [(ref[strip:], *rest) for ref, *rest in cases_],
        [(ext, ref[strip:], *rest) for ext, ref, *rest in events],
    )


def test_an_import_through_the_process_writes_the_rows_an_import_through_the_thread_writes(
    officer, tmp_path, settings
):
    runs = {}
    for state, how in (("NL", "thread"), ("BE", "process")):
        settings.RETURNS_IMPORT_PREPARER = how
        path = write_jsonl(tmp_path / f"{state}.jsonl", _messy(state))
        runs[state] = services.import_file_as_system(path=path, member_state=state, batch_size=6)
    counts = [
        (r.status, r.cases_created, r.events_created, r.rows_rejected, r.duplicates_suspected, r.batches)
        for r in runs.values()
    ]
    assert counts[0] == counts[1] and counts[0][0] == ImportStatus.COMPLETED and counts[0][3] >= 3
    assert _written("NL") == _written("BE")
    assert [(e.line, e.code) for e in runs["NL"].row_errors.order_by("line")] == [
        (e.line, e.code) for e in runs["BE"].row_errors.order_by("line")
    ]
    assert not multiprocessing.active_children()


def test_a_failure_in_the_preparing_process_reaches_the_import_after_the_batches_before_it(
    officer, tmp_path, settings
):
    settings.RETURNS_IMPORT_PREPARER = "process"
    path = write_csv(tmp_path / "a.csv", cases(40))
    with path.open("ab") as out:
        out.write(b"case,\xff\xfe,broken\n")
    with pytest.raises(reading.MalformedFile, match="not UTF-8"):
        services.import_file(actor=officer, path=path, member_state="NL", batch_size=5)
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED and "not UTF-8" in run.failure
    assert run.checkpoint_line > 1 and (run.checkpoint_line - 1) % 5 == 0
    assert ReturnCase.objects.count() == run.batches == (run.checkpoint_line - 1) // 5 < 40
    assert not multiprocessing.active_children()


def test_the_preparing_process_ends_when_the_import_stops_reading(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", cases(200))
    run = ImportRun(member_state="NL", checkpoint_line=0, batch_size=5, file_format="jsonl")
    batches = importing.prepared_in_process(path, run, TODAY)
    assert next(batches).first_line == 1
    assert multiprocessing.active_children()
    batches.close()
    assert not multiprocessing.active_children()


def test_the_preparer_setting_is_a_thread_or_a_process(settings):
    assert conf.import_preparer() == "thread"  # the default
    settings.RETURNS_IMPORT_PREPARER = "processes"
    with pytest.raises(ValueError, match="RETURNS_IMPORT_PREPARER"):
        conf.import_preparer()
