"""Aggregates without personal data, for the return coordinator and the indicators (RS 1):
counts only, never a case, a reference or a person."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from ilonet import policy

from .. import rls
from ..models import Obstacle, ReturnCase

A = policy.Action


def obstacle_rollup(
    *, user: Any = None, member_state: str = "", third_country: str = ""
) -> list[dict[str, Any]]:
    """Open obstacles counted per member state, third country and kind (RS 1: obstacles flagged
    quickly and rolled up to the EU return coordinator). With ``user``, authorised as a reader
    of the return indicators; without, for other apps' jobs."""
    if user is not None:
        policy.authorize(user, A.VIEW_RETURN_INDICATORS)
    with rls.system_scope():
        qs = Obstacle.objects.filter(resolved_on__isnull=True)
        if member_state:
            qs = qs.filter(member_state=member_state.upper())
        if third_country:
            qs = qs.filter(third_country=third_country.upper())
        rows = (
            qs.values("member_state", "third_country", "kind")
            .annotate(count=Count("id"), on_cases=Count("case_id"))
            .order_by("member_state", "third_country", "kind")
        )
        return [dict(row) for row in rows]


def case_rollup(*, user: Any = None, member_state: str = "") -> list[dict[str, Any]]:
    """Cases counted per member state, case type, stage and status (no personal data)."""
    if user is not None:
        policy.authorize(user, A.VIEW_RETURN_INDICATORS)
    with rls.system_scope():
        qs = ReturnCase.objects.all()
        if member_state:
            qs = qs.filter(member_state=member_state.upper())
        rows = qs.values("member_state", "case_type", "stage", "status").annotate(count=Count("id"))
        return [dict(row) for row in rows.order_by("member_state", "case_type", "stage", "status")]
