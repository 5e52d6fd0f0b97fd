"""The hash of an audit event over a canonical JSON of its content and the previous hash.
Kept separate so that verification and writing cannot drift apart.

Events are keyed: ``HMAC-SHA256(chain key, prev_hash || canonical event)``, the key held
outside the database (``ILONET_AUDIT_CHAIN_KEY``) and its id stored with the event and hashed
with it. Whoever can write to the database but does not hold the key cannot recompute a valid
chain after editing an event. Events written before the chain was keyed (``key_id`` NULL) keep
their plain SHA-256 and are verified as such, only as a prefix of the chain.

The canonical event is ``json.dumps(payload, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` of the hashed fields (and ``key_id`` when keyed). It is assembled here
field by field from pre-encoded pieces instead (``canonical_event``, ``EventTemplate``): the
same bytes (``tests/test_bulk.py`` compares them with ``json.dumps`` on random events) at a
fraction of the cost, so that bulk writes and verification need no dictionaries per event.
"""

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from json.encoder import encode_basestring  # the string encoder of json.dumps(ensure_ascii=False)
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from .keys import ChainKeys

HASHED_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_label", "action", "outcome", "object_type",
    "object_id", "object_repr", "ip_address", "user_agent", "request_id", "details",
)  # fmt: skip

_FLAT = frozenset({str, int, float, bool, type(None)})


# json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False), without building
# an encoder per call (the C encoder json.dumps itself uses, made once; circular check off: the
# values are parsed JSON or flat dicts).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_C_ENCODE = (
    _c_make_encoder(None, _ENCODER.default, encode_basestring, None, ":", ",", True, False, True)
    if _c_make_encoder is not None
    else None
)
_DECODER = json.JSONDecoder()


def _dumps(value: Any) -> str:
    if _C_ENCODE is None:  # pragma: no cover (CPython has the C encoder)
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


def _loads(text: str) -> Any:
    """``json.loads`` of one JSON text, without its per-call checks (``json.loads`` raises)."""
    try:
        value, end = _DECODER.raw_decode(text)
    except json.JSONDecodeError:
        end = -1
    return value if end == len(text) else json.loads(text)


