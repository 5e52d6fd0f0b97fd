"""Envelope encryption of personal data with one data key per data subject (GDPR Art. 32).

The generic part, shared by the personal data of Art. 10 (``ilonet.personaldata.vault``) and the
contact details of the ILO contact list (Art. 9(2)(d), ``ilonet.deployments``):

- **Data keys**: a random AES-256 key per data subject (``ref``). Every personal field (a sealed
  JSON document or one text value) and file is encrypted with it (AES-256-GCM from
  ``cryptography``, a fresh nonce each time, the subject's reference and a context as associated
  data, so a value copied to another subject or column does not open).
- **Wrapping**: a data key is stored only wrapped (AES-256-GCM) by the platform's keyring
  (``ILONET_ENCRYPTION_KEYS``, ``ilonet.shared.crypto``), as ``<keyring id>:<base64>``.
- **The key store** (``KeyStore``) holds the wrapped keys in a SQLite file of its own under
  ``PERSONAL_DATA_KEY_DIR``, apart from the database: a backup of the database holds no key.
  Erasure deletes the key (crypto-shredding; ``secure_delete`` overwrites it in the file): a
  database restored from a backup made before cannot decrypt that person's data.
- **Rotation** re-wraps the data keys under the keyring's first key (``KeyStore.rewrap_all``);
  the data is not touched, so reads go on during the rotation.
- **Blind index**: names are found by an HMAC-SHA256 of each normalised name under
  ``PERSONAL_DATA_INDEX_KEY``, a key of its own: rotating the keyring or the data keys does not
  change the index.

No data key is cached between requests, so an erasure leaves no copy in a cache. Within one
request a key read is kept until the request ends (``_request_keys``): the contact list opens
the phone and the e-mail of fifty officers, each key twice (issue 9, rendering cost); an
erasure in the request forgets them at once. Outside a request (jobs, commands) nothing is kept.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import os
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.signals import request_finished, request_started

from ilonet.shared.crypto import keyring

# Data keys read during the current request, per thread: (key store file, ref) -> key; None
# outside a request (set and dropped by the request signals below).
_request_keys = threading.local()


def _start_request_keys(**_kwargs: Any) -> None:
    _request_keys.keys = {}


def _drop_request_keys(**_kwargs: Any) -> None:
    _request_keys.keys = None


request_started.connect(_start_request_keys, dispatch_uid="ilonet.shared.envelope.start")
request_finished.connect(_drop_request_keys, dispatch_uid="ilonet.shared.envelope.drop")


class KeyDestroyed(Exception):
    """The data subject's key is gone (erased): their data cannot be read any more."""


CHUNK = 500  # SQLite's bound parameters per statement stay well below its limit


