"""The chain head is taken when a transaction commits, not when ``record`` is called (issues 9
and 15, ``ilonet.audit.deferred``): on PostgreSQL the events of an application's transaction are
queued on the connection and appended just before its COMMIT, so the head's lock is not held
while the rest of the transaction runs; what the transaction or a savepoint rolls back is never
written; a failing append fails the commit. On SQLite each event is written at once (the lock is
the database's write lock, taken at BEGIN): the same tests check that rule there.

Real transactions and real threads (``django_db(transaction=True)``) where commits matter."""

import threading
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from ilonet.audit import deferred, selectors
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.models import AuditEvent, ChainHead
from ilonet.audit.verification import verify_chain

POSTGRESQL = connection.vendor == "postgresql"


def _labels() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("actor_label", flat=True))


def _head() -> tuple[int, str]:
    return ChainHead.objects.filter(id=1).values_list("seq", "hash").first() or (0, "")


@pytest.mark.django_db(transaction=True)
def test_the_head_is_not_locked_while_the_rest_of_a_recording_transaction_runs():
    """A records, then goes on with its transaction without committing; B records and commits
    meanwhile on PostgreSQL. On SQLite B waits for A's commit (one writer at a time)."""
    recorded, b_done, a_committed = threading.Event(), threading.Event(), threading.Event()
    outcome: dict[str, object] = {}
    errors: list[str] = []

    def a() -> None:
        try:
            with transaction.atomic():
                event = audit.record(action=AuditAction.RECORD_UPDATED, actor_label="A")
                outcome["a_seq_inside"] = event.seq
                recorded.set()
                # The rest of A's transaction: B finishes meanwhile, or (SQLite) cannot.
                outcome["b_before_a_commit"] = b_done.wait(timeout=30 if POSTGRESQL else 1.0)
            a_committed.set()
            outcome["a_seq"] = event.seq
        except Exception as error:  # noqa: BLE001 (the test's finding)
            errors.append(f"A: {type(error).__name__}: {error}")
            recorded.set()
        finally:
            connections.close_all()

    def b() -> None:
        try:
            recorded.wait(timeout=30)
            with transaction.atomic():
                event = audit.record(action=AuditAction.RECORD_UPDATED, actor_label="B")
            outcome["b_seq"] = event.seq
            outcome["a_committed_before_b"] = a_committed.is_set()
            b_done.set()
        except Exception as error:  # noqa: BLE001
            errors.append(f"B: {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    if POSTGRESQL:
        assert outcome["a_seq_inside"] is None  # queued, not yet in the chain
        assert outcome["b_before_a_commit"] is True
        assert outcome["a_committed_before_b"] is False
        assert outcome["b_seq"] < outcome["a_seq"]  # B committed first: B is first in the chain
        assert _labels()[-2:] == ["B", "A"]
    else:
        assert outcome["a_seq_inside"] is not None  # written at once, under the write lock
        assert outcome["b_before_a_commit"] is False
        assert outcome["a_committed_before_b"] is True
        assert outcome["a_seq"] < outcome["b_seq"]
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_the_chain_verifies_after_interleaved_commits():
    writers, turns = 6, 3
    errors: list[str] = []
    start = threading.Barrier(writers)

    def write(index: int) -> None:
        try:
            start.wait(timeout=30)
            for turn in range(turns):
                label, details = f"w{index}", {"t": turn}
                with transaction.atomic():
                    audit.record(action=AuditAction.RECORD_UPDATED, actor_label=label, details=details)
                    get_user_model().objects.filter(pk=-1).exists()  # the rest of the transaction
                    audit.record(action=AuditAction.RECORD_CREATED, actor_label=label, details=details)
        except Exception as error:  # noqa: BLE001
            errors.append(f"{index}: {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    before = _head()[0]
    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    report = verify_chain()
    assert report.ok, report
    assert _head()[0] == before + writers * turns * 2
    # The two events of one transaction are neighbours in the chain, in the order recorded.
    rows = list(
        AuditEvent.objects.filter(seq__gt=before).order_by("seq").values_list("action", "actor_label")
    )
    for first, second in zip(rows[::2], rows[1::2], strict=True):
        assert first[0] == AuditAction.RECORD_UPDATED and second[0] == AuditAction.RECORD_CREATED
        assert first[1] == second[1]


@pytest.mark.django_db
def test_the_events_of_a_rolled_back_transaction_are_not_written():
    before = _head()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="lost")
        raise RuntimeError("the change fails")
    with transaction.atomic():
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="lost too")
        transaction.set_rollback(True)
    assert _head() == before
    assert not AuditEvent.objects.filter(actor_label__startswith="lost").exists()
    assert verify_chain().ok


