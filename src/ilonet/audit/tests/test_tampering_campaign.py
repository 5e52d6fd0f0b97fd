"""A campaign of random tamperings with the audit trail, each one checked by the verifier.

Someone who can write to the database (raw SQL, the append-only triggers lifted as the test
database does) edits any column of any event, deletes events, inserts forged ones, reorders
them, recomputes the whole chain without the chain key (plain SHA-256, or HMAC with a key of
their own), recomputes it with a stolen chain key before the last signed checkpoint, or cuts
the chain's tail. Every tampering must be found by ``verify_chain`` given the signed
checkpoints, as ``verify_audit_chain`` runs it.

``make test`` runs 1,000 tamperings from a fixed seed (the same ones every run). A larger
campaign: ``ILONET_AUDIT_TAMPERINGS=20000 ILONET_AUDIT_TAMPER_SEED=<n> pytest <this file>``
(without a seed, a random one, printed).

What the chain cannot show, by design: events appended after the last signed checkpoint that
are cut together with a matching move of the chain head (a consistent, shorter chain), and a
rewrite of those events by whoever holds the chain key. The checkpoint interval bounds that
window; the cut tail below is detected when it reaches into a checkpoint or leaves the head.
"""

import hashlib
import hmac
import ipaddress
import json
import os
import random
from collections import Counter
from collections.abc import Callable
from datetime import UTC, timedelta

import pytest
from django.db import connection, transaction

from ilonet.audit import checkpoints
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.chain import chain_keys, event_hash
from ilonet.audit.models import GENESIS_HASH, AuditEvent, ChainHead
from ilonet.audit.verification import verify_chain

pytestmark = pytest.mark.django_db

TAMPERINGS = int(os.environ.get("ILONET_AUDIT_TAMPERINGS") or 1000)
_seed_text = os.environ.get("ILONET_AUDIT_TAMPER_SEED")
if _seed_text is None and "ILONET_AUDIT_TAMPERINGS" in os.environ:
    _seed_text = str(random.randrange(2**32))  # noqa: S311
    print(f"\naudit tampering campaign: seed {_seed_text}, {TAMPERINGS} tamperings")  # noqa: T201
SEED = int(_seed_text or 20261203)

EVENTS = 40
CHECKPOINTED = 30  # events 1..30 are under a signed checkpoint; 31..40 are the tail after it
HASHED = ("seq", "occurred_at", "actor_id", "actor_label", "action", "outcome", "object_type",
          "object_id", "object_repr", "ip_address", "user_agent", "request_id", "details")  # fmt: skip
COLUMNS = (*HASHED[1:], "prev_hash", "hash", "key_id")  # seq: see reorderings and deletions
TABLE = "audit_auditevent"
FAR = 10**12  # a free sequence number while two events swap theirs


@pytest.fixture
def trail(make_user):
    """40 events from two people, details of every shape, a signed checkpoint at event 30."""
    people = [make_user(None), make_user(None)]
    AuditEvent.objects.all().delete()  # the trail starts here, at event 1
    ChainHead.objects.filter(id=1).update(seq=0, hash=GENESIS_HASH)
    for i in range(EVENTS):
        audit.record(
            action=AuditAction.RECORD_UPDATED,
            actor=people[i % 2] if i % 3 else None,
            actor_label=f"label {i} ü",
            obj=people[(i + 1) % 2] if i % 4 else None,
            details={"i": i, "names": ["a", "b"], "nested": {"k": i * 1.5, "flag": i % 2 == 0}},
        )
    # as if written from a browser: an address, a client and a request id in every event, set
    # here and the chain rehashed with the real key (the set-up, not a tampering)
    AuditEvent.objects.update(ip_address="192.0.2.7", user_agent="Mozilla/5.0 «x»", request_id="r1")
    _rehash_from(1, hasher=_keyed, move_head=True)
    call_command_at(CHECKPOINTED)
    return {"people": [p.pk for p in people], "first": 1, "last": EVENTS}


def call_command_at(seq: int) -> None:
    """Sign a checkpoint of the chain at ``seq`` (as ``audit_checkpoint`` does at the head)."""
    event = AuditEvent.objects.get(seq=seq)
    checkpoints.append(
        seq=seq, hash=event.hash, key_id=event.key_id, key=checkpoints.signing_key(),
        path=checkpoints.default_path(),
    )  # fmt: skip


