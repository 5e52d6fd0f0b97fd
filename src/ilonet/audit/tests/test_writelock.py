"""SQLite writers queue for the write lock (``audit.writelock``): a transaction that finds it
taken waits its turn and starts when it is released, an import sees that someone is waiting,
and the configured busy timeout still ends a wait that never ends. On a SQLite file of its own,
whatever database the suite runs on."""

import threading
import time

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from ilonet.audit import writelock


@pytest.fixture(autouse=True)
def own_database(django_db_blocker):
    """These connections go to files of their own, not to the test database."""
    with django_db_blocker.unblock():
        yield


def _connection(path, busy_ms=5000):
    """A Django SQLite connection to ``path``, configured as the settings configure them."""
    options = {
        "transaction_mode": "IMMEDIATE",
        "init_command": f"PRAGMA journal_mode=WAL; PRAGMA busy_timeout={busy_ms};",
    }
    handler = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path),
                                             "OPTIONS": options}})  # fmt: skip
    connection = handler["default"]
    connection.ensure_connection()
    return connection


def _begin(connection):
    with connection.cursor() as cursor:
        cursor.execute(writelock.BEGIN)


def _end(connection, statement="COMMIT"):
    with connection.cursor() as cursor:
        cursor.execute(statement)


def test_a_writer_waits_in_the_queue_and_starts_when_the_lock_is_released(tmp_path):
    path = tmp_path / "queue.sqlite3"
    holder, watcher = _connection(path), _connection(path)
    with holder.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x INTEGER)")
    assert any(isinstance(w, writelock._Queue) for w in holder.execute_wrappers)
    _begin(holder)
    outcome = {}

    def waiter():
        connection = _connection(path)
        try:
            _begin(connection)  # waits: the holder has the write lock
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES (2)")
            _end(connection)
            outcome["ok"] = True
        except Exception as error:  # noqa: BLE001 (the test's finding)
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=waiter)
    thread.start()
    deadline = time.monotonic() + 10
    while not writelock.queued(watcher) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert writelock.queued(watcher), "the waiting writer should be first in the queue"
    with holder.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
    _end(holder)
    thread.join(timeout=10)
    assert outcome == {"ok": True}
    assert not writelock.queued(watcher)
    with watcher.cursor() as cursor:
        cursor.execute("SELECT x FROM t ORDER BY x")
        assert cursor.fetchall() == [(1,), (2,)]
    holder.close()
    watcher.close()


def test_the_busy_timeout_still_ends_a_wait_for_a_lock_never_released(tmp_path):
    path = tmp_path / "timeout.sqlite3"
    holder = _connection(path)
    _begin(holder)
    impatient = _connection(path, busy_ms=200)
    started = time.monotonic()
    with pytest.raises(OperationalError, match="locked"):
        _begin(impatient)
    assert time.monotonic() - started >= 0.2
    with impatient.cursor() as cursor:  # the connection's own timeout is back in place
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone() == (200,)
    _end(holder, "ROLLBACK")
    _begin(impatient)  # free again: starts at once
    _end(impatient)
    holder.close()
    impatient.close()


def test_an_in_memory_database_has_no_queue():
    connection = _connection(":memory:")
    assert not any(isinstance(w, writelock._Queue) for w in connection.execute_wrappers)
    assert not writelock.queued(connection)
    connection.close()
