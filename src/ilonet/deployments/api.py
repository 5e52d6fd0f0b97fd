"""API of the deployment registry (Art. 2, 4, 6), the ILO contact list (Art. 9(2)(d)), the gap
analysis (Art. 8(2)(e)) and the priority countries. Thin: the policy, selectors and services
do the work; the same rules as the pages apply."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import BoundedPagination
from ilonet.api.plain import paginate_plain
from ilonet.api.routing import PolicyRouter
from ilonet.api.schemas import SingleLine, StrictDate, StrictSchema
from ilonet.directory import selectors as directory
from ilonet.directory import services as directory_services
from ilonet.directory.models import PrioritySetter
from ilonet.shared.paging import MAX_CURSOR_LENGTH

from . import history, selectors, services
from . import rows as table_rows
from .geo import Continent
from .models import Deployment, DeploymentStatus, NotificationKind, PlaceKind
from .selectors import Coverage

router = PolicyRouter(tags=["deployments"])
PAGE = 50

CoverageLevel = Literal["priority_gap", "priority_covered", "covered", "not_covered"]


class JointRepresentationOut(Schema):
    member_state: str = Field(..., description="Directory code of the member state")
    tasks: str

    @staticmethod
    def resolve_member_state(obj) -> str:
        return obj["code"] if isinstance(obj, dict) else obj.member_state.code


# The lists answer the plain rows of selectors.for_list (dicts); one deployment is a model
# instance: the resolvers read either.


def _contact_extras(rows: list[dict]) -> None:
    selectors.attach_list_extras(rows, represented=False)


def _region_codes(obj) -> list[str]:
    if isinstance(obj, dict):
        return obj["region_codes"]
    return [r.country.code for r in obj.region.all()]


def _officer(obj) -> str:
    return table_rows.officer_name(obj) if isinstance(obj, dict) else str(obj.officer)


def _authority_code(obj) -> str:
    return obj["deploying_authority__code"] if isinstance(obj, dict) else obj.deploying_authority.code


def _country(obj) -> str:
    return obj["country"] if isinstance(obj, dict) else obj.country.code


class DeploymentOut(Schema):
    id: int
    version: int
    status: DeploymentStatus
    deploying_authority: str = Field(..., description="Directory code of the deploying authority")
    officer: str
    country: str = Field(..., description="ISO 3166-1 alpha-2")
    place_kind: PlaceKind
    place_name: str
    city: str
    task_summary: str
    start_date: StrictDate
    planned_end_date: StrictDate
    end_date: StrictDate | None
    region: list[str] = Field(..., description="Countries of the region of responsibility")
    represented: list[JointRepresentationOut] = Field(..., description="Joint deployment (Art. 6)")
    eu_funding_reference: str

    @staticmethod
    def resolve_deploying_authority(obj) -> str:
        return _authority_code(obj)

    @staticmethod
    def resolve_officer(obj) -> str:
        return _officer(obj)

    @staticmethod
    def resolve_country(obj) -> str:
        return _country(obj)

    @staticmethod
    def resolve_region(obj) -> list[str]:
        return _region_codes(obj)

    @staticmethod
    def resolve_represented(obj):
        return obj["represented"] if isinstance(obj, dict) else list(obj.representations.all())


class ReadableChangeOut(Schema):
    """A change as people read it, in the request's language (``history.describe_changes``)."""

    field: str = Field(..., description="The stored key, as in `changes`")
    label: str = Field(..., description="The field's name")
    before: str
    after: str
    only_changed: bool = Field(..., description="A contact detail: its values are never kept")


class DeploymentNotificationOut(Schema):
    id: int
    deployment_id: int
    version: int
    kind: NotificationKind
    kind_label: str
    notified_at: str
    notified_by: str = Field(..., alias="notified_by_label")
    data: dict
    changes: dict = Field(..., description="Changed fields by stored key: [before, after] as stored")
    readable_changes: list[ReadableChangeOut]

    @staticmethod
    def resolve_notified_at(obj) -> str:
        return obj.notified_at.isoformat()

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_readable_changes(obj) -> list[history.FieldChange]:
        readable = getattr(obj, "readable_changes", None)
        return readable if readable is not None else history.describe_changes(obj.changes or {})


class ContactListOut(Schema):
    """A line of the ILO contact list (Art. 9(2)(d))."""

    name: str
    deploying_authority: str = Field(..., description="Directory code of the deploying authority")
    country: str
    city: str
    place_kind: PlaceKind
    place_name: str
    region: list[str]
    phone: str = Field(..., description="E.164")
    email: str

    @staticmethod
    def resolve_name(obj) -> str:
        return _officer(obj)

    @staticmethod
    def resolve_deploying_authority(obj) -> str:
        return _authority_code(obj)

    @staticmethod
    def resolve_country(obj) -> str:
        return _country(obj)

    @staticmethod
    def resolve_region(obj) -> list[str]:
        return _region_codes(obj)

    @staticmethod
    def resolve_email(obj) -> str:
        if isinstance(obj, dict):
            return obj["email"] or obj["officer__email"]
        return obj.email or obj.officer.email


