"""An import killed midway (a real ``manage.py returns_import`` process, SIGKILL) resumes after
its last committed batch when started again: every row once, nothing twice, the run completed,
every person's key in the key store."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from ilonet.audit.models import AuditEvent
from ilonet.personaldata import vault
from ilonet.returns import rls
from ilonet.returns.models import CaseEvent, ImportRun, ImportStatus, NameDigest, ReturnCase

from .interchange_data import cases, start_import, write_jsonl

pytestmark = pytest.mark.django_db(transaction=True)

CASES = 1500  # 7,500 lines in batches of 100
TIME_LIMIT = 240  # seconds, for a very busy machine


def _processes_naming(path) -> list[int]:
    """The processes whose command line names ``path`` (the import, and a preparer it forked)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(path).encode() in (entry / "cmdline").read_bytes():
                    out.append(int(entry.name))
            except OSError:
                continue
    return out


def _peek(read):
    """A short look under the system scope (import runs are under row-level security)."""
    with rls.system_scope():
        return read()


@pytest.mark.parametrize("preparer", ["thread", "process"])  # RETURNS_IMPORT_PREPARER
def test_an_import_killed_midway_resumes_without_duplicates_and_completes(settings, tmp_path, preparer):
    keys = tmp_path / "keys"
    settings.PERSONAL_DATA_KEY_DIR = keys
    path = write_jsonl(tmp_path / "big.jsonl", cases(CASES))
    log = tmp_path / "import.log"
    process = start_import(path, keys, log, preparer=preparer)
    started = time.monotonic()
    try:
        while not _peek(ImportRun.objects.filter(checkpoint_line__gte=1000).exists):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() - started < TIME_LIMIT, log.read_text()
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    # nothing of the killed import lives on (a preparer process ends by its broken pipe)
    deadline = time.monotonic() + 30
    while _processes_naming(path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _processes_naming(path)
    run = _peek(ImportRun.objects.get)
    assert run.status == ImportStatus.RUNNING and 1000 <= run.checkpoint_line < CASES * 5, (
        "the kill landed too late"
    )
    with rls.system_scope():  # a short transaction: on SQLite it holds the write lock
        assert ReturnCase.objects.count() == run.checkpoint_line // 5  # what committed is whole

    again = start_import(path, keys, log, preparer=preparer)
    assert again.wait(timeout=TIME_LIMIT) == 0, log.read_text()
    run = _peek(ImportRun.objects.get)
    assert _peek(ImportRun.objects.count) == 1  # the same run, resumed
    assert (run.status, run.checkpoint_line, run.rows_rejected) == (ImportStatus.COMPLETED, CASES * 5, 0)
    assert (run.cases_created, run.events_created) == (CASES, CASES * 4)
    with rls.system_scope():
        assert ReturnCase.objects.count() == CASES
        assert CaseEvent.objects.count() == CASES * 5  # the opening and four events each
        assert NameDigest.objects.values("case_id").distinct().count() == CASES
        refs = list(ReturnCase.objects.values_list("person_ref", flat=True))
    held = CaseEvent.objects.filter(external_id__isnull=False)  # every line's id, on its event
    assert _peek(held.count) == CASES * 5
    assert _peek(held.values("external_id").distinct().count) == CASES * 5
    assert all(vault.key_exists(ref) for ref in refs)
    assert AuditEvent.objects.filter(action="returns.import_batch_committed").count() == CASES * 5 // 100
