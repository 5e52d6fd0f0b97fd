"""Bulk import of return cases and their timelines at national scale (issue 13, item 8).

- **Streamed**: the file is read a line at a time (``reading``), in batches of ``batch_size``
  lines; memory holds three batches at most (one written, one ready, one being read), whatever
  the file's size.
- **Read ahead**: a thread reads, checks and seals the next batch (``batch.prepare``, no
  database) while this one is written (``read_ahead``); the writes stay on the caller's thread
  and connection, in file order.
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
- **Fewer garbage collections** while a file is imported (``fewer_collections``): a batch makes
  hundreds of thousands of small containers that live until it is written, and Python's cyclic
  collector, run after every 700 of them by default, walked them again and again (a third of the
  importer's time, measured on a national file); and a shorter interpreter switch interval, so
  that the writing thread, back from the database, gets the interpreter lock from the reading
  thread soon (``SWITCH_INTERVAL``).
- **Isolation**: a run is for one member state; rows of another are refused, lookups are by
  that member state only, and on PostgreSQL the batch runs in that member state's scope,
  so the row-level security refuses any other state's row (``returns.rls``).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager, suppress
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from ilonet.audit.actions import AuditAction
from ilonet.audit.services import BulkEvent, record, record_many
from ilonet.personaldata import vault
from ilonet.returns import conf, rls
from ilonet.returns.models import ImportRowError, ImportRun, ImportStatus

from . import reading, rows
from .batch import Batch, Prepared, prepare

T = TypeVar("T")

# Lines a batch: 10,000 rather than 5,000 halved the per-batch statements and checks (a run of
# 100,000 cases 4 to 6 % faster, docs/benchmarks.md) for about 60 MB more memory a process.
DEFAULT_BATCH = 10_000


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


def _batches(path: Path, run: ImportRun, today: date) -> Iterator[Prepared]:
    """The batches after the run's checkpoint, each read and checked on its own (``prepare``)."""
    return _prepared(path, run.checkpoint_line, run.batch_size, run.member_state, run.file_format, today)


def _prepared(path: Path, after: int, size: int, state: str, fmt: str, today: date) -> Iterator[Prepared]:
    """Batches of ``size`` lines, each carried on to where the next case begins (at most ``size``
    lines more): a case and the events that follow it in the file are written by one batch, so
    the next batch need not read its timeline back and store it again."""
    source = reading.rows(path, columns=rows.COLUMNS, fmt=fmt)
    pending = source if after == 0 else (item for item in source if item.number > after)
    carried: list[reading.Line | reading.Unreadable] = []
    while lines := carried + list(islice(pending, size - len(carried))):
        carried = []
        if len(lines) == size:
            for item in islice(pending, size):
                if isinstance(item, reading.Line) and item.data.get("record") == "case":
                    carried = [item]
                    break
                lines.append(item)
        yield prepare(lines, member_state=state, today=today)


def _prepared_ahead(path: Path, run: ImportRun, today: date) -> Iterator[Prepared]:
    """The batches, each made while the one before is written: on a thread (``read_ahead``) or,
    by the setting ``RETURNS_IMPORT_PREPARER``, in a forked process (``prepared_in_process``)."""
    if conf.import_preparer() == "process" and "fork" in multiprocessing.get_all_start_methods():
        return prepared_in_process(path, run, today)
    return read_ahead(_batches(path, run, today))


def _forget_inherited_connections() -> None:
    """In the forked preparer: the database connections the fork copied are the importer's. Their
    sockets are closed in this process only, at the system's level (no goodbye sent on them, which
    would end the importer's session; the connection objects are never used here), so that the
    importer's session ends when the importer does (a kill -9 included): else this process would
    hold it open, with its transaction's locks, and the resumed import would wait for them."""
    for conn in connections.all(initialized_only=True):
        pgconn = getattr(conn.connection, "pgconn", None)  # psycopg; SQLite's locks are per process
        socket = getattr(pgconn, "socket", -1) if pgconn is not None else -1
        if isinstance(socket, int) and socket >= 0:
            with suppress(OSError):
                os.close(socket)


def _prepare_into(send: Any, receive: Any, args: tuple) -> None:
    """The forked preparer's body: each batch sent, pickled, as soon as it is made; the pipe
    holds one at a time, so the process is at most one batch ahead of the writer. The pipe's
    reading end, copied by the fork, is closed first: when the importer is gone the pipe breaks
    and this process ends at its next send."""
    receive.close()
    _forget_inherited_connections()
    try:
        for prepared in _prepared(*args):
            send.send(("batch", prepared))
        send.send(("end", None))
    except BrokenPipeError:  # the importer is gone (killed, or stopped reading): nothing to tell
        return
    except BaseException as error:  # noqa: BLE001 (handed to the importer, raised there)
        with suppress(BrokenPipeError):
            try:
                send.send(("error", error))
            except BrokenPipeError:
                raise
            except Exception:  # noqa: BLE001 (an exception that does not pickle: its words)
                send.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
    finally:
        send.close()


