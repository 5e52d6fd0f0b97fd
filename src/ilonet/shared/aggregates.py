"""Aggregates the ORM lacks on both databases (SQLite and PostgreSQL)."""

from typing import Any

from django.db.models import Aggregate, CharField


class DistinctConcat(Aggregate):
    """The distinct non-NULL values of a group joined with commas, in no particular order
    (``GROUP_CONCAT(DISTINCT …)`` on SQLite, ``STRING_AGG(DISTINCT …, ',')`` on PostgreSQL):
    one row per group instead of one per value. For values without commas (codes)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(DISTINCT (%(expressions)s)::text, ',')",
            **extra_context,
        )


def split_codes(value: str | None) -> list[str]:
    """The values of a ``DistinctConcat``, sorted."""
    return sorted(filter(None, (value or "").split(",")))


__all__ = ["DistinctConcat", "split_codes"]
