"""The API lists written without ninja's validation of every row (``ilonet.api.plain``) answer
what ninja's validation of the same rows answers, value for value, and fall back to it for a
row they do not take as valid (so errors stay ninja's)."""

import json
from datetime import date, datetime
from typing import Literal

import pytest
from django.db import models
from ninja import Field, Schema
from ninja.errors import ConfigError
from ninja.responses import NinjaJSONEncoder
from pydantic import ValidationError

from ilonet.api.plain import plain_rows
from ilonet.api.schemas import StrictDate


class Colour(models.TextChoices):
    RED = "red", "Red"
    BLUE = "blue", "Blue"


class InnerOut(Schema):
    code: str
    note: str | None


class RowOut(Schema):
    id: int
    colour: Colour
    shade: Literal["light", "dark"]
    name: str = Field(..., alias="label")
    flag: bool
    day: StrictDate
    until: StrictDate | None
    tags: list[str]
    inner: list[InnerOut]
    one: InnerOut
    extra: dict
    shouted: str

    @staticmethod
    def resolve_shouted(obj) -> str:
        return obj["label"].upper()


class Thing:
    """An object row (attributes, not keys), as a model instance would be."""

    def __init__(self, **values):
        self.__dict__.update(values)


def _row(**changes) -> dict:
    row = {
        "id": 7,
        "colour": "red",
        "shade": "dark",
        "label": "Rabat <post>",
        "flag": False,
        "day": date(2026, 1, 2),
        "until": None,
        "tags": ["MA", "DZ"],
        "inner": [{"code": "be", "note": None}, Thing(code="lu", note="x")],
        "one": Thing(code="nl", note="y"),
        "extra": {"a": [1, 2]},
        "unused": object(),
    }
    row.update(changes)
    return row


def _ninja(schema, rows) -> str:
    return json.dumps([schema.model_validate(row).model_dump() for row in rows], cls=NinjaJSONEncoder)


def _without_input(errors: list[dict]) -> list[dict]:
    return [{key: value for key, value in e.items() if key != "input"} for e in errors]


def _plain(schema, rows) -> str:
    return json.dumps(plain_rows(schema)(rows), cls=NinjaJSONEncoder)


def test_plain_rows_are_what_ninjas_validation_dumps():
    rows = [
        _row(),
        _row(id=8, colour=Colour.BLUE, until=date(2027, 3, 4), flag=True, tags=[]),
        _row(day="2026-05-06", until="2026-07-08", inner=[]),  # ISO strings, as StrictDate takes
    ]
    assert _plain(RowOut, rows) == _ninja(RowOut, rows)


@pytest.mark.parametrize(
    "changes",
    [
        {"colour": "green"},  # not a choice
        {"shade": "medium"},
        {"id": "7"},  # a string where ninja coerces or refuses
        {"flag": 1},
        {"day": datetime(2026, 1, 2, 10, 0)},
        {"day": "2026-13-40"},
        {"tags": "MA"},
        {"one": None},
    ],
)
def test_a_row_the_plain_path_does_not_take_goes_through_ninjas_validation(changes):
    rows = [_row(**changes)]
    try:
        expected = _ninja(RowOut, rows)
    except ValidationError as error:
        with pytest.raises(ValidationError) as raised:
            _plain(RowOut, rows)
        assert _without_input(raised.value.errors()) == _without_input(error.errors())
    else:
        assert _plain(RowOut, rows) == expected


def test_a_schema_without_a_plain_path_fails_when_the_list_is_declared():
    class Priced(Schema):
        price: float

    class Bounded(Schema):
        size: int = Field(..., ge=1)

    for schema in (Priced, Bounded):
        with pytest.raises(ConfigError):
            plain_rows(schema)


@pytest.mark.django_db
def test_a_session_api_call_asks_for_the_second_factor_once(make_user, login):
    """The middleware finds the session's second factor and notes it on the request; the API's
    session authenticator does not ask the database again (one query fewer per call)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(make_user("secretariat"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/deployments")
    assert response.status_code == 200
    assert sum("mfa_authenticator" in q["sql"] for q in queries.captured_queries) == 1


def test_a_page_is_written_with_the_values_ninjas_encoder_writes():
    """``plain.dumps`` (orjson) writes the values ``json.dumps(…, cls=NinjaJSONEncoder)`` writes:
    dates, datetimes (Django's milliseconds and "Z"), enumerations, lazy translations, non-ASCII
    text; an integer beyond 64 bits goes through the standard library."""
    from datetime import UTC, time
    from decimal import Decimal

    from django.utils.translation import gettext_lazy

    from ilonet.api.plain import dumps

    page = {
        "items": plain_rows(RowOut)([_row(), _row(id=9, label="Zürich – “quoted” \\ slash", flag=True)]),
        "when": datetime(2026, 12, 4, 3, 4, 5, 678901, tzinfo=UTC),
        "naive": datetime(2026, 12, 4, 3, 4, 5),
        "at": time(10, 11, 12),
        "colour": Colour.BLUE,
        "lazy": gettext_lazy("Search"),
        "amount": Decimal("1.50"),
        "big": 2**70,
        "nothing": None,
        "nested": {"a": [1, 2.5, True, False]},
    }
    expected = json.dumps(page, cls=NinjaJSONEncoder)
    assert json.dumps(json.loads(dumps(page))) == json.dumps(json.loads(expected))
    del page["big"]
    written = dumps(page)
    assert json.dumps(json.loads(written)) == json.dumps(json.loads(json.dumps(page, cls=NinjaJSONEncoder)))
    assert "Zürich".encode() in written  # UTF-8, not \\u escapes


def test_the_dict_writer_is_the_generic_writer():
    """A dict row is written by a function compiled per schema (``_dict_writer``), an object row
    by the generic writer: the same values; a dict row missing a key is not plain (it goes
    through ninja's validation, as ``_read`` sends it)."""
    from ilonet.api import plain

    inner = [{"code": "be", "note": None}, {"code": "lu", "note": "x"}]
    assert plain_rows(InnerOut)(inner) == plain_rows(InnerOut)([Thing(**row) for row in inner])
    assert plain_rows(InnerOut)(inner) == [InnerOut.model_validate(row).model_dump() for row in inner]
    write = plain._row_writer(RowOut)
    assert write(_row()) == RowOut.model_validate(_row()).model_dump()
    with pytest.raises(plain._NotPlain):
        write({k: v for k, v in _row().items() if k != "label"})
    with pytest.raises(plain._NotPlain):
        write(_row(label=7))
