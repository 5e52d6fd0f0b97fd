"""SQLite FTS5: the stemmed words of each entry and its access keys in ``search_fts`` (rowid =
the entry's id), ranked by BM25 with the title weighing four times the body."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from ..models import Entry
from ..query import Query, index_text
from . import Ranked, where

WEIGHTS = "4.0, 1.0, 0.0"  # title, body, access (keys never score)
# Up to this many keys, the index intersects them with the words (a member of a few spaces
# searching a common word reads only their matches); a longer list costs more in the index
# than the check of each candidate's keys (the WHERE clause) that applies in every case.
INDEX_KEYS_MAX = 24


def key_token(key: str) -> str:
    """One FTS5 token per access key ("space:12" is three words to the tokenizer)."""
    return "k" + key.encode().hex()


class SqliteBackend:
    # The caller's WHERE clause checks the keys through ``search_grant`` (by the entry's own
    # grants, ``+key``); the index intersects them only for short lists.
    checks_keys = False

    def write(self, entry: Entry) -> None:
        access = " ".join(key_token(key) for key in entry.access.split())
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [entry.pk])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, body, access) VALUES (%s, %s, %s, %s)",
                [
                    entry.pk,
                    index_text(entry.title, entry.language),
                    index_text(entry.body, entry.language),
                    access,
                ],
            )

    def delete(self, entry_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(entry_ids), 500):
                chunk = entry_ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def ranked(
        self, entries: QuerySet[Entry], query: Query, *, keys: list[str] | None, window: int
    ) -> list[Ranked]:
        condition = where(entries)
        if condition is None:
            return []
        match = "{title body} : (" + query.fts5 + ")"
        if keys is not None and len(keys) <= INDEX_KEYS_MAX:
            match += " AND access : (" + " OR ".join(f'"{key_token(key)}"' for key in keys) + ")"
        # Only constants and placeholders go into the SQL; the WHERE clause is Django's own.
        sql = (
            "SELECT id, score, kind, object_id FROM (SELECT search_entry.id AS id, "  # noqa: S608
            "search_entry.date AS date, search_entry.kind AS kind, search_entry.object_id AS object_id, "
            f"-bm25(search_fts, {WEIGHTS}) AS score FROM search_fts CROSS JOIN search_entry "
            "ON search_entry.id = search_fts.rowid WHERE search_fts MATCH %s AND "
            f"({condition[0]}) ORDER BY search_fts.rowid DESC LIMIT %s) "
            "ORDER BY score DESC, date DESC, id DESC"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, *condition[1], window])
            return [Ranked(row[0], float(row[1]), row[2], row[3]) for row in cursor.fetchall()]
