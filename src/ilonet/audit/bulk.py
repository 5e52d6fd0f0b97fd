"""Appending events to the audit chain at import scale (``services.record_many``).

The events are read from any iterable in bounded chunks (``CHUNK_SIZE``), so memory stays flat
whatever the size. Each event is prepared without the lock and without model instances: its
object fields, its details as canonical JSON (stored as hashed) and the part of its canonical
JSON that does not depend on its place in the chain (``EventTemplate.body``). Each chunk is then
one short transaction: lock the chain head, number and hash the chunk's events (a string
concatenation and an HMAC each), write them with ``COPY … FROM STDIN`` on PostgreSQL or one
``executemany`` on SQLite, move the head, commit. Interactive ``record`` calls wait for one chunk
at most and interleave between chunks; the chain stays one linear chain, verified as any other.

Called inside a transaction (``transaction.atomic``), the chunks are savepoints of it and the
head stays locked until it commits: call it outside one for an import of millions of events
(each chunk then commits on its own; a failure leaves the chunks before it, whole and chained),
or from one transaction per batch of the import (the batch's rows and its events together).
"""

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from . import deferred, writelock
from .chain import EventTemplate, canonical_details, canonical_time, chain_keys, mac
from .context import current
from .models import AuditEvent, ChainHead

CHUNK_SIZE = 2000
MAX_REPR = 200

COLUMNS = (
    "seq", "occurred_at", "actor_id", "actor_label", "action", "outcome", "object_type",
    "object_id", "object_repr", "ip_address", "user_agent", "request_id", "details",
    "prev_hash", "hash", "key_id",
)  # fmt: skip


class BulkEvent(NamedTuple):
    """One event of a bulk append, named without a model instance (an import's row)."""

    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    details: dict[str, Any] | None = None


def object_fields(obj: Any) -> tuple[str, str, str]:
    """Type, id and representation of the object an event is about."""
    if obj is None:
        return "", "", ""
    meta = getattr(obj, "_meta", None)
    object_type = meta.label_lower if meta else type(obj).__name__
    object_id = str(getattr(obj, "pk", "") or "")
    return object_type, object_id, str(obj)[:MAX_REPR]


def _prepare(
    template: EventTemplate, context: tuple[str | None, str, str], obj: Any, details: dict[str, Any] | None
) -> tuple[str, tuple]:
    """One event, without the lock: the canonical JSON up to its time, and its columns from
    ``object_type`` to ``details`` (canonical JSON, stored as hashed). Plain tuples: this runs
    once per event of an import."""
    if type(obj) is BulkEvent:
        object_type, object_id, object_repr, own = obj
        object_id, object_repr = str(object_id), object_repr[:MAX_REPR]
        if own is not None:
            details = own
    else:
        object_type, object_id, object_repr = object_fields(obj)
    text = canonical_details(details)
    return template.body(text, object_type, object_id, object_repr), (
        object_type, object_id, object_repr, *context, text,
    )  # fmt: skip


