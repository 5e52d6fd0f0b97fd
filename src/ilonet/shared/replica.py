"""Reads from the PostgreSQL streaming replica, for the pages where reads dominate.

With ``ILONET_REPLICA_DATABASE_URL`` set, the settings add the database alias ``replica``. A page
wrapped in ``read_from_replica`` (the indicator dashboards, the cooperation overview, the
situation-report overviews) reads from it, through ``ReplicaRouter``, when all of these hold:

- the request only reads (GET or HEAD);
- the replica answers and lags at most ``ILONET_REPLICA_MAX_LAG_SECONDS`` behind the primary
  (``pg_last_xact_replay_timestamp()``; a replica that has replayed all it received lags 0),
  checked at most every ``ILONET_REPLICA_CHECK_SECONDS`` per process (``replica_state``);
- the read is not inside a transaction on the primary: a service's transaction, the row-level
  security scopes of return cases (``returns/rls.py``) and the audit trail read what they write;
- the model is not one of who may do what and of the session (accounts, roles, sessions,
  second factors, login throttling, the cache, the audit trail, the job queue): those are read
  from the primary, so a role withdrawn a second ago opens nothing on a replica that lags.

Anything else reads from the primary: no replica configured, a replica down or lagging (the
page answers from the primary, ``fallback`` in ``/readyz``), a replica that fails during the
page (the page is run again on the primary). Writes never go to the replica; migrations run on
the primary only. In the tests the replica alias mirrors the default database
(``TEST["MIRROR"]``), so the suite runs on one database.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
OK, DOWN, LAGGING, ABSENT = "ok", "down", "lagging", "absent"

# Models always read from the primary: access decisions, sessions and their throttles, the audit
# trail and the job queue (app labels).
PRIMARY_ONLY_APPS = frozenset(
    {"accounts", "auth", "sessions", "django_cache", "axes", "mfa", "account", "socialaccount",
     "audit", "jobs", "django_tasks_database", "contenttypes"}
)  # fmt: skip

# Seconds the replica is behind, 0 when it has replayed all it received; NULL on a primary.
LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL "
    "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)

_reading: ContextVar[bool] = ContextVar("ilonet_replica_reading", default=False)
_used: ContextVar[list[bool] | None] = ContextVar("ilonet_replica_used", default=None)
_lock = threading.Lock()
_state: dict[str, Any] = {"state": ABSENT, "until": 0.0, "lag": None}


def configured() -> bool:
    return REPLICA in connections.settings


def _check() -> tuple[str, float | None]:
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                return OK, 0.0
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
    except DatabaseError as error:
        log.warning("replica unreachable, reading from the primary: %s", type(error).__name__)
        with contextlib.suppress(DatabaseError):
            connection.close()
        return DOWN, None
    lag = None if row is None or row[0] is None else float(row[0])
    if lag is None:  # promoted, or pointed at a primary: serves current data
        return OK, 0.0
    return (OK if lag <= settings.REPLICA_MAX_LAG_SECONDS else LAGGING), lag


def replica_state(*, fresh: bool = False) -> tuple[str, float | None]:
    """("ok" | "down" | "lagging" | "absent", lag in seconds or None), cached a few seconds
    (``ILONET_REPLICA_CHECK_SECONDS``) per process."""
    if not configured():
        return ABSENT, None
    now = time.monotonic()
    with _lock:
        if not fresh and now < _state["until"]:
            return _state["state"], _state["lag"]
        state, lag = _check()
        _state.update(state=state, lag=lag, until=time.monotonic() + settings.REPLICA_CHECK_SECONDS)
        return state, lag


def mark_down() -> None:
    """The replica failed during a page: read from the primary until the next check."""
    with _lock:
        _state.update(state=DOWN, lag=None, until=time.monotonic() + settings.REPLICA_CHECK_SECONDS)


def forget_state() -> None:
    """Check again at the next read (tests; after a configuration change)."""
    with _lock:
        _state.update(state=ABSENT, lag=None, until=0.0)


@contextmanager
def replica_reads() -> Iterator[bool]:
    """Reads inside go to the replica if it is usable now; yields whether they do."""
    usable = configured() and replica_state()[0] == OK
    token = _reading.set(usable)
    try:
        yield usable
    finally:
        _reading.reset(token)


def read_from_replica(view: Callable) -> Callable:
    """A page whose reads may come from the replica (GET and HEAD only). If the replica fails
    while the page is built, it is marked down and the page is built again from the primary:
    a read-only page has nothing to undo."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not configured():
            return view(request, *args, **kwargs)
        used: list[bool] = []
        token = _used.set(used)
        try:
            with replica_reads():
                return view(request, *args, **kwargs)
        except DatabaseError:
            if not used:
                raise
            log.warning("replica failed during %s, answering from the primary", request.path)
            mark_down()
            with contextlib.suppress(DatabaseError):
                connections[REPLICA].close()
            return view(request, *args, **kwargs)
        finally:
            _used.reset(token)

    return wrapped


class ReplicaRouter:
    """Reads inside ``replica_reads`` go to the replica (see the module's docstring); writes and
    migrations to the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        if not _reading.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return None
        if connections[PRIMARY].in_atomic_block:
            return None
        used = _used.get()
        if used is not None and not used:
            used.append(True)
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return None if db == PRIMARY else False