def _signed() -> list[checkpoints.Checkpoint]:
    return checkpoints.read(path=checkpoints.default_path(), public_key=checkpoints.configured_public_key())


def _rows(from_seq: int = 1) -> list[dict]:
    return list(
        AuditEvent.objects.filter(seq__gte=from_seq)
        .order_by("seq")
        .values("id", *HASHED, "prev_hash", "hash", "key_id")
    )


def _payload_row(row: dict) -> dict:
    row = dict(row)
    row["occurred_at"] = row["occurred_at"].astimezone(UTC)
    return row


def _keyed(prev: str, row: dict) -> str:
    """The chain's own recipe with the real chain key (a stolen key, or the set-up)."""
    return event_hash(prev, _payload_row(row), chain_keys().keys[row["key_id"]])


def _plain(prev: str, row: dict) -> str:
    """The published recipe without any key: SHA-256 of prev_hash and the canonical event."""
    payload = {name: row[name] for name in HASHED}
    payload["occurred_at"] = row["occurred_at"].astimezone(UTC).isoformat(timespec="microseconds")
    if row.get("key_id") is not None:
        payload["key_id"] = row["key_id"]
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev + blob).encode()).hexdigest()


def _own_key(prev: str, row: dict) -> str:
    """HMAC under the right key id with a key the attacker made up."""
    payload = {name: row[name] for name in HASHED}
    payload["occurred_at"] = row["occurred_at"].astimezone(UTC).isoformat(timespec="microseconds")
    payload["key_id"] = row["key_id"]
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(b"mallory's own key", (prev + blob).encode(), hashlib.sha256).hexdigest()


def _rehash_from(seq: int, *, hasher: Callable[[str, dict], str], move_head: bool) -> None:
    """Recompute prev_hash and hash of every event from ``seq`` on (and move the head)."""
    rows = _rows(seq)
    if not rows:
        return
    prev = rows[0]["prev_hash"]
    if seq > 1:
        before = (
            AuditEvent.objects.filter(seq__lt=seq).order_by("-seq").values_list("hash", flat=True).first()
        )
        prev = before or prev
    with connection.cursor() as cursor:
        for row in rows:
            digest = hasher(prev, row)
            cursor.execute(
                f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, row["id"]]
            )  # noqa: S608
            prev = digest
        if move_head:
            cursor.execute(
                "UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = 1", [rows[-1]["seq"], prev]
            )


def _move_head_to_last() -> None:
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first() or (0, GENESIS_HASH)
    ChainHead.objects.filter(id=1).update(seq=last[0], hash=last[1])


def _set(seq: int, column: str, value) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {column} = %s WHERE seq = %s", [value, seq])  # noqa: S608


# --- tamperings: each one changes the trail, and may cover its tracks -----------------------------


def _other_value(rng: random.Random, column: str, current, people: list[int]):
    """A value for ``column`` that differs from ``current`` (as the chain would hash it)."""
    if column == "occurred_at":
        return current + timedelta(microseconds=rng.choice([1, -1, 1000, 3_600_000_000, -86_400_000_000]))
    if column == "actor_id":
        return rng.choice([p for p in [None, *people] if p != current])
    if column == "ip_address":
        return str(
            ipaddress.ip_address(rng.choice([0x0A000001, 0xC0000208, 0x7F000001]) + rng.randrange(1, 50))
        )
    if column == "details":
        variants = [{}, {"i": -1}, {"i": rng.randrange(10**6)}, {"names": ["a"]}, [1], "x", None]
        value = rng.choice(variants)
        return json.dumps(value)
    if column in ("prev_hash", "hash"):
        text = list(current)
        position = rng.randrange(len(text))
        text[position] = rng.choice([c for c in "0123456789abcdef" if c != text[position]])
        return "".join(text)
    if column == "key_id":
        return rng.choice([k for k in [None, "t2", "t0", "T1"] if k != current])
    if column == "outcome":
        return rng.choice([o for o in ["success", "denied", "failure", "SUCCESS"] if o != current])
    choices = [current + " ", current[:-1] if current else "x", rng.choice(["mallory", "", "0", "ü"])]
    return rng.choice([c for c in choices if c != current])


