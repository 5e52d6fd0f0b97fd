"""Writing the audit trail. Call these inside the transaction of the change they record
(Zulip-style), so that a change and its audit event commit or roll back together.

``action`` must be an ``AuditAction`` (or its value): any other string is refused with a
``ValueError``, so the trail's vocabulary stays one list (``actions.py``)."""

from collections.abc import Iterable
from functools import lru_cache
from itertools import repeat
from typing import Any

from django.db import connection, transaction

from . import deferred
from .actions import AuditAction, checked
from .bulk import CHUNK_SIZE, COLUMNS, BulkEvent, append_many, object_fields
from .chain import EventTemplate, canonical_details, chain_keys, jsonable, mac
from .context import current
from .models import AuditEvent, ChainHead, Outcome

__all__ = ["BulkEvent", "flush", "record", "record_change", "record_denial", "record_many"]

flush = deferred.flush


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
    immediate: bool = False,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction: the change and its event
    commit or roll back together. Appends are serialised by a row lock on the chain head, held
    to the end of the transaction that takes it.

    Everything that does not depend on the event's place in the chain (its fields, its details
    as canonical JSON, the canonical event up to its time, the key's HMAC schedule) is prepared
    here, before the head is read; the head is read, the event inserted and the head moved by
    plain SQL, not through model saves (``bench/audit_trail.py``: 1.1 ms of CPU per event
    through the ORM, 0.3 ms now).

    When the head is taken:

    - PostgreSQL, inside an application's transaction: the event is queued on the connection
      and appended just before the transaction commits, with the other events it queued, in the
      order recorded (``deferred.py``, ``ilonet.audit.db.postgresql``). The lock is then held
      for two round trips and the ``COMMIT``, not for the rest of the transaction (uploads
      stored, scanned, indexed, notices queued …) behind which every audited write of the site
      queued. Rolled back with the transaction or its savepoint, the event is never written; if
      appending fails, the transaction rolls back. The returned event gets its ``seq``,
      ``occurred_at``, ``hash`` and ``pk`` when it is appended (at the commit): until then they
      are None (``hash`` empty). ``immediate=True`` appends it at once (after the events queued before it) and
      keeps the lock to the end of the transaction, as before: for a caller that needs its
      ``seq`` inside the transaction.
    - PostgreSQL, outside a transaction (autocommit): appended and committed at once.
    - SQLite: appended at once. Its lock is the database's write lock, which every transaction
      takes when it begins (``BEGIN IMMEDIATE``, see the settings), so appending later would
      shorten nothing; the event's ``seq`` is known on return.

    Inside the caller's transaction without a savepoint of its own (one round trip less while
    the lock is held): if it fails, the caller's whole transaction rolls back, as a change whose
    event was not written must."""
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
    event = AuditEvent(
        actor_id=actor_id, actor_label=(actor_label or label)[:254], action=name, outcome=str(outcome),
        object_type=object_type, object_id=object_id, object_repr=object_repr,
        ip_address=ctx.ip_address, user_agent=ctx.user_agent, request_id=ctx.request_id,
        details=stored, key_id=key_id,
    )  # fmt: skip
    body = template.body(details_json, object_type, object_id, object_repr)
    pending = deferred.Pending(event, body, template, mac(keys.keys[key_id]))
    if connection.vendor == "postgresql":
        if not immediate and deferred.defers(connection):
            connection.audit_queue(pending)  # type: ignore[attr-defined]  # (ilonet.audit.db.postgresql)
            return event
        with transaction.atomic(savepoint=False):
            take = getattr(connection, "audit_take", None)
            queued = take() if take is not None else []
            deferred.append(connection, [*queued, pending])
        return event
    with transaction.atomic(savepoint=False):  # SQLite: statements are calls, not round trips
        deferred.number([pending], *deferred.locked_head(connection))
        _insert_and_move_head(event, details_json)
    return event


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
