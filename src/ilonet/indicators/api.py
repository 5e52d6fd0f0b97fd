"""Return coordination API (RS 1, RS 2(c)): indicator figures (aggregates only), the capability
register, targets, quarterly priority countries, obstacles, Eurostat loads."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination
from ilonet.api.routing import PolicyRouter
from ilonet.api.schemas import DetailOut, StrictDate, StrictSchema
from ilonet.shared.uploads import get_scanner, inspect_upload

from . import selectors, services
from .definitions import INDICATORS
from .eurostat.datasets import DATASETS
from .eurostat.parse import FileRefused
from .models import Capability, Ground, JointActionKind, Obstacle, ObstacleStatus, QuarterPriority
from .uploads import EUROSTAT_FILES

A = policy.Action
router = PolicyRouter(tags=["return indicators"])


class IndicatorOut(Schema):
    code: str
    label: str
    definition: str
    unit: str
    source: str
    basis: str


class FigureOut(Schema):
    indicator: str
    source: str
    geo: str = Field(..., description="Eurostat geo code (EL is Greece); EU27_2020 is the EU aggregate")
    citizen: str
    period: str
    numerator: int | None
    denominator: int | None
    value: float | None
    flags: str = Field(
        ...,
        description="Eurostat flags: e estimated, p provisional, b break, u low reliability, c confidential",
    )


@router.get("/definitions", response=list[IndicatorOut], action=A.VIEW_RETURN_INDICATORS)
def list_definitions(request):
    """Every indicator with its definition, in the strategy's words."""
    return [{**vars(i), "label": str(i.label), "definition": str(i.definition)} for i in INDICATORS.values()]


@router.get("/figures", response=list[FigureOut], action=A.VIEW_RETURN_INDICATORS)
@paginate(PageNumberPagination, page_size=500)
def list_figures(
    request,
    indicator: str,
    period: str | None = None,
    geo: str | None = None,
    citizen: str | None = None,
    source: str | None = None,
):
    """Precomputed figures of one indicator, by member state, EU total, citizenship, period."""
    if indicator not in INDICATORS:
        from django.core.exceptions import ValidationError

        raise ValidationError({"indicator": "Unknown indicator."})
    return selectors.figures(indicator=indicator, period=period, geo=geo, citizen=citizen, source=source)


class CapabilityIn(StrictSchema):
    country: str = Field(..., min_length=2, max_length=2)
    capability: Capability
    has: bool = True
    effective_from: StrictDate
    note: str = Field("", max_length=500)


class CapabilityOut(Schema):
    id: int
    country: str
    capability: str
    has: bool
    effective_from: StrictDate
    note: str


@router.get("/register", response=list[CapabilityOut], action=A.VIEW_RETURN_INDICATORS)
@paginate(PageNumberPagination, page_size=200)
def list_register(request, country: str | None = None):
    return selectors.register_entries(country=country.upper() if country else None)


@router.post("/register", response={201: CapabilityOut}, action=A.MANAGE_RETURN_REGISTER)
def record_capability(request, payload: CapabilityIn):
    """A dated entry of the register (never dated in the future)."""
    return Status(201, services.record_capability(actor=request.user, **payload.dict()))


class TargetOut(Schema):
    code: str
    label: str
    indicator: str
    baseline: float
    baseline_date: StrictDate
    target: float
    deadline: StrictDate
    current: float | None
    status: str = Field(..., description="met, on_track, behind or missed")


@router.get("/targets", response=list[TargetOut], action=A.VIEW_RETURN_INDICATORS)
def list_targets(request):
    return [
        {
            "code": s.target.code,
            "label": s.label,
            "indicator": s.target.indicator,
            "baseline": s.target.baseline,
            "baseline_date": s.target.baseline_date,
            "target": s.target.target,
            "deadline": s.target.deadline,
            "current": s.current,
            "status": s.status,
        }
        for s in selectors.targets()
    ]


class JointActionOut(Schema):
    kind: str
    description: str
    planned_on: StrictDate | None
    member_states: list[str]


class PriorityIn(StrictSchema):
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)
    country: str = Field(..., min_length=2, max_length=2)
    grounds: list[Ground] = Field(..., min_length=1)
    note: str = Field("", max_length=1000)


