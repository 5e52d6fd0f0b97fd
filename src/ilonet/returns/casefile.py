"""What the return case pages and the API read (RS 2(a), RS 2(c)): the worklist, the case list,
one case file with its timeline, search. The presentation layer's reads, beside the core's
``selectors``: every function asks the policy first (``VIEW_RETURN_CASES``; a case of another
member state is ``ReturnCase.DoesNotExist``, a 404, never a 403 that would confirm it exists)
and reads rows the policy scopes; callers run them inside ``rls.scope_for(user)`` so that on
PostgreSQL the row-level security agrees (``in_scope``).

Opening a case file reads the person's identity: every such read writes one entry of the access
log of personal data (``personaldata.record_read``, naming the case and the fields read, never
their values), in the reader's transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.personaldata import access as personal_data
from ilonet.personaldata.access import controller_id

from . import rls, selectors
from .access import member_states_of
from .events import KINDS, Kind, kind_of
from .machine import STAGES, STATUSES
from .models import Approval, ApprovalStatus, CaseEvent, CaseFlag, ReturnCase, WorklistEntry

A = policy.Action
SEARCH_LIMIT = 50


def in_scope(action: policy.Action) -> Callable:
    """Ask the policy for ``action`` (outside any transaction, so that a refusal's audit event
    stays), then run the view or API operation inside the row scope of the user's member
    states."""

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            policy.authorize(request.user, action)
            with rls.scope_for(request.user):
                return fn(request, *args, **kwargs)

        return wrapper

    return decorate


def member_states(user: Any) -> list[str]:
    return sorted(member_states_of(user))


def cases(
    user: Any, *, case_type: str = "", stage: str = "", status: str = "", third_country: str = ""
) -> QuerySet[ReturnCase]:
    """The user's member states' cases, newest first (a keyset ordering)."""
    policy.authorize(user, A.VIEW_RETURN_CASES)
    rows = policy.scope(user, A.VIEW_RETURN_CASES, ReturnCase.objects.all())
    if case_type:
        rows = rows.filter(case_type=case_type)
    if stage:
        rows = rows.filter(stage=stage)
    if status:
        rows = rows.filter(status=status)
    if third_country:
        rows = rows.filter(third_country=third_country.upper())
    return rows.order_by("-opened_on", "-id")


def worklist(
    user: Any,
    *,
    rule: str = "",
    stage: str = "",
    status: str = "",
    third_country: str = "",
    due_by: Any = None,
) -> QuerySet[WorklistEntry]:
    """Stalled cases, each with the rule it stalls under whose delay has run out by ``due_by``
    (today), the earliest due first (RS 2(a))."""
    policy.authorize(user, A.VIEW_RETURN_CASES)
    rows = policy.scope(user, A.VIEW_RETURN_CASES, WorklistEntry.objects.select_related("case"))
    if rule:
        rows = rows.filter(rule=rule)
    if stage:
        rows = rows.filter(case__stage=stage)
    if status:
        rows = rows.filter(case__status=status)
    if third_country:
        rows = rows.filter(case__third_country=third_country.upper())
    rows = rows.filter(due_on__lte=due_by or timezone.localdate())
    return rows.order_by("due_on", "id")


def open_flags(case_ids: list[int]) -> dict[int, list[str]]:
    """The flags set on each case of a page (one query)."""
    found: dict[int, list[str]] = {}
    for case_id, kind in (
        CaseFlag.objects.filter(case_id__in=case_ids, cleared_at__isnull=True)
        .order_by("kind")
        .values_list("case_id", "kind")
    ):
        found.setdefault(case_id, []).append(kind)
    return found


def case_for(user: Any, reference: str, action: policy.Action = A.VIEW_RETURN_CASES) -> ReturnCase:
    """The case, if the user works on its member state; ``ReturnCase.DoesNotExist`` otherwise."""
    policy.authorize(user, action)
    rows = policy.scope(user, action, ReturnCase.objects.all())
    return rows.get(reference=str(reference)[:40])


def approval_for(user: Any, reference: str, pk: int) -> Approval:
    policy.authorize(user, A.APPROVE_RETURN_STEPS)
    rows = policy.scope(user, A.APPROVE_RETURN_STEPS, Approval.objects.select_related("case", "event"))
    return rows.get(pk=int(pk), case__reference=str(reference)[:40])


@dataclass
class TimelineRow:
    event: CaseEvent
    label: str
    values: list[tuple[str, str]]
    superseded_by: int | None = None
    approval: Approval | None = None

    @property
    def takes_effect(self) -> bool:
        if self.superseded_by is not None or self.event.kind == Kind.RETRACTED:
            return False
        return self.approval is None or self.approval.status == ApprovalStatus.APPROVED


@dataclass
class CaseFile:
    case: ReturnCase
    identity: dict[str, Any] | None
    timeline: list[TimelineRow]
    waiting: list[Approval]
    flags: list[CaseFlag]
    worklist: list[WorklistEntry]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def stage_label(self) -> str:
        return str(STAGES.get(self.case.stage, self.case.stage))

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.case.status, self.case.status))


def _display(spec_field: Any, value: Any) -> str:
    if spec_field.type == "bool":
        return _("yes") if value else _("no")
    if spec_field.type == "choice":
        return str(dict(spec_field.choices).get(value, value))
    return str(value)


def timeline(case: ReturnCase) -> list[TimelineRow]:
    """Every event, newest last, with its approval and whether a later event supersedes it: one
    query, whatever the length of the timeline (the approval and both persons joined to each
    event)."""
    events = list(
        CaseEvent.objects.filter(case=case)
        .select_related("recorded_by", "approval", "approval__requested_by")
        .order_by("seq")
    )
    approvals: dict[int, Approval] = {}
    superseded: dict[int, int] = {}
    for e in events:
        approval = getattr(e, "approval", None)  # joined (None without one): no query
        if approval is not None:
            approval.event = e  # its event is this one: nothing read later outside the row scope
            approval.case = case
            approvals[e.id] = approval
        if e.supersedes_seq and (approval is None or approval.status == ApprovalStatus.APPROVED):
            superseded.setdefault(e.supersedes_seq, e.seq)
    rows = []
    for e in events:
        spec = KINDS.get(Kind(e.kind)) if e.kind in Kind._value2member_map_ else None
        values = (
            [(str(f.label), _display(f, e.fields[f.name])) for f in spec.fields if f.name in e.fields]
            if spec
            else []
        )
        rows.append(
            TimelineRow(
                event=e,
                label=str(spec.label) if spec else e.kind,
                values=values,
                superseded_by=superseded.get(e.seq),
                approval=approvals.get(e.id),
            )
        )
    return rows


def log_list(user: Any, cases: list[ReturnCase], *, via: str) -> None:
    """The access-log entry of a page that lists cases (references, stage and status, no person),
    as the core's selectors write it."""
    if cases:
        personal_data.log_read(
            user,
            obj=None,
            controller=controller_id(user),
            subject="",
            fields=["reference", "stage", "status"],
            purpose="return",
            via=via,
            cases=[c.reference for c in cases],
        )