def _table_writer() -> Callable[[Sequence[tuple]], None]:
    """Write rows (in ``COLUMNS`` order) into the audit table: COPY on PostgreSQL, one
    executemany on SQLite."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in COLUMNS)
    if connection.vendor == "postgresql":
        statement = f"COPY {table} ({columns}) FROM STDIN"

        def copy(rows: Sequence[tuple]) -> None:
            with connection.cursor() as cursor, cursor.cursor.copy(statement) as stream:
                for row in rows:
                    stream.write_row(row)

        return copy
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (names, not data)

    def insert(rows: Sequence[tuple]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(statement, rows)

    return insert


def append_many(
    *,
    action: str,
    actor_id: int | None,
    actor_label: str,
    outcome: str,
    items: Iterable[tuple[Any, dict[str, Any] | None]],
    chunk_size: int = CHUNK_SIZE,
) -> int:
    """Append one event per (object, details) of ``items``, chunk by chunk; returns how many."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1.")
    deferred.flush()  # events ``record`` queued earlier in this transaction come first
    keys = chain_keys()
    key_id = keys.current_id
    ctx = current.get()
    template = EventTemplate(
        action=action, actor_id=actor_id, actor_label=actor_label, outcome=outcome,
        ip_address=ctx.ip_address, user_agent=ctx.user_agent, request_id=ctx.request_id, key_id=key_id,
    )  # fmt: skip
    # A row: seq, occurred_at, these, the event's own columns (_prepare), prev_hash, hash, key_id.
    before = (actor_id, actor_label, action, outcome)
    context = (ctx.ip_address, ctx.user_agent, ctx.request_id)
    inner_pad, outer_pad = mac(keys.keys[key_id]).pads()
    write = _table_writer()
    pacer = _Pacer(chunk_size, sqlite=connection.vendor == "sqlite" and not connection.in_atomic_block)
    last_seq, total = None, 0
    for chunk in _chunks((_prepare(template, context, obj, details) for obj, details in items), pacer):
        pacer.before_lock()
        with transaction.atomic():
            head = ChainHead.locked()
            locked = time.perf_counter()
            now = timezone.now()
            stored_at = connection.ops.adapt_datetimefield_value(now)
            tail, end = template.tail(canonical_time(now)), template.end
            seq, prev = head.seq, head.hash
            others = last_seq is not None and seq != last_seq
            rows = []
            for body, columns in chunk:  # HMAC-SHA256 (see chain.Mac), inlined: once per event
                seq += 1
                inner = inner_pad.copy()
                inner.update(f"{prev}{body}{tail}{seq}{end}".encode())
                outer = outer_pad.copy()
                outer.update(inner.digest())
                digest = outer.hexdigest()
                rows.append((seq, stored_at, *before, *columns, prev, digest, key_id))
                prev = digest
            write(rows)
            head.seq, head.hash = seq, prev
            head.save(update_fields=["seq", "hash"])
        pacer.after_chunk(len(chunk), held=time.perf_counter() - locked, others=others)
        last_seq, total = seq, total + len(chunk)
    return total


class _Pacer:
    """Chunk sizes and turns of one bulk append: interactive writers first.

    While nobody else appends, chunks are full (``chunk_size``). Once another writer shows up
    (the head moved between two chunks: it got the lock in between), chunks halve while one
    holds the lock longer than ``LOCK_BUDGET`` seconds and double while one holds it less than
    half of that (not below ``MIN_SIZE``: a chunk also costs a few round trips), until
    ``CALM_AFTER`` seconds after the last sign of another writer. PostgreSQL queues the waiters
    for the head's row lock in order, so each waits one short chunk at most. On SQLite the
    writers queue for the write lock in ``writelock``; before each chunk the import lets whoever
    is queued go first (up to ``MAX_YIELD`` seconds per chunk, so that it still advances under a
    steady stream), and while others write it checkpoints the write-ahead log itself after each
    chunk, so that the copy of its pages into the database is not left to the commit of an
    interactive writer.
    """

    LOCK_BUDGET = 0.05
    CALM_AFTER = 2.0
    MAX_YIELD = 0.25
    MIN_SIZE = 100

    def __init__(self, chunk_size: int, *, sqlite: bool):
        self.full = self.size = chunk_size
        self.sqlite = sqlite
        self.contended_until = 0.0

    @property
    def contended(self) -> bool:
        return time.perf_counter() < self.contended_until

    def before_lock(self) -> None:
        if not self.sqlite:
            return
        deadline = time.perf_counter() + self.MAX_YIELD
        while writelock.queued(connection) and time.perf_counter() < deadline:
            self.contended_until = time.perf_counter() + self.CALM_AFTER
            time.sleep(writelock.POLL)

    def after_chunk(self, count: int, *, held: float, others: bool) -> None:
        if others:
            self.contended_until = time.perf_counter() + self.CALM_AFTER
        if not self.contended:
            self.size = self.full
            return
        if held > self.LOCK_BUDGET:  # halve above the budget, double well below it
            self.size = max(min(self.MIN_SIZE, self.full), self.size // 2)
        elif held < self.LOCK_BUDGET / 2:
            self.size = min(self.full, self.size * 2)
        if self.sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _chunks(events: Iterator[tuple[str, tuple]], pacer: _Pacer) -> Iterator[list[tuple[str, tuple]]]:
    while chunk := list(islice(events, pacer.size)):
        yield chunk
