"""Queries that run on every request, their SQL compiled once per process and database.

Building a query through the ORM (filters, lookups, the compiler) costs far more than running
a small one: the roles of the signed-in user took 0.45 ms to build and 0.02 ms to run on SQLite
(issue 9, rendering cost), and every page and API call asks for them. A ``PreparedQuery`` is a
function that builds the queryset from named values; it is built and compiled once per
database alias with sentinel values, the positions of the sentinels among the SQL's parameters
noted, and then run with the real values put in their places. The SQL is the ORM's own, the
database routers choose the alias as for the queryset, and the query goes through the
connection's cursor (counted by ``django_assert_num_queries``, wrapped by the execute
wrappers).

A value may be a list (``network_ids=[-424242]``: the sentinel is the list's one element, an int
or a str): the query is then compiled once per length of the list given (a page of fifty ids,
the last page's fewer), with that many distinct sentinels (``-424242``, ``-424243``, … or
``"s0"``, ``"s1"``, …); the values are put in without repeats or None, as ``__in`` does. An
empty list is the caller's to answer (``__in=[]`` matches nothing only where it is not in an OR).

The values read go through the ORM's own converters (dates on SQLite, JSON, …), as
``values_list`` gives them. Refused at the first compilation (``ImproperlyConfigured``), rather
than guessed: a sentinel found at no place, or at a place it cannot be told from another value.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import QuerySet


class PreparedQuery:
    """``PreparedQuery(build, user_id=-424242, today=date(1901, 2, 3))``: ``build(**values)``
    gives a ``values_list`` queryset; ``rows(**values)`` runs its SQL with those values."""

    def __init__(self, build: Callable[..., QuerySet], **sentinels: Any) -> None:
        self.build = build
        self.sentinels = sentinels
        self._compiled: dict[tuple, tuple[str, list, dict[str, list[int]], dict]] = {}
        self._names: dict[tuple, list[str]] = {}
        self._model: type[Any] | None = None

    def _adapt(self, alias: str, value: Any) -> Any:
        ops = connections[alias].ops
        return ops.adapt_datefield_value(value) if isinstance(value, date) else value

    @staticmethod
    def _expand(sentinel: Any, length: int) -> Any:
        (base,) = sentinel
        if isinstance(base, int):
            return [base - i for i in range(length)]
        return [f"{base}{i}" for i in range(length)]

    def _sentinels(self, lengths: tuple) -> dict[str, Any]:
        return {
            name: self._expand(value, lengths[i]) if isinstance(value, list) else value
            for i, (name, value) in enumerate(self.sentinels.items())
        }

    def _sql(self, alias: str, sentinels: dict[str, Any]) -> tuple[str, list, dict, list[str]]:
        """The SQL and parameters of the queryset built with the sentinels, the converters of
        its columns and the names ``values()`` gives them."""
        queryset = self.build(**sentinels)
        query = queryset.query
        compiler = query.get_compiler(alias)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([selected[0] for selected in compiler.select])
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        return sql, list(params), converters, names

    def _compile(self, alias: str, lengths: tuple) -> tuple[str, list, dict[str, list[int]], dict]:
        sentinels = self._sentinels(lengths)
        sql, params, converters, names = self._sql(alias, sentinels)
        self._names[(alias, lengths)] = names
        places: dict[str, list[int]] = {}
        for name, sentinel in sentinels.items():
            for n, one in enumerate(sentinel) if isinstance(sentinel, list) else [(None, sentinel)]:
                adapted = self._adapt(alias, one)
                found = [i for i, param in enumerate(params) if param == adapted]
                if not found:
                    raise ImproperlyConfigured(f"{self.build.__qualname__}: {name} is not a parameter")
                places[name if n is None else f"{name}\0{n}"] = found
        taken = [i for found in places.values() for i in found]
        if len(taken) != len(set(taken)):
            raise ImproperlyConfigured(f"{self.build.__qualname__}: two sentinels share a value")
        return sql, list(params), places, converters

    def dicts(self, **values: Any) -> list[dict]:
        """``rows`` as the dicts of a ``values()`` queryset (keyed by its fields' paths)."""
        rows, key = self._run(values)
        names = self._names[key]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def rows(self, **values: Any) -> list[tuple]:
        return self._run(values)[0]

    def _run(self, values: dict[str, Any]) -> tuple[list[tuple], tuple]:
        if values.keys() != self.sentinels.keys():
            raise TypeError(f"{self.build.__qualname__} takes {sorted(self.sentinels)}")
        flat: dict[str, Any] = {}
        lengths: list[int | None] = []
        for name, sentinel in self.sentinels.items():
            if isinstance(sentinel, list):
                distinct = list(dict.fromkeys(v for v in values[name] if v is not None))
                if not distinct:
                    raise ValueError(f"{self.build.__qualname__}: {name} is empty")
                flat.update({f"{name}\0{n}": v for n, v in enumerate(distinct)})
                lengths.append(len(distinct))
            else:
                flat[name] = values[name]
                lengths.append(None)
        alias = self._alias()
        key = (alias, tuple(lengths))
        compiled = self._compiled.get(key)
        if compiled is None:
            if len(self._compiled) > 256:
                self._compiled.clear()
            compiled = self._compiled[key] = self._compile(alias, key[1])
        sql, params, places, converters = compiled
        params = list(params)
        connection = connections[alias]
        adapt_date = connection.ops.adapt_datefield_value
        for name, at in places.items():
            value = flat[name]
            adapted = adapt_date(value) if isinstance(value, date) else value
            for i in at:
                params[i] = adapted
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return [tuple(row) for row in rows], key
        # The ORM's own conversions of the values read (``SQLCompiler.apply_converters``).
        result = []
        for row in rows:
            row = list(row)
            for at, (functions, expression) in converters.items():
                for convert in functions:
                    row[at] = convert(row[at], expression, connection)
            result.append(tuple(row))
        return result, key

    def _alias(self) -> str:
        if self._model is None:
            one = {k: self._expand(v, 1) if isinstance(v, list) else v for k, v in self.sentinels.items()}
            self._model = self.build(**one).model
        return router.db_for_read(self._model)


class PreparedStatement(PreparedQuery):
    """``PreparedStatement(run, model, **sentinels)``: ``run(**values)`` does ORM work that sends
    exactly one query (``bounded_count(queryset)``: the ORM builds the counting query itself,
    with no queryset to compile); that query is captured once per database and list length,
    when ``run`` is called with the sentinels (a read), and ``rows(**values)`` sends it again
    with the values in their places. The rows are the database's (no converters)."""

    def __init__(self, run: Callable[..., Any], model: type[Any], **sentinels: Any) -> None:
        super().__init__(run, **sentinels)
        self._model = model

    def _sql(self, alias: str, sentinels: dict[str, Any]) -> tuple[str, list, dict, list[str]]:
        captured: list[tuple[str, Any]] = []

        def capture(execute, sql, params, many, context):
            captured.append((sql, params))
            return execute(sql, params, many, context)

        with connections[alias].execute_wrapper(capture):
            self.build(**sentinels)
        if len(captured) != 1 or captured[0][1] is None:
            raise ImproperlyConfigured(f"{self.build.__qualname__}: sent {len(captured)} queries, not one")
        sql, params = captured[0]
        return sql, list(params), {}, []