class DeploymentGapOut(Schema):
    country: str
    name: str
    continent: str
    officers: int
    resident_officers: int
    member_states: list[str]
    eu_bodies: list[str]
    priority_by: list[str]
    level: CoverageLevel


class PriorityCountryOut(Schema):
    id: int
    country: str
    period_start: StrictDate
    period_end: StrictDate | None
    set_by: PrioritySetter
    note: str

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code


class JointRepresentationIn(StrictSchema):
    member_state: SingleLine = Field(..., min_length=2, max_length=40, description="Directory code, e.g. be")
    tasks: str = Field("", max_length=2000, description="Tasks divided between the member states (Art. 6(2))")


CONFIRM_DESCRIPTION = (
    "Unusual but possible dates (a start before Regulation (EU) 2019/1240, a plan years ahead, a "
    "long deployment, an actual start well before the planned one) are refused with the reason "
    "until this is true."
)


class _DeploymentFieldsIn(StrictSchema):
    country: SingleLine = Field(
        ..., min_length=2, max_length=2, description="ISO 3166-1 alpha-2 of a third country"
    )
    place_kind: PlaceKind
    place_name: SingleLine = Field(..., min_length=1, max_length=200)
    city: SingleLine = Field(..., min_length=1, max_length=100)
    task_summary: str = Field(..., min_length=1, max_length=4000)
    start_date: StrictDate
    planned_end_date: StrictDate
    region: list[str] = Field(default_factory=list, max_length=60)
    phone: SingleLine = Field("", max_length=40, description="International format; stored as E.164")
    email: SingleLine = Field("", max_length=254)
    represented: list[JointRepresentationIn] = Field(default_factory=list, max_length=30)
    eu_funding_reference: SingleLine = Field("", max_length=100)
    confirm_unusual_dates: bool = Field(False, description=CONFIRM_DESCRIPTION)


class DeploymentIn(_DeploymentFieldsIn):
    deploying_authority: SingleLine = Field(..., min_length=2, max_length=40, description="Directory code")
    officer_email: SingleLine = Field(..., min_length=3, max_length=254)
    status: Literal["planned", "active"] = "planned"


class DeploymentPatch(StrictSchema):
    country: SingleLine | None = Field(None, min_length=2, max_length=2)
    place_kind: PlaceKind | None = None
    place_name: SingleLine | None = Field(None, min_length=1, max_length=200)
    city: SingleLine | None = Field(None, min_length=1, max_length=100)
    task_summary: str | None = Field(None, min_length=1, max_length=4000)
    start_date: StrictDate | None = None
    planned_end_date: StrictDate | None = None
    region: list[str] | None = Field(None, max_length=60)
    phone: SingleLine | None = Field(None, max_length=40)
    email: SingleLine | None = Field(None, max_length=254)
    represented: list[JointRepresentationIn] | None = Field(None, max_length=30)
    eu_funding_reference: SingleLine | None = Field(None, max_length=100)
    confirm_unusual_dates: bool = Field(False, description=CONFIRM_DESCRIPTION)


class DeploymentStartIn(StrictSchema):
    start_date: StrictDate | None = None
    confirm_unusual_dates: bool = Field(False, description=CONFIRM_DESCRIPTION)


class DeploymentEndIn(StrictSchema):
    end_date: StrictDate | None = None


class PriorityCountryIn(StrictSchema):
    country: SingleLine = Field(..., min_length=2, max_length=2)
    set_by: PrioritySetter
    period_start: StrictDate
    period_end: StrictDate | None = None
    note: str = Field("", max_length=2000)


class PriorityCountryEndIn(StrictSchema):
    period_end: StrictDate


def _represented(items) -> list[tuple[str, str]]:
    return [(item.member_state, item.tasks) for item in items]


def _deployment(request, deployment_id: int) -> Deployment:
    policy.authorize(request.user, policy.Action.VIEW_DEPLOYMENTS)
    return selectors.deployment_detail(user=request.user, pk=deployment_id)


# The registry's list without a search, through SQL compiled once per shape of the call (the
# registry's page reads the same: selectors.REGISTRY).
_registry_rows = selectors.registry_list_rows
_REGISTRY = selectors.REGISTRY


