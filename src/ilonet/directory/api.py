from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination
from ilonet.api.routing import PolicyRouter
from ilonet.api.schemas import StrictDate, StrictSchema

from . import selectors, services
from .models import Organisation, OrganisationKind
from .services import BEFORE_RECORDS

router = PolicyRouter(tags=["directory"])


class OrganisationOut(Schema):
    code: str
    kind: OrganisationKind
    name: str
    acronym: str
    country: str = Field(None, description="ISO 3166-1 alpha-2 code, empty if none")
    parent: str | None = Field(None, alias="parent.code")
    takes_part_in_ilo_regulation: bool = Field(..., description="Today, from the dated changes (recital 31)")
    is_deploying_authority: bool

    @staticmethod
    def resolve_country(obj: Organisation) -> str:
        return obj.country.code or ""

    @staticmethod
    def resolve_takes_part_in_ilo_regulation(obj: Organisation) -> bool:
        participates = getattr(obj, "participates", None)
        return obj.takes_part_in_ilo_regulation if participates is None else bool(participates)


@router.get("/organisations", response=list[OrganisationOut], action=policy.Action.VIEW_DIRECTORY)
@paginate(PageNumberPagination, page_size=50, keyset=False)
def list_organisations(request, kind: OrganisationKind | None = None, search: str | None = None):
    """Organisations in the directory, filterable by kind and searchable by name or code."""
    return selectors.organisation_list(user=request.user, kind=kind, search=search)


@router.get("/organisations/{code}", response=OrganisationOut, action=policy.Action.VIEW_DIRECTORY)
def get_organisation(request, code: str):
    qs = policy.scope(request.user, policy.Action.VIEW_DIRECTORY, Organisation.objects.all())
    return get_object_or_404(selectors.with_participation(qs.select_related("parent")), code=code)


class ParticipationChangeOut(Schema):
    takes_part: bool
    effective_from: StrictDate


class ParticipationOut(Schema):
    organisation: str
    takes_part_on: bool = Field(..., description="Participation on the day asked (today by default)")
    on: StrictDate
    changes: list[ParticipationChangeOut]


class ParticipationIn(StrictSchema):
    takes_part: bool
    effective_from: StrictDate = Field(..., description="Today or later")


def _member_state(request, code: str) -> Organisation:
    qs = policy.scope(request.user, policy.Action.VIEW_DIRECTORY, Organisation.objects.all())
    return get_object_or_404(qs, code=code)


def _participation(organisation: Organisation, on: date | None) -> dict:
    day = on or timezone.localdate()
    return {
        "organisation": organisation.code,
        "takes_part_on": selectors.takes_part_on(organisation, on=day),
        "on": day,
        "changes": list(selectors.participation_changes(organisation).exclude(effective_from=BEFORE_RECORDS)),
    }


@router.get(
    "/organisations/{code}/participation", response=ParticipationOut, action=policy.Action.VIEW_DIRECTORY
)
def get_participation(request, code: str, on: StrictDate | None = None):
    """Whether a member state takes part in Regulation (EU) 2019/1240 on a day, and the
    recorded changes (recital 31, 33)."""
    return _participation(_member_state(request, code), on)


@router.post(
    "/organisations/{code}/participation",
    response={201: ParticipationOut},
    action=policy.Action.MANAGE_DIRECTORY,
)
def set_participation(request, code: str, payload: ParticipationIn):
    """Record that a member state takes part (or stops) from a day, e.g. Denmark opting in
    (recital 31)."""
    organisation = _member_state(request, code)
    services.set_participation(actor=request.user, organisation=organisation, **payload.dict())
    return Status(201, _participation(organisation, payload.effective_from))
