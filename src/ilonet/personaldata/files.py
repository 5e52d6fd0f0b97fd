"""Biometric files of a record (facial image, fingerprints; Art. 10(3)): checked by the shared
upload pipeline (type by content, size, malware scan), then stored **sealed** with the data
subject's key under a random name. The plain image is never written to the file store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile

from ilonet.shared.uploads import JPEG, PNG, UploadProfile, get_scanner, get_storage, inspect_upload, new_key
from ilonet.shared.uploads.types import MIB

from . import vault

BIOMETRICS = UploadProfile(
    "biometric data",
    (JPEG, PNG),
    max_bytes_setting="PERSONAL_DATA_MAX_BIOMETRIC_BYTES",
    default_max_bytes=5 * MIB,
)
PREFIX = "personaldata"


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content: bytes
    content_type: str


def check(kind: str, file: IO[bytes]) -> CheckedFile:
    """Refuses (``UploadRefused``, with the reason) anything but a JPEG or PNG image within the
    size limit, and what the scanner finds infected; nothing is stored yet."""
    inspected = inspect_upload(file, profile=BIOMETRICS, name=f"{kind}.bin")
    get_scanner().scan(file)
    file.seek(0)
    return CheckedFile(kind=kind, content=file.read(), content_type=inspected.content_type)


def store(data_key: bytes, ref: str, checked: CheckedFile) -> str:
    """Seal and store; returns the storage key."""
    sealed = vault.seal_bytes(data_key, ref, checked.content, context=checked.kind)
    return get_storage().save(new_key(PREFIX, ".sealed"), ContentFile(sealed))


def read(data_key: bytes, ref: str, kind: str, storage_key: str) -> bytes:
    with get_storage().open(storage_key, "rb") as handle:
        return vault.open_bytes(data_key, ref, handle.read(), context=kind)


def delete(storage_key: str) -> None:
    get_storage().delete(storage_key)