class PriorityOut(Schema):
    id: int
    year: int
    quarter: int
    country: str
    grounds: list[str]
    note: str
    actions: list[JointActionOut]

    @staticmethod
    def resolve_actions(obj: QuarterPriority) -> list:
        return list(obj.actions.all())


@router.get("/priorities", response=list[PriorityOut], action=A.VIEW_RETURN_INDICATORS)
@paginate(PageNumberPagination, page_size=100, keyset=False)  # grows by a few countries a quarter
def list_priorities(request, year: int | None = None, quarter: int | None = None):
    """The priority third countries of each quarter (RS 1), with their joint actions."""
    return selectors.priorities(year=year, quarter=quarter)


@router.post("/priorities", response={201: PriorityOut}, action=A.MANAGE_RETURN_COORDINATION)
def set_priority(request, payload: PriorityIn):
    """A priority third country for a quarter (RS 1); refused for a country that is not a third country."""
    data = payload.dict()
    data["grounds"] = [str(g) for g in data["grounds"]]
    return Status(201, services.set_priority(actor=request.user, **data))


class JointActionIn(StrictSchema):
    kind: JointActionKind
    description: str = Field(..., min_length=1, max_length=500)
    planned_on: StrictDate | None = None
    member_states: list[str] = Field(default_factory=list, max_length=30)


@router.post(
    "/priorities/{priority_id}/actions", response={201: JointActionOut}, action=A.MANAGE_RETURN_COORDINATION
)
def record_joint_action(request, priority_id: int, payload: JointActionIn):
    priority = get_object_or_404(QuarterPriority, pk=priority_id)
    data = payload.dict()
    data["kind"] = str(data["kind"])
    return Status(201, services.record_joint_action(actor=request.user, priority=priority, **data))


class ObstacleIn(StrictSchema):
    member_state: str = Field(..., min_length=2, max_length=2)
    third_country: str = Field("", max_length=2)
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=4000)
    deadline: StrictDate | None = None


class ObstacleUpdate(StrictSchema):
    status: ObstacleStatus
    owner: str = Field("", max_length=120)
    deadline: StrictDate | None = None
    resolution: str = Field("", max_length=4000)


class ObstacleOut(Schema):
    id: int
    member_state: str
    third_country: str
    title: str
    description: str
    status: str
    owner: str
    deadline: StrictDate | None
    resolution: str


@router.get("/obstacles", response=list[ObstacleOut], action=A.VIEW_RETURN_INDICATORS)
@paginate(PageNumberPagination, page_size=100)
def list_obstacles(request, status: ObstacleStatus | None = None):
    return selectors.obstacles(user=request.user, status=status)


@router.post("/obstacles", response={201: ObstacleOut}, action=A.REPORT_RETURN_OBSTACLE)
def report_obstacle(request, payload: ObstacleIn):
    """An obstacle or ad-hoc issue reported to the EU return coordinator (RS 1); no personal data."""
    return Status(201, services.report_obstacle(actor=request.user, **payload.dict()))


@router.patch("/obstacles/{obstacle_id}", response=ObstacleOut, action=A.MANAGE_RETURN_COORDINATION)
def update_obstacle(request, obstacle_id: int, payload: ObstacleUpdate):
    obstacle = get_object_or_404(Obstacle, pk=obstacle_id)
    data = payload.dict()
    data["status"] = str(data["status"])
    return services.update_obstacle(actor=request.user, obstacle=obstacle, **data)


class LoadOut(Schema):
    id: int
    dataset: str
    file_format: str
    file_name: str
    observations: int
    created: bool = True


class ProblemsOut(Schema):
    errors: list[dict[str, str]]


@router.get("/eurostat/loads", response=list[LoadOut], action=A.VIEW_RETURN_INDICATORS)
@paginate(PageNumberPagination, page_size=50)
def list_loads(request):
    return selectors.loads()


