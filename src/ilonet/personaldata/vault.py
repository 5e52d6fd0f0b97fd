"""Envelope encryption of the personal data of Art. 10: one data key per data subject.

The generic machinery (data keys, the key store, sealing, the blind index of names) is
``ilonet.shared.envelope``, shared with the ILO contact list (Art. 9(2)(d)). This module binds it
to the records of this app: their key store is ``keys.sqlite3`` under ``PERSONAL_DATA_KEY_DIR``,
a record's reference is its data subject's reference.

- **Data keys**: each record (its data subject) gets a random AES-256 key. Every personal field
  (one sealed JSON document) and every biometric file is encrypted with it (AES-256-GCM from
  ``cryptography``, a fresh nonce each time, the record's reference as associated data).
- **Wrapping**: a data key is stored only wrapped by the platform's keyring
  (``ILONET_ENCRYPTION_KEYS``, ``ilonet.shared.crypto``).
- **The key store** is a SQLite file apart from the database: a backup of the database holds no
  key. Erasure deletes the key (crypto-shredding).
- **Rotation** re-wraps the data keys (``rewrap_all``); the data is not touched.
- **Blind index**: HMAC-SHA256 of each normalised name under ``PERSONAL_DATA_INDEX_KEY``.

No data key is cached between requests, so an erasure leaves no copy in a cache.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from ilonet.shared.crypto import keyring
from ilonet.shared.envelope import (
    KeyDestroyed,
    KeyStore,
    index_key,
    name_digest,
    name_digests,
    normalise_name,
    open_bytes,
    open_sealed,
    seal,
    seal_bytes,
    seal_with,
)

__all__ = [
    "STORE",
    "KeyDestroyed",
    "create_key",
    "destroy_key",
    "destroy_keys",
    "key_count",
    "key_exists",
    "index_key",
    "keyring",
    "load_key",
    "name_digest",
    "name_digests",
    "normalise_name",
    "open_bytes",
    "open_sealed",
    "rewrap_all",
    "seal",
    "seal_bytes",
    "seal_with",
    "store_path",
    "store_wrapped",
    "wrapper",
    "wrapping_key_ids",
]

STORE = KeyStore("keys.sqlite3", label="personaldata-key")


def store_path() -> Path:
    return STORE.path()


def _db() -> sqlite3.Connection:
    return STORE.db()


def _wrap(data_key: bytes, ref: str) -> str:
    return STORE.wrap(data_key, ref)


def wrapper() -> Callable[[bytes, str, bytes], str]:
    """Wrapping many data keys in a row (``KeyStore.wrapper``): (data key, ref, nonce) -> wrapped."""
    return STORE.wrapper()


def store_wrapped(pairs: list[tuple[str, str]]) -> None:
    """Insert wrapped keys as they are (creation, and the benchmark's set-up)."""
    STORE.store_wrapped(pairs)


def create_key(ref: str) -> bytes:
    """A new data key for a new record, stored wrapped; returns the plain key."""
    return STORE.create_key(ref)


def load_key(ref: str) -> bytes:
    return STORE.load_key(ref)


def destroy_key(ref: str) -> bool:
    """Delete the subject's key (erasure). True when there was one."""
    return STORE.destroy_keys([ref]) == 1


def destroy_keys(refs: list[str]) -> int:
    """Delete these subjects' keys (erasure), overwritten in the file; how many there were."""
    return STORE.destroy_keys(refs)


def key_exists(ref: str) -> bool:
    return STORE.key_exists(ref)


def key_count() -> int:
    return STORE.key_count()


def rewrap_all(*, batch: int = 5000) -> dict[str, int]:
    """Re-wrap every data key under the keyring's current key (``KeyStore.rewrap_all``)."""
    return STORE.rewrap_all(batch=batch)


def wrapping_key_ids() -> dict[str, int]:
    """How many data keys each keyring key wraps (for the rotation's report)."""
    return STORE.wrapping_key_ids()
