"""API lists read through SQL compiled once per process and shape (``ilonet.shared.prepared``).

A list of the API builds its queryset through the ORM on every call (the scope, the filters,
``values()`` over three tables, the keyset's ordering), then the page's query and the capped
count's query are compiled again: for the registry's fifty rows that building was about as
much CPU as everything else the call did besides the session (issue 9, rendering cost).

``PreparedList(build, sentinels=…, shape=…)`` holds the list's own ORM code (``build(user=…,
**filters)``, the view's queryset, unchanged) and compiles, once per *shape* of a call, the
SQL of a page, of the page after a cursor and of the capped count from the queryset ``build``
gives with sentinel values; a call of that shape then runs that SQL with its values in the
sentinels' places. The shape is: which filters are given (a filter left out builds no
condition), the values of the ``shape`` filters (a boolean, a continent: they change the SQL,
not only its values), the list lengths, the page size and offset. The rows are the ORM's
(``values()`` dicts, its converters); the count is ``bounded_count``'s own query.

``bind`` declines (returns ``None``: the view uses its queryset) when a filter has no sentinel
(a search: its words are wrapped in ``LIKE`` patterns) or when the list's scope is not the
same for every user (``policy.scope_is_every_row``): the SQL compiled for one user would then
be wrong for another. Tests compare both paths (``api/tests/test_prepared_lists.py``).

A list page reads a ``BoundList`` as well (``shared.paging.keyset_paginate`` takes one for its
queryset): the contact list's page (``deployments.views``), whose "Previous" link reads the rows
before a cursor (``rows_before``, the reverse ordering, compiled alike).
"""

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import QuerySet
from ninja.errors import ConfigError

from ilonet.shared import paging
from ilonet.shared.paging import BoundedCount, Keyset, bounded_count
from ilonet.shared.prepared import PreparedQuery, PreparedStatement

_CURSOR_SENTINELS = "\0cursor"
# The user of the call whose queries are being compiled: ``build`` runs the list's own code,
# which asks the policy for that user (``policy.scope``); the SQL is the same for every user
# (``PreparedList.every_row``), but a compilation never runs with another caller's account.
_caller: ContextVar[Any] = ContextVar("prepared_list_caller")


class _Shape:
    """The compiled queries of one shape: first pages (per offset and size), cursor pages (per
    size), the count, and the keyset of the list's ordering."""

    def __init__(self, build: Callable[..., QuerySet], sentinels: dict[str, Any], model: type) -> None:
        self.build = build
        self.sentinels = sentinels
        self.keyset = Keyset(build(**sentinels))
        self.cursor_sentinels = {
            f"{_CURSOR_SENTINELS}{i}": _cursor_sentinel(field, i)
            for i, field in enumerate(self.keyset.fields)
        }
        self.model = model
        self.pages: dict[tuple[int, int], PreparedQuery] = {}
        self.after: dict[int, PreparedQuery] = {}
        self.before: dict[int, PreparedQuery] = {}
        self.counts: dict[int, PreparedStatement] = {}

    def count(self, cap: int) -> PreparedStatement:
        if cap not in self.counts:
            self.counts[cap] = PreparedStatement(
                lambda **values: bounded_count(self.build(**values), cap), self.model, **self.sentinels
            )
        return self.counts[cap]

    def page(self, offset: int, size: int) -> PreparedQuery:
        key = (offset, size)
        if key not in self.pages:
            if len(self.pages) > 64:
                self.pages.clear()
            self.pages[key] = PreparedQuery(
                lambda **values: self._ordered(values)[offset : offset + size], **self.sentinels
            )
        return self.pages[key]

    def page_after(self, size: int) -> PreparedQuery:
        if size not in self.after:
            if len(self.after) > 64:
                self.after.clear()
            self.after[size] = PreparedQuery(
                lambda **values: self._beyond(values)[:size], **self.sentinels, **self.cursor_sentinels
            )
        return self.after[size]

    def page_before(self, size: int) -> PreparedQuery:
        """The rows before a cursor, in the reverse ordering (a list page's "Previous")."""
        if size not in self.before:
            if len(self.before) > 64:
                self.before.clear()
            self.before[size] = PreparedQuery(
                lambda **values: self._beyond(values, forward=False)[:size],
                **self.sentinels,
                **self.cursor_sentinels,
            )
        return self.before[size]

    def _ordered(self, values: dict) -> QuerySet:
        return self.build(**values).order_by(*self.keyset.ordering(forward=True))

    def _beyond(self, values: dict, *, forward: bool = True) -> QuerySet:
        filters = {k: v for k, v in values.items() if not k.startswith(_CURSOR_SENTINELS)}
        cursor = [values[name] for name in self.cursor_sentinels]
        return (
            self.build(**filters)
            .filter(self.keyset._beyond(cursor, forward=forward))
            .order_by(*self.keyset.ordering(forward=forward))
        )


