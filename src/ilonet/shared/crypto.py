"""Encryption of personal data at rest: AES-256-GCM with a keyring, and HMAC blind indexes.

Keys come from ``ILONET_ENCRYPTION_KEYS``: ``id:base64key[,id:base64key…]``, 32-byte keys, the
first one encrypts, all of them decrypt (rotation: put a new key first, re-save the rows at
leisure, then drop the old key). A stored value is
``v1:<key id>:<base64 nonce+ciphertext>``; the associated data binds it to its table and column,
so a value copied into another column does not decrypt.

Lookups on encrypted values use a blind index: ``blind_index(value, purpose)`` is an HMAC-SHA256
under a key derived from the current key set's first key, never the plaintext.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models

from .keyring import Keyring, new_key_spec

__all__ = ["EncryptedTextField", "Keyring", "blind_index", "decrypt", "encrypt", "new_key_spec"]

PREFIX = "v1"


@lru_cache(maxsize=4)
def _keyring(spec: str) -> Keyring:
    return Keyring.parse(spec)


def keyring() -> Keyring:
    return _keyring(settings.ENCRYPTION_KEYS)


def encrypt(plaintext: str, *, context: str) -> str:
    ring = keyring()
    nonce = os.urandom(12)
    sealed = AESGCM(ring.keys[ring.current_id]).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{PREFIX}:{ring.current_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str) -> str:
    prefix, key_id, payload = token.split(":", 2)
    if prefix != PREFIX:
        raise ValueError("unknown ciphertext version")
    blob = base64.b64decode(payload)
    key = keyring().keys[key_id]  # KeyError: the key was dropped from the ring
    return AESGCM(key).decrypt(blob[:12], blob[12:], context.encode()).decode()


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash for equality lookups (e.g. a normalised phone number or e-mail)."""
    ring = keyring()
    index_key = hashlib.sha256(b"ilonet-blind-index:" + ring.keys[ring.current_id]).digest()
    return hmac.new(index_key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted (AES-256-GCM). Not searchable: add a blind index
    column where lookups are needed. Empty strings stay empty (nothing to protect)."""

    def _context(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value, context=self._context())

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value, context=self._context())
