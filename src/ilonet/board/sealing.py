"""Sealing the ballots of a secret vote while it runs (Art. 8(1): secret ballots).

A sealed ballot is the choice and the receipt fingerprint, padded to one length and encrypted
with AES-GCM under a key derived from the server's ``SECRET_KEY`` and the motion; the motion's
id is the associated data, so a sealed ballot cannot be moved to another motion. The key is
never stored in the database: a copy of the database, its backups or its write-ahead log alone
does not open a sealed ballot. Changing ``SECRET_KEY`` while a secret vote runs makes its sealed
ballots unreadable; do not rotate it then (or keep the old one in ``SECRET_KEY_FALLBACKS``).
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

CHOICE_WIDTH = 8  # the longest choice, "abstain", padded: every sealed ballot has the same length
FINGERPRINT_WIDTH = 64
NONCE_BYTES = 12


def _keys(motion_id: int) -> list[bytes]:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    label = f"ilonet-board-sealed-ballot:{motion_id}".encode()
    return [hmac.new(str(secret).encode(), label, hashlib.sha256).digest() for secret in secrets]


def seal(*, motion_id: int, choice: str, fingerprint: str) -> bytes:
    """The encrypted ballot: a random nonce, then the ciphertext of the padded plaintext."""
    if len(choice) > CHOICE_WIDTH or len(fingerprint) != FINGERPRINT_WIDTH:
        raise ValueError("a choice and a SHA-256 fingerprint")
    plain = f"{choice:<{CHOICE_WIDTH}}{fingerprint}".encode()
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(_keys(motion_id)[0]).encrypt(nonce, plain, str(motion_id).encode())


def unseal(*, motion_id: int, sealed: bytes) -> tuple[str, str]:
    """(choice, fingerprint) of a sealed ballot of this motion."""
    nonce, body = bytes(sealed[:NONCE_BYTES]), bytes(sealed[NONCE_BYTES:])
    for key in _keys(motion_id):
        try:
            plain = AESGCM(key).decrypt(nonce, body, str(motion_id).encode()).decode()
        except Exception:  # noqa: BLE001, S112  (InvalidTag: try the fallback keys)
            continue
        return plain[:CHOICE_WIDTH].rstrip(), plain[CHOICE_WIDTH:]
    raise ValueError(f"a sealed ballot of motion {motion_id} cannot be opened with the server's keys")
