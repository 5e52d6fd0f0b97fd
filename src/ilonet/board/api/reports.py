"""Activity reports (Art. 8(2)(c), Art. 4(1))."""

from django.shortcuts import get_object_or_404
from ninja import Field, Status
from ninja.pagination import paginate

from ilonet.api.pagination import PageNumberPagination

from .. import selectors, services
from .common import PAGE, A, BoardIn, router
from .programme import PeriodIn, ProgrammeOut, SentIn


class ReportOut(ProgrammeOut):
    overview: dict


@router.get("/reports", action=A.VIEW_PROGRAMMES_AND_REPORTS, response=list[ReportOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_reports(request):
    """Activity reports with their overview of deployments (Art. 4(1), Art. 8(2)(c))."""
    return selectors.report_list(user=request.user)


class ReportIn(PeriodIn):
    body: str = Field("", max_length=100000)


@router.post("/reports", action=A.MANAGE_BOARD, response={201: ReportOut})
def create_report(request, payload: ReportIn):
    """Draft the activity report; its overview of deployments comes from the registry (Art. 4(1),
    Art. 8(2)(c))."""
    return Status(201, services.create_report(actor=request.user, **payload.dict()))


class ReportUpdateIn(BoardIn):
    title: str | None = Field(None, max_length=300)
    body: str | None = Field(None, max_length=100000)
    regenerate_overview: bool = False


def _report(request, report_id: int):
    return get_object_or_404(selectors.report_list(user=request.user), pk=report_id)


@router.patch("/reports/{int:report_id}", action=A.MANAGE_BOARD, response=ReportOut)
def update_report(request, report_id: int, payload: ReportUpdateIn):
    """Change a draft report; its overview of deployments can be generated again (Art. 4(1))."""
    return services.update_report(actor=request.user, report=_report(request, report_id), **payload.dict())


@router.post("/reports/{int:report_id}/sent", action=A.MANAGE_BOARD, response=ReportOut)
def mark_report_sent(request, report_id: int, payload: SentIn | None = None):
    """Record that the adopted activity report was sent to the European Parliament (Art. 8(2),
    last paragraph; the reader of Art. 9(4) then sees it)."""
    on = payload.sent_to_ep_on if payload else None
    return services.mark_report_sent(actor=request.user, report=_report(request, report_id), on=on)
