"""API of return case management (RS 2(a), RS 2(b), RS 2(c)), for the member states' return
officers and the national systems that keep their own case files: the worklist, the cases, one
case file (its identity read is in the access log), recording events, approvals, flags, the
hold, search by reference or by name (POST: a name never travels in a URL); the imports of a
member state's cases with their progress and refused rows (each reason a stable ``code`` with
its ``params``, and in words in the language asked), and the review queue of suspected
duplicate persons (merge or separate).

A case of another member state is a 404. Every writing operation takes the case's ``version``
as the caller read it: a stale one is refused with **409** and the change made first
(``current_version``, ``change``, ``errors``); other refusals are 422 with the fields named.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import BoundedPagination
from ilonet.api.plain import paginate_plain
from ilonet.api.routing import PolicyRouter
from ilonet.api.schemas import SingleLine, StrictDate, StrictSchema

from . import casefile, rls
from .events import KINDS, json_schema
from .interchange import selectors as interchange_selectors
from .interchange import services as interchange_services
from .models import Approval, CaseType, FlagKind, ReturnCase, WorklistRule
from .services import approvals as approval_services
from .services import cases as case_services
from .services import flags as flag_services
from .services import timeline as timeline_services

router = PolicyRouter(tags=["return cases"])
A = policy.Action
PAGE = 50


class CaseOut(Schema):
    reference: str
    member_state: str
    case_type: str
    third_country: str
    stage: str
    status: str
    on_hold: bool
    opened_on: date
    closed_on: date | None
    outcome: str
    version: int
    flags: list[str] = []

    @staticmethod
    def resolve_flags(obj: Any) -> list[str]:
        return getattr(obj, "open_flags", [])


class WorklistOut(Schema):
    rule: str
    since: date
    due_on: date
    case: CaseOut


class EventOut(Schema):
    seq: int
    kind: str
    occurred_on: date
    fields: dict[str, Any]
    supersedes: int | None = Field(None, alias="supersedes_seq")
    superseded_by: int | None = None
    approval: str | None = None
    recorded_at: datetime


class ApprovalOut(Schema):
    id: int
    step: str
    seq: int
    status: str
    requested_by_id: int | None
    requested_at: datetime
    decided_at: datetime | None
    reason: str
    revoke_reason: str

    @staticmethod
    def resolve_seq(obj: Any) -> int:
        return obj.event.seq


class CaseFileOut(CaseOut):
    identity: dict[str, Any] | None
    timeline: list[EventOut]
    approvals_waiting: list[ApprovalOut]
    worklist: list[dict[str, Any]]


class EventKindOut(Schema):
    kind: str
    label: str
    needs_approval: bool
    recorded_by_hand: bool
    basis: str
    fields: dict[str, Any]


class VersionIn(StrictSchema):
    version: int = Field(..., ge=0, description="The case's version as you read it")


class ReasonIn(VersionIn):
    reason: SingleLine = Field(..., max_length=300)


class FlagIn(VersionIn):
    kind: FlagKind


class EventIn(VersionIn):
    kind: str = Field(..., max_length=40)
    occurred_on: StrictDate | None = None
    fields: dict[str, Any] = {}
    supersedes: int | None = Field(None, ge=1)


class CaseNameIn(StrictSchema):
    family: SingleLine = Field(..., max_length=100)
    given: SingleLine = Field("", max_length=100)
    script: str = "latin"


class IdentityDocumentIn(StrictSchema):
    type: str = "passport"
    number: SingleLine = Field(..., max_length=40)
    issuing_country: str = Field("", max_length=2)
    valid_until: StrictDate | None = None


class PersonIn(StrictSchema):
    names: list[CaseNameIn] = Field(..., max_length=10)
    birth_date: StrictDate | None = None
    birth_place: SingleLine = Field("", max_length=100)
    nationalities: list[str] = Field([], max_length=5)
    documents: list[IdentityDocumentIn] = Field([], max_length=10)


class OpenCaseIn(StrictSchema):
    case_type: CaseType
    third_country: str = Field(..., min_length=2, max_length=2)
    member_state: str = Field("", max_length=2)
    opened_on: StrictDate | None = None
    reference: SingleLine = Field("", max_length=40)
    person: PersonIn


class CaseSearchIn(StrictSchema):
    q: SingleLine = Field(..., min_length=1, max_length=100, description="A reference or a name")


class StaleOut(Schema):
    detail: str
    current_version: int | None
    change: str | None
    errors: list[dict[str, str]]


def _case(request: Any, reference: str, action: policy.Action = A.VIEW_RETURN_CASES) -> ReturnCase:
    with rls.scope_for(request.user):
        try:
            return casefile.case_for(request.user, reference, action)
        except ReturnCase.DoesNotExist:
            raise Http404 from None


def _approval(request: Any, reference: str, pk: int) -> Approval:
    with rls.scope_for(request.user):
        try:
            return casefile.approval_for(request.user, reference, pk)
        except Approval.DoesNotExist:
            raise Http404 from None


def _stale(error: ValidationError) -> Status | None:
    """A refusal for a stale version, as 409 with the change made first."""
    if not (
        hasattr(error, "current_version") or (hasattr(error, "error_dict") and "version" in error.error_dict)
    ):
        return None
    messages = (
        error.message_dict.get("version", error.messages) if hasattr(error, "error_dict") else error.messages
    )
    return Status(
        409,
        {
            "detail": " ".join(messages),
            "current_version": getattr(error, "current_version", None),
            "change": getattr(error, "change", None),
            "errors": [{"field": "version", "message": m} for m in messages],
        },
    )


def _written(request: Any, reference: str, call: Any, status: int = 200) -> Any:
    try:
        call()
    except ValidationError as error:
        stale = _stale(error)
        if stale is None:
            raise
        return stale
    return Status(status, _case_out(request, reference))


def _case_out(request: Any, reference: str) -> ReturnCase:
    with rls.scope_for(request.user):
        case = casefile.case_for(request.user, reference)
        case.open_flags = casefile.open_flags([case.pk]).get(case.pk, [])  # type: ignore[attr-defined]
        return case


def _with_flags(cases: list[ReturnCase]) -> None:
    flags = casefile.open_flags([c.pk for c in cases])
    for case in cases:
        case.open_flags = flags.get(case.pk, [])  # type: ignore[attr-defined]


@router.get("/worklist", action=A.VIEW_RETURN_CASES, response=list[WorklistOut])
@casefile.in_scope(A.VIEW_RETURN_CASES)
@paginate_plain(WorklistOut, page_size=PAGE, prepare=lambda rows: _with_flags([r.case for r in rows]))
def list_worklist(
    request, rule: WorklistRule | None = None, stage: str = "", status: str = "", third_country: str = ""
):
    """Cases that stall (RS 2(a)), the earliest due first, with the rule each stalls under."""
    return casefile.worklist(
        request.user, rule=rule or "", stage=stage[:40], status=status[:40], third_country=third_country[:2]
    )


@router.get("/cases", action=A.VIEW_RETURN_CASES, response=list[CaseOut])
@casefile.in_scope(A.VIEW_RETURN_CASES)
@paginate_plain(CaseOut, page_size=PAGE, prepare=_with_flags)
def list_cases(
    request, case_type: CaseType | None = None, stage: str = "", status: str = "", third_country: str = ""
):
    """The member state's cases, newest first; no personal data."""
    return casefile.cases(
        request.user,
        case_type=case_type or "",
        stage=stage[:40],
        status=status[:40],
        third_country=third_country[:2],
    )


