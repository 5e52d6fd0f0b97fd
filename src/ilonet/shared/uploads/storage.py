"""Where uploaded files live: Django's storage API, private storages only.

``STORAGES["default"]`` is ``PrivateFileSystemStorage`` under ``<data dir>/media`` (no URL
serves that directory), or ``PrivateS3Storage`` (``ilonet.shared.uploads.s3``) when
``ILONET_STORAGE=s3``. Neither gives out a URL: every download goes through a view that asks the
access policy at the moment of the request and streams the file (``download``). Stored names
are random (``new_key``), never the uploaded name.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils import timezone


class NoDirectURL(RuntimeError):
    """Stored uploads have no URL: serve them through a view that checks the policy."""


class PrivateFileSystemStorage(FileSystemStorage):
    """Local disk, never served by URL."""

    def url(self, name: str | None) -> str:
        raise NoDirectURL("Uploaded files have no URL; stream them through a checked view.")

    def iter_objects(self, prefix: str) -> Iterator[tuple[str, datetime]]:
        """Every stored name under ``prefix`` with its modification time."""
        root = self.path(prefix) if prefix else self.location
        for directory, _dirs, files in os.walk(root):
            for name in files:
                full = os.path.join(directory, name)
                key = os.path.relpath(full, self.location).replace(os.sep, "/")
                modified = datetime.fromtimestamp(os.stat(full).st_mtime, tz=timezone.get_current_timezone())
                yield key, modified


def get_storage(alias: str = "default") -> Storage:
    return storages[alias]


def new_key(prefix: str, extension: str) -> str:
    """A random, unguessable stored name (128 bits) under ``prefix``, with the sniffed extension."""
    prefix = prefix.strip("/")
    name = f"{secrets.token_hex(16)}{extension}"
    return f"{prefix}/{name}" if prefix else name


def open_stream(storage: Storage, key: str) -> IO[bytes]:
    """A stored file opened for reading in a stream (S3: the object's body, not a local copy)."""
    opener = getattr(storage, "open_stream", None)
    if opener is not None:
        return opener(key)
    return storage.open(key, "rb")


def iter_objects(storage: Storage, prefix: str) -> Iterator[tuple[str, datetime]]:
    """Stored names under ``prefix`` with their modification times, for any storage."""
    walker: Any = getattr(storage, "iter_objects", None)
    if walker is not None:
        yield from walker(prefix)
        return
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        key = f"{prefix.rstrip('/')}/{name}" if prefix else name
        yield key, storage.get_modified_time(key)
    for directory in directories:
        yield from iter_objects(storage, f"{prefix.rstrip('/')}/{directory}" if prefix else directory)
