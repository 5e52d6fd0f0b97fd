"""Searching the index. The caller says what the user may open (``allowed``), from the owning
app's policy scope: search returns, counts and quotes nothing else (docs/search.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.safestring import SafeString

from ilonet.shared.idlists import id_list

from . import snippets
from .backends import Ranked, backend
from .documents import FIELD
from .languages import normalise
from .models import Entry, Grant
from .query import Query

PER_PAGE = 20
MAX_PER_PAGE = 50
# Counts stop here ("more than 1,000"), and no page starts past it: a query reads at most this
# many matches (the most recently indexed ones the caller may open) and ranks those.
COUNT_CAP = 1000
HIT_FIELDS = ("pk", "kind", "object_id", "language", "date", "space", "category", "topics", "title", "body")

# ``allowed``: access keys ("space:12", ...), or per kind the ids the user may open (a queryset
# of ids, such as ``policy.scope(...).values("pk")``, or a list).
Allowed = Iterable[str] | Mapping[str, QuerySet[Any] | Iterable[int]]
# ``confirm``: per kind, the ids the user may open now (the policy scope), checked on the hits
# that access keys found (see ``search``).
Confirm = Mapping[str, QuerySet[Any]]


class InvalidSearch(ValueError):
    """A filter the caller should have validated (shown to the user as a form error)."""


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    title: SafeString  # escaped, query words in <mark>
    snippet: SafeString  # escaped, query words in <mark>
    language: str
    date: date | None
    space: str
    category: str
    topics: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    count: int  # at most COUNT_CAP
    count_capped: bool  # True: more than ``count`` match
    page: int
    per_page: int

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.count

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _access(allowed: Allowed, *, keys_checked_by_backend: bool = False) -> Q | None:
    """The entries ``allowed`` opens; None when it opens nothing. With
    ``keys_checked_by_backend``, access keys add no condition (the backend checks them on the
    entry's row); they must still open something."""
    if isinstance(allowed, str | bytes):
        raise TypeError("allowed is a collection of access keys, not one string.")
    if isinstance(allowed, Mapping):
        condition = Q()
        for kind, ids in allowed.items():
            condition |= Q(kind=kind, object_id__in=ids)
        return condition if allowed else None
    keys = sorted(set(allowed))
    if not keys:
        return None
    if keys_checked_by_backend:
        return Q()
    # The keys go in as one parameter (a list of hundreds costs more to build as an IN list
    # than the search itself). On SQLite, "+key" keeps the planner from probing the (entry,
    # key) index once per key for every candidate: it reads the entry's few keys instead.
    grants = Grant.objects.filter(entry=OuterRef("pk"))
    param: str | list[str]
    if connection.vendor == "sqlite":
        sql, param = "+key IN (SELECT value FROM json_each(%s))", json.dumps(keys)
    else:
        sql, param = "key = ANY(%s)", keys
    return Q(Exists(grants.extra(where=[sql], params=[param])))  # noqa: S610 - constant SQL


def _values(value: str | Iterable[str] | None, name: str) -> list[str] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    if not values or any(not isinstance(v, str) or not FIELD.match(v) for v in values):
        raise InvalidSearch(f"Invalid {name} filter.")
    return values


def filtered(
    allowed: Allowed,
    *,
    kinds: Iterable[str] | None = None,
    space: str | Iterable[str] | None = None,
    topic: str | None = None,
    category: str | Iterable[str] | None = None,
    language: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    keys_checked_by_backend: bool = False,
) -> QuerySet[Entry] | None:
    """The entries the caller may open, narrowed by the filters; None when nothing is open.
    ``keys_checked_by_backend``: only for ``search``, whose backend then checks the keys."""
    access = _access(allowed, keys_checked_by_backend=keys_checked_by_backend)
    if access is None:
        return None
    entries = Entry.objects.filter(access)
    if kinds is not None:
        entries = entries.filter(kind__in=list(kinds))
    if (spaces := _values(space, "space")) is not None:
        entries = entries.filter(space__in=spaces)
    if (topics := _values(topic, "topic")) is not None:
        entries = entries.filter(topics__contains=f"|{topics[0]}|")
    if (categories := _values(category, "category")) is not None:
        entries = entries.filter(category__in=categories)
    if language is not None:
        entries = entries.filter(language=normalise(language))
    if date_from is not None:
        entries = entries.filter(date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(date__lte=date_to)
    if date_from and date_to and date_from > date_to:
        raise InvalidSearch("The start date is after the end date.")
    return entries


def search(
    query: str,
    *,
    allowed: Allowed,
    kinds: Iterable[str] | None = None,
    space: str | Iterable[str] | None = None,
    topic: str | None = None,
    category: str | Iterable[str] | None = None,
    language: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    confirm: Confirm | None = None,
) -> SearchPage:
    """Ranked hits for ``query`` among what ``allowed`` opens, best first (ties: newest
    first), with highlighted snippets; the count is capped at ``COUNT_CAP``. When more than
    ``COUNT_CAP`` documents match, the ``COUNT_CAP`` most recently indexed of them are ranked
    (narrow the query or filter to reach older ones). ``allowed`` is required: search never
    decides access, the caller's policy scope does.

    ``confirm`` (with access keys as ``allowed``): per kind, the ids the user may open now, as
    the owner's policy scope (``policy.scope(...).values("pk")``); a hit must be open to both.
    The keys, the index's view of the same access, find the matches fast (the index intersects
    them with the words); each match of the window is then confirmed against the scope by its id,
    and one the scope does not open (an entry not yet reindexed after a deletion, a move, a
    marking) is dropped before the count, the page and the snippets. When the window was full and
    lost a match that way, its count would fall short, so the search runs again with the scope as
    a subquery beside the keys (exact, slower). A kind missing from ``confirm`` confirms nothing."""
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, min(int(page), COUNT_CAP // per_page + 1))
    parsed = Query.parse(query)
    engine = backend()
    keys = None if isinstance(allowed, Mapping) else sorted(set(allowed))
    if confirm is not None and keys is None:
        raise TypeError("confirm goes with access keys as allowed.")
    filters: dict[str, Any] = {
        "kinds": kinds, "space": space, "topic": topic, "category": category, "language": language,
        "date_from": date_from, "date_to": date_to,
    }  # fmt: skip
    entries = filtered(allowed, **filters, keys_checked_by_backend=keys is not None and engine.checks_keys)
    empty = SearchPage(hits=[], count=0, count_capped=False, page=page, per_page=per_page)
    if entries is None or not parsed:
        return empty
    ranked = engine.ranked(entries, parsed, keys=keys, window=COUNT_CAP + 1)
    if confirm is not None:
        confirmed = _confirmed(ranked, confirm)
        if len(confirmed) < len(ranked) and len(ranked) > COUNT_CAP:
            exact = filtered(dict(confirm), **filters)
            key_check = _access(cast(list[str], keys))  # confirm came with keys (checked above)
            ranked = (
                []
                if exact is None or key_check is None
                else engine.ranked(exact.filter(key_check), parsed, keys=None, window=COUNT_CAP + 1)
            )
        else:
            ranked = confirmed
    found = len(ranked)
    start = (page - 1) * per_page
    shown = ranked[start : min(start + per_page, COUNT_CAP)]
    page_rows = Entry.objects.filter(pk__in=[hit.pk for hit in shown]).values(*HIT_FIELDS)
    rows = {row["pk"]: row for row in page_rows}
    hits = []
    matchers: dict[str, Any] = {}  # one per language of the page, not one per hit
    for pk, score, _kind, _object_id in shown:
        row = rows[pk]
        matches = matchers.get(row["language"])
        if matches is None:
            matches = matchers[row["language"]] = parsed.matcher(row["language"])
        hits.append(
            Hit(
                kind=row["kind"], object_id=row["object_id"], title=snippets.highlight(row["title"], matches),
                snippet=snippets.passage(row["body"], matches), language=row["language"], date=row["date"],
                space=row["space"], category=row["category"],
                topics=tuple(t for t in row["topics"].split("|") if t), score=score,
            )
        )  # fmt: skip
    return SearchPage(
        hits=hits, count=min(found, COUNT_CAP), count_capped=found > COUNT_CAP, page=page, per_page=per_page
    )


def _narrowed(rows: QuerySet[Any], ids: Iterable[int]) -> QuerySet[Any]:
    """``rows`` with one of these primary keys, the ids as one parameter. On PostgreSQL as
    ``= ANY(array)``, which the planner counts (1,001 ids: 1,001 rows, read through the primary
    key); as ``IN (SELECT unnest(...))`` it took them for 200 and hashed them against a scan of
    every row of the scope. On SQLite ``IN`` over ``json_each``, read through the primary key."""
    values = sorted({int(pk) for pk in ids})
    if connection.vendor != "postgresql":
        return rows.filter(pk__in=id_list(values))
    meta = rows.model._meta
    column = f"{connection.ops.quote_name(meta.db_table)}.{connection.ops.quote_name(meta.pk.column)}"
    return rows.extra(where=[f"{column} = ANY(%s::bigint[])"], params=[values])  # noqa: S610 - constant SQL


def _confirmed(ranked: list[Ranked], confirm: Confirm) -> list[Ranked]:
    """The ranked entries whose object ``confirm`` opens, in the same order. The window's
    kinds and objects come with it (the backend's statement read them from each entry's row);
    per kind of ``confirm``, one statement: the scope narrowed to those objects, looked up by
    their ids (one parameter). The scope is never joined against the window: PostgreSQL then
    hashed the window and read the whole scope (for the secretariat every document, its 400
    spaces compared on each row: 200 ms at 200,000 documents, EXPLAIN ANALYZE in
    docs/benchmarks.md), where looking up the window's objects one by one reads 1,001 rows. A
    kind missing from ``confirm`` confirms nothing."""
    if not ranked:
        return ranked
    objects: dict[str, dict[int, list[int]]] = {}  # kind -> object id -> the entries holding it
    for pk, _score, kind, object_id in ranked:
        if kind in confirm:
            objects.setdefault(kind, {}).setdefault(object_id, []).append(pk)
    opened: set[int] = set()
    for kind, held in objects.items():
        scope = confirm[kind]
        # ``values("pk")`` of the scope: its ids, narrowed to the window's objects (a list of
        # ids is taken as it is).
        found: Iterable[int] = (
            _narrowed(scope, held).order_by().values_list("pk", flat=True)
            if isinstance(scope, QuerySet)
            else {int(pk) for pk in scope} & set(held)
        )
        for object_id in found:
            opened.update(held[object_id])
    return [hit for hit in ranked if hit.pk in opened]
