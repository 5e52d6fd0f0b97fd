"""One row of an import file, checked: a case (``record: case``) or a timeline event
(``record: event``), in the documented format (docs/returns-interchange.md). A row with a
problem gives ``RowProblem`` with the reason; the line number is added by the importer.

The event's fields are checked by the core's registry of event kinds
(``ilonet.returns.events.clean_fields``), the same rule as for an event entered on the page.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django_countries import countries

from ilonet.directory import selectors as directory
from ilonet.returns import events as registry

from .refusals import Refused, in_each_language
from .refusals import value as quoted

CASE_COLUMNS = (
    "record",
    "external_id",
    "member_state",
    "case_type",
    "opened_on",
    "third_country",
    "person_ref",
    "family_name",
    "given_names",
    "date_of_birth",
    "place_of_birth",
    "nationality",
)
EVENT_COLUMNS = ("record", "external_id", "case_external_id", "kind", "occurred_on", "fields", "supersedes")
COLUMNS = frozenset(CASE_COLUMNS) | frozenset(EVENT_COLUMNS)
CSV_HEADER = tuple(dict.fromkeys(CASE_COLUMNS + EVENT_COLUMNS))  # the export's column order
PERSONAL = ("family_name", "given_names", "date_of_birth", "place_of_birth", "nationality")
CASE_TYPES = {"voluntary", "enforced", "own_means"}
_BREAKS = re.compile("[\r\n\x00]")
EXTERNAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}")
# Kinds only the platform records (the hand-over job, corrections of its own): not importable.
NOT_IMPORTED = frozenset(k for k, spec in registry.KINDS.items() if not spec.manual) - {
    registry.Kind.RETRACTED
}
IMPORTABLE = frozenset(k.value for k in registry.KINDS) - NOT_IMPORTED


class RowProblem(Refused):
    """A row refused when read: a reason code and its parameters (``refusals``)."""


class CaseRow(NamedTuple):
    external_id: str
    member_state: str
    case_type: str
    opened_on: date
    third_country: str
    identity: dict[str, Any]  # the core's identity document, sealed per person, never stored in clear


class EventRow(NamedTuple):
    external_id: str
    case_external_id: str
    kind: str
    occurred_on: date
    fields: dict[str, Any]
    supersedes: str  # the external id of the event this one corrects, or ""


def _text(data: dict[str, Any], name: str, *, required: bool = True, limit: int = 100) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise RowProblem("missing", {"field": name}, str(data.get("external_id", "")))
        return ""
    if type(value) is str:  # the usual case, without the general checks' calls
        text = value.strip()
    elif isinstance(value, str | int):
        text = str(value).strip()
    else:
        raise RowProblem("not_text", {"field": name}, str(data.get("external_id", "")))
    if len(text) > limit or _BREAKS.search(text):
        raise RowProblem("too_long", {"field": name, "limit": limit}, str(data.get("external_id", "")))
    return text


def _date(data: dict[str, Any], name: str, today: date) -> date:
    value = data.get(name)
    if type(value) is str and len(value) == 10:  # the usual case: a date as it should be, in the past
        try:
            day = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if day <= today:
                return day
    text = _text(data, name, limit=10)  # anything else: the general checks, and their reason
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise RowProblem(
            "not_a_date", {"field": name, "value": quoted(text[:12])}, str(data.get("external_id", ""))
        ) from None
    if day > today:
        raise RowProblem(
            "future_date", {"field": name, "date": day.isoformat()}, str(data.get("external_id", ""))
        )
    return day


def _country(data: dict[str, Any], name: str, *, third: bool = False) -> str:
    code = _text(data, name, limit=2).upper()
    if not _is_country(code):
        raise RowProblem(
            "unknown_country", {"field": name, "code": quoted(code)}, str(data.get("external_id", ""))
        )
    if third and not _is_third_country(code):
        raise RowProblem("not_third_country", {"field": name, "code": code}, str(data.get("external_id", "")))
    return code


@lru_cache(maxsize=512)
def _is_country(code: str) -> bool:
    """A code django-countries knows (its check costs tens of microseconds: a thread-local
    look-up for overridden options each time), asked once per code and process."""
    return code in countries


@lru_cache(maxsize=512)
def _is_third_country(code: str) -> bool:
    return directory.is_third_country(code)


def external_id(data: dict[str, Any], name: str = "external_id") -> str:
    value = data.get(name)
    if type(value) is str and EXTERNAL_ID.fullmatch(value):  # the usual case: nothing to strip or cut
        return value
    value = _text(data, name, limit=64)
    if not EXTERNAL_ID.fullmatch(value):
        raise RowProblem("bad_external_id", {"field": name}, value)
    return value


def parse(data: dict[str, Any], *, member_state: str, today: date) -> CaseRow | EventRow:
    """The row checked, or ``RowProblem``. ``member_state`` is the import's: a row of another
    member state is refused (an import for one state never writes another's cases)."""
    record = data.get("record")
    ext = external_id(data)
    if record == "case":
        state = _text(data, "member_state", limit=2).upper()
        if state != member_state:
            raise RowProblem("other_member_state", {"state": state, "import_state": member_state}, ext)
        case_type = _text(data, "case_type", limit=12)
        if case_type not in CASE_TYPES:
            raise RowProblem(
                "bad_case_type", {"value": quoted(case_type), "allowed": ", ".join(sorted(CASE_TYPES))}, ext
            )
        identity = {  # the core's identity document (returns.identity)
            "names": [
                {
                    "family": _text(data, "family_name", limit=100),
                    "given": _text(data, "given_names", required=False, limit=100),
                    "script": "latin",
                }
            ],
            "birth_date": _date(data, "date_of_birth", today).isoformat(),
            "birth_place": _text(data, "place_of_birth", required=False, limit=100),
            "nationalities": [_country(data, "nationality")],
            "documents": [],
        }
        return CaseRow(
            ext,
            state,
            case_type,
            _date(data, "opened_on", today),
            _country(data, "third_country", third=True),
            identity,
        )
    if record == "event":
        kind = data.get("kind")
        if type(kind) is not str or kind not in IMPORTABLE:  # else: one of the kinds, as it is
            kind = _text(data, "kind", limit=40)
            if kind not in IMPORTABLE:
                raise RowProblem("kind_not_importable", {"kind": quoted(kind)}, ext)
        fields = data.get("fields") or {}
        if isinstance(fields, str):
            try:
                fields = json.loads(fields)
            except ValueError:
                raise RowProblem("fields_not_object", {}, ext) from None
        if not isinstance(fields, dict):
            raise RowProblem("fields_not_object", {}, ext)
        try:
            cleaned = registry.clean_fields(kind, fields)
        except ValidationError:
            raise RowProblem(
                "bad_fields",
                {"kind": kind, "detail": in_each_language(lambda: _field_problems(kind, fields))},
                ext,
            ) from None
        supersedes = external_id(data, "supersedes") if data.get("supersedes") else ""
        return EventRow(
            ext,
            external_id(data, "case_external_id"),
            kind,
            _date(data, "occurred_on", today),
            cleaned,
            supersedes,
        )
    raise RowProblem("bad_record", {}, ext)


def _field_problems(kind: str, fields: dict[str, Any]) -> str:
    """The event's field problems in the active language (the core's words, checked again)."""
    try:
        registry.clean_fields(kind, fields)
    except ValidationError as error:
        return "; ".join(
            f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in error.message_dict.items()
        )
    return ""