@pytest.mark.django_db
def test_the_events_of_a_rolled_back_savepoint_are_not_written_and_the_others_keep_their_order():
    with transaction.atomic():
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="one")
        with pytest.raises(RuntimeError), transaction.atomic():
            audit.record(action=AuditAction.RECORD_UPDATED, actor_label="lost")
            with transaction.atomic(savepoint=False):
                audit.record(action=AuditAction.RECORD_UPDATED, actor_label="lost as well")
            raise RuntimeError("the nested change fails")
        with transaction.atomic():
            audit.record(action=AuditAction.RECORD_UPDATED, actor_label="two")
            with transaction.atomic():
                audit.record(action=AuditAction.RECORD_UPDATED, actor_label="lost, rolled back")
                transaction.set_rollback(True)
        sid = transaction.savepoint()
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="lost, manual savepoint")
        transaction.savepoint_rollback(sid)
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="three")
    assert _labels()[-3:] == ["one", "two", "three"]
    assert not AuditEvent.objects.filter(actor_label__startswith="lost").exists()
    assert verify_chain().ok


@pytest.mark.django_db
def test_the_events_of_one_transaction_are_appended_in_the_order_recorded():
    with transaction.atomic():
        events = [audit.record(action=AuditAction.RECORD_UPDATED, actor_label=f"e{i}") for i in range(7)]
    seqs = [event.seq for event in events]
    assert seqs == list(range(seqs[0], seqs[0] + 7))
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(events, events[1:], strict=False))
    assert _labels()[-7:] == [f"e{i}" for i in range(7)]
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_test_sees_the_events_when_the_applications_block_ends():
    """Inside a test case's transaction (which never commits) the application's outermost block
    ends by releasing a savepoint, or (without one) before the next statement: the events are
    there, as after a commit in production."""
    with transaction.atomic():
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="with savepoint")
    assert _labels()[-1] == "with savepoint"
    with transaction.atomic(savepoint=False):
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="without savepoint")
    assert _labels()[-1] == "without savepoint"
    with transaction.atomic(durable=True):
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="durable")
    assert _labels()[-1] == "durable"
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_on_commit_callbacks_see_the_events():
    seen: list[list[str]] = []
    with transaction.atomic():
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="committed")
        transaction.on_commit(lambda: seen.append(_labels()))
    assert seen == [["committed"]]


@pytest.mark.django_db
def test_on_commit_callbacks_see_the_events_in_a_test_case(django_capture_on_commit_callbacks):
    seen: list[list[str]] = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="committed")
        transaction.on_commit(lambda: seen.append(_labels()[-1:]))
    assert seen == [["committed"]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "error", [DatabaseError("injected"), RuntimeError("injected")], ids=["database", "other"]
)
def test_a_failing_append_rolls_the_change_back(error):
    """An event not written means the change is not committed."""
    injected = mock.patch.object(deferred, "number", side_effect=error)
    with injected, pytest.raises(type(error)) as raised, transaction.atomic():
        Session.objects.create(session_key="changed", session_data="", expire_date=timezone.now())
        audit.record(action=AuditAction.RECORD_CREATED, actor_label="changed")
    assert raised.value is error  # the injected failure, not another one
    assert not Session.objects.filter(session_key="changed").exists()
    assert not AuditEvent.objects.filter(actor_label="changed").exists()
    with transaction.atomic():  # the connection goes on
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="after")
    assert _labels()[-1] == "after"
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_connection_closed_in_a_transaction_writes_none_of_its_events():
    before = _head()
    with transaction.atomic():
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="lost")
        connection.close()
    assert getattr(connection, "audit_pending", []) == []
    assert _head() == before
    assert not AuditEvent.objects.filter(actor_label="lost").exists()


@pytest.mark.django_db
def test_reads_of_the_trail_inside_the_transaction_see_its_own_events():
    with transaction.atomic():
        first = audit.record(action=AuditAction.RECORD_UPDATED, actor_label="read back")
        assert selectors.chain_head_seq() == first.seq  # appended before the read
        report = verify_chain()
        assert report.ok and _head()[0] == first.seq
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="before the import")
        count = audit.record_many(
            action=AuditAction.RECORD_CREATED, actor=None, actor_label="import", objects=["a", "b"]
        )
        assert count == 2
    assert _labels()[-4:] == ["read back", "before the import", "import", "import"]
    assert verify_chain().ok


@pytest.mark.django_db
def test_immediate_appends_at_once_after_the_events_queued_before_it():
    """For a caller that needs the event's ``seq`` inside its transaction (a notice's version)."""
    with transaction.atomic():
        queued = audit.record(action=AuditAction.RECORD_UPDATED, actor_label="queued")
        now = audit.record(action=AuditAction.RECORD_UPDATED, actor_label="now", immediate=True)
        assert now.seq is not None and queued.seq == now.seq - 1
        assert AuditEvent.objects.filter(pk=now.pk).exists()
    assert _labels()[-2:] == ["queued", "now"]
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_transaction_managed_by_hand_appends_at_its_commit():
    transaction.set_autocommit(False)
    try:
        queued = audit.record(action=AuditAction.RECORD_UPDATED, actor_label="by hand")
        assert (queued.seq is None) is POSTGRESQL
        transaction.commit()
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label="rolled back by hand")
        transaction.rollback()
    finally:
        transaction.set_autocommit(True)
    assert queued.seq is not None
    assert _labels()[-1:] == ["by hand"]
    assert not AuditEvent.objects.filter(actor_label="rolled back by hand").exists()
    assert verify_chain().ok
