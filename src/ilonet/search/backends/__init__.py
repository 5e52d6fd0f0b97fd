"""The two full-text backends behind one interface, chosen by the database vendor.

``ranked`` finds the matches among ``entries`` (the caller's access and filters, compiled into
the same SQL), takes the ``window`` most recently indexed of them (the index is read newest
first and stops there), and ranks those, best first. With ``keys``, the index itself
intersects the words with the caller's access keys before any row is read."""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import QuerySet

from ..models import Entry
from ..query import Query


class Ranked(NamedTuple):
    """One match of a window: the entry, its score, and the object it stands for (read from
    the entry's row by the statement that ranks it, so that confirming the window against the
    owner's scope needs no second read of its entries)."""

    pk: int
    score: float
    kind: str
    object_id: int


class Backend(Protocol):
    # True: given ``keys``, ``ranked`` itself returns only entries holding one of them, so the
    # caller need not add its own check of the keys to ``entries``.
    checks_keys: bool

    def write(self, entry: Entry) -> None:
        """Bring the full-text part of ``entry`` (saved) in step with its title and body."""

    def delete(self, entry_ids: list[int]) -> None:
        """Drop the full-text part of these entries (before their rows are deleted)."""

    def ranked(
        self, entries: QuerySet[Entry], query: Query, *, keys: list[str] | None, window: int
    ) -> list[Ranked]:
        """At most ``window`` matches, best first."""


def where(entries: QuerySet[Entry]) -> tuple[str, list[Any]] | None:
    """The WHERE clause of ``entries`` (on the table ``search_entry``); None: nothing."""
    query = entries.query
    try:
        sql, params = query.get_compiler(using=entries.db).compile(query.where)
    except FullResultSet:
        return "1 = 1", []
    except EmptyResultSet:
        return None
    return sql, list(params)


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()
