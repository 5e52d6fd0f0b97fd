"""Verify the audit chain from the first event (or a checkpoint) to the head, and against the
signed checkpoints."""

import multiprocessing
import os
import queue
import sqlite3
import threading
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring  # json.dumps's string encoder (ensure_ascii=False)
from typing import Any

from django.db import connection, connections

from . import deferred
from .chain import canonical_event, canonical_time, chain_keys, chained_hash, mac, stored_details
from .checkpoints import Checkpoint
from .models import GENESIS_HASH, AuditEvent, ChainHead
from .writelock import database_file


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
    prev_hash: str | None  # None: a segment of a parallel walk, linked by the caller (_merge)
    expected_seq: int
    keyed_seen: bool
    accept_unkeyed: bool = False
    checked: int = 0
    unkeyed: int = 0
    first_prev: str | None = None  # the stored prev_hash of the first row walked
    first_unkeyed: int | None = None  # sequence number of the first unkeyed event walked
    first_seq: int | None = None  # a segment's first sequence number (prev_hash None at the start)


# The columns of a row, in order; occurred_at as canonical text (see _select), details as JSON text.
_COLUMNS = (
    "seq", "occurred_at", "actor_id", "actor_label", "action", "outcome", "object_type",
    "object_id", "object_repr", "ip_address", "user_agent", "request_id", "details",
    "prev_hash", "hash", "key_id",
)  # fmt: skip


MAX_SEQ = 2**63 - 1  # no upper bound: every event after ``low``
FETCH = 20_000  # rows per fetch from the one cursor of a walk


def _select() -> str:
    """The rows of (low, high] in sequence order: one statement, read by one forward cursor
    (an index range scan on ``seq``), tuples, no model instances. The time comes as UTC text
    (PostgreSQL: a cast, far cheaper on the server than formatting it with ``to_char``; SQLite:
    its stored text), made canonical once per distinct value by the walk (``_Times``)."""
    if connection.vendor == "postgresql":
        time = "(occurred_at AT TIME ZONE 'UTC')::text"
    else:
        time = "CAST(occurred_at AS TEXT)"
    columns = [time if name == "occurred_at" else name for name in _COLUMNS]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    place = "%s" if connection.vendor == "postgresql" else "?"
    return (
        f"SELECT {', '.join(columns)} FROM {table} WHERE seq > {place} AND seq <= {place} "  # noqa: S608
        "ORDER BY seq"
    )


def stream(low: int, high: int | None, size: int = FETCH) -> Generator[list[tuple], None, None]:
    """The rows with ``low < seq <= high`` (``high`` None: to the end) in sequence order, in
    lists of ``size``, read by one query at the speed of the database, outside the ORM:

    - PostgreSQL: a server-side (named) cursor, ``size`` rows per round trip, with the driver's
      C loaders (measured faster than ``COPY … TO STDOUT`` parsed by ``rows()``);
    - SQLite: one forward cursor, ``fetchmany(size)``; on a connection of its own without
      Django's type detection when the database is a file and no transaction of the caller's
      is open (else on the caller's connection, which alone sees its uncommitted rows).

    One statement is one snapshot: the rows do not move under the walk, and no keyset query
    restarts the index scan. The caller closes the generator (``contextlib.closing``) when it
    stops early, which ends the cursor and its transaction."""
    bounds = (low, MAX_SEQ if high is None else high)
    statement = _select()
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw = connection.connection
        with raw.transaction(), raw.cursor(name=f"audit_verify_{low}") as cursor:
            cursor.itersize = size
            cursor.execute(statement, bounds)
            while batch := cursor.fetchmany(size):
                yield batch
        return
    path = database_file(connection)
    own = path is not None and not connection.in_atomic_block
    if path is not None and own:
        raw = sqlite3.connect(path, timeout=5, check_same_thread=False)
        raw.execute("PRAGMA query_only = ON")
    else:
        connection.ensure_connection()
        raw = connection.connection
    cursor = raw.cursor()
    try:
        cursor.execute(statement, bounds)
        while batch := cursor.fetchmany(size):
            yield batch
    finally:
        cursor.close()
        if own:
            raw.close()


