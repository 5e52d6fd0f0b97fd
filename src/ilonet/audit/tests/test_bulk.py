"""The bulk path of the audit trail (``record_many``): the canonical JSON assembled from pieces
is byte for byte ``json.dumps`` of the event, events are streamed in chunks, and bulk-written
events are verified, tampered with and checkpointed like any other."""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.bulk import BulkEvent
from ilonet.audit.chain import (
    EventTemplate,
    Mac,
    canonical_details,
    canonical_event,
    canonical_time,
    chain_keys,
    event_hash,
    jsonable,
    stored_details,
)
from ilonet.audit.models import AuditEvent, ChainHead
from ilonet.audit.verification import _utc_time, _Walk, _walk, verify_chain

FIELDS = ("seq", "occurred_at", "actor_id", "actor_label", "action", "outcome", "object_type",
          "object_id", "object_repr", "ip_address", "user_agent", "request_id", "details")  # fmt: skip


def _reference(prev_hash: str, row: dict, key: bytes | None) -> str:
    """The recipe as documented: json.dumps of the hashed fields (and key_id when keyed)."""
    payload = {name: row[name] for name in FIELDS}
    payload["occurred_at"] = row["occurred_at"].astimezone(UTC).isoformat(timespec="microseconds")
    if key is not None:
        payload["key_id"] = row["key_id"]
    blob = (
        prev_hash + json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    ).encode()
    if key is None:
        return hashlib.sha256(blob).hexdigest()
    return hmac.new(key, blob, hashlib.sha256).hexdigest()


text = st.text(max_size=40)  # any code point: quotes, backslashes, control characters, emoji
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text)
details = st.dictionaries(
    st.one_of(text, st.integers()),  # integer keys become strings, as JSON has it
    st.recursive(
        scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3)
    ),
    max_size=5,
)
events = st.fixed_dictionaries({
    "seq": st.integers(1, 2**62), "occurred_at": st.datetimes(timezones=st.just(UTC)),
    "actor_id": st.one_of(st.none(), st.integers(1, 2**62)), "actor_label": text, "action": text,
    "outcome": text, "object_type": text, "object_id": text, "object_repr": text,
    "ip_address": st.one_of(st.none(), text), "user_agent": text, "request_id": text, "details": details,
    "key_id": st.text(min_size=1, max_size=16),
})  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(event=events, prev=st.text("0123456789abcdef", min_size=64, max_size=64), keyed=st.booleans())
def test_the_assembled_canonical_json_is_json_dumps_of_the_event(event, prev, keyed):
    key = b"k" * 32 if keyed else None
    stored = dict(event, details=jsonable(event["details"]))  # what is stored (and hashed)
    assert event_hash(prev, stored, key) == _reference(prev, stored, key)
    # The bulk writer's pieces: the same bytes.
    same = ("action", "actor_id", "actor_label", "outcome", "ip_address", "user_agent", "request_id")
    template = EventTemplate(
        **{name: event[name] for name in same}, key_id=event["key_id"] if keyed else None
    )
    at = event["occurred_at"].isoformat(timespec="microseconds")
    details_json = canonical_details(event["details"])
    pieces = (template.body(details_json, event["object_type"], event["object_id"], event["object_repr"])
              + template.tail(at) + str(event["seq"]) + template.end)  # fmt: skip
    whole = canonical_event(*(at if name == "occurred_at" else stored[name] for name in FIELDS[:-1]),
                            details_json, event["key_id"] if keyed else None)  # fmt: skip
    assert pieces == whole
    assert json.loads(whole)["details"] == stored["details"]
    # Read back from the database (JSON text, any spacing): the same canonical details.
    assert stored_details(json.dumps(stored["details"], indent=1)) == details_json


@settings(max_examples=300, deadline=None)
@given(event=events, prev=st.text("0123456789abcdef", min_size=64, max_size=64),
       stored_as=st.sampled_from(["canonical text", "other text", "parsed"]))  # fmt: skip
def test_verification_assembles_the_documented_canonical_json(event, prev, stored_as):
    """The verification loop builds each event's canonical JSON inline (not through
    canonical_event): it verifies the hash of the documented recipe, whatever form the details
    come back in from the database, and names a changed event."""
    key = b"k" * 32
    stored = dict(event, details=jsonable(event["details"]))
    digest = _reference(prev, stored, key)
    details = {
        "canonical text": canonical_details(stored["details"]),
        "other text": json.dumps(stored["details"], indent=1),
        "parsed": stored["details"],
    }[stored_as]
    at = event["occurred_at"].isoformat(timespec="microseconds")
    row = (*(at if name == "occurred_at" else stored[name] for name in FIELDS[:-1]),
           details, prev, digest, event["key_id"])  # fmt: skip
    keys = {event["key_id"]: key}
    walk = _Walk(prev, event["seq"], keyed_seen=False)
    assert _walk([row], walk, keys) == (None, "")
    changed = (*row[:8], row[8] + "x", *row[9:])
    walk = _Walk(prev, event["seq"], keyed_seen=False)
    assert _walk([changed], walk, keys)[0] == event["seq"]


