"""Attacks on the audit trail by someone who can write to the database (raw SQL, the append-only
triggers lifted as the test database does): the keyed chain and the signed checkpoints outside
the database must show each of them."""

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.models import AuditEvent
from ilonet.audit.verification import verify_chain

pytestmark = pytest.mark.django_db

FIELDS = ("seq", "occurred_at", "actor_id", "actor_label", "action", "outcome", "object_type",
          "object_id", "object_repr", "ip_address", "user_agent", "request_id", "details")  # fmt: skip


@pytest.fixture(autouse=True)
def checkpoint_dir(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.AUDIT_CHECKPOINT_DIR


def _write_events(n=6):
    return [audit.record(action=AuditAction.RECORD_UPDATED, actor_label=f"t{i}", details={"i": i})
            for i in range(n)]  # fmt: skip


def _plain_hash(prev_hash, row):
    """What an attacker without the chain key computes: the published SHA-256 recipe."""
    payload = {name: row[name] for name in FIELDS}
    payload["occurred_at"] = row["occurred_at"].isoformat(timespec="microseconds")
    if row.get("key_id") is not None:
        payload["key_id"] = row["key_id"]
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + blob).encode()).hexdigest()


def _rewrite(from_seq, *, label="mallory", hasher=_plain_hash, key_id="keep"):
    """Change the label of event ``from_seq``, recompute every later hash and link with
    ``hasher`` and move the chain head: a full rewrite of the chain from that event on."""
    from datetime import UTC

    rows = list(
        AuditEvent.objects.filter(seq__gte=from_seq).order_by("seq").values(*FIELDS, "prev_hash", "key_id")
    )
    prev = rows[0]["prev_hash"]
    rows[0]["actor_label"] = label
    with connection.cursor() as cursor:
        for row in rows:
            row["occurred_at"] = row["occurred_at"].astimezone(UTC)
            if key_id != "keep":
                row["key_id"] = key_id
            digest = hasher(prev, row)
            cursor.execute(
                "UPDATE audit_auditevent SET actor_label = %s, prev_hash = %s, hash = %s, key_id = %s "
                "WHERE seq = %s",
                [row["actor_label"], prev, digest, row["key_id"], row["seq"]],
            )
            prev = digest
        cursor.execute("UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = 1", [rows[-1]["seq"], prev])


def _keyed_hash(prev_hash, row):
    """What an attacker who stole the chain key computes."""
    from ilonet.audit.chain import chain_keys, event_hash

    return event_hash(prev_hash, row, chain_keys().keys[row["key_id"]])


def _public_key_file(tmp_path):
    path = tmp_path / "audit-public.key"
    call_command("audit_checkpoint", "--export-public-key", stdout=(out := __import__("io").StringIO()))
    path.write_text(out.getvalue())
    return path


def test_an_edit_rehashed_to_the_head_without_the_chain_key_is_detected():
    """The old chain passed this: SHA-256 is public, so anyone could recompute it."""
    events = _write_events()
    _rewrite(events[2].seq)
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_seq == events[2].seq
    assert "chain key" in report.reason
    with pytest.raises(CommandError, match=f"#{events[2].seq}"):
        call_command("verify_audit_chain")


def test_a_rewrite_downgraded_to_unkeyed_hashes_is_detected():
    events = _write_events()
    _rewrite(events[2].seq, key_id=None)
    report = verify_chain(accept_unkeyed=True)
    assert not report.ok and report.first_broken_seq == events[2].seq
    assert "unkeyed event after keyed events" in report.reason


def test_a_whole_chain_rewritten_unkeyed_is_refused_unless_unkeyed_events_are_accepted():
    events = _write_events()
    _rewrite(events[0].seq, key_id=None)
    report = verify_chain()
    assert not report.ok and report.first_broken_seq == events[0].seq and "not keyed" in report.reason


def test_a_rewrite_with_the_chain_key_is_detected_by_a_signed_checkpoint(tmp_path):
    events = _write_events()
    call_command("audit_checkpoint")
    _rewrite(events[2].seq, hasher=_keyed_hash)
    assert verify_chain().ok  # the stolen key makes a valid chain …
    with pytest.raises(CommandError, match=f"#{events[-1].seq}.*checkpoint.*rewritten"):
        call_command("verify_audit_chain")  # … that no longer matches the checkpoint


def test_an_outside_auditor_with_only_the_public_key_detects_a_full_rewrite(tmp_path, settings):
    events = _write_events()
    call_command("audit_checkpoint")
    public_key = _public_key_file(tmp_path)
    _rewrite(events[0].seq, hasher=_keyed_hash)
    settings.AUDIT_CHAIN_KEY = ""  # the auditor holds neither the chain key nor the signing key
    settings.AUDIT_SIGNING_KEY = ""
    checkpoint_file = settings.AUDIT_CHECKPOINT_DIR / "checkpoints.jsonl"
    args = ["--without-chain-key", "--public-key", str(public_key), "--checkpoints", str(checkpoint_file)]
    with pytest.raises(CommandError, match="rewritten"):
        call_command("verify_audit_chain", *args)


def test_an_outside_auditor_confirms_an_intact_chain(tmp_path, settings, capsys):
    _write_events()
    call_command("audit_checkpoint")
    public_key = _public_key_file(tmp_path)
    settings.AUDIT_CHAIN_KEY = ""
    settings.AUDIT_SIGNING_KEY = ""
    call_command("verify_audit_chain", "--without-chain-key", "--public-key", str(public_key))
    out = capsys.readouterr().out
    assert "intact" in out and "1 signed checkpoints" in out and "not checked" in out