def _utc_time(text: str) -> str:
    """A UTC time as text, "YYYY-MM-DD HH:MM:SS[.f…]" (SQLite stores ``str(naive UTC
    datetime)``; PostgreSQL writes a timestamp without its fraction's trailing zeros), in its
    canonical form (``chain.canonical_time``)."""
    size = len(text)
    if size == 26:
        return f"{text[:10]}T{text[11:]}+00:00"
    if size == 19:
        return f"{text[:10]}T{text[11:]}.000000+00:00"
    if 20 < size < 26 and text[19] == ".":
        return f"{text[:10]}T{text[11:19]}.{text[20:]:0<6}+00:00"
    moment = datetime.fromisoformat(text)
    return canonical_time(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _shareable() -> bool:
    """Whether another connection sees what this one sees: no uncommitted transaction, no
    in-memory SQLite database."""
    memory = connection.vendor == "sqlite" and database_file(connection) is None
    return not (connection.in_atomic_block or memory)


def _rows(after_seq: int, batch_size: int, until: int | None = None) -> Iterator[tuple]:
    """The rows, read one batch ahead by a thread with its own connection when it can: the
    database reads (and sends) the next batch while this thread checks the current one (the
    database driver lets go of the interpreter lock while it waits)."""
    if not _shareable():
        with closing(stream(after_seq, until, batch_size)) as batches:
            for batch in batches:
                yield from batch
        return
    ahead: queue.Queue[list[tuple] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def read() -> None:
        try:
            with closing(stream(after_seq, until, batch_size)) as batches:
                for batch in batches:
                    while not stop.is_set():
                        try:
                            ahead.put(batch, timeout=0.1)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
            ahead.put(None)
        except BaseException as error:  # noqa: BLE001 (handed to the reading thread, raised there)
            ahead.put(error)
        finally:
            connections.close_all()  # this thread's own connection

    reader = threading.Thread(target=read, name="audit-verify-reader", daemon=True)
    reader.start()
    try:
        while (item := ahead.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield from item
    finally:
        stop.set()
        reader.join()


def _canonical(row: tuple, key_id: str | None) -> str:
    return canonical_event(row[0], _utc_time(row[1]), row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                           row[9], row[10], row[11], stored_details(row[12]), key_id)  # fmt: skip


CHANGED = "content changed after it was written (hash does not verify with the chain key)"
DOWNGRADE = "unkeyed event after keyed events (rewritten without the chain key)"


def _check_unkeyed(row: tuple, walk: _Walk) -> str:
    """An event written before the chain was keyed: accepted only as a prefix, when asked (its
    link to the previous event is already checked)."""
    if walk.first_unkeyed is None:
        walk.first_unkeyed = row[0]
    if walk.keyed_seen:  # a downgrade: unkeyed hashes are accepted only before keyed ones
        return DOWNGRADE
    if not walk.accept_unkeyed:
        return "not keyed (written before the chain key, or rewritten without it; see --accept-unkeyed)"
    walk.unkeyed += 1
    if chained_hash(row[13], _canonical(row, None), None) != row[14]:
        return "content changed after it was written"
    return ""


class _Encoded(dict):
    """``encode_basestring`` of the columns that repeat from event to event (action, outcome,
    actor label, object type, time of a chunk, user agent, request id, key id …), computed once
    per distinct value; ``None`` is ``null``. Bounded: cleared when it holds ``LIMIT`` values."""

    LIMIT = 4096

    def __init__(self) -> None:
        super().__init__({None: "null"})

    def __missing__(self, value: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
            self[None] = "null"
        text = self[value] = encode_basestring(value)
        return text


class _Times(_Encoded):
    """The same for times as read (``_select``): their canonical form (``_utc_time``), encoded.
    The events of a bulk chunk share their time, so this is one conversion per chunk."""

    def __missing__(self, value: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
            self[None] = "null"
        text = self[value] = encode_basestring(_utc_time(value))
        return text


def _walk(rows: Iterable[tuple], walk: _Walk, keys: dict[str, bytes] | None) -> tuple[int | None, str]:
    """Check every row against the chain; (the first broken sequence number, why) or (None, "").
    The loop runs once per event of the trail: plain tuples, the canonical JSON of
    ``chain.canonical_event`` assembled inline (the repeating columns encoded once, see
    ``_Encoded``) and one HMAC each. Details stored as text are first hashed as they are (the
    bulk path stores them canonical, byte for byte what it hashed; not PostgreSQL's jsonb); only
    when that does not verify are they parsed and dumped canonically (``stored_details``) and
    hashed again."""
    pads = {key_id: mac(key).pads() for key_id, key in (keys or {}).items()}
    details, enc, e, times = stored_details, encode_basestring, _Encoded(), _Times()
    as_stored = connection.vendor != "postgresql"  # jsonb is never stored as it was hashed
    prev_hash, expected, checked = walk.prev_hash, walk.expected_seq, 0
    try:
        for row in rows:
            (seq, at, actor_id, label, action, outcome, type_, id_, repr_, ip, agent, request, data, prev,
             digest, key_id) = row  # fmt: skip
            if prev_hash is None:  # the first row of a segment: its number and link are checked by _merge
                prev_hash, walk.first_prev = prev, prev
                expected = walk.first_seq = seq
            if seq != expected:
                return expected, "missing event (sequence gap)"
            if prev != prev_hash:
                return seq, "does not link to the previous event"
            if key_id is None:
                reason = _check_unkeyed(row, walk)
                if reason:
                    return seq, reason
            else:
                walk.keyed_seen = True
                if keys is not None:
                    pad = pads.get(key_id)
                    if pad is None:
                        return seq, f"hashed with an unknown chain key id {key_id!r}"
                    # canonical_event(...), inline: the same bytes (tests/test_bulk.py); the HMAC
                    # of chain.Mac inline (the padded key's hash states copied)
                    actor = "null" if actor_id is None else int(actor_id)
                    before = (
                        f'{prev}{{"action":{e[action]},"actor_id":{actor},"actor_label":{e[label]},"details":'
                    )
                    after = (
                        f',"ip_address":{e[ip]},"key_id":{e[key_id]},"object_id":{enc(id_)},'
                        f'"object_repr":{enc(repr_)},"object_type":{e[type_]},"occurred_at":{times[at]},'
                        f'"outcome":{e[outcome]},"request_id":{e[request]},"seq":{int(seq)},'
                        f'"user_agent":{e[agent]}}}'
                    )
                    ok = False
                    if as_stored and type(data) is str:  # hashed as stored, when it verifies
                        inner, outer = pad[0].copy(), pad[1].copy()
                        inner.update(f"{before}{data}{after}".encode())
                        outer.update(inner.digest())
                        ok = outer.hexdigest() == digest
                    if not ok:
                        inner, outer = pad[0].copy(), pad[1].copy()
                        inner.update(f"{before}{details(data)}{after}".encode())
                        outer.update(inner.digest())
                        if outer.hexdigest() != digest:
                            return seq, CHANGED
            prev_hash, expected, checked = digest, expected + 1, checked + 1
        return None, ""
    finally:
        walk.prev_hash, walk.expected_seq = prev_hash, expected
        walk.checked += checked


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


PARALLEL_FROM = 200_000  # events: below, one process is done before others have started
MAX_WORKERS = 4


def _workers(requested: int | None, events: int) -> int:
    """How many processes verify: ``requested`` (None: one per core, up to MAX_WORKERS, from
    PARALLEL_FROM events on), and one whenever others could not read what this one sees."""
    if not _shareable():
        return 1
    if requested is None:
        return min(MAX_WORKERS, os.cpu_count() or 1) if events >= PARALLEL_FROM else 1
    return max(1, requested)


def _segment(task: tuple[int, int, bool, bool, int]) -> tuple[_Walk, int | None, str]:
    """In a worker process: walk the events in (low, high], their first link left to _merge."""
    low, high, keyed, accept_unkeyed, batch_size = task
    try:
        walk = _Walk(None, low + 1, keyed_seen=False, accept_unkeyed=accept_unkeyed)
        broken, reason = _walk(_rows(low, batch_size, until=high), walk, chain_keys().keys if keyed else None)
        return walk, broken, reason
    finally:
        connections.close_all()


def _merge(walk: _Walk, segment: _Walk, broken: int | None, reason: str) -> tuple[int | None, str]:
    """Continue ``walk`` with a segment walked in parallel: its first link, the unkeyed prefix
    across segments, then its own verdict."""
    first = walk.expected_seq
    if segment.first_seq is None:  # no event in the segment: a gap shows at the next one, or at the end
        return None, ""
    if segment.first_seq != first:  # events missing at the end of the segments before
        return first, "missing event (sequence gap)"
    if segment.first_prev != walk.prev_hash:
        return first, "does not link to the previous event"
    if (
        walk.keyed_seen
        and segment.first_unkeyed is not None
        and (broken is None or segment.first_unkeyed <= broken)
    ):
        walk.checked += segment.first_unkeyed - first
        return segment.first_unkeyed, DOWNGRADE
    walk.checked += segment.checked
    walk.unkeyed += segment.unkeyed
    if broken is not None:
        return broken, reason
    walk.keyed_seen = walk.keyed_seen or segment.keyed_seen
    walk.prev_hash, walk.expected_seq = segment.prev_hash, segment.expected_seq
    return None, ""


SEGMENTS_PER_WORKER = 4  # a worker that ends its segment early takes the next one


def _segments(low: int, high: int, workers: int) -> list[tuple[int, int]]:
    """(low, high] cut into consecutive ranges of sequence numbers, ``SEGMENTS_PER_WORKER``
    per worker, in order."""
    count = workers * SEGMENTS_PER_WORKER
    bounds = [low + (high - low) * i // count for i in range(count + 1)]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _walk_parallel(
    walk: _Walk, *, until: int, keyed: bool, workers: int, batch_size: int
) -> tuple[int | None, str]:
    """Walk (walk.expected_seq - 1, until] in ``workers`` processes, segment by segment, and
    merge the segments in order. Each process opens its own database connection."""
    tasks = [
        (a, b, keyed, walk.accept_unkeyed, batch_size)
        for a, b in _segments(walk.expected_seq - 1, until, workers)
    ]
    connections.close_all()  # forked processes must not share this process's connection
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for segment, broken, reason in pool.map(_segment, tasks):
            result = _merge(walk, segment, broken, reason)
            if result[0] is not None:
                pool.shutdown(wait=True, cancel_futures=True)
                return result
    return None, ""


def verify_chain(
    *,
    keyed: bool = True,
    checkpoints: Sequence[Checkpoint] = (),
    start: Checkpoint | None = None,
    accept_unkeyed: bool = False,
    batch_size: int = FETCH,
    workers: int | None = 1,
    head: tuple[int, str] | None = None,
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

    ``workers`` processes walk segments of the chain up to the head as it was when verification
    began (None: one per core from PARALLEL_FROM events on); the events appended meanwhile, and
    everything when one process walks, are walked here.

    ``head`` (sequence number and hash, read beforehand) verifies the chain up to that head and
    no further, without any lock: events appended meanwhile are left for the next time.
    """
    deferred.flush()  # events queued by this transaction (PostgreSQL) are part of the chain it sees
    keys = chain_keys().keys if keyed else None
    walk = _Walk(GENESIS_HASH, 1, keyed_seen=False, accept_unkeyed=accept_unkeyed)
    if start is not None:
        walk = _Walk(start.hash, start.seq + 1, keyed_seen=start.key_id is not None,
                     accept_unkeyed=accept_unkeyed)  # fmt: skip
    report: dict[str, Any] = {"content_checked": keyed, "checkpoints": len(checkpoints)}
    if head is not None:
        head_seq = head[0]
    else:
        head_seq = ChainHead.objects.filter(id=1).values_list("seq", flat=True).first() or 0
    workers = _workers(workers, head_seq - walk.expected_seq + 1)
    if workers > 1 and head_seq >= walk.expected_seq:
        broken, reason = _walk_parallel(
            walk, until=head_seq, keyed=keyed, workers=workers, batch_size=batch_size
        )
        if broken is not None:
            return ChainReport(False, walk.checked, broken, reason, walk.unkeyed, **report)
    until = head[0] if head is not None else None
    broken, reason = _walk(_rows(walk.expected_seq - 1, batch_size, until=until), walk, keys)
    if broken is not None:
        return ChainReport(False, walk.checked, broken, reason, walk.unkeyed, **report)
    last_seq = walk.expected_seq - 1
    broken, reason = _against_checkpoints(checkpoints, last_seq)
    if broken is not None:
        return ChainReport(False, walk.checked, broken, reason, walk.unkeyed, **report)
    if head is None:
        head = ChainHead.objects.filter(id=1).values_list("seq", "hash").first()
    if head is not None and (head[0] != last_seq or head[1] != walk.prev_hash):
        return ChainReport(False, walk.checked, walk.expected_seq, "events missing at the end of the chain",
                           walk.unkeyed, **report)  # fmt: skip
    return ChainReport(True, walk.checked, unkeyed=walk.unkeyed, **report)
