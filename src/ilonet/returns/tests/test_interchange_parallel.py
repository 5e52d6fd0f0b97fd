"""Two member states' files imported at once, by two processes (a real ``manage.py returns_import``
each, as an operator runs one per core, ``bench/returns_import.py --jobs``): each run completes
with every row once, and the audit trail stays one chain, verified, holding both runs' batches
(each batch's audit event is written in its own transaction, which holds the chain's head until
it commits: the two processes take turns, never fork the chain)."""

from __future__ import annotations

import pytest

from ilonet.audit.models import AuditEvent
from ilonet.audit.verification import verify_chain
from ilonet.personaldata import vault
from ilonet.returns import rls
from ilonet.returns.models import CaseEvent, ImportRun, ImportStatus, ReturnCase

from .interchange_data import cases, start_import, write_jsonl

pytestmark = pytest.mark.django_db(transaction=True)

CASES = 400  # 2,000 lines a state, in batches of 100
STATES = ("NL", "BE")
TIME_LIMIT = 300  # seconds, for a very busy machine


def test_two_member_states_imported_at_once_each_complete_and_the_audit_chain_verifies(settings, tmp_path):
    keys = tmp_path / "keys"
    settings.PERSONAL_DATA_KEY_DIR = keys
    logs = {state: tmp_path / f"{state}.log" for state in STATES}
    processes = {
        state: start_import(
            write_jsonl(tmp_path / f"{state}.jsonl", cases(CASES, state=state)),
            keys,
            logs[state],
            state=state,
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
