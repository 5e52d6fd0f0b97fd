"""A queue for SQLite's write lock, so that writers take it in turn.

On SQLite the chain head's lock is the database's write lock: one connection writes at a time,
and each transaction takes the lock when it starts (``BEGIN IMMEDIATE``, see the settings). A
connection that finds it taken sleeps in SQLite's busy handler (1, 2, 5 … then 100 ms between
tries) and gets it only if it is free when it wakes: whoever retries at the right moment wins,
not whoever waited longest. With many writers (interactive requests beside a bulk import
appending chunk after chunk) some wait for seconds and fail after ``busy_timeout`` with
"database is locked".

So every ``BEGIN IMMEDIATE`` first queues for an exclusive ``flock`` on a file beside the
database (``<database>.writers``): waiters wait in the kernel, and only the first of them tries
for the write lock, every millisecond, until it has it (then it leaves the queue to the next) or
``busy_timeout`` has passed ("database is locked", as before). A transaction holds the file lock
only while it waits to start, never while it runs. Installed on every SQLite connection to a
database file (``AuditConfig.ready``); an in-memory database has nobody to share with.
"""

import fcntl
import os
import sqlite3
import time
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

BEGIN = "BEGIN IMMEDIATE"
POLL = 0.001  # seconds between two tries of the queue's first writer


def database_file(wrapper: BaseDatabaseWrapper) -> str | None:
    """The SQLite database's file; None for an in-memory database."""
    name = str(wrapper.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        return None
    return name.removeprefix("file:").split("?", 1)[0]


class _Queue:
    """The execute wrapper of one connection: its own open file (flock locks belong to an
    open file, so threads of one process queue too) and its configured busy timeout."""

    def __init__(self, path: str, timeout_ms: int):
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self.timeout = timeout_ms / 1000

    def __call__(self, execute, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        if sql != BEGIN:
            return execute(sql, params, many, context)
        raw: sqlite3.Connection = context["connection"].connection
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        try:
            raw.execute("PRAGMA busy_timeout = 0")
            try:
                deadline = time.monotonic() + self.timeout
                while True:
                    try:
                        raw.execute(BEGIN)
                        return None
                    except sqlite3.OperationalError as error:
                        if getattr(error, "sqlite_errorcode", sqlite3.SQLITE_BUSY) != sqlite3.SQLITE_BUSY:
                            raise
                        if time.monotonic() >= deadline:
                            break
                    time.sleep(POLL)
                return execute(sql, params, many, context)  # the usual error, through Django
            finally:
                raw.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __del__(self) -> None:
        self.close()


def queued(connection: BaseDatabaseWrapper) -> bool:
    """Whether another connection is queued for the write lock right now (its first writer
    holds the queue's file lock). False where there is no queue (PostgreSQL, in memory)."""
    queue = next((w for w in connection.execute_wrappers if isinstance(w, _Queue)), None)
    if queue is None or queue.fd < 0:
        return False
    try:
        fcntl.flock(queue.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    fcntl.flock(queue.fd, fcntl.LOCK_UN)
    return False


def install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: queue this SQLite connection's transactions."""
    if connection.vendor != "sqlite":
        return
    path = database_file(connection)
    if path is None:
        return
    for wrapper in [w for w in connection.execute_wrappers if isinstance(w, _Queue)]:
        connection.execute_wrappers.remove(wrapper)  # a reconnection: replace, don't stack
        wrapper.close()
    timeout_ms = connection.connection.execute("PRAGMA busy_timeout").fetchone()[0]
    connection.execute_wrappers.append(_Queue(f"{path}.writers", timeout_ms))


def connect() -> None:
    connection_created.connect(install, dispatch_uid="ilonet.audit.writelock")