def _cursor_sentinel(field, i: int) -> Any:
    """A value of the cursor's ``i``-th key that no real cursor names (a date in 1901, a
    negative id), of the field's own type, as the cursor decodes it."""
    kind = field.get_internal_type()
    if kind == "DateField":
        return date(1901, 2, 3 + i)
    if kind == "DateTimeField":
        return datetime(1901, 2, 3 + i, 4, 5, 6, tzinfo=UTC)
    if kind in ("CharField", "TextField", "SlugField", "EmailField"):
        return f"~cursor-sentinel-{i}~"
    return -424200 - i


class BoundList:
    """One call of a prepared list: its values and the compiled queries of its shape."""

    def __init__(
        self, shape: _Shape, values: dict[str, Any], user: Any, queryset: Callable[[], QuerySet]
    ) -> None:
        self._shape = shape
        self._values = values
        self._user = user
        self.queryset = queryset  # the ORM's own queryset of the call (tests compare both)

    @property
    def keyset(self) -> Keyset:
        return self._shape.keyset

    def _as_caller(self, run: Callable[[], Any]) -> Any:
        token = _caller.set(self._user)
        try:
            return run()
        finally:
            _caller.reset(token)

    def rows(self, offset: int, size: int) -> list[dict]:
        return self._as_caller(lambda: self._shape.page(offset, size).dicts(**self._values))

    def rows_after(self, after: Sequence[Any], size: int) -> list[dict]:
        cursor = dict(zip(self._shape.cursor_sentinels, after, strict=True))
        return self._as_caller(lambda: self._shape.page_after(size).dicts(**self._values, **cursor))

    def rows_before(self, before: Sequence[Any], size: int) -> list[dict]:
        """The ``size`` rows before the cursor's row, nearest first (the reverse ordering)."""
        cursor = dict(zip(self._shape.cursor_sentinels, before, strict=True))
        return self._as_caller(lambda: self._shape.page_before(size).dicts(**self._values, **cursor))

    def bounded_count(self) -> BoundedCount:
        """``paging.bounded_count`` of the call's queryset (its own query, capped alike)."""
        cap = paging.COUNT_CAP
        ((counted,),) = self._as_caller(lambda: self._shape.count(cap).rows(**self._values))
        return BoundedCount(cap, True) if counted > cap else BoundedCount(counted, False)


class PreparedList:
    """``PreparedList(build, model, sentinels={"country": ("~COUNTRY~", normal), …},
    shape=("joint",))``: ``build(user=…, **filters)`` is the view's queryset (plain ``values()``
    rows, ordered by a keyset); ``sentinels`` names the filters whose values are only
    parameters of the SQL, each with a value no request gives and the function the list's own
    code applies to the value before it queries (``country.strip().upper()``; the sentinel must
    come out of it unchanged); a filter is applied when its value is true, as the lists'
    ``if country:``. ``shape`` names the filters whose values change the SQL itself. Any other
    filter given makes ``bind`` decline."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        model: type,
        *,
        sentinels: dict[str, tuple[Any, Callable[[Any], Any]]],
        shape: Sequence[str] = (),
        every_row: Callable[[], bool],
    ) -> None:
        self.build = build
        self.model = model
        self.sentinels = {name: sentinel for name, (sentinel, _normal) in sentinels.items()}
        self.normal = {name: normal for name, (_sentinel, normal) in sentinels.items()}
        for name, sentinel in self.sentinels.items():
            if self.normal[name](sentinel) != sentinel:
                raise ConfigError(f"{name}: the sentinel {sentinel!r} is not kept as it is by the filter")
        self.shape_names = tuple(shape)
        self.every_row = every_row
        self._shapes: dict[tuple, _Shape] = {}

    def bind(self, *, user: Any, **filters: Any) -> BoundList | None:
        """The call's prepared list, or ``None`` where the ORM's queryset must answer."""
        given = {name: value for name, value in filters.items() if value is not None}
        if any(name not in self.sentinels and name not in self.shape_names for name in given):
            return None
        if not self.every_row():
            return None
        # A filter the list's code applies (a true value: ``if country:``), with the value the
        # code gives the query (``country.strip().upper()``).
        present = tuple(sorted(name for name in given if name in self.sentinels and given[name]))
        key = (present, tuple((name, filters.get(name)) for name in self.shape_names))
        shape = self._shapes.get(key)
        if shape is None:
            if len(self._shapes) > 256:
                self._shapes.clear()
            fixed = {name: filters.get(name) for name in self.shape_names}
            absent = {name: None for name in self.sentinels if name not in present}

            def build(_fixed=fixed, _absent=absent, **values):
                return self.build(user=_caller.get(), **_fixed, **_absent, **values)

            token = _caller.set(user)
            try:
                shape = _Shape(build, {n: self.sentinels[n] for n in present}, self.model)
            finally:
                _caller.reset(token)
            self._shapes[key] = shape
        values = {name: self.normal[name](given[name]) for name in present}
        return BoundList(shape, values, user, lambda: self.build(user=user, **filters))