def test_the_hmac_with_a_precomputed_key_schedule_is_hmac_sha256():
    for key in (b"", b"k" * 32, b"x" * 64, b"long" * 40):
        for message in (b"", b"abc", b"m" * 1000):
            assert Mac(key).hexdigest(message) == hmac.new(key, message, hashlib.sha256).hexdigest()


def test_flat_details_are_dumped_once_and_others_round_trip_first():
    assert canonical_details({"b": 1, "a": "x", "c": None}) == '{"a":"x","b":1,"c":null}'
    assert canonical_details({2: "two", 10: "ten"}) == '{"10":"ten","2":"two"}'  # as stored: string keys
    assert (
        canonical_details({"when": datetime(2026, 1, 2, tzinfo=UTC)})
        == '{"when":"2026-01-02 00:00:00+00:00"}'
    )
    assert canonical_details(None) == canonical_details({}) == "{}"


@pytest.mark.django_db
def test_a_generator_is_written_chunk_by_chunk_not_read_whole_first():
    base = ChainHead.locked().seq
    seen = []

    def rows():
        for i in range(25):
            seen.append(AuditEvent.objects.filter(seq__gt=base).count())  # written when row i is read
            yield BulkEvent("import.row", str(i), f"row {i}", {"i": i})

    assert (
        audit.record_many(action=AuditAction.RECORD_CREATED, actor=None, objects=rows(), chunk_size=10) == 25
    )
    assert seen == [0] * 10 + [10] * 10 + [20] * 5
    assert verify_chain().ok


@pytest.mark.django_db
def test_bulk_events_carry_actor_object_details_context_and_the_current_key(make_user):
    from ilonet.audit.context import RequestContext, current
    from ilonet.directory.models import Organisation

    user = make_user()
    organisation = Organisation.objects.order_by("pk").first()
    token = current.set(RequestContext(ip_address="192.0.2.7", user_agent="importer/1", request_id="r1"))
    try:
        audit.record_many(action=AuditAction.RECORD_CREATED, actor=user, objects=[organisation, None],
                          details=[{"n": 1}, None])  # fmt: skip
    finally:
        current.reset(token)
    first, second = AuditEvent.objects.order_by("-seq")[:2][::-1]
    assert (first.actor_id, first.actor_label, first.key_id) == (user.pk, user.email, chain_keys().current_id)
    assert (first.object_type, first.object_id, first.object_repr) == (
        "directory.organisation",
        str(organisation.pk),
        str(organisation),
    )
    assert first.details == {"n": 1} and second.details == {} and second.object_type == ""
    assert (first.ip_address, first.user_agent, first.request_id) == ("192.0.2.7", "importer/1", "r1")
    assert second.prev_hash == first.hash and ChainHead.objects.get().hash == second.hash
    assert verify_chain().ok


@pytest.mark.django_db
def test_bulk_and_single_events_interleave_in_one_chain_across_chunks():
    audit.record(action=AuditAction.RECORD_UPDATED)
    audit.record_many(action=AuditAction.RECORD_CREATED, actor=None, chunk_size=3,
                      objects=(BulkEvent("t.row", str(i)) for i in range(10)))  # fmt: skip
    audit.record(action=AuditAction.RECORD_UPDATED)
    audit.record_many(action=AuditAction.RECORD_CREATED, actor=None, objects=[])
    report = verify_chain()
    assert report.ok and report.checked == AuditEvent.objects.count() == ChainHead.objects.get().seq


@pytest.mark.django_db
def test_a_bulk_write_inside_a_transaction_rolls_back_with_it():
    before = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record_many(action=AuditAction.RECORD_CREATED, actor=None, chunk_size=4,
                          objects=(BulkEvent("t.row", str(i)) for i in range(10)))  # fmt: skip
        raise ZeroDivisionError
    assert AuditEvent.objects.count() == before
    assert verify_chain().ok


@pytest.mark.django_db
def test_bad_bulk_arguments_are_refused():
    with pytest.raises(ValueError, match="chunk_size"):
        audit.record_many(action=AuditAction.RECORD_CREATED, actor=None, objects=[None], chunk_size=0)
    with pytest.raises(ValueError):
        audit.record_many(action=AuditAction.RECORD_CREATED, actor=None, objects=[None, None], details=[{}])


