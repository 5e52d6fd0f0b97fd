"""Base schema: unknown fields in a request body are an error, not silently dropped."""

from ninja import Schema
from pydantic import ConfigDict


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class ErrorItem(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    errors: list[ErrorItem]


class DetailOut(Schema):
    detail: str
