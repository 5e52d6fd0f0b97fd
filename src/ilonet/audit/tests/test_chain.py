import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.models import AuditEvent, ChainHead
from ilonet.audit.verification import verify_chain

pytestmark = pytest.mark.django_db


def _guards_on():
    """The test database lifts the append-only guards (see conftest); switch them back on
    for this test (its transaction rolls back afterwards)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_maintenance")


def _write_events(n=5):
    return [audit.record(action=AuditAction.RECORD_UPDATED, actor_label=f"t{i}", details={"i": i})
            for i in range(n)]  # fmt: skip


def test_events_link_into_one_chain():
    events = _write_events(4)
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + 4))
    for earlier, later in zip(events, events[1:], strict=False):
        assert later.prev_hash == earlier.hash
        assert later.seq == earlier.seq + 1
    assert ChainHead.objects.get().hash == events[-1].hash
    report = verify_chain()
    assert report.ok and report.checked == AuditEvent.objects.count()


def test_verify_names_the_first_event_whose_content_changed():
    events = _write_events(5)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = %s WHERE seq = %s",
            ["mallory", events[2].seq],
        )
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_seq == events[2].seq
    assert "changed" in report.reason
    with pytest.raises(CommandError, match=f"#{events[2].seq}"):
        call_command("verify_audit_chain")


def test_verify_detects_a_deleted_event_in_the_middle():
    events = _write_events(5)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [events[1].seq])
    report = verify_chain()
    assert not report.ok and report.first_broken_seq == events[1].seq


def test_verify_detects_events_cut_from_the_end():
    events = _write_events(3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [events[-1].seq])
    report = verify_chain()
    assert not report.ok and "end of the chain" in report.reason


def test_verify_detects_a_rehashed_forgery_through_the_next_link():
    """Recomputing the forged event's own hash (with the chain key) still breaks the link to
    the next one."""
    from ilonet.audit.chain import chain_keys, event_hash

    events = _write_events(3)
    forged = AuditEvent.objects.filter(seq=events[1].seq).values().get()
    forged["actor_label"] = "mallory"
    new_hash = event_hash(forged["prev_hash"], forged, chain_keys().keys[forged["key_id"]])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = %s, hash = %s WHERE seq = %s",
            ["mallory", new_hash, events[1].seq],
        )
    report = verify_chain()
    assert not report.ok and report.first_broken_seq == events[2].seq


def test_database_refuses_update_and_delete_of_audit_events():
    event = audit.record(action=AuditAction.RECORD_UPDATED)
    _guards_on()
    for statement in ("UPDATE audit_auditevent SET action = 'x' WHERE seq = %s",
                      "DELETE FROM audit_auditevent WHERE seq = %s"):  # fmt: skip
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [event.seq])
    assert AuditEvent.objects.get(seq=event.seq).action == AuditAction.RECORD_UPDATED


def test_the_orm_offers_no_way_to_edit_or_delete_an_event():
    event = audit.record(action=AuditAction.RECORD_UPDATED)
    event.action = "changed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_audit_event_rolls_back_with_the_change_it_records():
    before = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(action=AuditAction.RECORD_UPDATED)
        raise ZeroDivisionError  # the change fails after its audit row was written
    assert AuditEvent.objects.count() == before
    assert verify_chain().ok


def test_verify_command_reports_an_intact_chain(capsys):
    _write_events(2)
    call_command("verify_audit_chain")
    assert "intact" in capsys.readouterr().out


def test_bulk_append_continues_the_same_chain(make_user):
    from ilonet.directory.models import Organisation

    _write_events(2)
    organisations = list(Organisation.objects.order_by("pk")[:50])
    count = audit.record_many(action=AuditAction.RECORD_CREATED, actor=None, objects=organisations)
    audit.record(action=AuditAction.RECORD_UPDATED)
    assert count == 50
    assert AuditEvent.objects.filter(action=AuditAction.RECORD_CREATED).count() == 50
    assert verify_chain().ok


def test_audit_page_walks_back_in_time_by_sequence(admin_user, login):
    from django.urls import reverse

    for i in range(120):
        audit.record(action=AuditAction.DEMO_SEEDED, details={"i": i})
    client = login(admin_user)
    first = client.get(reverse("audit:event_list"), {"action": AuditAction.DEMO_SEEDED.value})
    seqs = [e.seq for e in first.context["events"]]
    assert len(seqs) == 50 and seqs == sorted(seqs, reverse=True)
    second = client.get(reverse("audit:event_list") + first.context["page_obj"].next_query)
    more = [e.seq for e in second.context["events"]]
    assert len(more) == 50 and max(more) < min(seqs)
    assert second.context["page_obj"].has_previous()


@pytest.mark.django_db
def test_an_interactive_write_holds_the_chain_lock_for_as_few_statements_as_it_can():
    """Every audited write queues behind the chain head's lock: record takes no savepoint of its
    own; on PostgreSQL the events of a transaction are appended when it ends, the locking read
    then one statement for all of them and the new head (bench/audit_bulk.py, issues 9 and 15);
    on SQLite each is written at once (its lock is the database's, taken at BEGIN)."""
    audit.record(action=AuditAction.PERSONAL_DATA_READ, actor_label="first")  # head exists
    with CaptureQueriesContext(connection) as queries, transaction.atomic():  # noqa: SIM117 (apart: inside)
        with CaptureQueriesContext(connection) as inside:
            event = audit.record(action=AuditAction.PERSONAL_DATA_READ, actor_label="reader")
            other = audit.record(action=AuditAction.PERSONAL_DATA_READ, actor_label="reader 2")
    statements = [query["sql"] for query in queries.captured_queries]
    if connection.vendor == "postgresql":
        assert inside.captured_queries == []  # nothing while the transaction's other work runs
        chain = [sql for sql in statements if "SAVEPOINT" not in sql.upper()]
        assert len(chain) == 2, statements  # the locking read, then both events and the head
        assert "FOR UPDATE" in chain[0]
    else:
        assert not [sql for sql in inside.captured_queries if "SAVEPOINT" in sql["sql"].upper()]
    assert other.seq == event.seq + 1 and other.prev_hash == event.hash
    head = ChainHead.objects.get(id=1)
    assert (head.seq, head.hash) == (other.seq, other.hash)
    assert AuditEvent.objects.get(pk=event.pk).hash == event.hash
    assert verify_chain().ok
