"""Django's PostgreSQL backend, with the audit events of a transaction appended just before it
commits (``ilonet.audit.deferred``): the chain head's row lock is then held for the appending
statements and the ``COMMIT`` only, not for the rest of the transaction that recorded them.

Django has no hook before a commit (``transaction.on_commit`` runs after it), so the connection
keeps the queue and its transaction methods keep it in step with the database:

- ``commit`` appends the queue first. If that fails, the transaction is rolled back and the
  error raised: a change whose event was not written is not committed. ``on_commit`` callbacks
  run after the commit, so they see the events.
- ``rollback`` and ``close`` drop the queue (the database rolls the change back too).
- ``savepoint`` notes how many events were queued; rolling back to it drops those queued after
  it (an ``atomic`` block that failed, ``set_rollback(True)`` in a nested block, a manual
  ``transaction.savepoint_rollback``). ``atomic(savepoint=False)`` blocks have no savepoint:
  their failure marks the whole transaction for rollback, and the queue goes with it.
- In tests (pytest-django, ``TestCase``) the outermost transaction belongs to the test case and
  never commits: the application's outermost block ends by releasing a savepoint while only the
  test case's blocks remain, and the queue is appended there, so tests see their events as
  production does after the commit. An application block without a savepoint inside a test case
  releases nothing: its events are appended before the next statement on the connection.
- ``durable=True`` blocks are outermost blocks: they commit, and append there.

Only the default database writes the trail; the replica keeps Django's backend.
"""

from typing import Any

from django.db import DatabaseError
from django.db.backends.postgresql import base as postgresql


class DatabaseWrapper(postgresql.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.audit_pending: list[tuple[int, Any]] = []  # (serial, deferred.Pending)
        self._audit_serial = 0  # events ever queued on this connection
        self._audit_marks: dict[str, int] = {}  # savepoint id: the serial when it was made

    # --- the queue (ilonet.audit.services.record, ilonet.audit.deferred) --------------------

    def audit_defers(self) -> bool:
        """Inside an application's transaction: an ``atomic`` block that is not a test case's,
        or autocommit turned off by hand. Outside one (autocommit, or a test's own body in its
        test case's transaction), ``record`` appends at once."""
        if self.in_atomic_block:
            return any(not getattr(block, "_from_testcase", False) for block in self.atomic_blocks)
        return not self.get_autocommit()

    def audit_queue(self, item: Any) -> None:
        self._audit_serial += 1
        self.audit_pending.append((self._audit_serial, item))

    def audit_take(self) -> list[Any]:
        """The queued events, in the order recorded; the queue is left empty."""
        pending, self.audit_pending = self.audit_pending, []
        return [item for _serial, item in pending]

    def audit_flush(self) -> None:
        """Append the queued events now (inside the transaction; the head stays locked to its
        end)."""
        if self.audit_pending:
            from ilonet.audit import deferred  # the backend is loaded before the apps

            deferred.append(self, self.audit_take())

    def _audit_reset(self) -> None:
        self.audit_pending = []
        self._audit_marks = {}

    # --- transactions -------------------------------------------------------------------------

    def connect(self) -> None:
        self._audit_reset()
        super().connect()

    def commit(self) -> None:
        self.validate_thread_sharing()
        self.validate_no_atomic_block()
        if self.audit_pending:
            try:
                self.audit_flush()
            except BaseException:
                try:
                    self.rollback()
                except DatabaseError:
                    self.close()  # as Atomic does when a rollback fails
                raise
        self._audit_marks = {}
        super().commit()

    def _set_autocommit(self, autocommit: bool) -> None:
        if autocommit and self.audit_pending:
            # Autocommit turned back on by hand without a commit: the events go in as the
            # statements they stand for would have (PostgreSQL then refuses the switch inside
            # the transaction, as it would have without the queue).
            self.audit_flush()
        super()._set_autocommit(autocommit)  # type: ignore[misc]  # (untyped in django-stubs)

    def rollback(self) -> None:
        self._audit_reset()
        super().rollback()

    def close(self) -> None:
        self._audit_reset()
        super().close()

    def savepoint(self) -> Any:
        sid = super().savepoint()
        if sid is not None:
            self._audit_marks[sid] = self._audit_serial
        return sid

    def savepoint_rollback(self, sid: Any) -> None:
        mark = self._audit_marks.get(sid)
        if mark is not None and self.audit_pending:
            self.audit_pending = [entry for entry in self.audit_pending if entry[0] <= mark]
        super().savepoint_rollback(sid)

    def savepoint_commit(self, sid: Any) -> None:
        if self.audit_pending and self.in_atomic_block and not self.audit_defers():
            # The application's outermost block ends inside a test case's transaction: append
            # as its commit would. A database error is rolled back to the savepoint by Atomic
            # (which drops the queue); anything else is rolled back here.
            try:
                self.audit_flush()
            except DatabaseError:
                raise
            except BaseException:
                self.savepoint_rollback(sid)
                super().savepoint_commit(sid)
                raise
        super().savepoint_commit(sid)

    def _cursor(self, name: Any = None) -> Any:
        left = self.audit_pending and self.in_atomic_block and not self.needs_rollback
        if left and not self.audit_defers():
            # Left by an application block without a savepoint that ended inside a test case's
            # transaction (no commit, no release to append at): append before the next statement.
            self.audit_flush()
        return super()._cursor(name)  # type: ignore[misc]  # (untyped in django-stubs)
