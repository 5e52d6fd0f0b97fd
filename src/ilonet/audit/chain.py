"""The hash of an audit event over a canonical JSON of its content and the previous hash.
Kept separate so that verification and writing cannot drift apart.

Events are keyed: ``HMAC-SHA256(chain key, prev_hash || canonical event)``, the key held
outside the database (``ILONET_AUDIT_CHAIN_KEY``) and its id stored with the event and hashed
with it. Whoever can write to the database but does not hold the key cannot recompute a valid
chain after editing an event. Events written before the chain was keyed (``key_id`` NULL) keep
their plain SHA-256 and are verified as such, only as a prefix of the chain.
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings

from .keys import ChainKeys

HASHED_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_label", "action", "outcome", "object_type",
    "object_id", "object_repr", "ip_address", "user_agent", "request_id", "details",
)  # fmt: skip


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


@lru_cache(maxsize=8)
def _parsed(spec: str) -> ChainKeys:
    return ChainKeys.parse(spec)


def chain_keys() -> ChainKeys:
    """The configured chain keys (parsed once per value of the setting)."""
    return _parsed(getattr(settings, "AUDIT_CHAIN_KEY", "") or "")


@lru_cache(maxsize=8)
def _mac(key: bytes) -> "hmac.HMAC":
    # The key schedule once; each event copies it (cheaper than hmac.new per event).
    return hmac.new(key, digestmod=hashlib.sha256)


def event_hash(prev_hash: str, fields: dict[str, Any], key: bytes | None = None) -> str:
    """SHA-256 (unkeyed, legacy) or HMAC-SHA256 with ``key``; a keyed hash covers ``key_id``."""
    payload = {name: _canonical(fields[name]) for name in HASHED_FIELDS}
    if key is not None:
        payload["key_id"] = fields["key_id"]
    blob = (
        prev_hash + json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    ).encode()
    if key is None:
        return hashlib.sha256(blob).hexdigest()
    mac = _mac(key).copy()
    mac.update(blob)
    return mac.hexdigest()
