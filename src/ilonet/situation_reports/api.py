"""API of the situation reports (Art. 3(4), Art. 5(1)(b)) and of the evidence pack for the
Commission's report (Art. 12(2)). Thin: the policy, selectors and services do the work; the
personal-data guard's refusal is a 422 with the guard's report per field."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import BoundedPagination
from ilonet.api.routing import PolicyRouter
from ilonet.api.schemas import StrictDate, StrictSchema
from ilonet.shared.text import attachment

from . import evidence as pack_builder
from . import selectors, services
from .evidence import export
from .evidence.build import MAX_DAYS, MAX_YEAR, MIN_YEAR
from .models import SituationReport, Subject
from .models import Status as ReportStatus
from .topics import Topic

router = PolicyRouter(tags=["situation reports"])
A = policy.Action
PAGE = 50


class SectionIn(StrictSchema):
    text: str = Field("", max_length=10000)
    vulnerable_persons: str = Field("", max_length=4000)
    gender: str = Field("", max_length=4000)


class SectionOut(Schema):
    topic: Topic
    article: str
    text: str
    vulnerable_persons: str
    gender: str

    @staticmethod
    def resolve_article(obj) -> str:
        return f"Art. 3(4)({obj.topic})"


class SituationReportOut(Schema):
    id: int
    subject: Subject
    officer_id: int | None
    officer: str | None
    network_id: int | None
    network: str | None
    period_start: StrictDate
    period_end: StrictDate
    status: ReportStatus
    submitted_at: datetime | None
    countries: list[str]
    topics: list[str]

    @staticmethod
    def resolve_officer(obj: SituationReport) -> str | None:
        return str(obj.officer) if obj.officer_id else None

    @staticmethod
    def resolve_network(obj: SituationReport) -> str | None:
        return obj.network.name if obj.network_id else None

    @staticmethod
    def resolve_countries(obj: SituationReport) -> list[str]:
        return [c.country.code for c in obj.countries.all()]

    @staticmethod
    def resolve_topics(obj: SituationReport) -> list[str]:
        return [s.topic for s in obj.sections.all()]


class ReportDetailOut(SituationReportOut):
    summary: str
    return_reason: str
    sections: list[SectionOut]

    @staticmethod
    def resolve_sections(obj: SituationReport):
        return list(obj.sections.all())


class SituationReportIn(StrictSchema):
    subject: Subject
    network_id: int | None = None
    period_start: StrictDate
    period_end: StrictDate
    summary: str = Field("", max_length=10000)
    sections: dict[Topic, SectionIn] = Field(default_factory=dict)


class ReportUpdate(StrictSchema):
    period_start: StrictDate
    period_end: StrictDate
    summary: str = Field("", max_length=10000)
    sections: dict[Topic, SectionIn] = Field(default_factory=dict)


class ReturnIn(StrictSchema):
    reason: str = Field(..., min_length=1, max_length=2000)


class OverviewRowOut(Schema):
    quarter: str
    quarter_start: StrictDate
    reports: int
    by_topic: dict[str, int]


class OverviewOut(Schema):
    since: StrictDate
    until: StrictDate
    country: str | None
    topic: str | None
    reports: int
    rows: list[OverviewRowOut]


class CoverageOut(Schema):
    country: str
    level: str
    last_period_end: StrictDate | None
    reports_last_year: int
    officers_deployed: bool


def _sections(payload_sections) -> dict[str, dict[str, str]]:
    return {str(code): section.dict() for code, section in payload_sections.items()}


def _detail(request, report_id: int) -> SituationReport:
    return selectors.report_detail(user=request.user, pk=report_id)


@router.get("", action=A.VIEW_SITUATION_REPORTS, response=list[SituationReportOut])
@paginate(BoundedPagination, page_size=PAGE)
def list_reports(
    request,
    status: ReportStatus | None = None,
    subject: Subject | None = None,
    country: str | None = None,
    topic: Topic | None = None,
    network: int | None = None,
    mine: bool = False,
    since: StrictDate | None = None,
    until: StrictDate | None = None,
    search: str | None = None,
):
    """Situation reports the caller may read, newest period first."""
    return selectors.report_list(
        user=request.user, status=status, subject=subject, country=country, topic=topic, network=network,
        mine=mine, since=since, until=until, search=search,
    )  # fmt: skip


@router.post("", action=A.WRITE_SITUATION_REPORTS, response={201: ReportDetailOut})
def create_report(request, payload: SituationReportIn):
    """A draft report of the caller (an officer deployed now) or of one of their networks."""
    network = None
    if payload.subject == Subject.NETWORK:
        if payload.network_id is None:
            raise ValidationError({"network_id": _("Choose the network.")})
        network = next(
            (n for n in selectors.writable_networks(user=request.user) if n.pk == payload.network_id), None
        )
        if network is None:
            from ilonet.networks.models import Network

            network = get_object_or_404(Network, pk=payload.network_id)  # the policy refuses a stranger's
    report = services.create_report(
        actor=request.user, subject=payload.subject, network=network, period_start=payload.period_start,
        period_end=payload.period_end, summary=payload.summary, sections=_sections(payload.sections),
    )  # fmt: skip
    return Status(201, _detail(request, report.pk))


@router.get("/overview", action=A.VIEW_SITUATION_REPORTS, response=OverviewOut)
def overview(
    request,
    since: StrictDate | None = None,
    until: StrictDate | None = None,
    country: str | None = None,
    topic: Topic | None = None,
):
    """Submitted reports per quarter and per topic of Art. 3(4) (a report counts in the quarter
    its period starts)."""
    today = timezone.localdate()
    since = since or date(today.year - 2, 1, 1)
    until = until or today
    _check_range(since, until, "until")
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise ValidationError({"country": _("A two-letter country code (ISO 3166).")})
    result = selectors.overview(user=request.user, since=since, until=until, country=country, topic=topic)
    return {
        "since": since, "until": until, "country": country.upper() if country else None, "topic": topic,
        "reports": result.reports,
        "rows": [
            {"quarter": row.quarter.label, "quarter_start": row.quarter.start, "reports": row.reports,
             "by_topic": {code: row.by_topic.get(code, 0) for code in result.topics}}
            for row in result.rows
        ],
    }  # fmt: skip


@router.get("/coverage", action=A.VIEW_SITUATION_REPORTS, response=list[CoverageOut])
def coverage(request, recent_days: int = 120):
    """Per country: recent reporting coverage (the map's data)."""
    if not 1 <= recent_days <= 3650:
        raise ValidationError({"recent_days": _("Between 1 and 3650 days.")})
    result = selectors.coverage(user=request.user, today=timezone.localdate(), recent_days=recent_days)
    return [
        {
            "country": c.code,
            "level": c.level.rsplit("--", 1)[-1].removeprefix("sitrep-"),
            "last_period_end": c.last_end,
            "reports_last_year": c.reports_last_year,
            "officers_deployed": c.deployed,
        }
        for c in result.countries
    ]


def _period(period_start: date | None, period_end: date | None) -> tuple[date, date]:
    today = timezone.localdate()
    start = period_start or date(today.year - 1, 1, 1)
    end = period_end or (date(today.year - 1, 12, 31) if period_start is None else today)
    _check_range(start, end, "period_end")
    return start, end


def _check_range(start: date, end: date, field: str) -> None:
    if end < start:
        raise ValidationError({field: _("The period ends before it starts.")})
    if (end - start) > timedelta(days=MAX_DAYS):
        raise ValidationError({field: _("At most ten years.")})
    if start.year < MIN_YEAR or end.year > MAX_YEAR:
        raise ValidationError(
            {
                field: _("Choose a period between %(first)s and %(last)s.")
                % {"first": MIN_YEAR, "last": MAX_YEAR}
            }
        )


@router.get("/evidence", action=A.VIEW_EVIDENCE_PACK)
def evidence(request, period_start: StrictDate | None = None, period_end: StrictDate | None = None):
    """The evidence pack for the report of the Commission (Art. 12(2)) as JSON: counts only."""
    start, end = _period(period_start, period_end)
    pack = pack_builder.build(period_start=start, period_end=end)
    return {
        "period_start": start, "period_end": end, "generated_at": pack.generated_at,
        "deployments": pack.deployments, "deployments_by_country_and_authority": pack.deployment_rows,
        "networks": pack.networks, "board_meetings": pack.meetings, "board_decisions": pack.decisions,
        "situation_reports": pack.reports, "platform_use": pack.use, "audit_actions": pack.actions,
        "active_accounts": pack.active_accounts,
    }  # fmt: skip


@router.get("/evidence/pack.zip", action=A.VIEW_EVIDENCE_PACK)
def evidence_csv(request, period_start: StrictDate | None = None, period_end: StrictDate | None = None):
    """The evidence pack as CSV files in one ZIP."""
    start, end = _period(period_start, period_end)
    pack = pack_builder.build(period_start=start, period_end=end)
    response = HttpResponse(export.zip_bytes(pack), content_type="application/zip")
    response["Content-Disposition"] = attachment(export.filename(pack, "zip"))
    return response


@router.get("/evidence/pack.pdf", action=A.VIEW_EVIDENCE_PACK)
def evidence_pdf(request, period_start: StrictDate | None = None, period_end: StrictDate | None = None):
    """The evidence pack as a PDF in the EU look."""
    start, end = _period(period_start, period_end)
    pack = pack_builder.build(period_start=start, period_end=end)
    response = HttpResponse(export.pdf_bytes(pack), content_type="application/pdf")
    response["Content-Disposition"] = attachment(export.filename(pack, "pdf"))
    return response


@router.get("/{int:report_id}", action=A.VIEW_SITUATION_REPORTS, response=ReportDetailOut)
def get_report(request, report_id: int):
    return _detail(request, report_id)


@router.put("/{int:report_id}", action=A.WRITE_SITUATION_REPORTS, response=ReportDetailOut)
def update_report(request, report_id: int, payload: ReportUpdate):
    """Revise a draft or a report returned for revision (the sections given replace the old)."""
    report = _detail(request, report_id)
    services.update_report(
        actor=request.user, report=report, period_start=payload.period_start, period_end=payload.period_end,
        summary=payload.summary, sections=_sections(payload.sections),
    )  # fmt: skip
    return _detail(request, report_id)


@router.post("/{int:report_id}/submit", action=A.WRITE_SITUATION_REPORTS, response=ReportDetailOut)
def submit_report(request, report_id: int):
    services.submit_report(actor=request.user, report=_detail(request, report_id))
    return _detail(request, report_id)


@router.post("/{int:report_id}/return", action=A.RETURN_SITUATION_REPORTS, response=ReportDetailOut)
def return_report(request, report_id: int, payload: ReturnIn):
    services.return_report(actor=request.user, report=_detail(request, report_id), reason=payload.reason)
    return _detail(request, report_id)
