"""The two full-text backends behind one interface, chosen by the database vendor."""

from __future__ import annotations

from typing import Protocol

from django.db import connection
from django.db.models import QuerySet

from ..models import Entry
from ..query import Query


class Backend(Protocol):
    def write(self, entry: Entry) -> None:
        """Bring the full-text part of ``entry`` (saved) in step with its title and body."""

    def delete(self, entry_ids: list[int]) -> None:
        """Drop the full-text part of these entries (before their rows are deleted)."""

    def matching(self, entries: QuerySet[Entry], query: Query) -> QuerySet[Entry]:
        """``entries`` that match ``query``, annotated with ``score`` (higher is better)."""


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()