def edit_column(rng, people) -> str:
    """One column of one event changed; perhaps its own hash recomputed (without the key), or
    the whole chain after it, and the head moved."""
    row = rng.choice(_rows())
    column = rng.choice(COLUMNS)
    value = _other_value(rng, column, row[column], people)
    if column == "details":
        if value == json.dumps(row["details"]):
            value = json.dumps({"changed": True})
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET details = %s WHERE seq = %s", [value, row["seq"]])  # noqa: S608
    else:
        _set(row["seq"], column, value)
    cover = rng.choice(["none", "own hash", "chain"]) if column not in ("prev_hash", "hash") else "none"
    if cover == "own hash":
        fresh = _rows(row["seq"])[0]
        _set(row["seq"], "hash", rng.choice([_plain, _own_key])(fresh["prev_hash"], fresh))
    elif cover == "chain":
        _rehash_from(row["seq"], hasher=rng.choice([_plain, _own_key]), move_head=True)
    return f"edit {column} of #{row['seq']} ({cover})"


def delete_events(rng, people) -> str:
    """One or a run of events deleted; perhaps the chain relinked without the key."""
    seqs = [r["seq"] for r in _rows()]
    start = rng.randrange(len(seqs))
    count = rng.choice([1, 1, 2, 5])
    gone = seqs[start : start + count]
    AuditEvent.objects.filter(seq__in=gone).delete()
    cover = rng.choice(["none", "renumber", "renumber and rehash"])
    if gone[-1] == seqs[-1] and gone[0] > CHECKPOINTED:
        cover = "none"  # a cut tail after the checkpoint with the head moved: the window left
    if cover != "none":
        with connection.cursor() as cursor:
            for row in _rows(gone[-1] + 1):
                cursor.execute(
                    f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [row["seq"] - len(gone), row["id"]]
                )  # noqa: S608
        if cover == "renumber and rehash":
            _rehash_from(gone[0], hasher=rng.choice([_plain, _own_key]), move_head=True)
        else:
            _move_head_to_last()
    return f"delete #{gone[0]}..#{gone[-1]} ({cover})"


def insert_event(rng, people) -> str:
    """A forged event inserted: at the end, or in the middle with the later events moved up."""
    rows = _rows()
    at = rng.randrange(1, len(rows) + 2)  # the new event's sequence number
    template = dict(rng.choice(rows))
    template.pop("id")
    template.update(actor_label="mallory", details={"forged": True}, seq=at)
    if at <= len(rows):
        with connection.cursor() as cursor:
            for row in reversed(_rows(at)):
                cursor.execute(f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [row["seq"] + 1, row["id"]])  # noqa: S608
    prev = AuditEvent.objects.filter(seq__lt=at).order_by("-seq").values_list("hash", flat=True).first()
    template["prev_hash"] = prev or GENESIS_HASH
    hasher = rng.choice([_plain, _own_key])
    template["hash"] = hasher(template["prev_hash"], template)
    AuditEvent.objects.bulk_create([AuditEvent(**{k: v for k, v in template.items() if k != "actor_id"},
                                               actor_id=template["actor_id"])])  # fmt: skip
    cover = rng.choice(["none", "rehash"])
    if cover == "rehash":
        _rehash_from(at, hasher=hasher, move_head=True)
    return f"insert at #{at} ({hasher.__name__}, {cover})"


def reorder_events(rng, people) -> str:
    """Two events (neighbours or not) swap their places; perhaps the links recomputed."""
    seqs = [r["seq"] for r in _rows()]
    a = rng.randrange(len(seqs) - 1)
    b = a + 1 if rng.random() < 0.5 else rng.randrange(a + 1, len(seqs))
    first, second = seqs[a], seqs[b]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [FAR, first])  # noqa: S608
        cursor.execute(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [first, second])  # noqa: S608
        cursor.execute(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [second, FAR])  # noqa: S608
    cover = rng.choice(["none", "relink", "rehash"])
    if cover == "relink":  # the stored links follow the new order, the hashes stay
        prev = GENESIS_HASH if first == 1 else AuditEvent.objects.get(seq=first - 1).hash
        for row in _rows(first):
            _set(row["seq"], "prev_hash", prev)
            prev = row["hash"]
        _move_head_to_last()
    elif cover == "rehash":
        _rehash_from(first, hasher=rng.choice([_plain, _own_key]), move_head=True)
    return f"swap #{first} and #{second} ({cover})"


