"""Bounded pagination for every list page and API list (guide: "pagination everywhere").

No list counts all its rows and no list skips over rows it does not show, so a page costs the
same with a thousand rows as with millions:

- **Counts are capped**: ``bounded_count`` counts at most ``COUNT_CAP`` (10,000) rows, with
  ``SELECT COUNT(*) FROM (SELECT … LIMIT 10001)``; beyond that the answer is "more than
  10,000" (``BoundedCount.is_estimate``). A filter narrows the list to an exact count. (No
  planner estimate: with filters PostgreSQL's estimate can be off by orders of magnitude, and
  SQLite has none; a lower bound is always true.)
- **Keyset navigation** (``keyset_paginate``; the API's ``cursor``) for the lists that grow
  without bound (the registry, its notifications, the contact list, the audit trail): the page
  after (or before) the row a cursor names, ``WHERE (ordering) > (values of that row)``, read
  through an index on the ordering; "First", "Previous" and "Next" links, no page numbers.
  The cursor holds the ordering values of one row (URL-safe base64 of a JSON list); a cursor
  that does not decode is ignored on pages and a 422 in the API.
- **Numbered pages** (``paginate``) for the lists that stay small (board, directory,
  accounts, networks): a capped count and a bounded window of links (first, previous, two on
  each side of the current page, next, and the last page when the count is exact); the pages
  reach the first 10,000 rows, a filter reaches the others.

A keyset ordering must be a list of plain field paths that cannot be NULL, the last one unique
(the primary key): checked when the list is paged, so a list that cannot be paged this way
fails in its tests, not in production.
"""

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property, reduce
from operator import or_
from typing import Any, Protocol, overload

from django.core.exceptions import (
    EmptyResultSet,
    FieldDoesNotExist,
    FullResultSet,
    ImproperlyConfigured,
    ValidationError,
)
from django.core.paginator import Page, Paginator
from django.db.models import Field, Model, Q, QuerySet
from django.db.models.sql.constants import LOUTER
from django.http import HttpRequest, QueryDict

PAGE_SIZE = 50
COUNT_CAP = 10_000
MAX_CURSOR_LENGTH = 1000


@dataclass(frozen=True)
class BoundedCount:
    """The number of rows, exact up to the cap; ``is_estimate``: there are more than ``value``."""

    value: int
    is_estimate: bool


def bounded_count(rows: QuerySet | Sequence, cap: int | None = None) -> BoundedCount:
    """Count at most ``cap`` (default ``COUNT_CAP``) rows (one query over a LIMITed subquery)."""
    cap = COUNT_CAP if cap is None else cap
    if isinstance(rows, QuerySet):
        base = rows if rows.query.is_sliced else rows.order_by()
        if not base.query.is_sliced and not base.query.distinct and base.query.group_by is None:
            # Only the keys in the LIMITed subquery: SQLite otherwise builds every column of
            # the 10,001 rows it counts (35 ms of 130 at 100,000 deployments), PostgreSQL
            # can count from an index alone. Without the joins only the columns needed.
            base = _without_select_joins(base).values("pk")
        counted = base[: cap + 1].count()
    else:
        counted = len(rows)
    return BoundedCount(cap, True) if counted > cap else BoundedCount(counted, False)


def _without_select_joins(rows: QuerySet) -> QuerySet:
    """``rows`` without the joins that only its selected columns needed (``values()`` of
    ``officer__last_name`` …): joins along a foreign key to one row each, which cannot change
    how many rows there are (a non-null key joined inside, or any key joined outside), and that
    no filter reads. At 5,000,000 deployments they were most of a page (the count joined three
    tables for each of the 10,001 rows it counted: 65 of 120 ms at 1,000,000)."""
    query = rows.query
    if not query.values_select or query.annotations or query.extra:
        return rows
    compiler = query.get_compiler(rows.db)
    try:
        where_sql, _params = compiler.compile(query.where)
    except FullResultSet:
        where_sql = ""
    except EmptyResultSet:
        return rows
    needed = set()
    for alias, join in query.alias_map.items():
        if join.join_type is None or f"{compiler.quote_name_unless_alias(alias)}." in where_sql:
            needed.add(alias)
    droppable = []
    for alias, join in query.alias_map.items():
        if alias in needed or not query.alias_refcount.get(alias):
            continue
        field = getattr(join, "join_field", None)
        one_row = getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False)
        forward = one_row and not getattr(field, "auto_created", False) and hasattr(field, "attname")
        if not forward or (join.join_type != LOUTER and getattr(field, "null", True)):
            return rows  # a join that may change the count: keep them all
        droppable.append(alias)
    if any(query.alias_map[alias].parent_alias in droppable for alias in needed):
        return rows  # a filter reads through a join that would be dropped
    trimmed = rows.all()
    trimmed.query.clear_select_fields()
    for alias in droppable:
        trimmed.query.alias_refcount[alias] = 0
    return trimmed


