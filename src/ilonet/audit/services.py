"""Writing the audit trail. Call these inside the transaction of the change they record
(Zulip-style), so that a change and its audit event commit or roll back together.

``action`` must be an ``AuditAction`` (or its value): any other string is refused with a
``ValueError``, so the trail's vocabulary stays one list (``actions.py``)."""

from collections.abc import Iterable
from itertools import repeat
from typing import Any

from django.db import transaction
from django.utils import timezone

from .actions import AuditAction, checked
from .bulk import CHUNK_SIZE, BulkEvent, append_many, object_fields
from .chain import chain_keys, event_hash, jsonable
from .context import current
from .models import AuditEvent, ChainHead, Outcome

__all__ = ["BulkEvent", "record", "record_change", "record_denial", "record_many"]


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return actor.pk, getattr(actor, "email", "") or str(actor)


def _fields(
    *,
    seq: int,
    action: str,
    actor: Any,
    actor_label: str,
    obj: Any,
    outcome: str,
    details: dict[str, Any] | None,
    key_id: str,
) -> dict[str, Any]:
    actor_id, label = _actor_fields(actor)
    object_type, object_id, object_repr = object_fields(obj)
    ctx = current.get()
    return {
        "seq": seq,
        "occurred_at": timezone.now(),
        "actor_id": actor_id,
        "actor_label": (actor_label or label)[:254],
        "action": action,
        "outcome": str(outcome),
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "ip_address": ctx.ip_address,
        "user_agent": ctx.user_agent,
        "request_id": ctx.request_id,
        "details": jsonable(details),
        "key_id": key_id,
    }  # fmt: skip


@transaction.atomic
def record(
    *,
    action: AuditAction | str,
    actor: Any = None,
    actor_label: str = "",
    obj: Any = None,
    outcome: str = Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Serialised by a row lock on the chain head."""
    name = checked(action).value
    keys = chain_keys()
    head = ChainHead.locked()
    fields = _fields(seq=head.seq + 1, action=name, actor=actor, actor_label=actor_label,
                     obj=obj, outcome=outcome, details=details, key_id=keys.current_id)  # fmt: skip
    digest = event_hash(head.hash, fields, keys.keys[keys.current_id])
    event = AuditEvent.objects.create(prev_hash=head.hash, hash=digest, **fields)
    head.seq, head.hash = fields["seq"], digest
    head.save(update_fields=["seq", "hash"])
    return event


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
