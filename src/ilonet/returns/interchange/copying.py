"""Writing many rows into a table in one statement or two, never row by row.

- **PostgreSQL**: ``COPY … FROM STDIN`` (the approach of the audit trail's bulk path,
  ``ilonet.audit.bulk``). The return tables are under FORCEd row-level security by member state
  (``returns.dbsql``), and PostgreSQL refuses ``COPY FROM`` into such a table; so the rows are
  copied into a temporary table of the same columns (no index, no WAL, emptied at commit) and
  moved with one ``INSERT … SELECT``, which the row-level security's ``WITH CHECK`` still
  guards: an import for one member state cannot write another's rows, even by a bug here.
- **SQLite**: one ``executemany``.

Rows are tuples in the order of ``columns``; primary keys are reserved first (``reserve_ids``),
so that the events of a batch name the cases of the same batch without reading them back.
Each table is written at most once per transaction (the temporary table is emptied at commit).
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Model

# The staging tables known to exist, per database connection (the driver's connection object,
# so that a new connection, whose temporary tables are gone, starts with none). A table enters
# the set only when the transaction that made it commits (``on_commit``): a transaction or
# savepoint rolled back takes a table made in it away, and its name never entered the set.
_made: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def _staging(table: str, columns: tuple[str, ...]) -> str:
    """A temporary table with ``columns`` of ``table`` (no identity, no index, emptied at
    commit), made the first time a connection writes these columns of ``table`` (one catalog
    look-up and round trip then, none after)."""
    digest = hashlib.sha1(",".join(columns).encode(), usedforsecurity=False).hexdigest()[:8]
    name = f"staging_{table}_{digest}"
    raw = connection.connection
    made = _made.get(raw)
    if made is not None and name in made:
        return name
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {quote(name)} ON COMMIT DELETE ROWS AS "  # noqa: S608
            f"SELECT {names} FROM {quote(table)} WITH NO DATA"
        )
    transaction.on_commit(lambda: _made.setdefault(raw, set()).add(name))
    return name


def write_rows(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    *,
    constants: Mapping[str, Any] | None = None,
) -> None:
    """Insert ``rows`` into ``model``'s table, which is under row-level security (PostgreSQL:
    staged, then moved, and the staging table emptied for the next write in the same
    transaction, in one round trip). ``constants``: the columns with one value for every row (a
    batch's member state, time, run), sent once with the statement that moves the rows, not
    copied and read again row by row (a third of an event row's columns)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = model._meta.db_table
    fixed = _prepared_constants(model, constants or {})
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            target = _staging(table, tuple(columns))
            with cursor.cursor.copy(f"COPY {quote(target)} ({names}) FROM STDIN") as stream:
                for row in rows:
                    stream.write_row(row)
            given = "".join(f", {quote(column)}" for column in fixed)
            values = "".join(f", CAST(%s AS {db_type})" for db_type, _value in fixed.values())
            cursor.execute(
                f"INSERT INTO {quote(table)} ({names}{given}) SELECT {names}{values} FROM {quote(target)}; "  # noqa: S608
                f"TRUNCATE {quote(target)}",
                [value for _db_type, value in fixed.values()],
            )
            return
        tail = tuple(value for _db_type, value in fixed.values())  # SQLite: on each row
        all_names = ", ".join(quote(column) for column in [*columns, *fixed])
        marks = ", ".join(["%s"] * (len(columns) + len(fixed)))
        cursor.executemany(
            f"INSERT INTO {quote(table)} ({all_names}) VALUES ({marks})",  # noqa: S608 (names, not data)
            [row + tail for row in rows] if tail else rows,
        )


def _prepared_constants(model: type[Model], constants: Mapping[str, Any]) -> dict[str, tuple[str, Any]]:
    """Column → (its database type, the value as the database takes it) (``get_db_prep_save``:
    a time on SQLite becomes its text, a date stays a date on PostgreSQL)."""
    fields = {field.column: field for field in model._meta.concrete_fields}
    return {
        column: (fields[column].db_type(connection), fields[column].get_db_prep_save(value, connection))
        for column, value in constants.items()
    }


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """``count`` primary keys for new rows of ``model``, taken before the rows are written.

    PostgreSQL: from the table's own sequence (``nextval``, one statement), so concurrent writers
    never collide. SQLite: after the highest id; SQLite has one writer at a time and the caller
    runs inside its batch's transaction, which has already written (the import run's row)."""
    if count <= 0:
        return []
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({quote(pk)}), 0) FROM {quote(table)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def table_rows(
    model: type[Model], values: list[dict[str, Any]], constants: Mapping[str, Any] | None = None
) -> tuple[list[str], list[tuple[Any, ...]], dict[str, Any]]:
    """The columns of ``model`` that ``values`` give (by attribute name, the same keys in every
    dict), one tuple per dict, and the constants (``write_rows``): ``constants`` (by attribute
    name) with every other column at its field's default, one value for all the rows (so the
    rows stay whole when the model gains a column with a default; a default that must differ
    from row to row is given in ``values``)."""
    constants = constants or {}
    given = values[0].keys() if values else set()
    given_pk = model._meta.pk.attname in given
    fields = [f for f in model._meta.concrete_fields if given_pk or not f.primary_key]
    varying = [f for f in fields if f.attname in given and f.attname not in constants]
    fixed = {
        f.column: constants[f.attname] if f.attname in constants else f.get_default()
        for f in fields
        if f not in varying
    }
    # Per column: how a value becomes the database's. Plain values of the built-in field types
    # pass as they are (the driver adapts them; dates too on PostgreSQL): the field's own
    # ``get_db_prep_save`` only where it changes something, once per value not per field lookup.
    plain = _PLAIN_PG if connection.vendor == "postgresql" else _PLAIN
    steps = [(f.attname, None if type(f) in plain else f) for f in varying]
    out = []
    for item in values:
        row = []
        for name, prep in steps:
            value = item[name]
            row.append(value if prep is None or value is None else prep.get_db_prep_save(value, connection))
        out.append(tuple(row))
    return [f.column for f in varying], out, fixed


_PLAIN = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.BigIntegerField,
        models.BooleanField,
        models.CharField,
        models.IntegerField,
        models.PositiveBigIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SmallIntegerField,
        models.TextField,
    }
)
_PLAIN_PG = _PLAIN | {models.DateField, models.DateTimeField, models.BinaryField}