@router.post("/cases", action=A.RECORD_RETURN_EVENTS, response={201: CaseOut})
def open_case(request, payload: OpenCaseIn):
    """Open a case for a person (identity sealed with the person's own key)."""
    data = payload.dict()
    case = case_services.open_case(
        actor=request.user,
        case_type=data["case_type"],
        third_country=data["third_country"].upper(),
        person=data["person"],
        member_state=data["member_state"],
        opened_on=data["opened_on"],
        reference=data["reference"],
    )
    return Status(201, _case_out(request, case.reference))


@router.post("/cases/search", action=A.SEARCH_RETURN_CASES, response=list[CaseOut])
def search_cases(request, payload: CaseSearchIn):
    """By reference (or its beginning) or by a name through the blind index: the first page of
    matches (no name in a URL, so no cursor)."""
    with rls.scope_for(request.user):
        found = casefile.search(request.user, payload.q, via="api")
        _with_flags(found)
    return found


@router.get("/cases/{reference}", action=A.VIEW_RETURN_CASES, response=CaseFileOut)
def get_case(request, reference: str):
    """One case file: identity (this read is in the access log of personal data), stage and
    status derived from the timeline, the timeline with superseded events marked, approvals
    waiting, flags, worklist entries."""
    with rls.scope_for(request.user):
        try:
            file = casefile.open_case(request.user, reference, via="api")
        except ReturnCase.DoesNotExist:
            raise Http404 from None
        case = file.case
        case.open_flags = [f.kind for f in file.flags]  # type: ignore[attr-defined]
        out = CaseOut.from_orm(case).dict()
        out.update(
            identity=file.identity,
            timeline=[
                {
                    "seq": r.event.seq,
                    "kind": r.event.kind,
                    "occurred_on": r.event.occurred_on,
                    "fields": r.event.fields,
                    "supersedes_seq": r.event.supersedes_seq,
                    "superseded_by": r.superseded_by,
                    "approval": r.approval.status if r.approval else None,
                    "recorded_at": r.event.recorded_at,
                }
                for r in file.timeline
            ],
            approvals_waiting=file.waiting,
            worklist=[{"rule": w.rule, "since": w.since, "due_on": w.due_on} for w in file.worklist],
        )
        return out


