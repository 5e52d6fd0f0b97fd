"""A bulk import and interactive audited writes at the same time (issue 9): the import holds
the chain's lock one short chunk at a time, so the interactive writes interleave between its
chunks, none fails, and the chain stays one verifiable chain. Real concurrent connections (one
per thread) on SQLite (a database file, WAL) and PostgreSQL; no timing is asserted (see
bench/audit_bulk.py for latencies)."""

import threading
from itertools import groupby

import pytest
from django.db import connections, transaction

from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.models import AuditEvent
from ilonet.audit.verification import verify_chain

IMPORTED = 20_000
CHUNK = 1_000
WRITERS = 20
WRITES_EACH = 2


@pytest.mark.django_db(transaction=True)
def test_interactive_writes_interleave_with_an_import_between_its_chunks():
    go = threading.Event()
    errors: list[str] = []
    written: list[int] = []

    def interactive(index: int) -> None:
        try:
            go.wait(timeout=60)
            for turn in range(WRITES_EACH):
                with transaction.atomic():  # as a request does: its change and its event
                    event = audit.record(action=AuditAction.PERSONAL_DATA_READ, actor_label=f"reader{index}",
                                         details={"reader": index, "turn": turn})  # fmt: skip
                written.append(event.seq)
        except Exception as error:  # noqa: BLE001 (every failure is the test's finding)
            errors.append(f"writer {index}: {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    def rows():
        for i in range(IMPORTED):
            if i == CHUNK:  # the first chunk is committed: let the interactive writers in
                go.set()
            yield audit.BulkEvent("import.row", str(i), f"row {i}", {"row": i})

    threads = [threading.Thread(target=interactive, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        count = audit.record_many(
            action=AuditAction.RECORD_CREATED, actor=None, objects=rows(), chunk_size=CHUNK
        )
    finally:
        go.set()
        for thread in threads:
            thread.join(timeout=120)

    assert not errors, errors
    assert count == IMPORTED
    assert len(written) == WRITERS * WRITES_EACH  # every interactive write completed
    report = verify_chain()
    assert report.ok, report
    assert report.checked == IMPORTED + WRITERS * WRITES_EACH

    imported = list(
        AuditEvent.objects.filter(action=AuditAction.RECORD_CREATED)
        .order_by("seq")
        .values_list("seq", "occurred_at")
    )
    first, last = imported[0][0], imported[-1][0]
    # Interleaved: interactive events inside the import's span, not all queued after it …
    assert any(first < seq < last for seq in written), (first, last, sorted(written))
    # … and only between chunks: each chunk (one transaction, one timestamp) is one unbroken run.
    for _at, chunk in groupby(imported, key=lambda row: row[1]):
        seqs = [seq for seq, _ in chunk]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