@router.post(
    "/eurostat/loads",
    response={201: LoadOut, 200: LoadOut, 413: DetailOut, 415: DetailOut, 422: ProblemsOut, 503: DetailOut},
    action=A.LOAD_EUROSTAT,
)
def load_eurostat(request, file: File[UploadedFile], dataset: str | None = None):
    """Load a Eurostat file (TSV, SDMX-CSV 1.0 or 2.0): 201 loaded, 200 the same file was loaded
    before (nothing changed), 422 with every problem's line and column (nothing kept). The file
    is checked and scanned first: 413 over the size limit, 415 not CSV or text, 503 the malware
    scanner unavailable."""
    if dataset and dataset not in DATASETS:
        from django.core.exceptions import ValidationError

        raise ValidationError({"dataset": _("Unknown Eurostat table %(code)s.") % {"code": dataset}})
    inspect_upload(file, profile=EUROSTAT_FILES)
    get_scanner().scan(file)
    file.seek(0)
    try:
        result = services.load_eurostat(
            actor=request.user, stream=file, dataset=dataset, file_name=file.name or ""
        )
    except FileRefused as refused:
        return Status(
            422,
            {
                "errors": [
                    {"field": f"line {p.line}, column {p.column}", "message": p.message}
                    for p in refused.problems
                ]
            },
        )
    out = {
        **{k: getattr(result.load, k) for k in ("id", "dataset", "file_format", "file_name", "observations")},
        "created": result.created,
    }
    return Status(201 if result.created else 200, out)


# --- case data: submitted aggregates, reconciliation, obstacles (aggregates only) ---------------


class SubmittedRowIn(StrictSchema):
    third_country: str = Field(
        ..., min_length=2, max_length=2, description="ISO code of the third country of return"
    )
    period: str = Field(..., description="A quarter: 2024-Q1")
    measure: str = Field(
        ...,
        description="rd_after_negative_asylum, readmission_requests, returns_voluntary, returns_total "
        "or return_decisions",
    )
    value: int = Field(..., ge=0)


class SubmissionIn(StrictSchema):
    member_state: str = Field(..., min_length=2, max_length=2, description="ISO code of your member state")
    rows: list[SubmittedRowIn] = Field(..., max_length=20000)


class SubmissionOut(Schema):
    rows: int
    changed: int


@router.post("/cases/submissions", response={200: SubmissionOut}, action=A.SUBMIT_RETURN_AGGREGATES)
def submit_aggregates(request, payload: SubmissionIn):
    """A member state that keeps its own return case system submits its counts per third country,
    quarter and measure, all or nothing. The same submission twice changes nothing (``changed``:
    0); a quarter for which the member state has case data is refused (case data take precedence)."""
    from .cases import submitted

    done = submitted.submit(
        actor=request.user, member_state=payload.member_state, rows=[r.model_dump() for r in payload.rows]
    )
    return {"rows": done.rows, "changed": done.changed}


@router.post(
    "/cases/submissions/file",
    response={200: SubmissionOut, 413: DetailOut, 415: DetailOut, 503: DetailOut},
    action=A.SUBMIT_RETURN_AGGREGATES,
)
def submit_aggregates_file(request, member_state: str, file: File[UploadedFile]):
    """The same as a CSV file with the header ``third_country,period,measure,value``; problems are
    named by their line and column."""
    from .cases import submitted

    inspect_upload(file, profile=EUROSTAT_FILES)
    get_scanner().scan(file)
    file.seek(0)
    done = submitted.submit_file(
        actor=request.user, member_state=member_state, stream=file, file_name=file.name or ""
    )
    return {"rows": done.rows, "changed": done.changed}


class ReconciliationOut(Schema):
    geo: str
    period: str
    figure: str
    cases: float | None
    eurostat: float | None
    difference: float | None
    flags: str


@router.get("/cases/reconciliation", response=list[ReconciliationOut], action=A.VIEW_RETURN_INDICATORS)
@paginate(PageNumberPagination, page_size=500, keyset=False)  # states x periods x figures, sorted
def list_reconciliation(request, period: str | None = None, geo: str | None = None):
    """Case data beside Eurostat where both exist (Eurostat counts persons once per period and
    rounds national figures: a difference is expected)."""
    from .cases import reconcile

    return [{**vars(x), "difference": x.difference} for x in reconcile.lines(period=period, geo=geo)]


class CaseObstacleOut(Schema):
    member_state: str
    third_country: str
    kind: str
    label: str
    count: int


@router.get("/cases/obstacles", response=list[CaseObstacleOut], action=A.VIEW_RETURN_INDICATORS)
@paginate(PageNumberPagination, page_size=500, keyset=False)  # counts by state, country and kind
def list_case_obstacles(request):
    """Open obstacles flagged on return cases, counted: no case, no person."""
    return [{**r, "label": str(r["label"])} for r in selectors.case_obstacles(user=request.user)]