class KeyStore:
    """Wrapped data keys in a SQLite file of their own (one connection per thread and file)."""

    def __init__(self, filename: str, *, label: str) -> None:
        self.filename = filename
        self.label = label  # associated data of the wrapping: a key of one store does not open in another
        self._local = threading.local()

    def path(self) -> Path:
        return Path(settings.PERSONAL_DATA_KEY_DIR) / self.filename

    def db(self) -> sqlite3.Connection:
        """The key store, with ``secure_delete`` so that an erased key is overwritten in the file,
        not left in a free page."""
        local = self._local
        key_dir = settings.PERSONAL_DATA_KEY_DIR
        if getattr(local, "key_dir", None) == key_dir and local.connection is not None:
            return local.connection  # the same directory as the last call: no path to build
        path = self.path()
        if getattr(local, "path", None) != path:
            if getattr(local, "connection", None) is not None:
                local.connection.close()
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA secure_delete=ON")
            connection.execute("PRAGMA journal_mode=DELETE")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS data_key "
                "(ref TEXT PRIMARY KEY, wrapped TEXT NOT NULL) WITHOUT ROWID"
            )
            local.connection, local.path = connection, path
        local.key_dir = key_dir
        return local.connection

    @staticmethod
    def check(ref: str) -> str:
        if not ref or len(ref) > 40:
            raise ValueError("not a data subject reference")
        return ref

    def wrap(self, data_key: bytes, ref: str) -> str:
        return self.wrapper()(data_key, ref, os.urandom(12))

    def wrapper(self) -> Callable[[bytes, str, bytes], str]:
        """``wrap`` for many data keys in a row (a bulk import's batch): the keyring's current
        key and its cipher taken once, the nonce (12 random bytes, one per key) given by the
        caller; the same wrapped form as ``wrap``."""
        ring = keyring()
        key_id, aead, label = ring.current_id, AESGCM(ring.keys[ring.current_id]), self.label

        def wrap(data_key: bytes, ref: str, nonce: bytes) -> str:
            sealed = aead.encrypt(nonce, data_key, f"{label}:{ref}".encode())
            return f"{key_id}:{base64.b64encode(nonce + sealed).decode()}"

        return wrap

    def unwrap(self, wrapped: str, ref: str) -> bytes:
        key_id, _, payload = wrapped.strip().partition(":")
        blob = base64.b64decode(payload)
        return AESGCM(keyring().keys[key_id]).decrypt(blob[:12], blob[12:], f"{self.label}:{ref}".encode())

    def _write(self, sql: str, rows: Sequence[Sequence[str]]) -> int:
        db = self.db()
        db.execute("BEGIN IMMEDIATE")
        try:
            count = db.executemany(sql, rows).rowcount
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return count

    def store_wrapped(self, pairs: list[tuple[str, str]]) -> None:
        """Insert wrapped keys as they are (creation, and the benchmarks' set-up)."""
        self._write("INSERT INTO data_key (ref, wrapped) VALUES (?, ?)", pairs)

    def create_key(self, ref: str) -> bytes:
        """A new data key for a new data subject, stored wrapped; returns the plain key."""
        data_key = AESGCM.generate_key(bit_length=256)
        self.store_wrapped([(self.check(ref), self.wrap(data_key, ref))])
        return data_key

    def ensure_key(self, ref: str) -> bytes:
        """The subject's data key, created if they have none (yet, or any more after an erasure)."""
        try:
            return self.load_key(ref)
        except KeyDestroyed:
            data_key = AESGCM.generate_key(bit_length=256)
            self._write(
                "INSERT OR IGNORE INTO data_key (ref, wrapped) VALUES (?, ?)",
                [(self.check(ref), self.wrap(data_key, ref))],
            )
            return self.load_key(ref)  # a concurrent writer may have won: use its key

    def load_key(self, ref: str) -> bytes:
        kept = getattr(_request_keys, "keys", None)
        if kept is not None and (self.filename, ref) in kept:
            return kept[(self.filename, ref)]
        row = self.db().execute("SELECT wrapped FROM data_key WHERE ref = ?", [ref]).fetchone()
        if row is None:
            raise KeyDestroyed(ref)
        data_key = self.unwrap(row[0], ref)
        if kept is not None and len(kept) < 10_000:
            kept[(self.filename, ref)] = data_key
        return data_key

    def destroy_keys(self, refs: list[str]) -> int:
        """Delete these subjects' keys (erasure) in one transaction, overwritten in the file;
        how many there were."""
        if getattr(_request_keys, "keys", None) is not None:
            _request_keys.keys = {}  # nothing erased stays readable for the rest of the request
        db = self.db()
        destroyed = 0
        db.execute("BEGIN IMMEDIATE")
        try:
            for start in range(0, len(refs), CHUNK):
                chunk = refs[start : start + CHUNK]
                marks = ",".join("?" * len(chunk))
                destroyed += db.execute(f"DELETE FROM data_key WHERE ref IN ({marks})", chunk).rowcount  # noqa: S608
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return destroyed

    def key_exists(self, ref: str) -> bool:
        return self.db().execute("SELECT 1 FROM data_key WHERE ref = ?", [ref]).fetchone() is not None

    def key_count(self) -> int:
        return self.db().execute("SELECT count(*) FROM data_key").fetchone()[0]

    def rewrap_all(self, *, batch: int = 5000) -> dict[str, int]:
        """Re-wrap every data key under the keyring's current key (after a new key was put first
        in ``ILONET_ENCRYPTION_KEYS``); the old key may be dropped from the ring afterwards. Data
        is not re-encrypted. Idempotent: keys already under the current key are skipped.

        Without downtime: both keys decrypt during the rotation, and each batch is one short
        transaction. An update applies only if the row is unchanged (compare and set), so a key
        erased meanwhile stays erased."""
        current = keyring().current_id
        counts = {"rewrapped": 0, "current": 0}
        db, last = self.db(), ""
        while True:
            rows = db.execute(
                "SELECT ref, wrapped FROM data_key WHERE ref > ? ORDER BY ref LIMIT ?", [last, batch]
            ).fetchall()
            if not rows:
                return counts
            last = rows[-1][0]
            updates = []
            for ref, wrapped in rows:
                if wrapped.partition(":")[0] == current:
                    counts["current"] += 1
                else:
                    updates.append((self.wrap(self.unwrap(wrapped, ref), ref), ref, wrapped))
            if updates:
                counts["rewrapped"] += self._write(
                    "UPDATE data_key SET wrapped = ? WHERE ref = ? AND wrapped = ?", updates
                )

    def wrapping_key_ids(self) -> dict[str, int]:
        """How many data keys each keyring key wraps (for the rotation's report)."""
        rows = self.db().execute(
            "SELECT substr(wrapped, 1, instr(wrapped, ':') - 1), count(*) FROM data_key GROUP BY 1"
        )
        return dict(rows.fetchall())