def _bulk(n=12, chunk_size=5):
    rows = (BulkEvent("t.row", str(i), f"row {i}", {"i": i}) for i in range(n))
    audit.record_many(action=AuditAction.RECORD_CREATED, actor=None, chunk_size=chunk_size, objects=rows)
    return list(AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)[:n])[::-1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("object_repr", "'row X'"),
        ("details", "'{\"i\": 999}'"),
        ("occurred_at", "occurred_at"),
        ("key_id", "'t9'"),
    ],
)
def test_tampering_with_a_bulk_written_event_is_named(column, value):
    seqs = _bulk()
    target = seqs[6]
    if column == "occurred_at":  # a second later
        shift = "occurred_at + interval '1 second'" if connection.vendor == "postgresql" else (
            "strftime('%Y-%m-%d %H:%M:%f', occurred_at, '+1 second')"
        )  # fmt: skip
        value = shift
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_auditevent SET {column} = {value} WHERE seq = %s", [target])
    report = verify_chain()
    assert not report.ok and report.first_broken_seq == target, report
    assert ("unknown chain key" if column == "key_id" else "content changed") in report.reason


@pytest.mark.django_db
def test_a_bulk_written_chain_rewritten_with_the_key_fails_its_checkpoint(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_DIR = tmp_path
    seqs = _bulk()
    call_command("audit_checkpoint")
    forged = AuditEvent.objects.filter(seq=seqs[-1]).values().get()
    forged["object_repr"] = "forged"
    digest = event_hash(forged["prev_hash"], forged, chain_keys().keys[forged["key_id"]])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_repr = 'forged', hash = %s WHERE seq = %s",
                       [digest, seqs[-1]])  # fmt: skip
        cursor.execute("UPDATE audit_chainhead SET hash = %s WHERE id = 1", [digest])
    assert verify_chain().ok  # the stolen key makes a valid chain …
    with pytest.raises(CommandError, match=f"#{seqs[-1]}.*checkpoint"):
        call_command("verify_audit_chain")  # … that the signed checkpoint refutes


@pytest.mark.django_db
def test_a_rotated_key_keys_the_next_bulk_write(settings):
    from ilonet.audit.keys import new_chain_key_spec

    _bulk(3)
    settings.AUDIT_CHAIN_KEY = f"{new_chain_key_spec('t2')},{settings.AUDIT_CHAIN_KEY}"
    seqs = _bulk(3)
    assert set(AuditEvent.objects.filter(seq__in=seqs).values_list("key_id", flat=True)) == {"t2"}
    assert verify_chain().ok


@pytest.mark.django_db
def test_an_event_written_on_a_whole_second_verifies():
    """SQLite stores such a time without its fraction; the canonical time has six digits."""
    whole = datetime(2026, 12, 2, 10, 0, 0, tzinfo=UTC)
    with mock.patch("ilonet.audit.deferred.timezone.now", return_value=whole):
        audit.record(action=AuditAction.RECORD_UPDATED)
    with mock.patch("ilonet.audit.bulk.timezone.now", return_value=whole):
        _bulk(2)
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("workers", [2, 3])
def test_verification_in_parallel_segments_finds_what_one_process_finds(workers):
    seqs = _bulk(60, chunk_size=7)
    assert verify_chain(workers=workers) == verify_chain(workers=1)
    assert verify_chain(workers=workers).ok
    for target in (seqs[0], seqs[19], seqs[20], seqs[59]):  # inside a segment and on its edges
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET object_repr = 'x' WHERE seq = %s", [target])
        parallel, single = verify_chain(workers=workers), verify_chain(workers=1)
        assert parallel == single and parallel.first_broken_seq == target, (parallel, single)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET object_repr = %s WHERE seq = %s",
                           [f"row {seqs.index(target)}", target])  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [seqs[30]])
    parallel = verify_chain(workers=workers)
    assert parallel == verify_chain(workers=1) and parallel.first_broken_seq == seqs[30]
    assert "missing" in parallel.reason


@pytest.mark.django_db(transaction=True)
def test_verify_command_takes_a_number_of_workers(capsys):
    _bulk(30)
    call_command("verify_audit_chain", "--workers", "2")
    assert "intact: 30 events" in capsys.readouterr().out
    with pytest.raises(CommandError, match="at least 1"):
        call_command("verify_audit_chain", "--workers", "0")


@given(moment=st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)))
def test_times_read_back_as_text_are_made_canonical(moment):
    """SQLite's stored text and PostgreSQL's timestamp text (fraction without trailing zeros)."""
    expected = canonical_time(moment.replace(tzinfo=UTC))
    assert _utc_time(str(moment)) == expected
    postgres = moment.isoformat(sep=" ", timespec="microseconds").rstrip("0").rstrip(".")
    assert _utc_time(postgres) == expected
