"""Writing the audit trail. Call these inside the transaction of the change they record
(Zulip-style), so that a change and its audit event commit or roll back together.

``action`` must be an ``AuditAction`` (or its value): any other string is refused with a
``ValueError``, so the trail's vocabulary stays one list (``actions.py``)."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .actions import AuditAction, checked
from .chain import chain_keys, event_hash
from .context import current
from .models import AuditEvent, ChainHead, Outcome

MAX_REPR = 200


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return actor.pk, getattr(actor, "email", "") or str(actor)


def _object_fields(obj: Any) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = getattr(obj, "_meta", None)
    object_type = meta.label_lower if meta else type(obj).__name__
    object_id = str(getattr(obj, "pk", "") or "")
    return object_type, object_id, str(obj)[:MAX_REPR]


def _jsonable(details: dict[str, Any] | None) -> dict[str, Any]:
    """What is stored must be what is hashed: round-trip through JSON once."""
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder, default=str))


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
    object_type, object_id, object_repr = _object_fields(obj)
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
        "details": _jsonable(details),
        "key_id": key_id,
    }  # fmt: skip


def _locked_head() -> ChainHead:
    # The head row is made by a migration; get_or_create also covers a flushed test database.
    head, _created = ChainHead.objects.select_for_update().get_or_create(id=1)
    return head


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
    head = _locked_head()
    fields = _fields(seq=head.seq + 1, action=name, actor=actor, actor_label=actor_label,
                     obj=obj, outcome=outcome, details=details, key_id=keys.current_id)  # fmt: skip
    digest = event_hash(head.hash, fields, keys.keys[keys.current_id])
    event = AuditEvent.objects.create(prev_hash=head.hash, hash=digest, **fields)
    head.seq, head.hash = fields["seq"], digest
    head.save(update_fields=["seq", "hash"])
    return event


@transaction.atomic
def record_many(
    *,
    action: AuditAction | str,
    actor: Any,
    objects: list[Any],
    details: list[dict] | None = None,
    outcome: str = Outcome.SUCCESS,
) -> int:
    """Append one event per object in a single lock and a bulk insert: the path for bulk
    imports and bulk changes (thousands of rows), with the same chain as ``record``."""
    name = checked(action).value
    keys = chain_keys()
    key = keys.keys[keys.current_id]
    head = _locked_head()
    seq, prev = head.seq, head.hash
    events = []
    for index, obj in enumerate(objects):
        seq += 1
        fields = _fields(seq=seq, action=name, actor=actor, actor_label="", obj=obj, outcome=outcome,
                         details=details[index] if details else None, key_id=keys.current_id)  # fmt: skip
        digest = event_hash(prev, fields, key)
        events.append(AuditEvent(prev_hash=prev, hash=digest, **fields))
        prev = digest
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"])
    return len(events)


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
