"""Audit events queued in a PostgreSQL transaction and appended to the chain just before it
commits (``services.record``; the queue lives on the connection, ``ilonet.audit.db.postgresql``).

Why: appending an event locks the chain head (``SELECT … FOR UPDATE``) until the transaction
ends. Taken where a service calls ``record`` (in the middle of its transaction: before the
upload is stored, scanned and indexed, the notices queued …), the lock was held for the whole
rest of the transaction, and every audited write of the site queued behind it: in the load run
of 2026-12-03, 46.5 s of the primary's 52.5 s of statement time was that ``SELECT`` waiting
(docs/benchmarks.md, "Load by role"). Taken at commit, it is held for two round trips (the head
read, then the events inserted and the head moved in one statement) and the ``COMMIT``.

Everything that does not depend on an event's place in the chain (its fields, its details as
canonical JSON, the canonical event up to its time, the HMAC's key schedule) is prepared when
``record`` is called; only the numbering, the time and the HMAC over the previous hash wait for
the lock. Events keep their order: those queued by one transaction are appended in the order
they were recorded, one after another in the chain.

Reads of the trail inside the transaction that queued events append them first: every query of
``AuditEvent`` or ``ChainHead`` through the ORM (``models.TrailQuerySet``), and ``flush`` is called
by the raw reads (the verification, the checkpoint command, the bulk path) and the selectors; the
head is then locked from there to the end of the transaction, as before.
"""

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from .chain import EventTemplate, Mac, canonical_time
from .models import AuditEvent, ChainHead

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

# Rows per INSERT: PostgreSQL takes at most 65,535 parameters per statement (17 per event).
ROWS_PER_STATEMENT = 1000


class Pending(NamedTuple):
    """One event prepared without the lock: the instance ``record`` returned (its ``seq``,
    ``occurred_at``, ``prev_hash``, ``hash`` and ``pk`` filled in when it is appended), its
    canonical JSON up to its time, the template of the rest and the HMAC of its key."""

    event: AuditEvent
    body: str
    template: EventTemplate
    signer: Mac


def number(items: Sequence[Pending], seq: int, prev: str) -> tuple[int, str]:
    """Give the events their places after (``seq``, ``prev``), one time for all (taken under the
    lock, so that times grow with the chain); returns the new head."""
    now = timezone.now()
    at = canonical_time(now)
    for item in items:
        seq += 1
        event, template = item.event, item.template
        digest = item.signer.hexdigest(f"{prev}{item.body}{template.tail(at)}{seq}{template.end}".encode())
        event.seq, event.occurred_at, event.prev_hash, event.hash = seq, now, prev, digest
        prev = digest
    return seq, prev


@lru_cache(maxsize=4)
def _head_statement(vendor: str) -> str:
    head = connections[DEFAULT_DB_ALIAS].ops.quote_name(ChainHead._meta.db_table)
    lock = " FOR UPDATE" if vendor == "postgresql" else ""
    return f'SELECT "seq", "hash" FROM {head} WHERE "id" = 1{lock}'  # noqa: S608 (names, not data)


def locked_head(conn: "BaseDatabaseWrapper") -> tuple[int, str]:
    """The chain head's sequence number and hash, locked to the end of the transaction (SELECT …
    FOR UPDATE on PostgreSQL; on SQLite the transaction's write lock serialises appends). The
    head is made by a migration; ``ChainHead.locked`` also covers a flushed test database."""
    with conn.cursor() as cursor:
        cursor.execute(_head_statement(conn.vendor))
        row = cursor.fetchone()
    if row is None:
        head = ChainHead.locked()
        return head.seq, head.hash
    return int(row[0]), row[1]


@lru_cache(maxsize=16)
def _append_statement(rows: int, move: bool) -> tuple[str, tuple[Any, ...]]:
    """``rows`` events inserted, and the head moved in the same statement when ``move``."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    fields = tuple(f for f in AuditEvent._meta.concrete_fields if not f.primary_key)
    head = quote(ChainHead._meta.db_table)
    values = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * rows)
    moved = f"WITH moved AS (UPDATE {head} SET seq = %s, hash = %s WHERE id = 1) " if move else ""  # noqa: S608
    columns = ", ".join(quote(f.column) for f in fields)
    table, pk = quote(AuditEvent._meta.db_table), quote(AuditEvent._meta.pk.column)
    statement = f"{moved}INSERT INTO {table} ({columns}) VALUES {values} RETURNING {pk}"  # noqa: S608 (names)
    return statement, fields


def append(conn: "BaseDatabaseWrapper", items: Sequence[Pending]) -> None:
    """PostgreSQL: lock the head, number and hash the events, insert them and move the head in
    one statement (a thousand events a statement beyond that): the lock is held for these two
    round trips and whatever follows in the transaction (at commit: nothing but the COMMIT).
    Inside the caller's transaction, without a savepoint: if it fails, the transaction must
    roll back (``DatabaseWrapper.commit`` does)."""
    if not items:
        return
    seq, prev = number(items, *locked_head(conn))
    for start in range(0, len(items), ROWS_PER_STATEMENT):
        chunk = items[start : start + ROWS_PER_STATEMENT]
        last = start + ROWS_PER_STATEMENT >= len(items)
        statement, fields = _append_statement(len(chunk), last)
        params: list[Any] = [seq, prev] if last else []
        for item in chunk:
            event = item.event
            params += [f.get_db_prep_save(getattr(event, f.attname), conn) for f in fields]
        with conn.cursor() as cursor:
            cursor.execute(statement, params)
            ids = [row[0] for row in cursor.fetchall()]  # in VALUES order, as bulk_create relies on
        for item, pk in zip(chunk, ids, strict=True):
            item.event.pk = pk
            item.event._state.adding = False
            item.event._state.db = conn.alias


def defers(conn: "BaseDatabaseWrapper") -> bool:
    """Whether ``record`` queues its event on this connection: a connection that can (the
    PostgreSQL wrapper of ``ilonet.audit.db``) inside an application's transaction."""
    check = getattr(conn, "audit_defers", None)
    return bool(check is not None and check())


def flush(using: str = DEFAULT_DB_ALIAS) -> None:
    """Append the events queued in the current transaction now (the head then stays locked to
    its end): before reading the trail inside a transaction that may have written to it."""
    flush_queue = getattr(connections[using], "audit_flush", None)
    if flush_queue is not None:
        flush_queue()
