"""Base schema: unknown fields in a request body are an error, not silently dropped. Shared
field types: ``StrictDate`` (ISO ``YYYY-MM-DD`` strings only) and ``SingleLine`` text."""

import re
from datetime import date
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, WithJsonSchema

from ilonet.shared.text import SingleLine

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    """Pydantic turns 0 into 1970-01-01 and 20260101 into a date: refuse every non-ISO form."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise ValueError("Use a date as an ISO string: YYYY-MM-DD.")


StrictDate = Annotated[
    date,
    BeforeValidator(_iso_date_only),
    WithJsonSchema({"type": "string", "format": "date"}),
]

__all__ = ["DetailOut", "SingleLine", "StrictDate", "StrictSchema", "ValidationErrorOut"]


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class ErrorItem(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    errors: list[ErrorItem]


class DetailOut(Schema):
    detail: str