def prepared_in_process(path: Path, run: ImportRun, today: date) -> Iterator[Prepared]:
    """``_batches`` made in a process of its own (forked: it has this process's settings and
    keyring, and touches no database), so that the preparing and the writing do not share one
    interpreter lock. Its exception reaches the caller in its place in the sequence; the process
    ends when the caller stops (an error, a closed generator), and by a broken pipe when the
    caller is killed."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    args = (path, run.checkpoint_line, run.batch_size, run.member_state, run.file_format, today)
    child = context.Process(
        target=_prepare_into, args=(send, receive, args), name="import-prepare", daemon=True
    )
    child.start()
    send.close()
    try:
        while True:
            try:
                kind, payload = receive.recv()
            except EOFError:
                raise RuntimeError("the preparing process ended before the file did") from None
            if kind == "error":
                raise payload
            if kind == "end":
                return
            yield payload
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()


_END = object()


def read_ahead(items: Iterator[T]) -> Iterator[T]:
    """``items`` made on a thread of their own, one ahead of the caller: the next batch is read,
    checked and sealed while the database writes the one before (the two cores of a machine
    both work). The thread touches no database; its exception reaches the caller in its place
    in the sequence (a file cut after the batches already written), and the thread ends when the
    caller stops (an error, a closed generator)."""
    ready: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((item, None)):
                    return
            put((_END, None))
        except BaseException as error:  # noqa: BLE001 (handed to the caller, raised there)
            put((_END, error))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=produce, name="import-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item, error = ready.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        worker.join()


GC_THRESHOLD = 100_000  # new containers between two young collections while importing (default 700)
# Seconds a thread may hold the interpreter lock while another waits for it, while importing
# (default 0.005): the writing thread, back from each of its batch's statements, gets the lock
# from the reading thread within this instead of up to 5 ms later.
SWITCH_INTERVAL = 0.0005
_gc_lock = threading.Lock()
_gc_users = 0
_gc_before: tuple[int, int, int] = (700, 10, 10)
_switch_before = 0.005


@contextmanager
def fewer_collections() -> Iterator[None]:
    """While a file is imported, two settings of the interpreter (the process's: the first import
    to start sets them, the last to end puts back what was there before, imports on several
    threads at once):

    - Python's cyclic garbage collector less often: its young generation collected after
      ``GC_THRESHOLD`` new containers instead of 700 (so the older ones far less often too).
      Nothing is left uncollected, only collected later: the memory of a batch stays bounded by
      the batch.
    - A shorter switch interval (``SWITCH_INTERVAL``): the reading thread's Python holds the lock
      for less time when the writing thread comes back from the database, whose statements are
      the import's longer path; both threads do the same work, in smaller turns."""
    global _gc_users, _gc_before, _switch_before
    with _gc_lock:
        if _gc_users == 0:
            _gc_before = gc.get_threshold()
            gc.set_threshold(max(GC_THRESHOLD, _gc_before[0]), *_gc_before[1:])
            _switch_before = sys.getswitchinterval()
            sys.setswitchinterval(min(SWITCH_INTERVAL, _switch_before))
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_before)
                sys.setswitchinterval(_switch_before)


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
    with fewer_collections():
        return _import_file(actor=actor, run=run, path=path, today=today, on_batch=on_batch)


def _import_file(
    *,
    actor: Any,
    run: ImportRun,
    path: Path,
    today: date | None,
    on_batch: Callable[[ImportRun], None] | None,
) -> ImportRun:
    today = today or timezone.localdate()
    try:
        with closing(
            _prepared_ahead(path, run, today)
        ) as batches:  # the thread or process ends with the loop
            for prepared in batches:
                commit_batch(actor=actor, run=run, prepared=prepared, today=today)
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


_key_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-keys")


def commit_batch(*, actor: Any, run: ImportRun, prepared: Prepared, today: date) -> None:
    """One batch, all or nothing, with the run's checkpoint moved to its last line.

    The data keys of the batch's new cases go to the key store (a SQLite file of its own, a disk
    sync per write) on a thread of their own while the batch's rows are written, and the batch
    waits for them before it commits: a sealed identity is never committed without its key, and
    a batch that rolls back leaves at most unused keys (no case names them), as before."""
    stored: list[Future[None]] = []
    try:
        _commit_batch(actor=actor, run=run, prepared=prepared, today=today, stored=stored)
    finally:
        for future in stored:  # never left running past the batch, even when it fails
            future.exception()


def _commit_batch(
    *, actor: Any, run: ImportRun, prepared: Prepared, today: date, stored: list[Future[None]]
) -> None:
    last_line = prepared.last_line
    with rls.member_state_scope([run.member_state]):  # a transaction; row-level security on that state only
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        if locked.checkpoint_line >= last_line:  # done by another process meanwhile
            run.refresh_from_db()
            return
        ImportRun.objects.filter(pk=run.pk).update(updated_at=timezone.now())  # SQLite: the write lock first

        def give_keys(keys: list[tuple[str, str]]) -> None:
            stored.append(_key_writer.submit(vault.store_wrapped, keys))

        batch = Batch(run=locked, actor=actor, today=today)
        batch.on_keys = give_keys
        batch.read(prepared)
        try:
            with transaction.atomic():  # a savepoint: the batch's writes go if it fails
                batch.write()
        except IntegrityError:
            # An id already held among the events of the batch's new cases (not looked up at
            # first: ``Batch.write``): the batch again, every id looked up, that row refused. Its
            # new cases are the same, so their keys, already being stored, are not given again.
            batch = Batch(run=locked, actor=actor, today=today)
            batch.on_keys = None if stored else give_keys
            batch.read(prepared)
            batch.write(probe_every_event=True)
        counts = batch.counts
        details = {"run": run.pk, "first_line": prepared.first_line, "last_line": last_line, **counts}
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
        # The data keys stored before the commit (an error there rolls the batch back).
        for future in stored:
            future.result()
    for name in (*COUNTERS, "checkpoint_line", "batches"):
        setattr(run, name, getattr(locked, name))
