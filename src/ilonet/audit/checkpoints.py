"""Signed checkpoints of the audit chain, outside the database.

A checkpoint is one JSON line ``{"v", "seq", "hash", "at", "key_id", "sig"}`` appended to
``<ILONET_AUDIT_CHECKPOINT_DIR>/checkpoints.jsonl``: the chain head (sequence number and hash)
at a time, signed with Ed25519 (``ILONET_AUDIT_SIGNING_KEY``). Whoever holds the chain key can
recompute a valid chain after rewriting it, but cannot make the rewritten chain match a
checkpoint written before: the hash at a checkpointed sequence number changes, or the chain
ends below it. The file is only ever appended to (``O_APPEND``); keep it where the database's
administrators cannot rewrite it (another host, an append-only or WORM volume).
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

from .keys import parse_public_key, parse_signing_key

FILENAME = "checkpoints.jsonl"
VERSION = 1


class CheckpointError(Exception):
    """A checkpoint line that is malformed or whose signature does not verify."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"checkpoint line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    key_id: str | None
    line: int = 0

    def message(self) -> bytes:
        """The signed bytes: canonical JSON of everything but the signature."""
        body = {"v": VERSION, "seq": self.seq, "hash": self.hash, "at": self.at, "key_id": self.key_id}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def default_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR) / FILENAME


def signing_key() -> Ed25519PrivateKey:
    return parse_signing_key(settings.AUDIT_SIGNING_KEY)


def configured_public_key() -> Ed25519PublicKey:
    """ILONET_AUDIT_PUBLIC_KEY when set; else derived from the signing key (same host)."""
    if getattr(settings, "AUDIT_PUBLIC_KEY", ""):
        return parse_public_key(settings.AUDIT_PUBLIC_KEY)
    return signing_key().public_key()


def append(*, seq: int, hash: str, key_id: str | None, key: Ed25519PrivateKey, path: Path) -> Checkpoint:
    """Sign (seq, hash, now) and append it as one line; never rewrites the file."""
    point = Checkpoint(seq=seq, hash=hash, at=timezone.now().isoformat(timespec="seconds"), key_id=key_id)
    line = json.loads(point.message())
    line["sig"] = base64.b64encode(key.sign(point.message())).decode()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (json.dumps(line, sort_keys=True, separators=(",", ":")) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return point


def _parse(number: int, text: str, public_key: Ed25519PublicKey) -> Checkpoint:
    try:
        line = json.loads(text)
        signature = base64.b64decode(line.pop("sig"), validate=True)
        point = Checkpoint(seq=int(line["seq"]), hash=str(line["hash"]), at=str(line["at"]),
                           key_id=line.get("key_id"), line=number)  # fmt: skip
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CheckpointError(number, "malformed line") from error
    try:
        public_key.verify(signature, point.message())
    except InvalidSignature:
        raise CheckpointError(number, "signature does not verify (forged or altered)") from None
    return point


def read(*, path: Path, public_key: Ed25519PublicKey) -> list[Checkpoint]:
    """Every checkpoint in the file, signatures verified; raises ``CheckpointError`` at the
    first bad line. A missing file is no checkpoints."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [_parse(number, text, public_key)
                for number, text in enumerate(handle, start=1) if text.strip()]  # fmt: skip


def latest(*, path: Path, public_key: Ed25519PublicKey) -> Checkpoint | None:
    """The last checkpoint of the file, its signature verified (monitoring: its sequence number
    and age); reads only the file's tail. None when there is none; ``CheckpointError`` when the
    last line does not verify."""
    if not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - 4096))
        lines = [line for line in handle.read().decode("utf-8", "replace").splitlines() if line.strip()]
    return _parse(0, lines[-1], public_key) if lines else None