@router.get("/event-kinds", action=A.VIEW_RETURN_CASES, response=list[EventKindOut])
def list_event_kinds(request):
    """Every kind of event with the JSON Schema of its fields (a fixed list declared in code)."""
    return [
        {
            "kind": k.value,
            "label": str(e.label),
            "needs_approval": e.approval,
            "recorded_by_hand": e.manual,
            "basis": e.basis,
            "fields": json_schema(k.value),
        }
        for k, e in KINDS.items()
    ]


@router.post(
    "/cases/{reference}/events", action=A.RECORD_RETURN_EVENTS, response={201: CaseOut, 409: StaleOut}
)
def record_event(request, reference: str, payload: EventIn):
    """Append an event with exactly its kind's fields; 409 when the case changed since ``version``."""
    case = _case(request, reference, A.RECORD_RETURN_EVENTS)
    return _written(
        request,
        reference,
        lambda: timeline_services.record_event(
            actor=request.user,
            case=case,
            kind=payload.kind,
            fields=payload.fields,
            occurred_on=payload.occurred_on,
            version=payload.version,
            supersedes=payload.supersedes,
        ),
        status=201,
    )


def _decide(request: Any, reference: str, pk: int, call: Any) -> Any:
    approval = _approval(request, reference, pk)
    return _written(request, reference, lambda: call(approval))


@router.post(
    "/cases/{reference}/approvals/{pk}/approve",
    action=A.APPROVE_RETURN_STEPS,
    response={200: CaseOut, 409: StaleOut},
)
def approve_step(request, reference: str, pk: int, payload: VersionIn):
    """Approve a requested step (never by its requester): its event takes effect."""
    return _decide(
        request,
        reference,
        pk,
        lambda a: approval_services.approve_step(actor=request.user, approval=a, version=payload.version),
    )


@router.post(
    "/cases/{reference}/approvals/{pk}/refuse",
    action=A.APPROVE_RETURN_STEPS,
    response={200: CaseOut, 409: StaleOut},
)
def refuse_step(request, reference: str, pk: int, payload: ReasonIn):
    return _decide(
        request,
        reference,
        pk,
        lambda a: approval_services.refuse_step(
            actor=request.user, approval=a, reason=payload.reason, version=payload.version
        ),
    )


@router.post(
    "/cases/{reference}/approvals/{pk}/revoke",
    action=A.APPROVE_RETURN_STEPS,
    response={200: CaseOut, 409: StaleOut},
)
def revoke_approval(request, reference: str, pk: int, payload: ReasonIn):
    return _decide(
        request,
        reference,
        pk,
        lambda a: approval_services.revoke_approval(
            actor=request.user, approval=a, reason=payload.reason, version=payload.version
        ),
    )


@router.post(
    "/cases/{reference}/flags", action=A.RECORD_RETURN_EVENTS, response={201: CaseOut, 409: StaleOut}
)
def set_flag(request, reference: str, payload: FlagIn):
    case = _case(request, reference, A.RECORD_RETURN_EVENTS)
    return _written(
        request,
        reference,
        lambda: flag_services.set_flag(
            actor=request.user, case=case, kind=payload.kind, version=payload.version
        ),
        status=201,
    )


@router.post(
    "/cases/{reference}/flags/{kind}/clear",
    action=A.RECORD_RETURN_EVENTS,
    response={200: CaseOut, 409: StaleOut},
)
def clear_flag(request, reference: str, kind: FlagKind, payload: VersionIn):
    case = _case(request, reference, A.RECORD_RETURN_EVENTS)
    return _written(
        request,
        reference,
        lambda: flag_services.clear_flag(actor=request.user, case=case, kind=kind, version=payload.version),
    )


@router.post(
    "/cases/{reference}/hold/release", action=A.RECORD_RETURN_EVENTS, response={200: CaseOut, 409: StaleOut}
)
def release_hold(request, reference: str, payload: VersionIn):
    case = _case(request, reference, A.RECORD_RETURN_EVENTS)
    return _written(
        request,
        reference,
        lambda: timeline_services.record_event(
            actor=request.user, case=case, kind="hold_released", version=payload.version
        ),
    )


