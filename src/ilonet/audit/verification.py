"""Verify the audit chain from the first event (or a checkpoint) to the head, and against the
signed checkpoints."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .chain import chain_keys, event_hash
from .checkpoints import Checkpoint
from .models import GENESIS_HASH, AuditEvent, ChainHead

FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_label", "action", "outcome", "object_type",
    "object_id", "object_repr", "ip_address", "user_agent", "request_id", "details",
    "prev_hash", "hash", "key_id",
)  # fmt: skip


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""
    unkeyed: int = 0  # events written before the chain was keyed (plain SHA-256)
    content_checked: bool = True  # False: verified without the chain key (links only)
    checkpoints: int = 0  # signed checkpoints the chain was compared with


@dataclass
class _Walk:
    prev_hash: str
    expected_seq: int
    keyed_seen: bool
    accept_unkeyed: bool = False
    checked: int = 0
    unkeyed: int = 0


def _check_row(row: dict, walk: _Walk, keys: dict[str, bytes] | None) -> str:
    """The reason ``row`` does not fit the chain, or ""."""
    if row["seq"] != walk.expected_seq:
        return "missing event (sequence gap)"
    if row["prev_hash"] != walk.prev_hash:
        return "does not link to the previous event"
    if row["key_id"] is None:
        if walk.keyed_seen:  # a downgrade: unkeyed hashes are accepted only before keyed ones
            return "unkeyed event after keyed events (rewritten without the chain key)"
        if not walk.accept_unkeyed:
            return "not keyed (written before the chain key, or rewritten without it; see --accept-unkeyed)"
        walk.unkeyed += 1
        if event_hash(walk.prev_hash, row) != row["hash"]:
            return "content changed after it was written"
        return ""
    walk.keyed_seen = True
    if keys is None:
        return ""
    if row["key_id"] not in keys:
        return f"hashed with an unknown chain key id {row['key_id']!r}"
    if event_hash(walk.prev_hash, row, keys[row["key_id"]]) != row["hash"]:
        return "content changed after it was written (hash does not verify with the chain key)"
    return ""


def _against_checkpoints(checkpoints: Sequence[Checkpoint], last_seq: int) -> tuple[int | None, str]:
    """Each signed (seq, hash) must still be in the chain: a rewrite by whoever holds the chain
    key changes the hash at a checkpointed sequence number, a truncation removes it."""
    stored = dict(AuditEvent.objects.filter(seq__in={p.seq for p in checkpoints}).values_list("seq", "hash"))
    stored[0] = GENESIS_HASH
    for point in sorted(checkpoints, key=lambda p: p.seq):
        if point.seq > last_seq:
            return point.seq, (
                f"chain truncated: a checkpoint signed at {point.at} holds event #{point.seq}, "
                f"the chain ends at #{last_seq}"
            )
        if stored.get(point.seq) != point.hash:
            return point.seq, (
                f"does not match the checkpoint signed at {point.at}: the chain up to this event "
                f"was rewritten"
            )
    return None, ""


def verify_chain(
    *,
    keyed: bool = True,
    checkpoints: Sequence[Checkpoint] = (),
    start: Checkpoint | None = None,
    accept_unkeyed: bool = False,
    batch_size: int = 5000,
) -> ChainReport:
    """Walk every event in sequence order; stop at the first one that does not fit.

    Catches edited content (hash mismatch: an edit without the chain key cannot produce a valid
    HMAC), removed or reordered events (sequence gap or prev_hash mismatch), removed tail events
    (head does not match the last event) and, given ``checkpoints``, a rewrite or truncation by
    whoever holds the chain key. ``keyed=False`` verifies as an outside auditor who holds only
    the checkpoints' public key: links, sequence and checkpoints, not the content of keyed
    events. ``start`` (a checkpoint already matched) walks only the events after it.
    ``accept_unkeyed`` verifies events written before the chain was keyed (``key_id`` NULL) by
    their plain SHA-256, as a prefix of the chain only; by default they are a failure, since
    anyone with write access to the database could have rewritten them.
    """
    keys = chain_keys().keys if keyed else None
    walk = _Walk(GENESIS_HASH, 1, keyed_seen=False, accept_unkeyed=accept_unkeyed)
    rows = AuditEvent.objects.order_by("seq")
    if start is not None:
        walk = _Walk(start.hash, start.seq + 1, keyed_seen=start.key_id is not None,
                     accept_unkeyed=accept_unkeyed)  # fmt: skip
        rows = rows.filter(seq__gt=start.seq)
    report: dict[str, Any] = {"content_checked": keyed, "checkpoints": len(checkpoints)}
    for row in rows.values(*FIELDS).iterator(chunk_size=batch_size):
        reason = _check_row(row, walk, keys)
        if reason:
            seq = walk.expected_seq if reason.startswith("missing") else row["seq"]
            return ChainReport(False, walk.checked, seq, reason, walk.unkeyed, **report)
        walk.prev_hash, walk.expected_seq, walk.checked = row["hash"], walk.expected_seq + 1, walk.checked + 1
    last_seq = walk.expected_seq - 1
    broken, reason = _against_checkpoints(checkpoints, last_seq)
    if broken is not None:
        return ChainReport(False, walk.checked, broken, reason, walk.unkeyed, **report)
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and (head.seq != last_seq or head.hash != walk.prev_hash):
        return ChainReport(False, walk.checked, walk.expected_seq, "events missing at the end of the chain",
                           walk.unkeyed, **report)  # fmt: skip
    return ChainReport(True, walk.checked, unkeyed=walk.unkeyed, **report)