# --- numbered pages (small lists) ----------------------------------------------------------------


class BoundedPaginator(Paginator):
    """Django's paginator with a capped count: ``count`` is at most ``COUNT_CAP`` and
    ``count_is_estimate`` says that there are more."""

    @cached_property
    def bounded(self) -> BoundedCount:
        if isinstance(self.object_list, PreparedPages):
            return self.object_list.prepared.bounded_count()
        return bounded_count(self.object_list)  # type: ignore[arg-type]

    @cached_property
    def count(self) -> int:
        return self.bounded.value

    @property
    def count_is_estimate(self) -> bool:
        return self.bounded.is_estimate

    def _get_page(self, *args: Any, **kwargs: Any) -> "NumberedPage":
        return NumberedPage(*args, **kwargs)


class NumberedPage(Page):
    is_keyset = False
    paginator: BoundedPaginator

    @property
    def window(self) -> list[int | None]:
        """Page numbers to link, ``None`` where numbers are left out: the first page, two
        on each side of the current one, and the last when the count is exact."""
        last = self.paginator.num_pages
        numbers = {1, *range(max(1, self.number - 2), min(last, self.number + 2) + 1)}
        if not self.paginator.count_is_estimate:
            numbers.add(last)
        result: list[int | None] = []
        for number in sorted(numbers):
            if result and result[-1] is not None and number > result[-1] + 1:
                result.append(None)
            result.append(number)
        return result


class PreparedPages(Sequence):
    """A prepared list (``PreparedRows``) as what a numbered page slices: ``paginate(request,
    PreparedPages(bound))`` reads the page's rows through the list's compiled SQL (its ordering,
    an offset) and its capped count through the count's, as the queryset's would read them."""

    def __init__(self, prepared: "PreparedRows") -> None:
        self.prepared = prepared

    def __len__(self) -> int:
        return self.prepared.bounded_count().value

    @overload
    def __getitem__(self, index: int) -> dict: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict]: ...

    def __getitem__(self, index: int | slice) -> dict | list[dict]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if index.step not in (None, 1) or stop is None or start < 0 or stop < 0:
            raise TypeError("a prepared list is read by a slice of known bounds")
        return self.prepared.rows(start, stop - start) if stop > start else []


def paginate(request: HttpRequest, rows: QuerySet | Sequence, per_page: int = PAGE_SIZE) -> NumberedPage:
    """The requested page of a small list; a bad or out-of-range page number gives the nearest
    valid page."""
    page = BoundedPaginator(rows, per_page).get_page(request.GET.get("page"))
    assert isinstance(page, NumberedPage)  # noqa: S101  (_get_page above)
    return page


# --- keyset (large lists) ------------------------------------------------------------------------


class BadCursor(ValueError):
    """A cursor that does not name a row of this list."""


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


