"""The upload pipeline: inspect, scan, store, and the row written beside the file, all or nothing.

::

    with stored_upload(upload, profile=EXCHANGE, prefix="exchange/documents") as stored:
        Document.objects.create(key=stored.key, content_type=stored.content_type, ...)

``stored_upload`` checks the file (``inspect_upload``), has it scanned (``get_scanner``), saves
it under a random key through Django's storage API, then runs the block in a transaction. The
stored object is deleted when the block raises, and when the transaction around it rolls back
later (a savepoint or the caller's outer transaction): the object is kept only once the
database has committed. A refused or interrupted upload leaves no file and no row.

Django has no rollback hook: the pipeline registers an ``on_commit`` callback and watches it
with ``weakref.finalize``; a rollback discards the callback unrun, and its finalizer deletes
the object. A process killed between the save and the commit leaves an object without a row;
``sweep_orphans`` removes those once they are older than a few hours.
"""

from __future__ import annotations

import errno
import logging
import weakref
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO

from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone

from . import refusals
from .inspect import Inspected, inspect_upload
from .scan import Scanner, get_scanner
from .storage import get_storage, iter_objects, new_key
from .types import FileType, UploadProfile

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredFile:
    """A checked, scanned and stored upload: what the caller keeps in its row."""

    key: str
    storage_alias: str
    file_type: FileType
    size: int
    sha256: str
    name: str  # the uploaded name, cleaned, for display only

    @property
    def content_type(self) -> str:
        return self.file_type.content_type

    @property
    def extension(self) -> str:
        return self.file_type.extension


class _Outcome:
    committed = False


class _CommitWatch:
    """The on_commit callback; when it is dropped unrun (rollback), its finalizer deletes."""

    def __init__(self, outcome: _Outcome) -> None:
        self.outcome = outcome

    def __call__(self) -> None:
        self.outcome.committed = True


def _delete(storage: Storage, key: str) -> None:
    try:
        storage.delete(key)
    except Exception:  # noqa: BLE001 - the sweeper removes what could not be deleted now
        logger.warning("could not delete stored upload %s; sweep_orphans will", key, exc_info=True)


def _delete_unless_committed(storage: Storage, key: str, outcome: _Outcome) -> None:
    if not outcome.committed:
        _delete(storage, key)


def save_checked(
    file: IO[bytes], inspected: Inspected, *, prefix: str, storage_alias: str = "default"
) -> StoredFile:
    """Save an inspected (and scanned) upload under a new random key; on any failure on the way
    (a full disk, a dropped connection) nothing is left, and the upload is refused with the
    reason (``storage_full``, ``storage_unavailable``: 503)."""
    storage = get_storage(storage_alias)
    key = new_key(prefix, inspected.extension)
    file.seek(0)
    try:
        saved = storage.save(key, file)
    except OSError as error:
        _delete(storage, key)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise refusals.storage_full() from error
        raise refusals.storage_unavailable() from error
    except Exception as error:  # the object store unreachable, refusing, or timing out (S3)
        _delete(storage, key)
        logger.warning("the file store refused %s: %s", key, error)
        raise refusals.storage_unavailable() from error
    except BaseException:
        _delete(storage, key)
        raise
    return StoredFile(
        key=saved,
        storage_alias=storage_alias,
        file_type=inspected.file_type,
        size=inspected.size,
        sha256=inspected.sha256,
        name=inspected.name,
    )


def _same_size(file: IO[bytes], inspected: Inspected) -> None:
    """An inspection handed in belongs to this file: at least its size must be the file's."""
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if size != inspected.size:
        raise ValueError(f"the inspection handed in is of a file of {inspected.size} bytes, not {size}")


@contextmanager
def stored_upload(
    file: IO[bytes],
    *,
    profile: UploadProfile,
    prefix: str,
    name: str | None = None,
    storage_alias: str = "default",
    scanner: Scanner | None = None,
    using: str = "default",
    inspected: Inspected | None = None,
) -> Iterator[StoredFile]:
    """Check, scan and store ``file``; the block writes the row. Raises ``UploadRefused`` before
    anything is stored; deletes the stored object if the block raises or its transaction rolls
    back. ``inspected`` is this file's ``inspect_upload`` under the same ``profile`` and
    ``name``, when the caller made it already (the exchange's guard reads the file's type before
    its text): the file is then not read and hashed a second time."""
    if inspected is None:
        inspected = inspect_upload(file, profile=profile, name=name)
    else:
        _same_size(file, inspected)
    (scanner or get_scanner()).scan(file)
    stored = save_checked(file, inspected, prefix=prefix, storage_alias=storage_alias)
    storage = get_storage(storage_alias)
    outcome = _Outcome()
    watch = _CommitWatch(outcome)
    delete_now = weakref.finalize(watch, _delete_unless_committed, storage, stored.key, outcome)
    try:
        with transaction.atomic(using=using):
            transaction.on_commit(watch, using=using)
            del watch  # from here only the connection's list of callbacks holds it
            yield stored
    except BaseException:
        delete_now()
        raise


def delete_on_commit(key: str, *, storage_alias: str = "default", using: str = "default") -> None:
    """Delete a stored file once the transaction that deletes its row commits."""
    storage = get_storage(storage_alias)
    transaction.on_commit(lambda: _delete(storage, key), using=using)


def sweep_orphans(
    *,
    prefix: str,
    known: Callable[[Sequence[str]], Collection[str]],
    older_than: timedelta = timedelta(hours=6),
    storage_alias: str = "default",
    now: datetime | None = None,
    batch: int = 500,
) -> list[str]:
    """Delete stored objects under ``prefix`` that no row refers to and that are older than
    ``older_than`` (uploads in flight are younger). ``known(keys)`` returns those of ``keys``
    that rows refer to. Returns the deleted keys."""
    storage = get_storage(storage_alias)
    cutoff = (now or timezone.now()) - older_than
    candidates = [key for key, modified in iter_objects(storage, prefix) if modified < cutoff]
    deleted: list[str] = []
    for start in range(0, len(candidates), batch):
        keys = candidates[start : start + batch]
        keep = set(known(keys))
        for key in keys:
            if key not in keep:
                storage.delete(key)
                deleted.append(key)
    if deleted:
        logger.info("deleted %d orphaned uploads under %s", len(deleted), prefix)
    return deleted
