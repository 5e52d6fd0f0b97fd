"""The worklist of stalled cases (RS 2(a): no gaps between stages) and the steps waiting for
approval, by keyset pages through their indexes (no whole-table scan at any size)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from ilonet import policy
from ilonet.shared.paging import PAGE_SIZE

from .. import rls
from ..models import Approval, ApprovalStatus, WorklistEntry, WorklistRule
from .cases import _log_list
from .paging import Page, keyset_page

A = policy.Action


def worklist(
    *,
    user: Any,
    rule: str = "",
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
    today: date | None = None,
    member_state: str = "",
) -> Page:
    """The user's member states' cases that stall, oldest due first: each row a case under one
    rule (``models.WorklistRule``) whose delay (settings) has run out by ``today``. Read through
    the index ``member_state, due_on, id`` (or ``member_state, rule, due_on, id``)."""
    policy.authorize(user, A.VIEW_RETURN_CASES)
    today = today or timezone.localdate()
    with rls.scope_for(user):
        qs = policy.scope(user, A.VIEW_RETURN_CASES, WorklistEntry.objects.all())
        if member_state:
            qs = qs.filter(member_state=member_state.upper())
        if rule:
            qs = qs.filter(rule=rule)
        qs = qs.filter(due_on__lte=today).select_related("case").order_by("due_on", "id")
        objects, page = keyset_page(qs, after=after, before=before, size=size)
        _log_list(user, [o.case for o in objects], via="worklist")
    rows = [
        {
            "reference": o.case.reference,
            "member_state": o.member_state,
            "rule": o.rule,
            "rule_label": str(WorklistRule(o.rule).label),
            "since": o.since,
            "due_on": o.due_on,
            "case_type": o.case.case_type,
            "stage": o.case.stage,
            "status": o.case.status,
            "third_country": o.case.third_country,
            "version": o.case.version,
        }
        for o in objects
    ]
    return Page(rows=rows, next_cursor=page.next_cursor, previous_cursor=page.previous_cursor)


def approvals_waiting(
    *, user: Any, after: str | None = None, before: str | None = None, size: int = PAGE_SIZE
) -> Page:
    """Steps of the user's member states' cases waiting for a second person, oldest first; the
    user's own requests are listed too (they cannot decide them: the page says so)."""
    policy.authorize(user, A.APPROVE_RETURN_STEPS)
    with rls.scope_for(user):
        qs = policy.scope(
            user, A.APPROVE_RETURN_STEPS, Approval.objects.filter(status=ApprovalStatus.REQUESTED)
        )
        qs = qs.select_related("case", "event").order_by("id")
        objects, page = keyset_page(qs, after=after, before=before, size=size)
        _log_list(user, [o.case for o in objects], via="approvals")
    rows = [
        {
            "id": o.pk,
            "reference": o.case.reference,
            "step": o.step,
            "seq": o.event.seq,
            "occurred_on": o.event.occurred_on,
            "fields": o.event.fields,
            "requested_at": o.requested_at,
            "requested_by_id": o.requested_by_id,
            "own_request": o.requested_by_id == user.pk,
            "version": o.case.version,
        }
        for o in objects
    ]
    return Page(rows=rows, next_cursor=page.next_cursor, previous_cursor=page.previous_cursor)
