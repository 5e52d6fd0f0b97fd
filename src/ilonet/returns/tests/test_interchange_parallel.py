"""Two member states' files imported at once, by two processes (a real ``manage.py returns_import``
each, as an operator runs one per core, ``bench/returns_import.py --jobs``): each run completes
with every row once, and the audit trail stays one chain, verified, holding both runs' batches
(each batch's audit event is written in its own transaction, which holds the chain's head until
it commits: the two processes take turns, never fork the chain)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from ilonet.audit.models import AuditEvent
from ilonet.audit.verification import verify_chain
from ilonet.personaldata import vault
from ilonet.returns import rls
from ilonet.returns.models import CaseEvent, ImportRun, ImportStatus, ReturnCase

from .interchange_data import cases, write_jsonl

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[4]
CASES = 400  # 2,000 lines a state, in batches of 100
STATES = ("NL", "BE")
TIME_LIMIT = 300  # seconds, for a very busy machine


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user, password = quote(db["USER"] or "", safe=""), quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start(path: Path, state: str, keys: Path, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ilonet.settings.test",
        "DATABASE_URL": _database_url(),
        "ILONET_DATA_DIR": str(settings.DATA_DIR),
        "ILONET_PERSONAL_DATA_KEY_DIR": str(keys),
    }
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "returns_import",
        str(path),
        "--member-state",
        state,
        "--batch-size",
        "100",
        "--no-progress",
        "--skip-checks",
    ]
    with log.open("a") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def test_two_member_states_imported_at_once_each_complete_and_the_audit_chain_verifies(settings, tmp_path):
    keys = tmp_path / "keys"
    settings.PERSONAL_DATA_KEY_DIR = keys
    logs = {state: tmp_path / f"{state}.log" for state in STATES}
    processes = {
        state: _start(
            write_jsonl(tmp_path / f"{state}.jsonl", cases(CASES, state=state)), state, keys, logs[state]
        )
        for state in STATES
    }
    try:
        for state, process in processes.items():
            assert process.wait(timeout=TIME_LIMIT) == 0, logs[state].read_text()
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
    with rls.system_scope():
        runs = {run.member_state: run for run in ImportRun.objects.all()}
        assert set(runs) == set(STATES)  # one run each
        for state, run in runs.items():
            assert (run.status, run.checkpoint_line, run.rows_rejected) == (
                ImportStatus.COMPLETED,
                CASES * 5,
                0,
            )
            assert (run.cases_created, run.events_created, run.batches) == (
                CASES,
                CASES * 4,
                CASES * 5 // 100,
            )
            assert ReturnCase.objects.filter(member_state=state).count() == CASES
            held = CaseEvent.objects.filter(member_state=state, external_id__isnull=False)
            assert held.count() == held.values("external_id").distinct().count() == CASES * 5
        refs = list(ReturnCase.objects.values_list("person_ref", flat=True))
    assert all(vault.key_exists(ref) for ref in refs)  # both processes wrote their keys
    batches = AuditEvent.objects.filter(action="returns.import_batch_committed")
    assert batches.count() == len(STATES) * CASES * 5 // 100
    assert verify_chain().ok  # one chain: the two processes' events linked in turn
