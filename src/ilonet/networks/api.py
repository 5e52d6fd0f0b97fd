"""API of the local and regional networks (Art. 5) and of the steering board's list of
deployed ILOs (Art. 8(2)(d)). Thin: the policy, selectors and services do the work."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import BoundedPagination
from ilonet.api.plain import paginate_plain
from ilonet.api.routing import PolicyRouter
from ilonet.api.schemas import SingleLine, StrictDate, StrictSchema
from ilonet.deployments import services as deployment_services

from . import selectors, services
from .models import (
    ActivityKind,
    FacilitatorBasis,
    FacilitatorNotificationKind,
    Network,
    NetworkKind,
    Topic,
)

router = PolicyRouter(tags=["networks"])
PAGE = 50


def _prepare_networks(networks: list[Network] | list[dict]) -> None:
    """A page of networks (model instances, or the prepared list's rows): member counts and
    facilitators from aggregates (no member lists)."""
    ids = [n["id"] if isinstance(n, dict) else n.pk for n in networks]
    codes = selectors.country_codes_by_network(ids)
    summaries = selectors.network_summaries_by_id(ids, codes)
    for pk, network in zip(ids, networks, strict=True):
        extras = {
            "api_member_count": summaries[pk].member_count,
            "api_decision": summaries[pk].decision,
            "api_country_codes": codes[pk],
        }
        if isinstance(network, dict):
            network.update(extras)
        else:
            network.__dict__.update(extras)


def _extra(obj, name: str):
    return obj[name] if isinstance(obj, dict) else getattr(obj, name, None)


def _prepare_network(network: Network) -> Network:
    """One network with its members (its own page)."""
    members = selectors.members_by_network([network])[network.pk]
    network.api_members = members
    network.api_member_count = len(members)
    network.api_decision = selectors.facilitators_for([network], {network.pk: members})[network.pk]
    return network


class NetworkMemberOut(Schema):
    officer_id: int
    name: str
    deployment_id: int
    deploying_authority: str = Field(..., alias="authority_name")
    country: str
    since: StrictDate = Field(..., alias="start_date")


class NetworkFacilitatorOut(Schema):
    """Who facilitates and why (Art. 5(2))."""

    officer_id: int | None
    name: str | None
    basis: FacilitatorBasis
    explanation: str


class NetworkOut(Schema):
    id: int
    name: str
    kind: NetworkKind
    description: str
    countries: list[str]
    member_count: int
    facilitator: NetworkFacilitatorOut

    @staticmethod
    def resolve_countries(obj: Network | dict) -> list[str]:
        codes = _extra(obj, "api_country_codes")  # a list page (_prepare_networks)
        return codes if codes is not None else [c.country.code for c in obj.countries.all()]  # type: ignore[union-attr]

    @staticmethod
    def resolve_member_count(obj: Network | dict) -> int:
        return _extra(obj, "api_member_count")

    @staticmethod
    def resolve_facilitator(obj: Network | dict) -> dict:
        decision = _extra(obj, "api_decision")
        return {
            "officer_id": decision.officer_id,
            "name": decision.facilitator.name if decision.facilitator else None,
            "basis": decision.basis,
            "explanation": decision.explanation,
        }


class NetworkAssociateOut(Schema):
    id: int
    name: str
    deploying_country: str
    organisation: str
    joined_on: StrictDate
    left_on: StrictDate | None

    @staticmethod
    def resolve_deploying_country(obj) -> str:
        return obj.deploying_country.code


class NetworkDetailOut(NetworkOut):
    members: list[NetworkMemberOut]
    associates: list[NetworkAssociateOut]

    @staticmethod
    def resolve_members(obj: Network):
        return obj.api_members

    @staticmethod
    def resolve_associates(obj: Network):
        return list(obj.associates.all())


class NetworkIn(StrictSchema):
    name: SingleLine = Field(..., min_length=1, max_length=200)
    kind: NetworkKind
    countries: list[str] = Field(..., min_length=1, max_length=60)
    description: str = Field("", max_length=2000)


class NetworkPatch(StrictSchema):
    name: SingleLine | None = Field(None, min_length=1, max_length=200)
    kind: NetworkKind | None = None
    countries: list[str] | None = Field(None, min_length=1, max_length=60)
    description: str | None = Field(None, max_length=2000)


class FacilitatorAgreementIn(StrictSchema):
    officer_id: int
    agreed_on: StrictDate | None = None
    note: str = Field("", max_length=2000)


class NetworkAssociateIn(StrictSchema):
    name: SingleLine = Field(..., min_length=1, max_length=200)
    deploying_country: SingleLine = Field(..., min_length=2, max_length=2)
    organisation: SingleLine = Field("", max_length=200)
    joined_on: StrictDate | None = None


class NetworkActivityOut(Schema):
    id: int
    network_id: int
    network: str = Field(..., alias="network.name")
    kind: ActivityKind
    article: str
    title: str
    date: StrictDate
    summary: str
    carriers: str
    audience: str
    topics: list[str]

    @staticmethod
    def resolve_topics(obj) -> list[str]:
        return [t.topic for t in obj.topics.all()]


class ActivityParticipantOut(Schema):
    officer_id: int | None
    associate_id: int | None
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class NetworkActivityDetailOut(NetworkActivityOut):
    participants: list[ActivityParticipantOut]

    @staticmethod
    def resolve_participants(obj):
        return list(obj.participants.all())


class NetworkActivityIn(StrictSchema):
    kind: ActivityKind
    title: SingleLine = Field(..., min_length=1, max_length=200)
    date: StrictDate
    summary: str = Field("", max_length=20000)
    carriers: SingleLine = Field("", max_length=300)
    audience: SingleLine = Field("", max_length=300)
    participant_ids: list[int] = Field(default_factory=list, max_length=500)
    associate_ids: list[int] = Field(default_factory=list, max_length=200)
    topics: list[Topic] = Field(default_factory=list, max_length=12)


class FacilitatorNotificationOut(Schema):
    id: int
    network_id: int
    network: str = Field(..., alias="network.name")
    kind: FacilitatorNotificationKind
    notified_at: datetime
    basis: FacilitatorBasis
    officer_id: int | None
    officer_name: str
    previous_officer_name: str
    explanation: str


class OfficerListOut(Schema):
    id: int
    title: str
    meeting: str
    taken_on: StrictDate
    activities_since: StrictDate
    officer_count: int
    network_count: int


class OfficerListIn(StrictSchema):
    title: SingleLine = Field(..., min_length=1, max_length=200)
    meeting: SingleLine = Field("", max_length=200)
    activities_since: StrictDate | None = None


class OfficerListEntryOut(Schema):
    deployment_id: int
    officer_name: str
    deploying_authority: str
    represented_states: str
    country: str
    city: str
    place_kind: str
    place_name: str
    region: str
    phone: str
    email: str
    task_summary: str
    networks: str
    start_date: StrictDate
    planned_end_date: StrictDate

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code


class OfficerListNetworkOut(Schema):
    name: str
    kind: str
    countries: str
    facilitator: str
    facilitator_basis: str
    members: list[str]
    associates: list[str]
    activities: list[dict]


def _network(request, network_id: int) -> Network:
    policy.authorize(request.user, policy.Action.VIEW_NETWORKS)
    return _prepare_network(selectors.network_detail(user=request.user, pk=network_id))


@router.get("", action=policy.Action.VIEW_NETWORKS, response=list[NetworkOut])
@paginate_plain(NetworkOut, page_size=PAGE, prepare=_prepare_networks)
def list_networks(
    request,
    search: str | None = None,
    kind: NetworkKind | None = None,
    country: str | None = None,
    mine: bool = False,
):
    """Local and regional networks (Art. 5(1)) with member count and facilitator (Art. 5(2))."""
    # The page's countries, members and facilitators: _prepare_networks. Without a search or
    # "mine" (the caller's own networks), through SQL compiled once per shape of the call
    # (ilonet.api.prepared): the same rows as the queryset's.
    prepared = None if mine else _NETWORKS.bind(user=request.user, search=search, kind=kind, country=country)
    return prepared or selectors.network_list(
        user=request.user, search=search, kind=kind, country=country, mine=mine
    ).prefetch_related(None)


# The networks' list without a search or "mine", through SQL compiled once per shape of the call
# (the networks page reads the same: selectors.NETWORKS).
_network_rows = selectors.network_list_rows
_NETWORKS = selectors.NETWORKS


@router.post("", action=policy.Action.MANAGE_NETWORKS, response={201: NetworkDetailOut})
def create_network(request, payload: NetworkIn):
    network = services.create_network(actor=request.user, **payload.dict())
    return Status(201, _network(request, network.pk))


@router.get("/activities", action=policy.Action.VIEW_NETWORKS, response=list[NetworkActivityOut])
@paginate(BoundedPagination, page_size=PAGE)
def list_activities(
    request,
    network: int | None = None,
    kind: ActivityKind | None = None,
    topic: Topic | None = None,
    since: StrictDate | None = None,
    until: StrictDate | None = None,
    search: str | None = None,
):
    """Network activities (Art. 5(1)), newest first."""
    return selectors.activity_list(
        user=request.user, network=network, kind=kind, topic=topic, since=since, until=until, search=search
    )


@router.get(
    "/activities/{int:activity_id}", action=policy.Action.VIEW_NETWORKS, response=NetworkActivityDetailOut
)
def get_activity(request, activity_id: int):
    return selectors.activity_detail(user=request.user, pk=activity_id)


@router.get(
    "/facilitator-notifications",
    action=policy.Action.VIEW_NETWORKS,
    response=list[FacilitatorNotificationOut],
)
@paginate(BoundedPagination, page_size=PAGE)
def list_facilitator_notifications(
    request,
    network: int | None = None,
    kind: FacilitatorNotificationKind | None = None,
    basis: FacilitatorBasis | None = None,
    search: str | None = None,
):
    """Notifications to the steering board of facilitators appointed, changed, or none (Art. 5(3))."""
    return selectors.facilitator_notification_list(
        user=request.user, network=network, kind=kind, basis=basis, search=search
    )


@router.get("/officer-lists", action=policy.Action.VIEW_OFFICER_LISTS, response=list[OfficerListOut])
@paginate(BoundedPagination, page_size=PAGE)
def list_officer_lists(request, search: str | None = None, since: StrictDate | None = None):
    """The board's dated lists of deployed ILOs (Art. 8(2)(d)), searchable by title or meeting."""
    return selectors.officer_list_list(user=request.user, search=search, since=since)


@router.post("/officer-lists", action=policy.Action.UPDATE_OFFICER_LIST, response={201: OfficerListOut})
def update_officer_list(request, payload: OfficerListIn):
    """Update the list of deployed ILOs before a board meeting (Art. 8(2)(d))."""
    return Status(201, services.update_officer_list(actor=request.user, **payload.dict()))


@router.get(
    "/officer-lists/{int:list_id}/entries",
    action=policy.Action.VIEW_OFFICER_LISTS,
    response=list[OfficerListEntryOut],
)
@paginate(BoundedPagination, page_size=PAGE)
def list_officer_list_entries(request, list_id: int, search: str | None = None, country: str | None = None):
    """The officers of one list (recital 14); each page read is audited (Art. 9(3))."""
    officer_list = selectors.officer_list_detail(user=request.user, pk=list_id)
    page = request.GET.get("page", "1")
    deployment_services.record_personal_data_read(
        actor=request.user,
        list_name=f"officer_list:{officer_list.pk}",
        fmt="api",
        page=int(page) if page.isdigit() else None,
        filters={k: v for k, v in request.GET.items() if k != "page"},
    )
    return selectors.officer_list_entries(
        user=request.user, officer_list=officer_list, search=search, country=country
    )


@router.get(
    "/officer-lists/{int:list_id}/networks",
    action=policy.Action.VIEW_OFFICER_LISTS,
    response=list[OfficerListNetworkOut],
)
@paginate(BoundedPagination, page_size=PAGE)
def list_officer_list_networks(request, list_id: int, search: str | None = None):
    """The networks of one list: composition, facilitator and activities (recital 14)."""
    officer_list = selectors.officer_list_detail(user=request.user, pk=list_id)
    page = request.GET.get("page", "1")
    deployment_services.record_personal_data_read(
        actor=request.user,
        list_name=f"officer_list_networks:{officer_list.pk}",
        fmt="api",
        page=int(page) if page.isdigit() else None,
    )
    return selectors.officer_list_networks(user=request.user, officer_list=officer_list, search=search)


@router.get("/{int:network_id}", action=policy.Action.VIEW_NETWORKS, response=NetworkDetailOut)
def get_network(request, network_id: int):
    """One network: countries, members (Art. 5(1)), associates and facilitator (Art. 5(2))."""
    return _network(request, network_id)


@router.patch("/{int:network_id}", action=policy.Action.MANAGE_NETWORKS, response=NetworkDetailOut)
def change_network(request, network_id: int, payload: NetworkPatch):
    network = _network(request, network_id)
    services.update_network(actor=request.user, network=network, **payload.dict(exclude_unset=True))
    return _network(request, network_id)


@router.post(
    "/{int:network_id}/agreements",
    action=policy.Action.CONTRIBUTE_TO_NETWORK,
    response={201: NetworkDetailOut},
)
def record_agreement(request, network_id: int, payload: FacilitatorAgreementIn):
    """Record the members' agreement on a facilitator (Art. 5(2), third sentence)."""
    network = _network(request, network_id)
    services.record_facilitator_agreement(actor=request.user, network=network, **payload.dict())
    return Status(201, _network(request, network_id))


@router.post(
    "/{int:network_id}/associates",
    action=policy.Action.CONTRIBUTE_TO_NETWORK,
    response={201: NetworkAssociateOut},
)
def add_associate(request, network_id: int, payload: NetworkAssociateIn):
    """Associate a liaison officer of a non-EU country (Art. 5(1))."""
    network = _network(request, network_id)
    return Status(201, services.add_associate(actor=request.user, network=network, **payload.dict()))


@router.post(
    "/{int:network_id}/associates/{int:associate_id}/end",
    action=policy.Action.CONTRIBUTE_TO_NETWORK,
    response=NetworkAssociateOut,
)
def end_association(request, network_id: int, associate_id: int):
    network = _network(request, network_id)
    associate = get_object_or_404(network.associates.all(), pk=associate_id)
    return services.end_association(actor=request.user, associate=associate)


@router.post(
    "/{int:network_id}/activities",
    action=policy.Action.CONTRIBUTE_TO_NETWORK,
    response={201: NetworkActivityDetailOut},
)
def record_activity(request, network_id: int, payload: NetworkActivityIn):
    """Record a network activity (Art. 5(1))."""
    network = _network(request, network_id)
    activity = services.record_activity(actor=request.user, network=network, **payload.dict())
    return Status(201, selectors.activity_detail(user=request.user, pk=activity.pk))
