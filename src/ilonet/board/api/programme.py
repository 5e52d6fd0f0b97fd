"""Work programmes, ad-hoc actions and trainings (Art. 8(2)(a), Art. 8(2)(b), Art. 8(3)(a), Art. 8(3)(c))."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ilonet.api.pagination import PageNumberPagination
from ilonet.directory import selectors as directory

from .. import selectors, services
from ..models import (
    ActionStatus,
    ItemKind,
    ItemStatus,
    ProgrammeStatus,
    TrainingKind,
)
from .common import PAGE, A, BoardIn, router


class ProgrammeOut(Schema):
    id: int
    title: str
    period_start: date
    period_end: date
    status: ProgrammeStatus
    adopted_on: date | None
    sent_to_ep_on: date | None


@router.get("/programmes", action=A.VIEW_PROGRAMMES_AND_REPORTS, response=list[ProgrammeOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_programmes(request):
    """Work programmes (Art. 8(2)(a)); the European Parliament reader sees those sent to it."""
    return selectors.programme_list(user=request.user)


class PeriodIn(BoardIn):
    title: str = Field(..., max_length=200)
    period_start: date
    period_end: date


class ProgrammeIn(PeriodIn):
    summary: str = Field("", max_length=20000)


class ProgrammeItemIn(BoardIn):
    kind: ItemKind
    title: str = Field(..., max_length=300)
    description: str = Field("", max_length=5000)
    resources: str = Field("", max_length=2000)
    owner: str | None = Field(None, description="Directory code of the owner", max_length=40)
    due_on: date | None = None


class ProgrammeItemOut(Schema):
    id: int
    kind: ItemKind
    title: str
    resources: str
    owner: str | None = Field(None, alias="owner.code")
    due_on: date | None
    status: ItemStatus


@router.post("/programmes", action=A.MANAGE_BOARD, response={201: ProgrammeOut})
def create_programme(request, payload: ProgrammeIn):
    """Draft a biannual work programme (Art. 8(2)(a))."""
    return Status(201, services.create_programme(actor=request.user, **payload.dict()))


@router.post("/programmes/{int:programme_id}/items", action=A.MANAGE_BOARD, response={201: ProgrammeItemOut})
def add_programme_item(request, programme_id: int, payload: ProgrammeItemIn):
    """A priority or activity with the resources it needs and its owner (Art. 8(2)(a))."""
    programme = get_object_or_404(selectors.programme_list(user=request.user), pk=programme_id)
    values = payload.dict()
    owner_code = values.pop("owner")
    owner = (
        get_object_or_404(directory.organisation_list(user=request.user), code=owner_code)
        if owner_code
        else None
    )
    return Status(
        201, services.add_programme_item(actor=request.user, programme=programme, owner=owner, **values)
    )


class AdHocActionOut(Schema):
    id: int
    title: str
    description: str
    networks: str
    agreed_on: date
    due_on: date | None
    status: ActionStatus
    result: str


class AdHocActionIn(BoardIn):
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=5000)
    networks: str = Field(..., max_length=500)
    agreed_on: date
    due_on: date | None = None


class TrainingOut(Schema):
    id: int
    kind: TrainingKind
    title: str
    description: str
    provider: str
    starts_on: date | None
    ends_on: date | None


class TrainingIn(BoardIn):
    kind: TrainingKind
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    provider: str = Field("", max_length=200)
    starts_on: date | None = None
    ends_on: date | None = None


@router.get("/actions", action=A.VIEW_DECISIONS, response=list[AdHocActionOut])
@paginate(PageNumberPagination, page_size=PAGE)
def list_ad_hoc_actions(request):
    """Ad-hoc actions agreed outside the work programme (Art. 8(3)(a)) and their results."""
    return selectors.ad_hoc_action_list(user=request.user)


@router.post("/actions", action=A.MANAGE_BOARD, response={201: AdHocActionOut})
def record_ad_hoc_action(request, payload: AdHocActionIn):
    return Status(201, services.record_ad_hoc_action(actor=request.user, **payload.dict()))


@router.get("/trainings", action=A.VIEW_DECISIONS, response=list[TrainingOut])
@paginate(PageNumberPagination, page_size=PAGE, keyset=False)  # ordered by a date that may be unset
def list_trainings(request):
    """Training activities and curricula the board supports (Art. 8(3)(c))."""
    return selectors.training_list(user=request.user)


@router.post("/trainings", action=A.MANAGE_BOARD, response={201: TrainingOut})
def record_training(request, payload: TrainingIn):
    return Status(201, services.record_training(actor=request.user, **payload.dict()))


class SentIn(BoardIn):
    sent_to_ep_on: date | None = None


class EvaluationIn(BoardIn):
    evaluated_on: date
    findings: str = Field(..., max_length=20000)
    proposed_changes: str = Field("", max_length=20000)
    networks_progress: str = Field("", max_length=20000)


class EvaluationOut(Schema):
    id: int
    evaluated_on: date
    findings: str
    proposed_changes: str
    networks_progress: str


class StatusIn(BoardIn):
    status: ItemStatus


class ActionProgressIn(BoardIn):
    status: ActionStatus
    result: str = Field("", max_length=20000)


def _programme(request, programme_id: int):
    return get_object_or_404(selectors.programme_list(user=request.user), pk=programme_id)


@router.post("/programmes/{int:programme_id}/sent", action=A.MANAGE_BOARD, response=ProgrammeOut)
def mark_programme_sent(request, programme_id: int, payload: SentIn | None = None):
    """Record that the adopted work programme was sent to the European Parliament (Art. 8(2),
    last paragraph; the reader of Art. 9(4) then sees it)."""
    on = payload.sent_to_ep_on if payload else None
    return services.mark_programme_sent(
        actor=request.user, programme=_programme(request, programme_id), on=on
    )


@router.post(
    "/programmes/{int:programme_id}/evaluations", action=A.MANAGE_BOARD, response={201: EvaluationOut}
)
def add_evaluation(request, programme_id: int, payload: EvaluationIn):
    """A regular evaluation of the work programme (Art. 8(2)(b))."""
    programme = _programme(request, programme_id)
    return Status(201, services.add_evaluation(actor=request.user, programme=programme, **payload.dict()))


@router.post(
    "/programmes/{int:programme_id}/items/{int:item_id}/status",
    action=A.MANAGE_BOARD,
    response=ProgrammeItemOut,
)
def set_item_status(request, programme_id: int, item_id: int, payload: StatusIn):
    """Progress of an activity of the work programme (Art. 8(2)(b))."""
    item = get_object_or_404(_programme(request, programme_id).items.all(), pk=item_id)
    return services.set_item_status(actor=request.user, item=item, status=payload.status)


@router.post("/actions/{int:action_id}/progress", action=A.MANAGE_BOARD, response=AdHocActionOut)
def update_ad_hoc_action(request, action_id: int, payload: ActionProgressIn):
    """Progress and result of an ad-hoc action (Art. 8(3)(a), Art. 9(2)(b))."""
    action = get_object_or_404(selectors.ad_hoc_action_list(user=request.user), pk=action_id)
    return services.update_ad_hoc_action(actor=request.user, action=action, **payload.dict())
