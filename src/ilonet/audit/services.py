"""Writing the audit trail. Call these inside the transaction of the change they record
(Zulip-style), so that a change and its audit event commit or roll back together.

``action`` must be an ``AuditAction`` (or its value): any other string is refused with a
``ValueError``, so the trail's vocabulary stays one list (``actions.py``)."""

from collections.abc import Iterable
from functools import lru_cache
from itertools import repeat
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .actions import AuditAction, checked
from .bulk import CHUNK_SIZE, COLUMNS, BulkEvent, append_many, object_fields
from .chain import EventTemplate, canonical_details, canonical_time, chain_keys, jsonable, mac
from .context import current
from .models import AuditEvent, ChainHead, Outcome

__all__ = ["BulkEvent", "record", "record_change", "record_denial", "record_many"]


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return actor.pk, getattr(actor, "email", "") or str(actor)


def record(
    *,
    action: AuditAction | str,
    actor: Any = None,
    actor_label: str = "",
    obj: Any = None,
    outcome: str = Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Serialised by a row lock on the chain head, held to the
    end of the transaction. Inside the caller's transaction without a savepoint of its own (one
    round trip less while the lock is held): if it fails, the caller's whole transaction rolls
    back, as a change whose event was not written must.

    Everything that does not depend on the event's place in the chain (its fields, its details
    as canonical JSON, the canonical event up to its time) is prepared before the head is read;
    the head is read, the event inserted and the head moved by plain SQL, not through model
    saves: on SQLite the caller's transaction already holds the database's write lock, and every
    interactive writer queues behind the Python work done while it is held
    (``bench/audit_trail.py``: 1.1 ms of CPU per event through the ORM, 0.3 ms now)."""
    name = checked(action).value
    keys = chain_keys()
    key_id = keys.current_id
    actor_id, label = _actor_fields(actor)
    object_type, object_id, object_repr = object_fields(obj)
    ctx = current.get()
    stored = jsonable(details)
    details_json = canonical_details(stored)
    template = EventTemplate(
        action=name, actor_id=actor_id, actor_label=(actor_label or label)[:254], outcome=str(outcome),
        ip_address=ctx.ip_address, user_agent=ctx.user_agent, request_id=ctx.request_id, key_id=key_id,
    )  # fmt: skip
    body = template.body(details_json, object_type, object_id, object_repr)
    signer = mac(keys.keys[key_id])
    with transaction.atomic(savepoint=False):
        seq, prev = _locked_head()
        seq += 1
        now = timezone.now()
        tail = template.tail(canonical_time(now))
        digest = signer.hexdigest(f"{prev}{body}{tail}{seq}{template.end}".encode())
        event = AuditEvent(
            seq=seq, occurred_at=now, actor_id=actor_id, actor_label=(actor_label or label)[:254],
            action=name, outcome=str(outcome), object_type=object_type, object_id=object_id,
            object_repr=object_repr, ip_address=ctx.ip_address, user_agent=ctx.user_agent,
            request_id=ctx.request_id, details=stored, key_id=key_id, prev_hash=prev, hash=digest,
        )  # fmt: skip
        if connection.vendor == "postgresql":
            _append_and_move_head(event)
        else:  # SQLite: statements are calls inside this process, not round trips
            _insert_and_move_head(event, details_json)
    return event


@lru_cache(maxsize=2)
def _head_statement(vendor: str) -> str:
    quote = connection.ops.quote_name
    lock = " FOR UPDATE" if vendor == "postgresql" else ""
    head = quote(ChainHead._meta.db_table)
    return f'SELECT "seq", "hash" FROM {head} WHERE "id" = 1{lock}'  # noqa: S608 (names, not data)


def _locked_head() -> tuple[int, str]:
    """The chain head's sequence number and hash, locked to the end of the transaction (SELECT …
    FOR UPDATE on PostgreSQL; on SQLite the transaction's write lock serialises appends). The
    head is made by a migration; ``ChainHead.locked`` also covers a flushed test database."""
    with connection.cursor() as cursor:
        cursor.execute(_head_statement(connection.vendor))
        row = cursor.fetchone()
    if row is None:
        head = ChainHead.locked()
        return head.seq, head.hash
    return int(row[0]), row[1]


@lru_cache(maxsize=1)
def _sqlite_statements() -> tuple[str, str]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in COLUMNS)
    insert = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "  # noqa: S608 (names, not data)
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    )
    move = f'UPDATE {quote(ChainHead._meta.db_table)} SET "seq" = %s, "hash" = %s WHERE "id" = 1'  # noqa: S608
    return insert, move


def _insert_and_move_head(event: AuditEvent, details_json: str) -> None:
    """SQLite: insert the event (its details as the canonical JSON they were hashed as, the
    text the bulk path stores too) and move the head, two statements."""
    insert, move = _sqlite_statements()
    row = [getattr(event, name) for name in COLUMNS]
    row[COLUMNS.index("occurred_at")] = connection.ops.adapt_datetimefield_value(event.occurred_at)
    row[COLUMNS.index("details")] = details_json
    with connection.cursor() as cursor:
        cursor.execute(insert, row)
        event.pk = cursor.lastrowid
        cursor.execute(move, [event.seq, event.hash])
    event._state.adding = False
    event._state.db = connection.alias


@lru_cache(maxsize=1)
def _append_statement() -> tuple[str, tuple[Any, ...]]:
    quote = connection.ops.quote_name
    fields = tuple(f for f in AuditEvent._meta.concrete_fields if not f.primary_key)
    head = quote(ChainHead._meta.db_table)
    statement = (
        f"WITH moved AS (UPDATE {head} SET seq = %s, hash = %s WHERE id = 1) "  # noqa: S608 (names, not data)
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(AuditEvent._meta.pk.column)}"
    )
    return statement, fields


def _append_and_move_head(event: AuditEvent) -> None:
    """PostgreSQL: insert the event and move the (locked) head in one statement, so that the
    head's lock is held for one round trip and the commit, not three round trips and the commit:
    under load every round trip waits for the CPU, and every interactive writer queues behind
    the lock's holder (bench/audit_bulk.py)."""
    statement, fields = _append_statement()
    params: list[Any] = [event.seq, event.hash]
    params += [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias


def record_many(
    *,
    action: AuditAction | str,
    actor: Any,
    objects: Iterable[Any],
    details: Iterable[dict[str, Any] | None] | None = None,
    outcome: str = Outcome.SUCCESS,
    actor_label: str = "",
    chunk_size: int = CHUNK_SIZE,
) -> int:
    """Append one event per object: the path for bulk imports and bulk changes, up to tens of
    millions of events, with the same chain as ``record``. Returns how many were written.

    ``objects`` is any iterable, a generator included, of model instances (or anything with a
    ``str``) or ``BulkEvent`` (type, id, representation and details, no model instance needed);
    ``details`` an optional iterable of one dict per object. They are read and written in chunks
    of ``chunk_size``, each chunk in its own short transaction holding the chain head only while
    it is written, so interactive ``record`` calls interleave between chunks (see ``bulk.py``;
    inside the caller's transaction the chunks are savepoints and the head stays locked until it
    commits)."""
    name = checked(action).value
    actor_id, label = _actor_fields(actor)
    items = (
        zip(objects, details, strict=True)
        if details is not None
        else zip(objects, repeat(None), strict=False)
    )
    return append_many(action=name, actor_id=actor_id, actor_label=(actor_label or label)[:254],
                       outcome=str(outcome), items=items, chunk_size=chunk_size)  # fmt: skip


def record_change(
    *, actor: Any, action: AuditAction | str, obj: Any, changes: dict[str, Any] | None = None
) -> AuditEvent:
    """A create/update/delete of a record, with the field changes."""
    return record(action=action, actor=actor, obj=obj, details={"changes": changes or {}})


def record_denial(*, actor: Any, action: str, obj: Any = None) -> AuditEvent:
    """A refusal by the policy; ``action`` is the policy permission, kept in the details."""
    return record(
        action=AuditAction.PERMISSION_DENIED,
        actor=actor,
        obj=obj,
        outcome=Outcome.DENIED,
        details={"permission": str(action)},
    )