@router.get("", action=policy.Action.VIEW_DEPLOYMENTS, response=list[DeploymentOut])
@paginate_plain(DeploymentOut, page_size=PAGE, prepare=selectors.attach_list_extras)
def list_deployments(
    request,
    search: str | None = None,
    status: DeploymentStatus | None = None,
    country: str | None = None,
    authority: str | None = None,
    place_kind: PlaceKind | None = None,
    joint: bool | None = None,
    continent: Continent | None = None,
    covers: str | None = None,
):
    """The deployment registry (Art. 4(2)), filterable and searchable (officer, city, post)."""
    filters = {
        "search": search,
        "status": status,
        "country": country,
        "authority": authority,
        "place_kind": place_kind,
        "joint": joint,
        "continent": continent,
        "covers": covers,
    }
    # The page's regions and representations: prepare. Without a search, through SQL compiled
    # once per shape of the call (ilonet.api.prepared): the same rows as the queryset's.
    return _REGISTRY.bind(user=request.user, **filters) or _registry_rows(request.user, **filters)


@router.post("", action=policy.Action.MANAGE_DEPLOYMENTS, response={201: DeploymentOut})
def notify_deployment(request, payload: DeploymentIn):
    """Notify a planned or actual deployment to the steering board (Art. 4(1))."""
    authority = selectors.authority_by_code(payload.deploying_authority)
    policy.authorize(request.user, policy.Action.MANAGE_DEPLOYMENTS, authority)
    officer = selectors.officer_by_email(payload.officer_email, authority=authority)
    values = payload.dict(exclude={"deploying_authority", "officer_email", "represented"})
    deployment = services.notify_deployment(
        actor=request.user,
        deploying_authority=authority,
        officer=officer,
        represented=_represented(payload.represented),
        **values,
    )
    return Status(201, selectors.deployment_detail(user=request.user, pk=deployment.pk))


@router.get("/notifications", action=policy.Action.VIEW_DEPLOYMENTS, response=list[DeploymentNotificationOut])
@paginate(BoundedPagination, page_size=PAGE, prepare=history.with_readable_changes)
def list_notifications(
    request,
    kind: NotificationKind | None = None,
    country: str | None = None,
    authority: str | None = None,
    search: str | None = None,
    since: StrictDate | None = None,
):
    """Notifications to the steering board (Art. 4(1), Art. 4(2)), newest first."""
    return selectors.notification_list(
        user=request.user, kind=kind, country=country, authority=authority, search=search, since=since
    )


@router.get("/joint", action=policy.Action.VIEW_DEPLOYMENTS, response=list[DeploymentOut])
@paginate_plain(DeploymentOut, page_size=PAGE, prepare=selectors.attach_list_extras)
def list_joint_deployments(
    request,
    status: DeploymentStatus | None = None,
    country: str | None = None,
    authority: str | None = None,
    search: str | None = None,
):
    """Joint deployments (Art. 6(1), Art. 6(2)), reportable for EU funding (Art. 6(3))."""
    return selectors.for_list(
        selectors.joint_deployment_list(
            user=request.user, status=status, country=country, authority=authority, search=search
        )
    )


@router.get("/contacts", action=policy.Action.VIEW_CONTACT_LIST, response=list[ContactListOut])
@paginate_plain(ContactListOut, page_size=PAGE, prepare=_contact_extras)
def list_contacts(
    request,
    search: str | None = None,
    country: str | None = None,
    authority: str | None = None,
    covers: str | None = None,
    continent: Continent | None = None,
):
    """The ILO contact list (Art. 9(2)(d)): only for ILOs, steering board members and duly
    authorised staff (Art. 9(3)). Each page read is recorded in the audit trail."""
    page = request.GET.get("page", "1")
    cursor = request.GET.get("cursor", "")[:MAX_CURSOR_LENGTH]
    services.record_personal_data_read(
        actor=request.user,
        list_name="ilo_contacts",
        fmt="api",
        page=None if cursor else int(page) if page.isdigit() else None,
        cursor={"cursor": cursor} if cursor else None,
        filters={k: v for k, v in request.GET.items() if k not in ("page", "cursor")},
    )
    contacts = selectors.contact_list(
        user=request.user,
        search=search,
        country=country,
        authority=authority,
        covers=covers,
        continent=continent,
    )
    return selectors.for_list(contacts, contact_details=True)


@router.get("/gaps", action=policy.Action.VIEW_DEPLOYMENT_GAPS, response=list[DeploymentGapOut])
@paginate(BoundedPagination, page_size=PAGE)
def list_gaps(
    request,
    continent: Continent | None = None,
    priority: bool | None = None,
    level: CoverageLevel | None = None,
    on: StrictDate | None = None,
    search: str | None = None,
):
    """Deployment gaps per third country against the priority countries (Art. 8(2)(e)):
    priority gaps first."""
    rows = selectors.gap_analysis(
        user=request.user, continent=continent, priority=priority, level=level, on=on
    )
    return [{**row.__dict__, "level": row.level} for row in rows]


