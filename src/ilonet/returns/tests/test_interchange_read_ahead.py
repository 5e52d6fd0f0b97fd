"""The import reads, checks and seals the next batch on a thread of its own while the batch
before is written (``importing.read_ahead``, ``batch.prepare``): the batches arrive in file order,
a failure of the reading reaches the import in its place (the batches before it stay written),
the thread ends with the import, and the thread's work asks nothing of the database."""

from __future__ import annotations

import gc
import sys
import threading
from datetime import date

import pytest

from ilonet.returns.interchange import batch, importing, reading, rows, services
from ilonet.returns.models import ImportRun, ImportStatus, ReturnCase

from .interchange_data import cases, write_csv, write_jsonl

# Every member state's rows readable (conftest: every_member_state); the key store is conftest's.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_member_state")]


def test_read_ahead_gives_every_item_in_order():
    assert list(importing.read_ahead(iter(range(50)))) == list(range(50))


def test_a_failure_of_the_reading_reaches_the_caller_after_the_items_before_it():
    def source():
        yield 1
        yield 2
        raise reading.MalformedFile("cut here")

    got = []
    with pytest.raises(reading.MalformedFile, match="cut here"):
        for item in importing.read_ahead(source()):
            got.append(item)
    assert got == [1, 2]


def test_the_reading_thread_ends_and_closes_its_source_when_the_caller_stops():
    closed = threading.Event()

    def source():
        try:
            yield from range(1000)
        finally:
            closed.set()

    ahead = importing.read_ahead(source())
    assert next(ahead) == 0
    ahead.close()
    assert closed.is_set()
    assert not [t for t in threading.enumerate() if t.name == "import-read-ahead"]


def test_preparing_a_batch_asks_nothing_of_the_database(tmp_path, django_assert_num_queries):
    path = write_jsonl(tmp_path / "a.jsonl", [*cases(3), cases(1)[0]])  # the first case again
    lines = list(reading.rows(path, columns=rows.COLUMNS))
    with django_assert_num_queries(0):
        prepared = batch.prepare(lines, member_state="NL", today=date(2026, 1, 1))
    assert (prepared.first_line, prepared.last_line) == (1, 16)
    assert [line for line, _row in prepared.parsed] == list(range(1, 16))
    assert [(line, code) for line, _ext, code, _params in prepared.refused] == [(16, "duplicate_in_file")]
    assert sorted(prepared.sealed) == [1, 6, 11]  # each case row's person, sealed


def test_a_file_unreadable_midway_keeps_the_batches_read_before(officer, tmp_path):
    # 40 cases of 5 lines after the header (about 21 kB: the text decoder reads 8 kB at a time,
    # so the bad bytes are met after several batches), then a line that is not UTF-8
    path = write_csv(tmp_path / "a.csv", cases(40))
    with path.open("ab") as out:
        out.write(b"case,\xff\xfe,broken\n")
    with pytest.raises(reading.MalformedFile, match="not UTF-8"):
        services.import_file(actor=officer, path=path, member_state="NL", batch_size=5)
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED and "not UTF-8" in run.failure
    # one case a batch (lines 2-6, 7-11, ...): the batches before the failure are written, whole
    assert run.checkpoint_line > 1 and (run.checkpoint_line - 1) % 5 == 0
    assert ReturnCase.objects.count() == run.batches == (run.checkpoint_line - 1) // 5 < 40
    assert not [t for t in threading.enumerate() if t.name == "import-read-ahead"]


def test_the_interpreter_settings_of_an_import_hold_during_it_and_are_put_back_after(officer, tmp_path):
    before = (gc.get_threshold(), sys.getswitchinterval())
    seen = []
    path = write_jsonl(tmp_path / "a.jsonl", cases(3))
    services.import_file(
        actor=officer,
        path=path,
        member_state="NL",
        batch_size=5,
        on_batch=lambda run: seen.append((gc.get_threshold()[0], sys.getswitchinterval())),
    )
    assert seen and all(
        threshold >= importing.GC_THRESHOLD and interval <= importing.SWITCH_INTERVAL
        for threshold, interval in seen
    )
    assert (gc.get_threshold(), sys.getswitchinterval()) == before
