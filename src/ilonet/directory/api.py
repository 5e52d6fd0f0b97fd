from django.shortcuts import get_object_or_404
from ninja import Field, Schema
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination
from ilonet.api.routing import PolicyRouter

from . import selectors
from .models import Organisation, OrganisationKind

router = PolicyRouter(tags=["directory"])


class OrganisationOut(Schema):
    code: str
    kind: OrganisationKind
    name: str
    acronym: str
    country: str = Field(None, description="ISO 3166-1 alpha-2 code, empty if none")
    parent: str | None = Field(None, alias="parent.code")
    takes_part_in_ilo_regulation: bool
    is_deploying_authority: bool

    @staticmethod
    def resolve_country(obj: Organisation) -> str:
        return obj.country.code or ""


@router.get("/organisations", response=list[OrganisationOut], action=policy.Action.VIEW_DIRECTORY)
@paginate(PageNumberPagination, page_size=50)
def list_organisations(request, kind: OrganisationKind | None = None, search: str | None = None):
    """Organisations in the directory, filterable by kind and searchable by name or code."""
    return selectors.organisation_list(user=request.user, kind=kind, search=search)


@router.get("/organisations/{code}", response=OrganisationOut, action=policy.Action.VIEW_DIRECTORY)
def get_organisation(request, code: str):
    qs = policy.scope(request.user, policy.Action.VIEW_DIRECTORY, Organisation.objects.all())
    return get_object_or_404(qs.select_related("parent"), code=code)
