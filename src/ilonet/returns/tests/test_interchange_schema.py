"""The interchange's JSON Schema (docs/returns-interchange.schema.json) is generated from the
registry of event kinds, and the importer reads what it describes."""

import json

import jsonschema
import pytest

from ilonet.returns.interchange import rows, schema

from .interchange_data import case_row, event_rows


def test_the_committed_schema_is_generated_from_the_registry():
    """Run ``manage.py returns_schema`` after changing an event kind or the format."""
    assert schema.path().read_text(encoding="utf-8") == schema.render()


def test_the_schema_accepts_the_documented_rows_and_refuses_a_wrong_field():
    validator = jsonschema.Draft202012Validator(json.loads(schema.render()))
    for row in [case_row("C1"), *event_rows("C1")]:
        validator.validate(row)
    bad = {**event_rows("C1")[1], "fields": {"voluntary_departure_days": "thirty"}}
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(bad)
    assert (
        set(schema.schema()["$defs"]["case"]["properties"])
        | set(schema.schema()["$defs"]["event"]["properties"])
        == rows.COLUMNS
    )