def _j(value: str | int | None) -> str:
    """A scalar column as JSON (strings, integers, null), as ``json.dumps`` writes it."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return encode_basestring(value)
    return str(int(value))


def jsonable(details: dict[str, Any] | None) -> dict[str, Any]:
    """What is stored must be what is hashed: round-trip through JSON once."""
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder, default=str))


def _plain(value: dict[str, Any] | list[Any] | tuple[Any, ...]) -> bool:
    """Already what JSON gives back: strings, numbers, booleans, nulls, lists (or tuples) and
    dicts with string keys of those. Anything else (dates, decimals, integer keys …) is made so
    by ``jsonable``. Loops, not generators: this runs once per event of an import."""
    items: Iterable[Any] = value
    if isinstance(value, dict):
        for key in value:
            if type(key) is not str:
                return False
        items = value.values()
    for item in items:
        kind = type(item)
        if kind in _FLAT:
            continue
        if kind is dict or kind is list or kind is tuple:
            if not _plain(item):
                return False
        else:
            return False
    return True


def canonical_details(details: dict[str, Any] | None) -> str:
    """The details as stored and hashed: ``jsonable`` then canonical JSON; plain details are
    their own round trip, so they are dumped once."""
    if not details:
        return "{}"
    return _dumps(details if _plain(details) else jsonable(details))


def stored_details(text: str | dict[str, Any]) -> str:
    """Canonical JSON of details read back from the database (JSON text, or a parsed dict)."""
    if isinstance(text, str):
        return text if text == "{}" else _dumps(_loads(text))
    return _dumps(text)


def canonical_time(value: datetime | str) -> str:
    """``occurred_at`` as hashed: UTC, ISO 8601 with microseconds and ``+00:00``. A string is
    taken as already canonical."""
    if isinstance(value, str):
        return value
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class EventTemplate:
    """The canonical JSON of events that share who, how and from where (a bulk append), in
    pieces: ``body(...) + tail(occurred_at) + str(seq) + end``. Keys in sorted order: action,
    actor_id, actor_label, details, ip_address, key_id, object_id, object_repr, object_type,
    occurred_at, outcome, request_id, seq, user_agent."""

    __slots__ = ("_head", "_middle", "_tail", "end")

    def __init__(
        self,
        *,
        action: str,
        actor_id: int | None,
        actor_label: str,
        outcome: str,
        ip_address: str | None,
        user_agent: str,
        request_id: str,
        key_id: str | None,
    ):
        self._head = (
            f'{{"action":{_j(action)},"actor_id":{_j(actor_id)},"actor_label":{_j(actor_label)},"details":'
        )
        key = "" if key_id is None else f',"key_id":{_j(key_id)}'
        self._middle = f',"ip_address":{_j(ip_address)}{key},"object_id":'
        self._tail = f',"outcome":{_j(outcome)},"request_id":{_j(request_id)},"seq":'
        self.end = f',"user_agent":{_j(user_agent)}}}'

    def body(self, details_json: str, object_type: str, object_id: str, object_repr: str) -> str:
        """Everything before the time: the part of one event that needs no lock."""
        return (
            f"{self._head}{details_json}{self._middle}{encode_basestring(object_id)}"
            f',"object_repr":{encode_basestring(object_repr)},"object_type":'
            f'{encode_basestring(object_type)},"occurred_at":'
        )

    def tail(self, occurred_at: str) -> str:
        """From the time to the sequence number (shared by the events of one chunk)."""
        return f"{encode_basestring(occurred_at)}{self._tail}"


def canonical_event(
    seq: int,
    occurred_at: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    outcome: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    ip_address: str | None,
    user_agent: str,
    request_id: str,
    details_json: str,
    key_id: str | None,
) -> str:
    """The canonical JSON of one event, its fields in the order of ``HASHED_FIELDS`` (text
    columns as ``str``, ``occurred_at`` canonical, details as canonical JSON); ``key_id`` None
    leaves the key id out (an unkeyed event). Called once per event by verification: no
    dictionary, one f-string."""
    enc = encode_basestring
    key = "" if key_id is None else f',"key_id":{enc(key_id)}'
    return (
        f'{{"action":{enc(action)},"actor_id":{"null" if actor_id is None else int(actor_id)},'
        f'"actor_label":{enc(actor_label)},"details":{details_json},'
        f'"ip_address":{"null" if ip_address is None else enc(ip_address)}'
        f'{key},"object_id":{enc(object_id)},"object_repr":{enc(object_repr)},"object_type":{enc(object_type)},'
        f'"occurred_at":{enc(occurred_at)},"outcome":{enc(outcome)},"request_id":{enc(request_id)},'
        f'"seq":{int(seq)},"user_agent":{enc(user_agent)}}}'
    )


@lru_cache(maxsize=8)
def _parsed(spec: str) -> ChainKeys:
    return ChainKeys.parse(spec)


def chain_keys() -> ChainKeys:
    """The configured chain keys (parsed once per value of the setting)."""
    return _parsed(getattr(settings, "AUDIT_CHAIN_KEY", "") or "")


class Mac:
    """HMAC-SHA256 with the key schedule computed once (RFC 2104: the hashes of the padded key
    are copied per message): about half the cost of ``hmac.new`` per event."""

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes):
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def pads(self) -> tuple[Any, Any]:
        """The SHA-256 states after the inner and the outer padded key (copy before use)."""
        return self._inner, self._outer

    def hexdigest(self, message: bytes) -> str:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


@lru_cache(maxsize=8)
def mac(key: bytes) -> Mac:
    return Mac(key)


def chained_hash(prev_hash: str, canonical: str, key: bytes | None) -> str:
    """SHA-256 (unkeyed, legacy) or HMAC-SHA256 of ``prev_hash || canonical``."""
    blob = (prev_hash + canonical).encode()
    if key is None:
        return hashlib.sha256(blob).hexdigest()
    return mac(key).hexdigest(blob)


def event_hash(prev_hash: str, fields: dict[str, Any], key: bytes | None = None) -> str:
    """SHA-256 (unkeyed, legacy) or HMAC-SHA256 with ``key``; a keyed hash covers ``key_id``.
    ``fields`` holds the hashed fields as stored (``details`` a dict)."""
    canonical = canonical_event(
        fields["seq"], canonical_time(fields["occurred_at"]), fields["actor_id"], fields["actor_label"],
        fields["action"], fields["outcome"], fields["object_type"], fields["object_id"],
        fields["object_repr"], fields["ip_address"], fields["user_agent"], fields["request_id"],
        _dumps(fields["details"]), fields["key_id"] if key is not None else None,
    )  # fmt: skip
    return chained_hash(prev_hash, canonical, key)