# --- sealing a subject's fields and files ----------------------------------------------------------


def seal(data_key: bytes, ref: str, payload: dict[str, Any], *, context: str = "fields") -> str:
    return seal_with(data_key, os.urandom(12), ref, payload, context=context)


def seal_with(data_key: bytes, nonce: bytes, ref: str, payload: dict[str, Any], *, context: str) -> str:
    """``seal`` with the nonce given (12 random bytes, never used twice with the key: a bulk
    import takes the random bytes of a whole batch at once and gives each seal its own)."""
    # orjson: the same compact UTF-8 JSON as json.dumps(ensure_ascii=False, separators=(",", ":"))
    # at a fifth of its cost (a bulk import seals a person a case)
    plain = orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS)
    sealed = AESGCM(data_key).encrypt(nonce, plain, f"{ref}:{context}".encode())
    return base64.b64encode(nonce + sealed).decode()


def open_sealed(data_key: bytes, ref: str, token: str, *, context: str = "fields") -> dict[str, Any]:
    blob = base64.b64decode(token)
    try:
        plain = AESGCM(data_key).decrypt(blob[:12], blob[12:], f"{ref}:{context}".encode())
    except InvalidTag:
        raise KeyDestroyed(ref) from None
    return json.loads(plain)


def seal_bytes(data_key: bytes, ref: str, content: bytes, *, context: str) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(data_key).encrypt(nonce, content, f"{ref}:{context}".encode())


def open_bytes(data_key: bytes, ref: str, blob: bytes, *, context: str) -> bytes:
    return AESGCM(data_key).decrypt(blob[:12], blob[12:], f"{ref}:{context}".encode())


# --- the blind index of names -------------------------------------------------------------------------


def _index_key() -> bytes:
    return _derive_index_key(getattr(settings, "PERSONAL_DATA_INDEX_KEY", ""), settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _derive_index_key(configured: str, secret: str) -> bytes:
    """The index key from the settings' values (cached by those values: a changed setting gives
    its own key; a bulk import digests thousands of names)."""
    if configured:
        key = base64.urlsafe_b64decode(configured + "=" * (-len(configured) % 4))
        if len(key) != 32:
            raise ValueError("PERSONAL_DATA_INDEX_KEY must be 32 bytes (base64).")
        return key
    return hmac.new(secret.encode(), b"ilonet-personal-data-name-index", hashlib.sha256).digest()


def normalise_name(value: str) -> str:
    """Case, accents and spacing do not matter: "Benali", "BENALI " and "Bénali" are one name."""
    if value.isascii():  # no accent to strip, and both normal forms leave ASCII as it is
        return " ".join(value.lower().replace("-", " ").split())
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFKC", stripped).replace("-", " ").split())


def index_key() -> bytes:
    """The blind index's key, for ``name_digests(..., key=)`` over many names in a row."""
    return _index_key()


def name_digests(value: str, *, domain: str = "name", key: bytes | None = None) -> set[str]:
    """The digests of a name and of each of its words (so "El Amrani" is found by "Amrani").
    ``domain`` separates indexes: the same name gives other digests in another list, so two
    indexes cannot be joined on their digests. ``key``: the index key when the caller has it
    (``index_key``: a bulk import's batch reads the settings once, not once per name)."""
    name = normalise_name(value)
    if not name:
        return set()
    words = {name, *name.split()}
    key = key or _index_key()
    # hmac.digest: OpenSSL's one-shot HMAC, the same digest as hmac.new(...).hexdigest() without
    # an object per word (a bulk import digests millions of names)
    return {hmac.digest(key, f"{domain}:{word}".encode(), "sha256").hex()[:40] for word in words}


def name_digest(value: str, *, domain: str = "name", key: bytes | None = None) -> str | None:
    """The digest to look a name up by (the whole normalised query)."""
    name = normalise_name(value)
    if not name:
        return None
    return hmac.digest(key or _index_key(), f"{domain}:{name}".encode(), "sha256").hex()[:40]
