"""Verify the audit chain from the first event (or a checkpoint) to the head, and against the
signed checkpoints."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from .chain import canonical_event, canonical_time, chain_keys, chained_hash, mac, stored_details
from .checkpoints import Checkpoint
from .models import GENESIS_HASH, AuditEvent, ChainHead


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


# The columns of a row, in order; occurred_at as canonical text (see _select), details as JSON text.
_COLUMNS = (
    "seq", "occurred_at", "actor_id", "actor_label", "action", "outcome", "object_type",
    "object_id", "object_repr", "ip_address", "user_agent", "request_id", "details",
    "prev_hash", "hash", "key_id",
)  # fmt: skip
_PG_TIME = "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"


def _select() -> str:
    """Keyset paging by sequence number: each batch one index range scan, no long-lived cursor,
    tuples, no model instances. PostgreSQL writes the time in its canonical form itself; SQLite
    returns its stored text (not converted to a datetime)."""
    time = _PG_TIME if connection.vendor == "postgresql" else "CAST(occurred_at AS TEXT)"
    columns = [time if name == "occurred_at" else name for name in _COLUMNS]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    return f"SELECT {', '.join(columns)} FROM {table} WHERE seq > %s ORDER BY seq LIMIT %s"  # noqa: S608


def _sqlite_time(text: str) -> str:
    """SQLite stores ``str(naive UTC datetime)``: "YYYY-MM-DD HH:MM:SS[.ffffff]"."""
    if len(text) == 26:
        return f"{text[:10]}T{text[11:]}+00:00"
    if len(text) == 19:
        return f"{text[:10]}T{text[11:]}.000000+00:00"
    moment = datetime.fromisoformat(text)
    return canonical_time(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _rows(after_seq: int, batch_size: int) -> Iterator[tuple]:
    statement = _select()
    convert = _sqlite_time if connection.vendor == "sqlite" else None
    while True:
        with connection.cursor() as cursor:
            cursor.execute(statement, [after_seq, batch_size])
            batch = cursor.fetchall()
        if not batch:
            return
        if convert is not None:
            batch = [(row[0], convert(row[1]), *row[2:]) for row in batch]
        yield from batch
        after_seq = batch[-1][0]


def _canonical(row: tuple, key_id: str | None) -> str:
    return canonical_event(*row[:12], stored_details(row[12]), key_id)


def _check_unkeyed(row: tuple, walk: _Walk) -> str:
    """An event written before the chain was keyed: accepted only as a prefix, when asked."""
    if walk.keyed_seen:  # a downgrade: unkeyed hashes are accepted only before keyed ones
        return "unkeyed event after keyed events (rewritten without the chain key)"
    if not walk.accept_unkeyed:
        return "not keyed (written before the chain key, or rewritten without it; see --accept-unkeyed)"
    walk.unkeyed += 1
    if chained_hash(walk.prev_hash, _canonical(row, None), None) != row[14]:
        return "content changed after it was written"
    return ""


def _walk(rows: Iterable[tuple], walk: _Walk, keys: dict[str, bytes] | None) -> tuple[int | None, str]:
    """Check every row against the chain; (the first broken sequence number, why) or (None, "")."""
    macs = {key_id: mac(key) for key_id, key in (keys or {}).items()}
    prev_hash, expected = walk.prev_hash, walk.expected_seq
    try:
        for row in rows:
            seq, key_id = row[0], row[15]
            if seq != expected:
                return expected, "missing event (sequence gap)"
            if row[13] != prev_hash:
                return seq, "does not link to the previous event"
            if key_id is None:
                walk.prev_hash = prev_hash
                reason = _check_unkeyed(row, walk)
                if reason:
                    return seq, reason
            else:
                walk.keyed_seen = True
                if keys is not None:
                    hasher = macs.get(key_id)
                    if hasher is None:
                        return seq, f"hashed with an unknown chain key id {key_id!r}"
                    if hasher.hexdigest((prev_hash + _canonical(row, key_id)).encode()) != row[14]:
                        return (
                            seq,
                            "content changed after it was written (hash does not verify with the chain key)",
                        )
            prev_hash, expected = row[14], expected + 1
            walk.checked += 1
        return None, ""
    finally:
        walk.prev_hash, walk.expected_seq = prev_hash, expected


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
    batch_size: int = 10000,
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
    if start is not None:
        walk = _Walk(start.hash, start.seq + 1, keyed_seen=start.key_id is not None,
                     accept_unkeyed=accept_unkeyed)  # fmt: skip
    report: dict[str, Any] = {"content_checked": keyed, "checkpoints": len(checkpoints)}
    broken, reason = _walk(_rows(walk.expected_seq - 1, batch_size), walk, keys)
    if broken is not None:
        return ChainReport(False, walk.checked, broken, reason, walk.unkeyed, **report)
    last_seq = walk.expected_seq - 1
    broken, reason = _against_checkpoints(checkpoints, last_seq)
    if broken is not None:
        return ChainReport(False, walk.checked, broken, reason, walk.unkeyed, **report)
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and (head.seq != last_seq or head.hash != walk.prev_hash):
        return ChainReport(False, walk.checked, walk.expected_seq, "events missing at the end of the chain",
                           walk.unkeyed, **report)  # fmt: skip
    return ChainReport(True, walk.checked, unkeyed=walk.unkeyed, **report)
