"""PostgreSQL full-text search: the generated ``tsvector`` column ``document`` (title weight A,
body weight B, stemmed by the configuration of the entry's language: english, dutch, french,
german, or simple), searched through its GIN index and ranked by ``ts_rank``."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Entry
from ..query import Query

# ts_rank normalisation 1: the rank divided by 1 + the logarithm of the document's length.
NORMALISATION = 1


class PostgresBackend:
    def write(self, entry: Entry) -> None:
        """Nothing to do: PostgreSQL computes ``document`` whenever the row is written."""

    def delete(self, entry_ids: list[int]) -> None:
        """Nothing to do: ``document`` goes with the row."""

    def matching(self, entries: QuerySet[Entry], query: Query) -> QuerySet[Entry]:
        tsquery, params = query.tsquery()
        # Only constants and %s placeholders go into the SQL; the words are parameters.
        return entries.extra(  # noqa: S610
            where=[f"search_entry.document @@ ({tsquery})"],
            params=params,
            select={"score": f"ts_rank(search_entry.document, {tsquery}, {NORMALISATION})"},
            select_params=params,
        )
