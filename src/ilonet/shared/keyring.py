"""The data-encryption keyring, parsed from ILONET_ENCRYPTION_KEYS. Needs no configured Django,
so the settings can validate the keys at start-up."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, bytes]

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        keys: dict[str, bytes] = {}
        first = ""
        for item in filter(None, (part.strip() for part in spec.split(","))):
            key_id, _, encoded = item.partition(":")
            try:
                key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            except ValueError as error:
                raise ImproperlyConfigured(f"Encryption key {key_id!r} is not base64.") from error
            if not key_id or len(key) != 32:
                raise ImproperlyConfigured(f"Encryption key {key_id!r} must be 32 bytes (base64).")
            keys[key_id] = key
            first = first or key_id
        if not keys:
            raise ImproperlyConfigured("ILONET_ENCRYPTION_KEYS is empty.")
        return cls(first, keys)


def new_key_spec(key_id: str = "k1") -> str:
    """A fresh ``id:base64key`` entry for ILONET_ENCRYPTION_KEYS."""
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip('=')}"