class Keyset:
    """The ordering of a queryset as a keyset: field paths with their direction."""

    def __init__(self, queryset: QuerySet) -> None:
        self.model = queryset.model
        ordering: list[Any] = list(queryset.query.order_by) or (
            list(queryset.query.get_meta().ordering or ()) if queryset.query.default_ordering else []
        )
        if not ordering:
            raise ImproperlyConfigured(f"{self.model.__name__}: a keyset needs an ordering.")
        self.keys: list[tuple[str, bool]] = []
        self.fields: list[Field] = []
        for item in ordering:
            if not isinstance(item, str) or item == "?":
                raise ImproperlyConfigured(f"{self.model.__name__}: keyset ordering {item!r} is not a field.")
            descending = item.startswith("-")
            path = item.lstrip("-")
            field = self._field(path)
            if field.null:
                raise ImproperlyConfigured(
                    f"{self.model.__name__}.{path} can be NULL: not a keyset ordering."
                )
            self.keys.append((path, descending))
            self.fields.append(field)
        last = self.fields[-1]
        if not (last.primary_key or last.unique) or "__" in self.keys[-1][0]:
            raise ImproperlyConfigured(
                f"{self.model.__name__}: the last ordering field of a keyset must be unique (e.g. id)."
            )

    def _field(self, path: str) -> Field:
        model: type[Model] = self.model
        parts = path.split("__")
        field: Any = None
        for i, part in enumerate(parts):
            try:
                field = model._meta.pk if part == "pk" else model._meta.get_field(part)
            except FieldDoesNotExist:
                raise ImproperlyConfigured(f"{model.__name__} has no field {part!r}.") from None
            if i < len(parts) - 1:
                if not field.is_relation or field.many_to_many or field.one_to_many:
                    raise ImproperlyConfigured(f"{path}: a keyset follows only foreign keys.")
                model = field.related_model
        if field.is_relation:
            if field.null:
                return field
            field = field.target_field
        return field

    def values_of(self, obj: Any) -> list[Any]:
        if isinstance(obj, dict):  # a row of .values(), keyed by the paths of the ordering
            pk = self.model._meta.pk.name
            return [obj[pk if path == "pk" else path] for path, _descending in self.keys]
        values = []
        for path, _descending in self.keys:
            value = obj
            for part in path.split("__"):
                value = getattr(value, "pk" if part == "pk" else part)
            values.append(value.pk if isinstance(value, Model) else value)
        return values

    def encode(self, obj: Any) -> str:
        text = json.dumps([_json_value(v) for v in self.values_of(obj)], separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, token: str) -> list[Any]:
        if not token or len(token) > MAX_CURSOR_LENGTH:
            raise BadCursor(token)
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            values = json.loads(raw)
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise BadCursor(token) from None
        if not isinstance(values, list) or len(values) != len(self.keys):
            raise BadCursor(token)
        try:
            return [field.to_python(value) for field, value in zip(self.fields, values, strict=True)]
        except (ValidationError, TypeError, ValueError, OverflowError):
            raise BadCursor(token) from None

    def _beyond(self, values: list[Any], *, forward: bool) -> Q:
        """Rows after (``forward``) or before the row with ``values``, in this ordering."""
        alternatives = []
        for i, (path, descending) in enumerate(self.keys):
            op = "lt" if descending == forward else "gt"
            equal = {p: v for (p, _d), v in zip(self.keys[:i], values[:i], strict=True)}
            alternatives.append(Q(**equal, **{f"{path}__{op}": values[i]}))
        first_path, first_descending = self.keys[0]
        # Redundant but index-friendly: the leading column bounds the range scan.
        leading = Q(**{f"{first_path}__{'lte' if first_descending == forward else 'gte'}": values[0]})
        return leading & reduce(or_, alternatives)

    def ordering(self, *, forward: bool) -> list[str]:
        return [f"{'-' if descending == forward else ''}{path}" for path, descending in self.keys]

    def page(
        self, queryset: QuerySet, *, after: str | None, before: str | None, size: int
    ) -> tuple[list, bool, bool]:
        """The rows of one page, and whether there are rows before and after it."""
        if before:
            rows = list(
                queryset.filter(self._beyond(self.decode(before), forward=False)).order_by(
                    *self.ordering(forward=False)
                )[: size + 1]
            )
            more = len(rows) > size
            return list(reversed(rows[:size])), more, True
        if after:
            queryset = queryset.filter(self._beyond(self.decode(after), forward=True))
        rows = list(queryset.order_by(*self.ordering(forward=True))[: size + 1])
        return rows[:size], bool(after), len(rows) > size


class PreparedRows(Protocol):
    """A list read through SQL compiled once (``ilonet.api.prepared.BoundList``): the same rows,
    cursor and capped count as the queryset it was compiled from."""

    @property
    def keyset(self) -> Keyset: ...

    def rows(self, offset: int, size: int) -> list[dict]: ...

    def rows_after(self, after: Sequence[Any], size: int) -> list[dict]: ...

    def rows_before(self, before: Sequence[Any], size: int) -> list[dict]: ...

    def bounded_count(self) -> BoundedCount: ...


