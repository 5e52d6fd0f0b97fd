"""The fast path of ``verify_chain``: each walk reads its rows with one forward cursor
(``verification.stream``), and from ``PARALLEL_FROM`` events on worker processes walk
consecutive segments of the chain, each linked to the one before by the parent. A tampered row
in any segment, and a break exactly at a segment's edge (a changed link, a removed event, two
events swapped across the edge), are found and named as one process walking the whole chain
names them."""

import pytest
from django.db import connection

from ilonet.audit import services as audit
from ilonet.audit import verification
from ilonet.audit.actions import AuditAction
from ilonet.audit.bulk import BulkEvent
from ilonet.audit.models import AuditEvent, ChainHead
from ilonet.audit.verification import verify_chain

WORKERS = 2
TABLE = "audit_auditevent"


def _chain(n: int) -> list[int]:
    rows = (BulkEvent("t.row", str(i), f"row {i}", {"i": i, "tags": ["a", "b"]}) for i in range(n))
    audit.record_many(action=AuditAction.RECORD_CREATED, actor=None, chunk_size=9, objects=rows)
    return list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _both() -> verification.ChainReport:
    """The verdict of the segments, checked against one process walking everything."""
    parallel, single = verify_chain(workers=WORKERS), verify_chain(workers=1)
    assert parallel == single, (parallel, single)
    return parallel


@pytest.fixture
def segments():
    seqs = _chain(96)
    head = ChainHead.objects.get(id=1).seq
    assert seqs[-1] == head and len(seqs) == head  # the whole chain is these events
    # the workers really run: the test database is a file that other processes see
    assert verification._workers(WORKERS, head) == WORKERS
    parts = verification._segments(0, head, WORKERS)
    assert len(parts) == WORKERS * verification.SEGMENTS_PER_WORKER
    assert parts[0][0] == 0 and parts[-1][1] == head
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))  # no seq left out
    return parts


@pytest.mark.django_db(transaction=True)
def test_the_stream_reads_every_row_once_in_sequence_order_whatever_the_fetch_size():
    seqs = _chain(40)
    expected = list(AuditEvent.objects.order_by("seq").values_list("seq", "hash"))
    for size in (1, 7, 40, 1000):
        rows = [row for batch in verification.stream(0, None, size) for row in batch]
        assert [(row[0], row[14]) for row in rows] == expected
    inside = [row[0] for batch in verification.stream(seqs[4], seqs[20], 6) for row in batch]
    assert inside == seqs[5:21]


@pytest.mark.django_db(transaction=True)
def test_a_tampered_row_in_any_segment_is_found_by_the_segments(segments):
    assert _both().ok
    for low, high in segments:
        target = (low + 1 + high) // 2  # inside the segment, not on its edge
        _sql(f"UPDATE {TABLE} SET object_repr = 'forged' WHERE seq = %s", [target])
        report = _both()
        assert (report.ok, report.first_broken_seq, report.checked) == (False, target, target - 1)
        assert "content changed" in report.reason
        _sql(f"UPDATE {TABLE} SET object_repr = %s WHERE seq = %s", [f"row {target - 1}", target])
    assert _both().ok


@pytest.mark.django_db(transaction=True)
def test_a_break_at_a_segment_edge_is_found_by_the_segments(segments):
    for _low, high in segments[:-1]:
        first = high + 1  # the first event of the next segment, linked to ``high`` by the parent
        stored = AuditEvent.objects.filter(seq=first).values_list("prev_hash", flat=True).get()
        _sql(f"UPDATE {TABLE} SET prev_hash = %s WHERE seq = %s", ["f" * 64, first])
        report = _both()
        assert (report.first_broken_seq, report.reason) == (first, "does not link to the previous event")
        _sql(f"UPDATE {TABLE} SET prev_hash = %s WHERE seq = %s", [stored, first])
    assert _both().ok


@pytest.mark.django_db(transaction=True)
def test_events_swapped_across_a_segment_edge_are_found(segments):
    edge = segments[3][1]  # the last event of segment 4; edge + 1 opens segment 5
    _sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [10**12, edge])
    _sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [edge, edge + 1])
    _sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [edge + 1, 10**12])
    report = _both()
    assert not report.ok and report.first_broken_seq == edge and report.checked == edge - 1


@pytest.mark.django_db(transaction=True)
def test_an_event_removed_at_a_segment_edge_is_found(segments):
    last = segments[5][1]  # the last event of segment 6
    _sql(f"DELETE FROM {TABLE} WHERE seq = %s", [last])
    report = _both()
    assert (report.first_broken_seq, report.checked) == (last, last - 1)
    assert "missing" in report.reason
