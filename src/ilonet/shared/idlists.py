"""A list of ids as one SQL parameter, for ``__in``: an array on PostgreSQL, JSON on SQLite.

Django's ``field__in=[...]`` writes one placeholder per id; for hundreds of ids (the
secretariat's 400 spaces, a search window's 1,001 entries) building, sending and parsing that
list cost more than the statement itself (docs/benchmarks.md, "Full-text search"). On
PostgreSQL the planner takes ``IN (SELECT unnest(array))`` for 200 rows whatever its length:
fine for small tables, not for a large one read by its primary key (``= ANY(array)`` there, as
``ilonet.search.selectors._narrowed`` does)."""

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL


def id_list(ids: Iterable[int]) -> RawSQL:
    """The ids (sorted, without repeats) as a subquery of one parameter."""
    values = sorted({int(pk) for pk in ids})
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])
    return RawSQL("SELECT unnest(%s::bigint[])", [values])


def ids_in(field: str, ids: Iterable[int]) -> Q:
    """``field`` is one of ``ids``; no ids, no rows."""
    return Q(**{f"{field}__in": id_list(ids)})