def open_case(user: Any, reference: str, *, via: str) -> CaseFile:
    """One case file: the person through the core's audited read (``selectors.read_person``:
    one entry of the access log per read), stage and status derived from the timeline, the
    timeline with superseded events marked, approvals waiting, flags, worklist entries. A case
    of another member state is ``ReturnCase.DoesNotExist`` before anything is read.

    A fixed number of queries whatever the length of the timeline: the case, the timeline with
    its approvals, the flags, the worklist entries, and the access log's entry. Callers run it
    inside ``rls.scope_for(user)``, as every read of this module."""
    case = case_for(user, reference)
    policy.authorize(user, A.VIEW_RETURN_CASES, case)
    person = selectors.read_person(user, case, via=via)
    rows = timeline(case)
    flags = list(CaseFlag.objects.filter(case=case, cleared_at__isnull=True).order_by("kind"))
    entries = list(WorklistEntry.objects.filter(case=case).order_by("due_on", "id"))
    return CaseFile(
        case=case,
        identity=person,
        timeline=rows,
        waiting=[r.approval for r in rows if r.approval and r.approval.status == ApprovalStatus.REQUESTED],
        flags=flags,
        worklist=entries,
    )


def search(user: Any, text: str, *, via: str) -> list[ReturnCase]:
    """Cases by reference (exact, or its beginning), else by a name through the core's blind
    index (``selectors.search_by_name``: keyed digests, the name never stored or logged; the
    search is audited)."""
    policy.authorize(user, A.SEARCH_RETURN_CASES)
    text = " ".join((text or "").split())[:100]
    if not text:
        return []
    scoped = policy.scope(user, A.VIEW_RETURN_CASES, ReturnCase.objects.all())
    found = list(scoped.filter(reference__istartswith=text).order_by("reference")[:SEARCH_LIMIT])
    if found:
        log_list(user, found, via=via)
        return found
    references = [row["reference"] for row in selectors.search_by_name(user=user, name=text, via=via)]
    return list(scoped.filter(reference__in=references).order_by("-opened_on", "-id"))


def kind_label(kind: str) -> str:
    return str(kind_of(kind).label)


@dataclass(frozen=True)
class RuleCount:
    rule: str
    label: str
    count: int
    more: bool  # more than ``count`` (the count is capped)


def worklist_counts(user: Any, *, cap: int = 999) -> tuple[list[RuleCount], RuleCount]:
    """The home page's counts: stalled cases per worklist rule and steps waiting for approval,
    each counted at most to ``cap`` (one LIMITed count per rule, whatever the size)."""
    from ilonet.shared.paging import bounded_count

    from .models import WorklistRule

    policy.authorize(user, A.VIEW_RETURN_CASES)
    with rls.scope_for(user):
        due = worklist(user)
        counts = []
        for rule in WorklistRule:
            counted = bounded_count(due.filter(rule=rule.value), cap=cap)
            if counted.value:
                counts.append(RuleCount(rule.value, str(rule.label), counted.value, counted.is_estimate))
        waiting = policy.scope(
            user, A.VIEW_RETURN_CASES, Approval.objects.filter(status=ApprovalStatus.REQUESTED)
        )
        counted = bounded_count(waiting.exclude(requested_by=user), cap=cap)
    return counts, RuleCount("approvals", "", counted.value, counted.is_estimate)