def test_a_forged_checkpoint_line_is_detected(checkpoint_dir):
    events = _write_events()
    call_command("audit_checkpoint")
    _rewrite(events[2].seq, hasher=_keyed_hash)
    # The forger checkpoints the rewritten head, signing with a key of their own.
    from ilonet.audit.checkpoints import Checkpoint

    head = AuditEvent.objects.order_by("-seq").first()
    forged = Checkpoint(seq=head.seq, hash=head.hash, at="2030-01-01T00:00:00+00:00", key_id="t1")
    line = json.loads(forged.message())
    line["sig"] = base64.b64encode(Ed25519PrivateKey.generate().sign(forged.message())).decode()
    with (checkpoint_dir / "checkpoints.jsonl").open("a") as handle:
        handle.write(json.dumps(line) + "\n")
    with pytest.raises(CommandError, match="line 2: signature does not verify"):
        call_command("verify_audit_chain")


def test_an_altered_checkpoint_line_is_detected(checkpoint_dir):
    _write_events()
    call_command("audit_checkpoint")
    path = checkpoint_dir / "checkpoints.jsonl"
    line = json.loads(path.read_text())
    line["hash"] = "f" * 64
    path.write_text(json.dumps(line) + "\n")
    with pytest.raises(CommandError, match="line 1: signature does not verify"):
        call_command("verify_audit_chain")


def test_a_chain_truncated_below_a_checkpoint_is_detected():
    events = _write_events()
    call_command("audit_checkpoint")
    keep = events[2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > %s", [keep.seq])
        cursor.execute("UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = 1", [keep.seq, keep.hash])
    assert verify_chain().ok  # consistent on its own …
    with pytest.raises(CommandError, match=f"truncated.*#{events[-1].seq}.*ends at #{keep.seq}"):
        call_command("verify_audit_chain")  # … but a signed checkpoint held more


def test_checkpoints_continue_from_the_last_one_and_refuse_to_sign_a_broken_chain(checkpoint_dir):
    events = _write_events(3)
    call_command("audit_checkpoint")
    more = _write_events(2)
    call_command("audit_checkpoint")
    lines = [json.loads(text) for text in (checkpoint_dir / "checkpoints.jsonl").read_text().splitlines()]
    assert [line["seq"] for line in lines] == [events[-1].seq, more[-1].seq]
    _rewrite(more[0].seq)
    with pytest.raises(CommandError, match="no checkpoint written"):
        call_command("audit_checkpoint")
    assert len((checkpoint_dir / "checkpoints.jsonl").read_text().splitlines()) == 2


def test_each_event_records_the_id_of_the_chain_key_that_hashed_it():
    event = audit.record(action=AuditAction.RECORD_UPDATED)
    assert event.key_id == "t1"
    assert AuditEvent.objects.get(seq=event.seq).key_id == "t1"


def test_a_rotated_key_keys_new_events_and_the_old_one_still_verifies(settings):
    from ilonet.audit.keys import new_chain_key_spec

    old = audit.record(action=AuditAction.RECORD_UPDATED)
    settings.AUDIT_CHAIN_KEY = f"{new_chain_key_spec('t2')},{settings.AUDIT_CHAIN_KEY}"
    new = audit.record(action=AuditAction.RECORD_UPDATED)
    assert (old.key_id, new.key_id) == ("t1", "t2")
    assert verify_chain().ok


def test_events_written_before_the_chain_key_verify_as_an_unkeyed_prefix_when_accepted():
    events = _write_events(4)
    _rewrite(events[0].seq, label=events[0].actor_label, key_id=None)  # as the old code wrote them
    audit.record(action=AuditAction.RECORD_UPDATED)
    report = verify_chain(accept_unkeyed=True)
    assert report.ok and report.unkeyed == 4
    assert not verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_appends_go_on_while_a_checkpoint_verifies(checkpoint_dir):
    """The checkpoint verifies up to the head it read and signs that head, without holding the
    chain's lock: after a large import that verification takes minutes, and audited requests
    must not wait for it."""
    import threading
    from unittest import mock

    from django.db import connections

    from ilonet.audit.management.commands import audit_checkpoint

    events = _write_events(3)
    appended = threading.Event()

    def append():
        try:
            audit.record(action=AuditAction.RECORD_UPDATED, actor_label="during the checkpoint")
            appended.set()
        finally:
            connections.close_all()

    def verify_while_someone_appends(**kwargs):
        thread = threading.Thread(target=append)
        thread.start()
        kwargs["during"] = appended.wait(timeout=15)  # under the old lock: never, until we return
        during.append(kwargs.pop("during"))
        thread.join(timeout=30)
        return verify_chain(**kwargs)

    during: list[bool] = []
    with mock.patch.object(audit_checkpoint, "verify_chain", verify_while_someone_appends):
        call_command("audit_checkpoint")
    assert during == [True]
    lines = [json.loads(text) for text in (checkpoint_dir / "checkpoints.jsonl").read_text().splitlines()]
    assert [line["seq"] for line in lines] == [events[-1].seq]  # the head it verified, not the later one
    call_command("verify_audit_chain")