def recompute_chain(rng, people) -> str:
    """The whole chain recomputed from some event on without the chain key: plain SHA-256
    (keyed or unkeyed rows), or HMAC with a key of the attacker's own; content changed or not."""
    start = rng.randrange(1, EVENTS + 1)
    if rng.random() < 0.7:
        _set(start, "actor_label", "mallory")
    if rng.random() < 0.3:
        AuditEvent.objects.filter(seq__gte=start).update(key_id=None)
    _rehash_from(start, hasher=rng.choice([_plain, _own_key]), move_head=True)
    return f"recompute from #{start} without the key"


def rewrite_with_stolen_key(rng, people) -> str:
    """An event under the signed checkpoint changed and the chain recomputed with the real
    chain key: only the checkpoint shows it."""
    start = rng.randrange(1, CHECKPOINTED + 1)
    _set(start, "actor_label", "mallory")
    _rehash_from(start, hasher=_keyed, move_head=True)
    return f"rewrite from #{start} with the stolen key"


def cut_tail(rng, people) -> str:
    """The last events removed: below the last signed checkpoint (head moved or not), or only
    events after it with the head left where it was."""
    if rng.random() < 0.5:
        keep = rng.randrange(0, CHECKPOINTED)
        AuditEvent.objects.filter(seq__gt=keep).delete()
        if rng.random() < 0.7:
            _move_head_to_last()
        return f"cut the tail after #{keep} (under the checkpoint)"
    keep = rng.randrange(CHECKPOINTED, EVENTS)
    AuditEvent.objects.filter(seq__gt=keep).delete()
    return f"cut the tail after #{keep} (head left)"


TAMPERINGS_BY_KIND = {
    "edit": edit_column,
    "delete": delete_events,
    "insert": insert_event,
    "reorder": reorder_events,
    "recompute": recompute_chain,
    "stolen key": rewrite_with_stolen_key,
    "cut tail": cut_tail,
}
WEIGHTS = {"edit": 4, "delete": 1, "insert": 1, "reorder": 1, "recompute": 1, "stolen key": 1, "cut tail": 1}


class _Undo(Exception):
    pass


def _detected() -> tuple[bool, str]:
    report = verify_chain(checkpoints=_signed())
    return (not report.ok), report.reason


def test_the_untampered_trail_verifies_against_its_checkpoint(trail):
    report = verify_chain(checkpoints=_signed())
    assert report.ok and report.checked == EVENTS and report.checkpoints == 1, report


def test_every_random_tampering_is_detected(trail):
    rng = random.Random(SEED)  # noqa: S311 - a reproducible campaign
    kinds = list(WEIGHTS)
    missed: list[str] = []
    done: Counter[str] = Counter()
    for number in range(TAMPERINGS):
        kind = rng.choices(kinds, weights=[WEIGHTS[k] for k in kinds])[0]
        try:
            with transaction.atomic():
                what = TAMPERINGS_BY_KIND[kind](rng, trail["people"])
                detected, reason = _detected()
                raise _Undo
        except _Undo:
            pass
        done[kind] += 1
        if not detected:
            missed.append(f"{number}: {what}")
    assert sum(done.values()) == TAMPERINGS
    assert all(done[kind] > 0 for kind in kinds) or TAMPERINGS < 100, done
    assert missed == [], f"seed {SEED}: {len(missed)} tamperings not detected:\n" + "\n".join(missed[:20])
    assert verify_chain(checkpoints=_signed()).ok  # each tampering was undone


def test_cutting_the_tail_after_the_last_checkpoint_and_moving_the_head_is_the_window_left(trail):
    """Not a tampering the chain can show: the interval between checkpoints bounds it."""
    AuditEvent.objects.filter(seq__gt=CHECKPOINTED + 5).delete()
    _move_head_to_last()
    assert verify_chain(checkpoints=_signed()).ok
