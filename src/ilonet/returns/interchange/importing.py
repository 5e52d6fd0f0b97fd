"""Bulk import of return cases and their timelines at national scale (issue 13, item 8).

- **Streamed**: the file is read a line at a time (``reading``), in batches of ``batch_size``
  lines; memory holds one batch, whatever the file's size.
- **All or nothing per batch**: a batch's cases, events, name digests, external ids, refused rows,
  suspected duplicates, its one audit event (``audit.services.record_many``, the bulk path) and
  the run's checkpoint commit in one transaction.
- **Resumable**: the checkpoint is the last line of the last committed batch. The same file for
  the same member state resumes its unfinished run after that line (a crash, a kill -9): nothing
  is written twice. A finished file imported again finds every row's external id already held
  and changes nothing (idempotent).
- **A bad row** is refused with its line and reason (``ImportRowError``); the rest goes on.
- **Suspected duplicate persons** (same whole-name digest and date of birth) go to a review
  queue (``DuplicateSuspect``); the import does not stop.
- **Bulk writes**: ``copying.write_rows`` (COPY on PostgreSQL, staged under row-level security).
- **Isolation**: a run is for one member state; rows of another are refused, lookups are by
  that member state only, and on PostgreSQL the batch runs in that member state's scope,
  so the row-level security refuses any other state's row (``returns.rls``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from django.utils import timezone

from ilonet.audit.actions import AuditAction
from ilonet.audit.services import BulkEvent, record, record_many
from ilonet.personaldata import vault
from ilonet.returns import rls
from ilonet.returns.models import ImportRowError, ImportRun, ImportStatus

from . import reading, rows
from .batch import Batch

DEFAULT_BATCH = 5000


def open_run(
    *,
    actor: Any,
    path: Path,
    member_state: str,
    batch_size: int = DEFAULT_BATCH,
    total_lines: int | None = None,
) -> ImportRun:
    """The unfinished run of this file for this member state, or a new one. The file's first
    line is checked first: a malformed file raises ``reading.MalformedFile``, nothing written."""
    fmt = reading.detect_format(path)
    first = next(iter(reading.rows(path, columns=rows.COLUMNS, fmt=fmt)), None)
    if first is None:
        raise reading.MalformedFile("the file holds no row")
    digest = reading.file_digest(path)
    with rls.member_state_scope([member_state]):  # a transaction; the run is under row-level security
        run = (
            ImportRun.objects.select_for_update()
            .filter(member_state=member_state, file_digest=digest)
            .exclude(status=ImportStatus.COMPLETED)
            .order_by("-pk")
            .first()
        )
        if run is not None:
            run.status, run.failure = ImportStatus.RUNNING, ""
            run.save(update_fields=["status", "failure", "updated_at"])
            return run
        run = ImportRun.objects.create(
            member_state=member_state,
            file_name=path.name[:255],
            file_digest=digest,
            file_format=fmt,
            total_lines=total_lines,
            batch_size=batch_size,
            started_by=actor if getattr(actor, "pk", None) else None,
        )
        record(
            action=AuditAction.RETURN_IMPORT_STARTED,
            actor=actor,
            obj=run,
            details={"member_state": member_state, "file": run.file_name, "sha256": digest},
        )
    return run


def _batches(path: Path, run: ImportRun) -> Iterator[list[reading.Line | reading.Unreadable]]:
    source = reading.rows(path, columns=rows.COLUMNS, fmt=run.file_format)
    pending = (item for item in source if item.number > run.checkpoint_line)
    while batch := list(islice(pending, run.batch_size)):
        yield batch


def import_file(
    *,
    actor: Any,
    run: ImportRun,
    path: Path,
    today: date | None = None,
    on_batch: Callable[[ImportRun], None] | None = None,
) -> ImportRun:
    """Import (or resume) ``run`` from ``path``, batch by batch. A failure that is not a row's
    (the database gone, the file cut mid-way) stops the run as FAILED with its reason; the
    committed batches stay, and running it again resumes after the last one."""
    today = today or timezone.localdate()
    try:
        for lines in _batches(path, run):
            commit_batch(actor=actor, run=run, lines=lines, today=today)
            if on_batch is not None:
                on_batch(run)
    except reading.MalformedFile as error:
        _stop(run, str(error))
        raise
    except Exception as error:
        _stop(run, f"{type(error).__name__}: {error}")
        raise
    with rls.member_state_scope([run.member_state]):
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.COMPLETED, finished_at=timezone.now(), updated_at=timezone.now()
        )
        run.refresh_from_db()
    return run


def _stop(run: ImportRun, reason: str) -> None:
    with rls.member_state_scope([run.member_state]):
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED, failure=reason[:300], updated_at=timezone.now()
        )
        run.refresh_from_db()


COUNTERS = ("cases_created", "events_created", "rows_unchanged", "rows_rejected", "duplicates_suspected")


def commit_batch(
    *, actor: Any, run: ImportRun, lines: list[reading.Line | reading.Unreadable], today: date
) -> None:
    """One batch, all or nothing, with the run's checkpoint moved to its last line."""
    last_line = lines[-1].number
    keys: list[tuple[str, str]] = []
    with rls.member_state_scope([run.member_state]):  # a transaction; row-level security on that state only
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        if locked.checkpoint_line >= last_line:  # done by another process meanwhile
            run.refresh_from_db()
            return
        ImportRun.objects.filter(pk=run.pk).update(updated_at=timezone.now())  # SQLite: the write lock first
        batch = Batch(run=locked, actor=actor, today=today)
        batch.read(lines)
        batch.write()
        keys = batch.wrapped_keys
        counts = batch.counts
        details = {"run": run.pk, "first_line": lines[0].number, "last_line": last_line, **counts}
        record_many(
            action=AuditAction.RETURN_IMPORT_BATCH_COMMITTED,
            actor=actor,
            objects=[BulkEvent("returns.importrun", str(run.pk), str(locked), details)],
        )
        if batch.errors:
            ImportRowError.objects.bulk_create(
                [
                    ImportRowError(run_id=run.pk, line=line, external_id=ext, code=code, params=params)
                    for line, ext, code, params in batch.errors
                ]
            )
        for name in COUNTERS:
            setattr(locked, name, getattr(locked, name) + counts[name])
        locked.checkpoint_line, locked.batches = last_line, locked.batches + 1
        locked.save(update_fields=[*COUNTERS, "checkpoint_line", "batches", "updated_at"])
        # The data keys last, just before the commit: a batch that rolls back leaves at most
        # unused keys (no case names them), never a sealed identity without its key.
        if keys:
            vault.store_wrapped(keys)
    for name in (*COUNTERS, "checkpoint_line", "batches"):
        setattr(run, name, getattr(locked, name))
