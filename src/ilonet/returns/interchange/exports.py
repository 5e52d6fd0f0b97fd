"""Exports for a member state's return officers: the streamed response (a page's link or the
API) and the lines for the command line, each authorised and audited (``returns.cases_exported``:
who exported which member state's period, never the rows)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.http import StreamingHttpResponse

from ilonet import policy
from ilonet.audit.actions import AuditAction
from ilonet.audit.services import record
from ilonet.policy.markers import system_operation
from ilonet.shared.exports import text_response

from . import exporting, references

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
SHAPES = ("ilonet", *references.SHAPES)


def _lines(member_state: str, opened_from: date, opened_to: date, fmt: str, shape: str) -> Iterator[str]:
    if shape == "ilonet":
        return exporting.export_lines(
            member_state=member_state, opened_from=opened_from, opened_to=opened_to, fmt=fmt
        )
    return references.export_lines(
        shape=shape, member_state=member_state, opened_from=opened_from, opened_to=opened_to, fmt=fmt
    )


def _check(fmt: str, shape: str, opened_from: date, opened_to: date) -> None:
    if fmt not in CONTENT_TYPES:
        raise ValueError("format: csv or jsonl")
    if shape not in SHAPES:
        raise ValueError(f"shape: one of {', '.join(SHAPES)}")
    if opened_to < opened_from:
        raise ValueError("the period ends before it starts")


def export_response(
    *,
    actor: Any,
    member_state: str,
    opened_from: date,
    opened_to: date,
    fmt: str = "csv",
    shape: str = "ilonet",
) -> StreamingHttpResponse:
    """A return officer's export of their member state's cases opened in the period."""
    member_state = member_state.upper()
    policy.authorize(actor, policy.Action.VIEW_RETURN_CASES, member_state)
    _check(fmt, shape, opened_from, opened_to)
    _audit(actor, member_state, opened_from, opened_to, fmt, shape)
    name = f"return-cases-{member_state}-{opened_from.isoformat()}-{opened_to.isoformat()}-{shape}.{fmt}"
    return text_response(
        _lines(member_state, opened_from, opened_to, fmt, shape),
        filename=name,
        content_type=CONTENT_TYPES[fmt],
    )


@system_operation
def export_for_operator(
    *, member_state: str, opened_from: date, opened_to: date, fmt: str = "jsonl", shape: str = "ilonet"
) -> Iterator[str]:
    """The command line's export (``manage.py returns_export``), audited without a user."""
    member_state = member_state.upper()
    _check(fmt, shape, opened_from, opened_to)
    _audit(None, member_state, opened_from, opened_to, fmt, shape)
    return _lines(member_state, opened_from, opened_to, fmt, shape)


def _audit(actor: Any, member_state: str, opened_from: date, opened_to: date, fmt: str, shape: str) -> None:
    record(
        action=AuditAction.RETURN_CASES_EXPORTED,
        actor=actor,
        actor_label="" if actor else "manage.py",
        details={
            "member_state": member_state,
            "from": opened_from.isoformat(),
            "to": opened_to.isoformat(),
            "format": fmt,
            "shape": shape,
        },
    )