# --- imports and the review queue of suspected duplicate persons --------------------------------


class ImportRunOut(Schema):
    id: int
    member_state: str
    file_name: str
    file_format: str
    status: str = Field(..., description="running, completed or failed (stopped, can be resumed)")
    failure: str
    lines_done: int = Field(..., alias="checkpoint_line")
    total_lines: int | None
    batches: int
    cases_created: int
    events_created: int
    rows_unchanged: int
    rows_rejected: int
    duplicates_suspected: int
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None


class ImportProgressOut(ImportRunOut):
    share_done: float | None = Field(None, description="From 0 to 1, when the file's lines are known")
    status_label: str


class ImportRowErrorOut(Schema):
    line: int
    external_id: str
    code: str = Field(..., description="The reason's stable code (docs/returns-interchange.md)")
    params: dict[str, Any]
    reason: str = Field(..., description="The reason in words, in the language asked (Accept-Language)")


class DuplicateSuspectOut(Schema):
    id: int
    case: str
    match: str
    run_id: int | None
    status: str
    created_at: datetime

    @staticmethod
    def resolve_case(obj: Any) -> str:
        return obj.case.reference

    @staticmethod
    def resolve_match(obj: Any) -> str:
        return obj.match.reference


class DuplicateDecisionIn(StrictSchema):
    reason: SingleLine = Field("", max_length=300)


def _run_of(request: Any, run_id: int) -> Any:
    run = interchange_selectors.run_of(actor=request.user, run_id=run_id)
    if run is None:
        raise Http404
    return run


@router.get("/imports", action=A.VIEW_RETURN_CASES, response=list[ImportRunOut])
@casefile.in_scope(A.VIEW_RETURN_CASES)
@paginate(BoundedPagination, page_size=PAGE)
def list_imports(request):
    """The imports of the member state's return cases, newest first."""
    return interchange_selectors.runs_query(actor=request.user)


@router.get("/imports/{run_id}", action=A.VIEW_RETURN_CASES, response=ImportProgressOut)
@casefile.in_scope(A.VIEW_RETURN_CASES)
def get_import(request, run_id: int):
    """One import and its progress (poll it while ``status`` is ``running``)."""
    run = _run_of(request, run_id)
    progress = interchange_selectors.progress_of(run)
    run.share_done, run.status_label = progress["share_done"], progress["status_label"]  # type: ignore[attr-defined]
    return run


@router.get("/imports/{run_id}/errors", action=A.VIEW_RETURN_CASES, response=list[ImportRowErrorOut])
@casefile.in_scope(A.VIEW_RETURN_CASES)
@paginate(BoundedPagination, page_size=PAGE)
def list_import_errors(request, run_id: int):
    """The rows one import refused, by line: a stable ``code``, its ``params`` and the
    ``reason`` in words in the language asked."""
    run = _run_of(request, run_id)
    return interchange_selectors.row_errors_query(actor=request.user, run_id=run.pk)


@router.get("/duplicates", action=A.VIEW_RETURN_CASES, response=list[DuplicateSuspectOut])
@casefile.in_scope(A.VIEW_RETURN_CASES)
@paginate(BoundedPagination, page_size=PAGE)
def list_duplicates(request):
    """The open suspected duplicate persons of the member state, oldest first."""
    return interchange_selectors.duplicates_query(actor=request.user)


def _decide_duplicate(request: Any, suspect_id: int, decide: Any, reason: str) -> Any:
    suspect = interchange_selectors.duplicate_of(actor=request.user, suspect_id=suspect_id)
    if suspect is None:
        raise Http404
    decided = decide(actor=request.user, suspect=suspect, reason=reason)
    return interchange_selectors.duplicate_of(actor=request.user, suspect_id=decided.pk)


@router.post("/duplicates/{suspect_id}/merge", action=A.RECORD_RETURN_EVENTS, response=DuplicateSuspectOut)
def merge_duplicate(request, suspect_id: int, payload: DuplicateDecisionIn):
    """The two cases are one person's: they are linked, each keeps its timeline."""
    return _decide_duplicate(request, suspect_id, interchange_services.merge_duplicate, payload.reason)


@router.post("/duplicates/{suspect_id}/separate", action=A.RECORD_RETURN_EVENTS, response=DuplicateSuspectOut)
def separate_duplicate(request, suspect_id: int, payload: DuplicateDecisionIn):
    """Two persons: the pair is not suggested again."""
    return _decide_duplicate(request, suspect_id, interchange_services.separate_duplicate, payload.reason)
