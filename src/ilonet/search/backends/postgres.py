"""PostgreSQL full-text search: the generated ``tsvector`` column ``document`` (title weight A,
body weight B, stemmed by the configuration of the entry's language: english, dutch, french,
german, or simple) and the access keys, each searched through its GIN index, ranked by
``ts_rank``."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from ..models import Entry
from ..query import Query
from . import where
from .sqlite import INDEX_KEYS_MAX

# ts_rank normalisation 1: the rank divided by 1 + the logarithm of the document's length.
NORMALISATION = 1


class PostgresBackend:
    # With access keys, ``ranked`` checks them on the entry's own row (``access``), so the
    # caller leaves out the check through ``search_grant`` (a semi-join that read the whole
    # grant table for every query: 140 ms at 40,000 entries, growing with the index).
    checks_keys = True

    def write(self, entry: Entry) -> None:
        """Nothing to do: PostgreSQL computes ``document`` whenever the row is written."""

    def delete(self, entry_ids: list[int]) -> None:
        """Nothing to do: ``document`` goes with the row."""

    def ranked(
        self, entries: QuerySet[Entry], query: Query, *, keys: list[str] | None, window: int
    ) -> list[tuple[int, float]]:
        condition = where(entries)
        if condition is None:
            return []
        tsquery, words = query.tsquery()
        with connection.cursor() as cursor:
            # The query as a constant: the planner then knows from the column's statistics how
            # rare its words are (read the GIN matches, or walk the newest rows and stop early).
            cursor.execute(f"SELECT ({tsquery})::text", words)
            literal = cursor.fetchone()[0]
            if not literal:
                return []
            access, access_params = "", []
            if keys is not None and len(keys) <= INDEX_KEYS_MAX:
                # Few keys: the GIN index of the keys meets the words' (a BitmapAnd).
                access, access_params = "string_to_array(search_entry.access, ' ') && %s::text[] AND ", [keys]
            elif keys is not None:
                # Many keys (the board: every space) open most rows: checked on each candidate
                # row, never through the keys' index (whose bitmap would cover the table). The
                # expression differs from the index's on purpose.
                access = "(string_to_array(search_entry.access, ' ') || '{}'::text[]) && %s::text[] AND "
                access_params = [keys]
            # Only constants and placeholders go into the SQL; the WHERE clause is Django's own.
            # The rank is computed for the window only, outside the inner query.
            sql = (
                "SELECT id, ts_rank(document, %s::tsquery, " + str(NORMALISATION) + ") AS score FROM ("  # noqa: S608
                "SELECT search_entry.id, search_entry.date, search_entry.document FROM search_entry "
                "WHERE search_entry.document @@ %s::tsquery AND " + access + "(" + condition[0] + ") "
                "ORDER BY search_entry.id DESC LIMIT %s) AS candidates "
                "ORDER BY score DESC, date DESC NULLS LAST, id DESC"
            )
            cursor.execute(sql, [literal, literal, *access_params, *condition[1], window])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]
