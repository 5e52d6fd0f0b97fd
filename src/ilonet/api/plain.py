"""API lists answered without django-ninja validating every row of its own output.

django-ninja validates a list's answer against its response schema: every field of every row
goes through its ``DjangoGetter`` (a resolver look-up, a conversion) and pydantic, then is
dumped again; for a page of fifty deployments that was about a fifth of the call (issue 9,
rendering cost). ``paginate_plain(Schema, …)`` replaces ``@paginate(BoundedPagination, …)`` on
a list whose rows the platform builds itself: the same query parameters and the same response
schema in the OpenAPI document (ninja's own pagination hooks), the same pagination
(``BoundedPagination``), and each row written by ``plain_rows(Schema)``: the schema's fields,
each read as ninja reads it (the schema's ``resolve_<field>``, else the row's key or attribute
of the field's alias or name) and given the Python value pydantic's dump gives (dates and times stay
as they are, enumerations become their members, nested schemas dicts), then encoded by ninja's JSON
encoder. A value the fast path does not recognise as already valid (a wrong type, a value
outside an enumeration, a date as anything but a date or an ISO string) sends its row through
the schema's own validation, so the answer is then ninja's, error included.

Tests compare both paths, row for row (``api/tests/test_plain.py`` and the lists' own tests),
and answer for answer (``tests/test_plain_lists.py``: each list with ``validated_by_ninja``).
"""

import enum
import json
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import partial, wraps
from typing import Any

import orjson
from django.db.models import Manager, QuerySet
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from ninja import Schema
from ninja.errors import ConfigError
from ninja.pagination import make_response_paginated
from ninja.responses import NinjaJSONEncoder
from ninja.signature.details import is_pydantic_model
from ninja.utils import contribute_operation_args, contribute_operation_callback

from .pagination import BoundedPagination


class _NotPlain(Exception):
    """A value the fast path does not take as valid: the row goes through the schema."""


def _read(obj: Any, key: str) -> Any:
    """What ninja's ``DjangoGetter`` reads: the key of a dict, else the attribute."""
    if isinstance(obj, dict):
        if key not in obj:
            raise _NotPlain(key)
        return _as_ninja_gives(obj[key])
    try:
        return _as_ninja_gives(getattr(obj, key))
    except AttributeError:
        raise _NotPlain(key) from None


# Values ninja's getter gives as they are (none is a manager, a queryset, a file or callable).
_AS_THEY_ARE = frozenset({str, int, bool, float, type(None), date, datetime, list, dict, tuple})


def _as_ninja_gives(value: Any) -> Any:
    """``DjangoGetter._convert_result``: managers and querysets as lists, callables called."""
    if type(value) in _AS_THEY_ARE:
        return value
    if isinstance(value, Manager):
        return list(value.all())
    if isinstance(value, QuerySet):
        return list(value)
    if isinstance(value, FieldFile):
        raise _NotPlain("file")
    if callable(value):
        return value()
    return value


