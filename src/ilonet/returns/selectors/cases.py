"""Reading one case, lists of cases, and finding a case by reference or by name (RS 2(c))."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.personaldata import access as personal_data
from ilonet.personaldata import vault
from ilonet.personaldata.access import controller_id
from ilonet.shared.paging import PAGE_SIZE

from .. import identity, rls
from ..access import member_states_of
from ..events import KINDS, Kind
from ..machine import MACHINES, STAGES, STATUSES
from ..models import Approval, CaseEvent, CaseFlag, Obstacle, ReturnCase, WorklistEntry
from .paging import Page, keyset_page

A = policy.Action
CASE_COLUMNS = (
    "id",
    "reference",
    "member_state",
    "case_type",
    "third_country",
    "stage",
    "status",
    "on_hold",
    "opened_on",
    "closed_on",
    "version",
)


@dataclass
class CaseView:
    case: ReturnCase
    person: dict[str, Any] | None  # None once erased
    events: list[dict[str, Any]] = field(default_factory=list)
    approvals: list[dict[str, Any]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    worklist: list[dict[str, Any]] = field(default_factory=list)
    obstacles: list[dict[str, Any]] = field(default_factory=list)
    next_kinds: list[str] = field(default_factory=list)

    @property
    def stage_label(self) -> str:
        return str(STAGES.get(self.case.stage, self.case.stage))

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.case.status, self.case.status))


def _get(user: Any, reference: str, action: A) -> ReturnCase:
    policy.authorize(user, action)
    with rls.system_scope():  # to authorise the read: its member state decides
        case = ReturnCase.objects.get(reference=(reference or "").strip())
    policy.authorize(user, action, case)
    return case


def _dicts(rows: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


def log_case_read(user: Any, case: ReturnCase, *, fields: list[str], via: str) -> None:
    """One entry of the personal-data access log per read of a case (in the caller's scope)."""
    personal_data.log_read(
        user,
        obj=case,
        controller=controller_id(user),
        subject=case.person_ref,
        fields=fields,
        purpose="return",
        via=via,
        case=case.reference,
        member_state=case.member_state,
    )


def read_person(user: Any, case: ReturnCase, *, via: str) -> dict[str, Any] | None:
    """The case's person opened from its seal (None once erased), and the read written to the
    access log of personal data (the fields read, never their values; none once erased). Call it
    in the reader's scope, on a case the reader was authorised to view."""
    try:
        person = identity.open_identity(case.person_ref, case.identity_sealed)
    except vault.KeyDestroyed:
        person = None
    log_case_read(user, case, fields=list(identity.FIELDS) if person else [], via=via)
    return person


def next_kinds(case: ReturnCase) -> list[str]:
    """The kinds an officer may record next in the case's state (the table; the timeline's
    rules are checked when recorded)."""
    machine = MACHINES[case.case_type]
    return [k.value for k in Kind if KINDS[k].manual and machine.target(case.state, k) is not None]


def case_detail(*, user: Any, reference: str, via: str = "page") -> CaseView:
    """The case with its person (opened from its seal), timeline, approvals, flags, worklist
    rules and obstacles; logged in the access log. ``ObjectDoesNotExist`` for an unknown
    reference, ``PermissionDenied`` (audited) for another member state's case."""
    case = _get(user, reference, A.VIEW_RETURN_CASES)
    with rls.scope_for(user):
        case = ReturnCase.objects.get(pk=case.pk)
        person = read_person(user, case, via=via)
        events = _dicts(
            CaseEvent.objects.filter(case=case)
            .order_by("seq")
            .values(
                "seq",
                "kind",
                "occurred_on",
                "fields",
                "supersedes_seq",
                "needs_approval",
                "recorded_at",
                "recorded_by__email",
                "approval__id",
                "approval__status",
            )
        )
        approvals = _dicts(
            Approval.objects.filter(case=case)
            .order_by("id")
            .values(
                "id",
                "step",
                "status",
                "event__seq",
                "requested_by_id",
                "requested_at",
                "decided_by_id",
                "decided_at",
                "reason",
                "revoked_at",
                "revoke_reason",
            )
        )
        flags = list(
            CaseFlag.objects.filter(case=case, cleared_at__isnull=True).values_list("kind", flat=True)
        )
        worklist = _dicts(WorklistEntry.objects.filter(case=case).values("rule", "since", "due_on"))
        obstacles = _dicts(
            Obstacle.objects.filter(case=case).values("id", "kind", "flagged_on", "resolved_on")
        )
    superseded = {e["supersedes_seq"] for e in events if e["supersedes_seq"]}
    for e in events:
        e["superseded"] = e["seq"] in superseded
        e["label"] = str(KINDS[Kind(e["kind"])].label)
    return CaseView(
        case=case,
        person=person,
        events=events,
        approvals=approvals,
        flags=flags,
        worklist=worklist,
        obstacles=obstacles,
        next_kinds=next_kinds(case),
    )


def _rows(objects: list[ReturnCase]) -> list[dict[str, Any]]:
    return [{c: getattr(o, c) for c in CASE_COLUMNS} for o in objects]


def case_list(
    *,
    user: Any,
    stage: str = "",
    status: str = "",
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """The user's member states' cases, newest first, by keyset pages (index
    ``member_state, opened_on, id``); no person data; the page is logged."""
    policy.authorize(user, A.VIEW_RETURN_CASES)
    with rls.scope_for(user):
        qs: QuerySet = policy.scope(user, A.VIEW_RETURN_CASES, ReturnCase.objects.all())
        if stage:
            qs = qs.filter(stage=stage)
        if status:
            qs = qs.filter(status=status)
        objects, page = keyset_page(
            qs.order_by("-opened_on", "-id").only(*CASE_COLUMNS), after=after, before=before, size=size
        )
        _log_list(user, objects, via="case_list")
    return Page(rows=_rows(objects), next_cursor=page.next_cursor, previous_cursor=page.previous_cursor)


def _log_list(user: Any, cases: list[Any], *, via: str) -> None:
    if cases:
        personal_data.log_read(
            user,
            obj=None,
            controller=controller_id(user),
            subject="",
            fields=["reference", "stage", "status"],
            purpose="return",
            via=via,
            cases=[getattr(c, "reference", None) or c for c in cases],
        )


def find_by_reference(*, user: Any, reference: str) -> str | None:
    """The reference of the user's member states' case with that reference, or None."""
    policy.authorize(user, A.VIEW_RETURN_CASES)
    with rls.scope_for(user):
        qs = policy.scope(user, A.VIEW_RETURN_CASES, ReturnCase.objects.all())
        return qs.filter(reference=(reference or "").strip()).values_list("reference", flat=True).first()


def search_by_name(*, user: Any, name: str, via: str = "search") -> list[dict[str, Any]]:
    """Cases of the user's member states whose person has this name (or this word of a name),
    through the blind index (``vault.name_digest``): at most 50, no name stored or logged."""
    policy.authorize(user, A.SEARCH_RETURN_CASES)
    digest = vault.name_digest(name or "")
    if not digest:
        return []
    states = sorted(member_states_of(user))
    with rls.scope_for(user):
        ids = ReturnCase.objects.filter(
            digests__member_state__in=states, digests__digest=digest, member_state__in=states
        ).values_list("id", flat=True)[:50]
        objects = list(
            ReturnCase.objects.filter(pk__in=list(ids)).order_by("-opened_on", "-id").only(*CASE_COLUMNS)
        )
        audit.record(
            action=AuditAction.RETURN_CASES_SEARCHED,
            actor=user,
            details={"member_states": states, "found": len(objects), "via": via},
        )
        _log_list(user, objects, via=via)
    return _rows(objects)


__all__ = ["ObjectDoesNotExist"]
