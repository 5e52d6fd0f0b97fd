"""Activity reports (Art. 8(2)(c), 4(1))."""

from ninja import Field, Status
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination

from .. import selectors, services
from .common import PAGE, A, router
from .programme import PeriodIn, ProgrammeOut


class ReportOut(ProgrammeOut):
    overview: dict


@router.get("/reports", action=A.VIEW_PROGRAMMES_AND_REPORTS, response=list[ReportOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_reports(request):
    """Activity reports with their overview of deployments (Art. 4(1), 8(2)(c))."""
    policy.authorize(request.user, A.VIEW_PROGRAMMES_AND_REPORTS)
    return selectors.report_list(user=request.user)


class ReportIn(PeriodIn):
    body: str = Field("", max_length=100000)


@router.post("/reports", action=A.MANAGE_BOARD, response={201: ReportOut})
def create_report(request, payload: ReportIn):
    """Draft the activity report; its overview of deployments comes from the registry (Art. 4(1),
    8(2)(c))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    return Status(201, services.create_report(actor=request.user, **payload.dict()))
