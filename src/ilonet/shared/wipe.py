"""Leave no copy of erased rows in the database's files (Art. 10(2); GDPR Art. 17).

On SQLite every connection runs with ``secure_delete`` (settings; Debian builds SQLite with it on
by default, other builds do not): a deleted or overwritten value is zeroed in its page. The page
as it was before the erasure can still sit in the write-ahead log (and, until the log is copied
back, the database file holds the old page), so an erasure job ends with
``flush_erased_pages()``: a checkpoint that copies the log into the database and truncates the
log to nothing. ``tests/test_retention_canaries.py`` reads the files' bytes afterwards.

On PostgreSQL a deleted row stays in its table's file as a dead tuple until VACUUM reuses the
space, and in the write-ahead log until it is recycled: what the erasure must make unreadable
there is sealed with a key that the erasure destroys (``ilonet.shared.envelope``); the few clear
columns that go with an erased record rely on the volume's encryption (docs/security.md).
"""

from __future__ import annotations

from django.db import connection


def flush_erased_pages() -> bool:
    """Checkpoint and truncate SQLite's write-ahead log; True when it was done completely (a
    reader still inside a transaction can keep older pages: the next erasure run tries again;
    called inside a transaction it does nothing). Nothing to do on PostgreSQL (True)."""
    if connection.vendor != "sqlite":
        return True
    if connection.in_atomic_block:  # a checkpoint cannot run inside a transaction
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _log_pages, _done = cursor.fetchone()
    return busy == 0