@router.get(
    "/priority-countries", action=policy.Action.VIEW_PRIORITY_COUNTRIES, response=list[PriorityCountryOut]
)
@paginate(BoundedPagination, page_size=PAGE)
def list_priority_countries(
    request, on: StrictDate | None = None, set_by: PrioritySetter | None = None, country: str | None = None
):
    """Priority third countries (Art. 8(2)(e); return strategy RS 1)."""
    return directory.priority_country_list(user=request.user, on=on, set_by=set_by, country=country)


@router.post(
    "/priority-countries", action=policy.Action.MANAGE_PRIORITY_COUNTRIES, response={201: PriorityCountryOut}
)
def set_priority_country(request, payload: PriorityCountryIn):
    """Set a priority country for a period, in the name of the body you act for."""
    priority = directory_services.set_priority_country(actor=request.user, **payload.dict())
    return Status(201, priority)


@router.post(
    "/priority-countries/{int:priority_id}/end",
    action=policy.Action.MANAGE_PRIORITY_COUNTRIES,
    response=PriorityCountryOut,
)
def end_priority_country(request, priority_id: int, payload: PriorityCountryEndIn):
    policy.authorize(request.user, policy.Action.VIEW_PRIORITY_COUNTRIES)
    priority = get_object_or_404(directory.priority_country_list(user=request.user), pk=priority_id)
    return directory_services.end_priority_country(
        actor=request.user, priority=priority, period_end=payload.period_end
    )


@router.get("/{int:deployment_id}", action=policy.Action.VIEW_DEPLOYMENTS, response=DeploymentOut)
def get_deployment(request, deployment_id: int):
    return _deployment(request, deployment_id)


@router.get(
    "/{int:deployment_id}/notifications",
    action=policy.Action.VIEW_DEPLOYMENTS,
    response=list[DeploymentNotificationOut],
)
@paginate(BoundedPagination, page_size=PAGE, prepare=history.with_readable_changes)
def deployment_history(request, deployment_id: int):
    """The versions of one deployment, as notified (Art. 4(1)): its history, newest first."""
    deployment = _deployment(request, deployment_id)
    return (
        selectors.notification_list(user=request.user)
        .filter(deployment=deployment)
        .order_by("-version", "-id")
    )


@router.patch("/{int:deployment_id}", action=policy.Action.MANAGE_DEPLOYMENTS, response=DeploymentOut)
def change_deployment(request, deployment_id: int, payload: DeploymentPatch):
    """Change a deployment; the steering board is notified and the history kept (Art. 4(1))."""
    deployment = _deployment(request, deployment_id)
    fields = payload.dict(exclude_unset=True)
    if "represented" in fields:
        fields["represented"] = _represented(payload.represented or [])
    services.update_deployment(actor=request.user, deployment=deployment, **fields)
    return selectors.deployment_detail(user=request.user, pk=deployment_id)


@router.post("/{int:deployment_id}/start", action=policy.Action.MANAGE_DEPLOYMENTS, response=DeploymentOut)
def start_deployment(request, deployment_id: int, payload: DeploymentStartIn):
    """A planned deployment becomes actual (Art. 4(1))."""
    deployment = _deployment(request, deployment_id)
    services.start_deployment(
        actor=request.user,
        deployment=deployment,
        start_date=payload.start_date,
        confirm_unusual_dates=payload.confirm_unusual_dates,
    )
    return selectors.deployment_detail(user=request.user, pk=deployment_id)


@router.post("/{int:deployment_id}/end", action=policy.Action.MANAGE_DEPLOYMENTS, response=DeploymentOut)
def end_deployment(request, deployment_id: int, payload: DeploymentEndIn):
    """An active deployment ends (Art. 4(1)); the officer leaves the network (Art. 5(1))."""
    deployment = _deployment(request, deployment_id)
    services.end_deployment(actor=request.user, deployment=deployment, end_date=payload.end_date)
    return selectors.deployment_detail(user=request.user, pk=deployment_id)


@router.post("/{int:deployment_id}/cancel", action=policy.Action.MANAGE_DEPLOYMENTS, response=DeploymentOut)
def cancel_deployment(request, deployment_id: int):
    """A planned deployment is withdrawn (Art. 4(1))."""
    deployment = _deployment(request, deployment_id)
    services.cancel_deployment(actor=request.user, deployment=deployment)
    return selectors.deployment_detail(user=request.user, pk=deployment_id)


__all__ = ["Coverage", "router"]