def _converter(annotation: Any, where: str) -> Callable[[Any], Any]:
    """The function that checks a value of ``annotation`` and gives what pydantic's dump gives."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _converter(typing.get_args(annotation)[0], where)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(options) != 1 or len(typing.get_args(annotation)) != 2:
            raise ConfigError(f"{where}: only X | None unions have a plain path")
        inner = _converter(options[0], where)
        return lambda value: None if value is None else inner(value)
    if origin is list:
        (item,) = typing.get_args(annotation) or (Any,)
        each = _converter(item, where)

        def convert_list(value):
            if not isinstance(value, list | tuple):
                raise _NotPlain(where)
            return [each(v) for v in value]

        return convert_list
    if origin is typing.Literal:
        allowed = set(typing.get_args(annotation))

        def convert_literal(value):
            if value not in allowed:
                raise _NotPlain(where)
            return value

        return convert_literal
    if annotation is Any or annotation is dict or origin is dict:

        def convert_dict(value):
            if annotation is not Any and not isinstance(value, dict):
                raise _NotPlain(where)
            return value

        return convert_dict
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        members = {m.value: m for m in annotation}

        def convert_enum(value):
            member = members.get(value.value if isinstance(value, annotation) else value)
            if member is None:
                raise _NotPlain(where)
            return member

        return convert_enum
    if annotation is bool:
        return _exactly(bool, where)
    if annotation is int:
        return _exactly(int, where)
    if annotation is str:
        return _exactly(str, where)
    if annotation is date:

        def convert_date(value):
            if isinstance(value, date) and not isinstance(value, datetime):
                return value
            if isinstance(value, str) and len(value) == 10:
                try:
                    return date.fromisoformat(value)
                except ValueError:
                    pass
            raise _NotPlain(where)

        return convert_date
    if annotation is datetime:

        def convert_datetime(value):
            # pydantic keeps a datetime as it is (its zone included); anything else it would
            # parse or refuse (a date, a string, a number): through the schema
            if isinstance(value, datetime):
                return value
            raise _NotPlain(where)

        return convert_datetime
    if isinstance(annotation, type) and is_pydantic_model(annotation) and issubclass(annotation, Schema):
        _row_writer(annotation)  # compiled now: a schema without a plain path fails at start-up
        return lambda value: _writers[annotation](value)
    raise ConfigError(f"{where}: {annotation!r} has no plain path")


def _exactly(kind: type, where: str) -> Callable[[Any], Any]:
    def convert(value):
        # bool is an int, and pydantic would not take True for an int field as 1 in the dump
        if type(value) is kind or (kind is str and isinstance(value, str)):
            return value
        raise _NotPlain(where)

    convert._plain_exactly = kind  # type: ignore[attr-defined]  # _dict_writer inlines the check
    return convert


_writers: dict[type, Callable[[Any], dict]] = {}


def _row_writer(schema: type[Schema]) -> Callable[[Any], dict]:
    if schema in _writers:
        return _writers[schema]
    resolvers = getattr(schema, "_ninja_resolvers", {})
    _writers[schema] = lambda obj: {}  # a schema that nests itself: filled below
    converters = []
    for name, info in schema.model_fields.items():
        where = f"{schema.__name__}.{name}"
        resolver = resolvers.get(name)
        if resolver is not None and (not resolver._static or resolver._takes_context):
            raise ConfigError(f"{where}: only static resolvers without context have a plain path")
        if info.metadata and info.annotation is not date:
            raise ConfigError(f"{where}: constrained fields have no plain path")
        key = info.validation_alias if isinstance(info.validation_alias, str) else (info.alias or name)
        converters.append(
            (name, key, resolver._func if resolver else None, _converter(info.annotation, where))
        )

    def write(obj: Any) -> dict:
        return {
            name: convert(_as_ninja_gives(resolve(obj)) if resolve is not None else _read(obj, key))
            for name, key, resolve, convert in converters
        }

    _writers[schema] = _dict_writer(schema, converters, write)
    return _writers[schema]


def _dict_writer(
    schema: type[Schema], converters: list, generic: Callable[[Any], dict]
) -> Callable[[Any], dict]:
    """``write`` for a row that is a dict (the lists' plain rows), as one function compiled per
    schema: the same reads, checks and values as ``generic`` (which writes any other row), without
    a call per field for the checks of a ``str``, ``int`` or ``bool`` (most fields). A missing key
    is ``_NotPlain``, as ``_read`` makes it."""
    scope: dict[str, Any] = {
        "_NotPlain": _NotPlain,
        "_as": _as_ninja_gives,
        "_PLAIN": _AS_THEY_ARE,
        "generic": generic,
        "KEYS": frozenset(key for _name, key, resolve, _convert in converters if resolve is None),
    }
    lines = [
        "def write(obj):",
        "    if type(obj) is not dict:",
        "        return generic(obj)",
        "    if not obj.keys() >= KEYS:",
        "        raise _NotPlain(KEYS - obj.keys())",
    ]
    for i, (_name, key, resolve, convert) in enumerate(converters):
        scope[f"k{i}"], scope[f"r{i}"], scope[f"c{i}"] = key, resolve, convert
        lines.append(f"    v{i} = r{i}(obj)" if resolve is not None else f"    v{i} = obj[k{i}]")
        lines.append(f"    if type(v{i}) not in _PLAIN: v{i} = _as(v{i})")
        kind = getattr(convert, "_plain_exactly", None)
        if kind is str:
            lines.append(f"    if type(v{i}) is not str and not isinstance(v{i}, str): raise _NotPlain(k{i})")
        elif kind in (int, bool):
            scope[f"t{i}"] = kind
            lines.append(f"    if type(v{i}) is not t{i}: raise _NotPlain(k{i})")
        else:
            lines.append(f"    v{i} = c{i}(v{i})")
    fields = ", ".join(f"{name!r}: v{i}" for i, (name, *_rest) in enumerate(converters))
    lines.append(f"    return {{{fields}}}")
    exec(compile("\n".join(lines), f"<plain writer of {schema.__name__}>", "exec"), scope)  # noqa: S102
    return scope["write"]


def plain_rows(schema: type[Schema]) -> Callable[[list], list[dict]]:
    """The function that writes rows as ``schema`` would dump them (a row it does not take as
    valid: through ``schema`` itself)."""
    write = _row_writer(schema)

    def rows(items: list) -> list[dict]:
        result = []
        for item in items:
            try:
                result.append(write(item))
            except _NotPlain:
                result.append(schema.model_validate(item).model_dump())
        return result

    return rows


_ENCODER = NinjaJSONEncoder()


def _json_default(value: Any) -> Any:
    """ninja's encoder (``NinjaJSONEncoder``, Django's for dates), a date written at once."""
    if type(value) is date:
        return value.isoformat()
    return _ENCODER.default(value)


# orjson writes what the standard library writes for the values of a page (strings, numbers,
# booleans, None, lists, dicts, enumerations as their values); dates, times and everything else
# go to ninja's encoder (``_json_default``: Django writes a datetime with milliseconds and "Z",
# orjson would write microseconds and "+00:00").
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def dumps(result: Any) -> bytes:
    """The JSON of a page: the values ``json.dumps(result, cls=NinjaJSONEncoder)`` writes, in
    compact UTF-8 (no spaces after separators, no ``\\u`` escapes), written by orjson; what
    orjson refuses (an integer beyond 64 bits, a key that is not a string) by the standard
    library, as before."""
    try:
        return orjson.dumps(result, default=_json_default, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return json.dumps(result, default=_json_default).encode()


_ninja_validates = False


@contextmanager
def validated_by_ninja() -> Iterator[None]:
    """For the tests that compare both paths: within this block the lists of ``paginate_plain``
    hand their page to django-ninja, which validates and dumps it against the operation's
    response schema as ``@paginate`` would (its getter, pydantic, its renderer)."""
    global _ninja_validates
    before, _ninja_validates = _ninja_validates, True
    try:
        yield
    finally:
        _ninja_validates = before


def paginate_plain(schema: type[Schema], **paginator_params: Any):
    """``@paginate(BoundedPagination, **paginator_params)`` whose page is written by
    ``plain_rows(schema)`` (``schema`` is the item schema of the operation's ``response=``)."""
    write = plain_rows(schema)

    def decorator(func):
        paginator = BoundedPagination(**paginator_params)

        @wraps(func)
        def view_with_pagination(request, **kwargs):
            pagination = kwargs.pop("ninja_pagination", None) or paginator.Input()
            items = func(request, **kwargs)
            result = paginator.paginate_queryset(items, pagination=pagination, request=request, **kwargs)
            if _ninja_validates:
                return result
            result[paginator.items_attribute] = write(list(result[paginator.items_attribute]))
            return HttpResponse(dumps(result), content_type="application/json; charset=utf-8")

        contribute_operation_args(
            view_with_pagination, "ninja_pagination", paginator.Input, paginator.InputSource
        )
        contribute_operation_callback(view_with_pagination, partial(make_response_paginated, paginator))
        view_with_pagination._ninja_is_paginated = True
        view_with_pagination._ilonet_plain_schema = schema
        return view_with_pagination

    return decorator
