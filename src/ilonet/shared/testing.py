"""Constants and helpers shared by the test suites (unit, integration, browser)."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.db import connection
from django.db.backends.utils import CursorWrapper

TEST_PASSWORD = "correct horse battery staple 42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET, offset: int = 0) -> str:
    """The TOTP code an authenticator app would show now (offset in periods)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + offset
    return format_hotp_value(hotp_value(secret, counter))


class FetchedRows:
    """Queries run and rows read from the database inside ``fetched_rows()``."""

    def __init__(self) -> None:
        self.rows = 0
        self.queries = 0


@contextmanager
def fetched_rows() -> Iterator[FetchedRows]:
    """Count the rows every query hands to Python (the work that grows with a table when a
    page reads more than it shows), beside the number of queries."""
    counter = FetchedRows()
    names = ("fetchone", "fetchmany", "fetchall")

    def wrap(name: str) -> Callable:
        def method(self, *args, **kwargs):
            result = getattr(self.cursor, name)(*args, **kwargs)
            counter.rows += (result is not None) if name == "fetchone" else len(result)
            return result

        return method

    def execute(execute, sql, params, many, context):
        counter.queries += 1
        return execute(sql, params, many, context)

    for name in names:
        setattr(CursorWrapper, name, wrap(name))
    try:
        with connection.execute_wrapper(execute):
            yield counter
    finally:
        for name in names:
            delattr(CursorWrapper, name)


def migrate_to(targets: list[tuple[str, str]]) -> Any:
    """Migrate the test database to ``targets`` (a migration test's before or after); the
    historical apps of that state."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_newest() -> None:
    """Back to the newest schema of every app (not only to a test's after: later migrations
    exist, and the tests after a migration test need their columns)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
