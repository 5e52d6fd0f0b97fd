"""The second wall under the queryset scope: row-level security by member state on PostgreSQL.

Every table of a return case has a ``member_state`` column and a policy (migration 0001_initial,
``dbsql.py``) that shows and accepts only the rows of the member states named in the
transaction's setting ``app.member_state`` (comma-separated ISO codes), or every row under the
explicit system scope ``*``. Without the setting a query returns no row, so a query that forgets
the scope (a raw query, a stray ``objects.all()``) shows nothing of another member state.

Selectors and services open one of these context managers around their work; each is a
transaction (``transaction.atomic``) and sets the value with ``set_config(..., is_local => true)``,
restoring the outer value when it ends, so scopes nest:

- ``scope_for(user)``: the member states the user acts for (``access.member_states_of``);
- ``member_state_scope(codes)``: given codes;
- ``system_scope()``: every member state, for jobs, imports and aggregates without personal data.

On SQLite (no row-level security) they are plain transactions; the queryset scope
(``policies.py``) is the wall there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from .access import member_states_of

SETTING = "app.member_state"
SYSTEM = "*"
NOBODY = "-"  # no member state: a value no row has


def _set(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [SETTING, value])


def current() -> str:
    """The setting in force (PostgreSQL), '' when none or on another database."""
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [SETTING])
        row = cursor.fetchone()
    return (row[0] or "") if row else ""


_STACK = "_ilonet_rls_scopes"  # the values this module set, innermost last, per connection


@contextmanager
def member_state_scope(codes: Iterable[str]) -> Iterator[None]:
    value = ",".join(sorted({c.upper() for c in codes if c})) or NOBODY
    if value != SYSTEM and "*" in value.split(","):
        value = SYSTEM
    if connection.vendor != "postgresql":
        with transaction.atomic():
            yield
        return
    # The setting is local to the transaction: a scope that opens the transaction leaves nothing
    # to restore (the commit or rollback ends it); inside one of these scopes the value in force
    # is the one the innermost scope set (a savepoint's rollback restores it as the stack pops),
    # so it is neither read back nor set again when unchanged. One query per scope, not three.
    opens_transaction = connection.get_autocommit() and not connection.in_atomic_block
    with transaction.atomic():
        stack = getattr(connection, _STACK, None)
        if stack is None:
            stack = []
            setattr(connection, _STACK, stack)
        if opens_transaction:
            stack.clear()  # a new transaction: no value set in it yet
            outer = None
        else:
            outer = stack[-1] if stack else current()
        if value != outer:
            _set(value)
        stack.append(value)
        try:
            yield  # on an exception the transaction or savepoint rolls back, the setting with it
        finally:
            stack.pop()
        if outer is not None and value != outer:
            _set(outer)


def scope_for(user: Any) -> Any:
    """The scope of the member states ``user`` acts for (nothing for anyone else)."""
    return member_state_scope(member_states_of(user))


def system_scope() -> Any:
    """Every member state: jobs, imports and aggregates without personal data only."""
    return member_state_scope([SYSTEM])