def _prepared_page(
    prepared: PreparedRows, *, after: str | None, before: str | None, size: int
) -> tuple[list, bool, bool]:
    """``Keyset.page`` read through a prepared list's SQL: the same rows and neighbours."""
    keyset = prepared.keyset
    if before:
        rows = prepared.rows_before(keyset.decode(before), size + 1)
        more = len(rows) > size
        return list(reversed(rows[:size])), more, True
    rows = prepared.rows_after(keyset.decode(after), size + 1) if after else prepared.rows(0, size + 1)
    return rows[:size], bool(after), len(rows) > size


class KeysetCount:
    """What templates read as ``page_obj.paginator``: the capped count."""

    def __init__(self, rows: "QuerySet | PreparedRows") -> None:
        self._rows = rows

    @cached_property
    def bounded(self) -> BoundedCount:
        if isinstance(self._rows, QuerySet):
            return bounded_count(self._rows)
        return self._rows.bounded_count()

    @property
    def count(self) -> int:
        return self.bounded.value

    @property
    def count_is_estimate(self) -> bool:
        return self.bounded.is_estimate


class KeysetPage(Sequence):
    """One page of a keyset-paged list, for ``includes/pagination.html``."""

    is_keyset = True
    number = None

    def __init__(
        self, object_list: list, *, paginator: KeysetCount, query: QueryDict, keyset: Keyset,
        has_previous: bool, has_next: bool,
    ) -> None:  # fmt: skip
        self.object_list = object_list
        self.paginator = paginator
        self._query = query
        self._keyset = keyset
        self._has_previous = has_previous and bool(object_list)
        self._has_next = has_next and bool(object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def has_previous(self) -> bool:
        return self._has_previous

    def has_next(self) -> bool:
        return self._has_next

    def has_other_pages(self) -> bool:
        return self._has_previous or self._has_next

    def _link(self, **cursor: str) -> str:
        query = self._query.copy()
        for name in ("after", "before", "page"):
            query.pop(name, None)
        query.update(cursor)
        return f"?{query.urlencode()}"

    @cached_property
    def first_query(self) -> str:
        return self._link()

    @cached_property
    def previous_query(self) -> str | None:
        return self._link(before=self._keyset.encode(self.object_list[0])) if self._has_previous else None

    @cached_property
    def next_query(self) -> str | None:
        return self._link(after=self._keyset.encode(self.object_list[-1])) if self._has_next else None

    @property
    def cursor(self) -> dict[str, str]:
        """The cursor this page was asked with (for audit records of reads)."""
        return {k: str(self._query.get(k)) for k in ("after", "before") if self._query.get(k)}


def keyset_paginate(
    request: HttpRequest, queryset: "QuerySet | PreparedRows", per_page: int = PAGE_SIZE
) -> KeysetPage:
    """The page after (``?after=``) or before (``?before=``) a row of a large list, by its
    ordering; a cursor that does not decode gives the first page. ``queryset`` may be a list
    prepared from a queryset (``PreparedRows``): the same page, read through its compiled SQL."""
    after, before = request.GET.get("after") or None, request.GET.get("before") or None
    if isinstance(queryset, QuerySet):
        keyset = Keyset(queryset)

        def page(after, before):
            return keyset.page(queryset, after=after, before=before, size=per_page)
    else:
        keyset, prepared = queryset.keyset, queryset

        def page(after, before):
            return _prepared_page(prepared, after=after, before=before, size=per_page)

    try:
        rows, has_previous, has_next = page(after, before)
    except BadCursor:
        after = before = None
        rows, has_previous, has_next = page(None, None)
    query = request.GET.copy()
    for name, value in (("after", after), ("before", before)):
        if value is None:
            query.pop(name, None)
    return KeysetPage(
        rows, paginator=KeysetCount(queryset), query=query, keyset=keyset,
        has_previous=has_previous, has_next=has_next,
    )  # fmt: skip


__all__ = [
    "COUNT_CAP",
    "PAGE_SIZE",
    "BadCursor",
    "BoundedCount",
    "BoundedPaginator",
    "Keyset",
    "KeysetPage",
    "PreparedPages",
    "PreparedRows",
    "NumberedPage",
    "bounded_count",
    "keyset_paginate",
    "paginate",
]
