"""SQLite FTS5: the stemmed words of each entry in ``search_fts`` (rowid = the entry's id),
ranked by BM25 with the title weighing four times the body."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from ..models import Entry
from ..query import Query, index_text

TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0


class SqliteBackend:
    def write(self, entry: Entry) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [entry.pk])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
                [entry.pk, index_text(entry.title, entry.language), index_text(entry.body, entry.language)],
            )

    def delete(self, entry_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(entry_ids), 500):
                chunk = entry_ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def matching(self, entries: QuerySet[Entry], query: Query) -> QuerySet[Entry]:
        # Only constants and a %s placeholder go into the SQL; the query is a parameter.
        return entries.extra(  # noqa: S610
            tables=["search_fts"],
            where=["search_fts.rowid = search_entry.id", "search_fts MATCH %s"],
            params=[query.fts5],
            select={"score": f"-bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})"},
        )
