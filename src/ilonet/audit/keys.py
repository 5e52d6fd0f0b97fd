"""Keys of the audit chain, parsed from the environment. Needs no configured Django (no models),
so the settings can validate the keys at start-up.

- ``ILONET_AUDIT_CHAIN_KEY``: ``id:base64key[,id:base64key…]``, 32-byte HMAC keys. The first
  one keys new events; every listed one verifies (rotation: put the new key first, keep the old
  one while events keyed with it exist). Each event stores the id of the key that hashed it.
- ``ILONET_AUDIT_SIGNING_KEY``: base64 of a 32-byte Ed25519 private key that signs checkpoints.
  Its public key (``manage.py audit_checkpoint --export-public-key``) is all a verifier needs
  to check the checkpoints.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.exceptions import ImproperlyConfigured

KEY_ID_MAX = 16


def _b64decode(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass(frozen=True)
class ChainKeys:
    current_id: str
    keys: dict[str, bytes]

    @classmethod
    def parse(cls, spec: str) -> ChainKeys:
        keys: dict[str, bytes] = {}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            key_id, _, encoded = item.partition(":")
            try:
                key = _b64decode(encoded)
            except ValueError as error:
                raise ImproperlyConfigured(f"Audit chain key {key_id!r} is not base64.") from error
            if not key_id or len(key_id) > KEY_ID_MAX or len(key) != 32:
                raise ImproperlyConfigured(
                    f"Audit chain key {key_id!r} must be 'id:base64' with an id of at most "
                    f"{KEY_ID_MAX} characters and 32 bytes of key."
                )
            keys[key_id] = key
        if not keys:
            raise ImproperlyConfigured("ILONET_AUDIT_CHAIN_KEY is empty.")
        return cls(next(iter(keys)), keys)


def new_chain_key_spec(key_id: str = "a1") -> str:
    """A fresh ``id:base64key`` value for ILONET_AUDIT_CHAIN_KEY."""
    return f"{key_id}:{_b64encode(os.urandom(32))}"


def parse_signing_key(text: str) -> Ed25519PrivateKey:
    try:
        raw = _b64decode(text)
    except ValueError as error:
        raise ImproperlyConfigured("ILONET_AUDIT_SIGNING_KEY is not base64.") from error
    if len(raw) != 32:
        raise ImproperlyConfigured("ILONET_AUDIT_SIGNING_KEY must be 32 bytes (base64).")
    return Ed25519PrivateKey.from_private_bytes(raw)


def new_signing_key_text() -> str:
    """A fresh base64 Ed25519 private key for ILONET_AUDIT_SIGNING_KEY."""
    return _b64encode(os.urandom(32))


def public_key_text(private: Ed25519PrivateKey) -> str:
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b64encode(raw)


def parse_public_key(text: str) -> Ed25519PublicKey:
    """The base64 raw key printed by ``--export-public-key``, or a PEM public key."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ImproperlyConfigured("The audit public key is not an Ed25519 key.")
        return key
    try:
        raw = _b64decode(text)
    except ValueError as error:
        raise ImproperlyConfigured("The audit public key is not base64.") from error
    if len(raw) != 32:
        raise ImproperlyConfigured("The audit public key must be 32 bytes (base64).")
    return Ed25519PublicKey.from_public_bytes(raw)
