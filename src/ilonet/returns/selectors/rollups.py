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


def is_case_of(member_state: str, reference: str) -> bool:
    """Whether ``reference`` names a return case of ``member_state`` (for the cooperation's link
    of a case to a shared place or seat, RS 2(b)): yes or no, nothing of the case itself."""
    code = member_state.upper()
    with rls.member_state_scope([code]):
        return ReturnCase.objects.filter(reference=reference, member_state=code).exists()


def states_with_open_cases(third_country: str, *, among: list[str]) -> set[str]:
    """The member states of ``among`` with at least one open return case to ``third_country``
    (RS 1: offers and flights reach the states that work on that country). One indexed probe per
    state, never a scan of the cases."""
    country = third_country.upper()
    found: set[str] = set()
    with rls.system_scope():
        for code in among:
            open_cases = ReturnCase.objects.filter(
                third_country=country, member_state=code.upper(), closed_on__isnull=True
            )
            if open_cases.exists():
                found.add(code.upper())
    return found


def keeps_cases_here(member_state: str) -> bool:
    """Whether ``member_state`` manages its return cases on the platform (it has at least one):
    a state that keeps its own system names its cases by its own references (RS 2(c))."""
    code = member_state.upper()
    with rls.member_state_scope([code]):
        return ReturnCase.objects.filter(member_state=code).exists()


def open_case_references(member_state: str, third_country: str, *, limit: int = 5) -> list[str]:
    """References (never a person) of a few open cases of a state to a country, oldest first: for
    the demo of the cooperation's links."""
    code = member_state.upper()
    with rls.member_state_scope([code]):
        cases = ReturnCase.objects.filter(
            member_state=code, third_country=third_country.upper(), closed_on__isnull=True
        )
        return list(cases.order_by("id").values_list("reference", flat=True)[:limit])
