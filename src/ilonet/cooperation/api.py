"""Return cooperation API (RS 1, RS 2(b)): offers of places and their requests, charter flights
and seats, the mission calendar, the directory of referral and reintegration opportunities,
peer support and trainings, and the coordinator's quarterly view (sums only). Requests are
answered only to the requesting and the offering state; bad input is a 422 with the reason."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination
from ilonet.api.routing import PolicyRouter
from ilonet.api.schemas import SingleLine, StrictDate, StrictSchema

from . import selectors
from .models import (
    CharterFlight,
    Mission,
    MissionKind,
    MissionStatus,
    Need,
    Opportunity,
    PlaceOffer,
    ProviderKind,
    SpecialNeed,
    SupportItem,
    SupportKind,
    Topic,
)
from .services import flights, missions, opportunities, places, support

A = policy.Action
router = PolicyRouter(tags=["return cooperation"])
Code = Field(..., min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code")


# --- places ------------------------------------------------------------------------------------


class OfferIn(StrictSchema):
    member_state: str = Code
    programme: SingleLine = Field(..., max_length=200)
    third_countries: list[str] = Field(..., min_length=1, max_length=50)
    places: int = Field(..., ge=1, le=10000)
    period_start: StrictDate
    period_end: StrictDate
    request_deadline: StrictDate
    package: str = Field(..., max_length=2000)
    conditions: str = Field("", max_length=2000)


class OfferOut(Schema):
    id: int
    member_state: str
    programme: str
    third_countries: list[str]
    places: int
    accepted: int = 0
    period_start: StrictDate
    period_end: StrictDate
    request_deadline: StrictDate
    package: str
    conditions: str
    status: str


@router.get("/offers", response=list[OfferOut], action=A.VIEW_RETURN_COOPERATION)
@paginate(PageNumberPagination, page_size=100)
def list_offers(request, country: str | None = None, open_only: bool = False):
    """Every member state's offers of places (RS 1), with the places accepted so far."""
    return selectors.offers(country=country, open_only=open_only)


@router.post("/offers", response={201: OfferOut}, action=A.OFFER_RETURN_CAPACITY)
def publish_offer(request, payload: OfferIn):
    offer = places.publish_offer(actor=request.user, **payload.dict())
    return Status(201, selectors.offers().get(pk=offer.pk))


@router.get("/offers/{offer_id}", response=OfferOut, action=A.VIEW_RETURN_COOPERATION)
def get_offer(request, offer_id: int):
    return get_object_or_404(selectors.offers(), pk=offer_id)


@router.post("/offers/{offer_id}/withdraw", response=OfferOut, action=A.OFFER_RETURN_CAPACITY)
def withdraw_offer(request, offer_id: int):
    offer = places.withdraw_offer(actor=request.user, offer=get_object_or_404(PlaceOffer, pk=offer_id))
    return selectors.offers().get(pk=offer.pk)


class PlaceRequestIn(StrictSchema):
    member_state: str = Code
    third_country: str = Code
    places: int = Field(..., ge=1, le=10000)
    note: SingleLine = Field("", max_length=500)


class PlaceRequestOut(Schema):
    id: int
    offer_id: int
    member_state: str
    third_country: str
    places: int
    used: int = 0
    status: str
    note: str
    answer_note: str


@router.post("/offers/{offer_id}/requests", response={201: PlaceRequestOut}, action=A.REQUEST_RETURN_CAPACITY)
def request_places(request, offer_id: int, payload: PlaceRequestIn):
    """A count of places, no persons (RS 1)."""
    offer = get_object_or_404(PlaceOffer, pk=offer_id)
    made = places.request_places(actor=request.user, offer=offer, **payload.dict())
    return Status(201, selectors.place_requests(user=request.user).get(pk=made.pk))


@router.get("/place-requests", response=list[PlaceRequestOut], action=A.VIEW_RETURN_COOPERATION)
@paginate(PageNumberPagination, page_size=100)
def list_place_requests(request):
    """The requests of the user's member state and those made to it (none for the coordinator)."""
    return selectors.place_requests(user=request.user)


class AnswerIn(StrictSchema):
    accept: bool
    note: SingleLine = Field("", max_length=500)


@router.post("/place-requests/{request_id}/answer", response=PlaceRequestOut, action=A.OFFER_RETURN_CAPACITY)
def answer_request(request, request_id: int, payload: AnswerIn):
    found = get_object_or_404(selectors.place_requests(user=request.user), pk=request_id)
    places.answer_request(actor=request.user, request=found, **payload.dict())
    return selectors.place_requests(user=request.user).get(pk=found.pk)


class UseIn(StrictSchema):
    case_reference: str = Field(
        ..., max_length=64, description="The requesting state's case reference, never a name"
    )
    persons: int = Field(1, ge=1, le=20)
    planned_departure: StrictDate | None = None
    special_needs: list[SpecialNeed] = Field(default_factory=list)


class UseOut(Schema):
    id: int
    request_id: int
    case_reference: str
    persons: int
    planned_departure: StrictDate | None
    special_needs: list[str]


@router.post("/place-requests/{request_id}/uses", response={201: UseOut}, action=A.REQUEST_RETURN_CAPACITY)
def record_use(request, request_id: int, payload: UseIn):
    """Only what the receiving programme needs (strictly necessary)."""
    found = get_object_or_404(selectors.place_requests(user=request.user), pk=request_id)
    data = payload.dict()
    data["special_needs"] = [str(n) for n in data["special_needs"]]
    return Status(201, places.record_use(actor=request.user, request=found, **data))


@router.get("/place-requests/{request_id}/uses", response=list[UseOut], action=A.VIEW_RETURN_COOPERATION)
@paginate(PageNumberPagination, page_size=100)
def list_uses(request, request_id: int):
    found = get_object_or_404(selectors.place_requests(user=request.user), pk=request_id)
    return selectors.place_uses(user=request.user, request=found)


# --- flights -----------------------------------------------------------------------------------


class FlightIn(StrictSchema):
    organiser: str = Code
    third_country: str = Code
    departure_on: StrictDate
    seats: int = Field(..., ge=1, le=1000)
    request_deadline: StrictDate
    frontex_coordinated: bool = False
    note: SingleLine = Field("", max_length=500)


class FlightOut(Schema):
    id: int
    organiser: str
    frontex_coordinated: bool
    third_country: str
    departure_on: StrictDate
    seats: int
    allocated: int
    free: int
    request_deadline: StrictDate
    status: str


@router.get("/flights", response=list[FlightOut], action=A.VIEW_RETURN_COOPERATION)
@paginate(PageNumberPagination, page_size=100)
def list_flights(request, country: str | None = None, upcoming_only: bool = True):
    return selectors.flights(country=country, upcoming_only=upcoming_only)


@router.post("/flights", response={201: FlightOut}, action=A.OFFER_RETURN_CAPACITY)
def announce_flight(request, payload: FlightIn):
    return Status(201, flights.announce_flight(actor=request.user, **payload.dict()))


@router.get("/flights/{flight_id}", response=FlightOut, action=A.VIEW_RETURN_COOPERATION)
def get_flight(request, flight_id: int):
    return get_object_or_404(CharterFlight, pk=flight_id)


class SeatsIn(StrictSchema):
    member_state: str = Code
    seats: int = Field(..., ge=1, le=1000)


class SeatRequestOut(Schema):
    id: int
    flight_id: int
    member_state: str
    seats: int
    allocated: int
    status: str
    case_references: list[str]


@router.post(
    "/flights/{flight_id}/requests", response={201: SeatRequestOut}, action=A.REQUEST_RETURN_CAPACITY
)
def request_seats(request, flight_id: int, payload: SeatsIn):
    flight = get_object_or_404(CharterFlight, pk=flight_id)
    return Status(201, flights.request_seats(actor=request.user, flight=flight, **payload.dict()))


@router.post("/flights/{flight_id}/take", response={201: SeatRequestOut}, action=A.REQUEST_RETURN_CAPACITY)
def take_seats(request, flight_id: int, payload: SeatsIn):
    """Free seats offered again before the deadline, first come: of two states taking the last
    seat at once, exactly one gets it (the other a 422)."""
    flight = get_object_or_404(CharterFlight, pk=flight_id)
    return Status(201, flights.take_seats(actor=request.user, flight=flight, **payload.dict()))


@router.get("/seat-requests", response=list[SeatRequestOut], action=A.VIEW_RETURN_COOPERATION)
@paginate(PageNumberPagination, page_size=100)
def list_seat_requests(request, flight_id: int | None = None):
    qs = selectors.seat_requests(user=request.user)
    return qs.filter(flight_id=flight_id) if flight_id else qs


class CountIn(StrictSchema):
    seats: int = Field(..., ge=0, le=1000)


@router.post("/seat-requests/{request_id}/allocate", response=SeatRequestOut, action=A.OFFER_RETURN_CAPACITY)
def allocate_seats(request, request_id: int, payload: CountIn):
    found = get_object_or_404(selectors.seat_requests(user=request.user), pk=request_id)
    return flights.allocate_seats(actor=request.user, request=found, seats=payload.seats)


@router.post("/seat-requests/{request_id}/release", response=SeatRequestOut, action=A.REQUEST_RETURN_CAPACITY)
def release_seats(request, request_id: int, payload: CountIn):
    found = get_object_or_404(selectors.seat_requests(user=request.user), pk=request_id)
    return flights.release_seats(actor=request.user, request=found, seats=payload.seats)


class CasesIn(StrictSchema):
    case_references: list[str] = Field(..., max_length=1000)


@router.put("/seat-requests/{request_id}/cases", response=SeatRequestOut, action=A.REQUEST_RETURN_CAPACITY)
def assign_cases(request, request_id: int, payload: CasesIn):
    found = get_object_or_404(selectors.seat_requests(user=request.user), pk=request_id)
    return flights.assign_cases(actor=request.user, request=found, case_references=payload.case_references)


# --- missions ----------------------------------------------------------------------------------


class MissionIn(StrictSchema):
    kind: MissionKind
    host: str = Field(..., min_length=2, max_length=2, description="A member state, or EU for the Commission")
    third_country: str = Code
    starts_on: StrictDate
    ends_on: StrictDate
    joining_states: list[str] = Field(default_factory=list, max_length=40)
    with_eeas: bool = False
    persons_to_present: int = Field(0, ge=0, le=100000)
    note: SingleLine = Field("", max_length=1000)


class OutcomeIn(StrictSchema):
    status: MissionStatus
    identified: int = Field(0, ge=0)
    documents_promised: int = Field(0, ge=0)
    documents_issued: int = Field(0, ge=0)
    note: SingleLine = Field("", max_length=1000)


class MissionOut(Schema):
    id: int
    kind: str
    host: str
    third_country: str
    starts_on: StrictDate
    ends_on: StrictDate
    joining_states: list[str]
    with_eeas: bool
    persons_to_present: int
    status: str
    identified: int
    documents_promised: int
    documents_issued: int
    priority: bool = Field(
        False, description="The country is a priority of the quarter the mission starts in"
    )

    @staticmethod
    def resolve_priority(obj: Mission) -> bool:
        return selectors.calendar([obj])[0].priority


def _quarter(year: int | None, quarter: int | None) -> None:
    if quarter is not None and not 1 <= quarter <= 4 or year is not None and not 2000 <= year <= 2100:
        raise ValidationError({"quarter": _("A quarter is 1 to 4 of a year from 2000 to 2100.")})


@router.get("/missions", response=list[MissionOut], action=A.VIEW_RETURN_COOPERATION)
@paginate(PageNumberPagination, page_size=100)
def list_missions(request, year: int | None = None, quarter: int | None = None, country: str | None = None):
    """The calendar; each mission says whether its country is a priority of its quarter (RS 1)."""
    _quarter(year, quarter)
    return selectors.missions(year=year, quarter=quarter, country=country)


@router.post("/missions", response={201: MissionOut}, action=A.MANAGE_RETURN_MISSIONS)
def record_mission(request, payload: MissionIn):
    data = payload.dict()
    data["kind"] = str(data["kind"])
    return Status(201, missions.record_mission(actor=request.user, **data))


@router.post("/missions/{mission_id}/outcome", response=MissionOut, action=A.MANAGE_RETURN_MISSIONS)
def record_outcome(request, mission_id: int, payload: OutcomeIn):
    mission = get_object_or_404(Mission, pk=mission_id)
    data = payload.dict()
    data["status"] = str(data["status"])
    return missions.record_outcome(actor=request.user, mission=mission, **data)


# --- the directory of opportunities ------------------------------------------------------------


class OpportunityIn(StrictSchema):
    country: str = Code
    provider_kind: ProviderKind
    organisation: SingleLine = Field(..., max_length=200)
    title: SingleLine = Field(..., max_length=200)
    offers: str = Field(..., max_length=2000)
    eligibility: str = Field(..., max_length=1000)
    needs: list[Need] = Field(..., min_length=1)
    website: str = Field("", max_length=200)
    contact: SingleLine = Field("", max_length=200, description="The organisation's, never a person's")
    valid_from: StrictDate
    valid_until: StrictDate | None = None


class OpportunityOut(Schema):
    id: int
    country: str
    provider_kind: str
    organisation: str
    title: str
    offers: str
    eligibility: str
    needs: list[str]
    website: str
    contact: str
    valid_from: StrictDate
    valid_until: StrictDate | None
    reviewed_on: StrictDate
    stale: bool = Field(False, description="Past its validity or not reviewed for a year: due for review")

    @staticmethod
    def resolve_stale(obj: Opportunity) -> bool:
        return selectors.is_stale(obj)


@router.get("/opportunities", response=list[OpportunityOut], action=A.VIEW_RETURN_COOPERATION)
@paginate(PageNumberPagination, page_size=100)
def list_opportunities(
    request,
    country: str | None = None,
    need: Need | None = None,
    text: str | None = None,
    stale: bool = False,
):
    """Search by country of return and need (RS 2(b)); ``stale`` lists the entries due for review."""
    return selectors.opportunities(
        country=country, need=str(need) if need else None, text=text, stale_only=stale
    )


def _entered_by(user) -> str:
    from .policies import officer_states

    own = sorted(officer_states(user))
    return own[0] if own and "return_coordinator" not in policy.role_names(user) else "EU"


def _opportunity_data(payload) -> dict:
    data = payload.dict(exclude_unset=True)
    if "provider_kind" in data:
        data["provider_kind"] = str(data["provider_kind"])
    if "needs" in data:
        data["needs"] = [str(n) for n in data["needs"]]
    return data


@router.post("/opportunities", response={201: OpportunityOut}, action=A.MANAGE_REINTEGRATION_DIRECTORY)
def record_opportunity(request, payload: OpportunityIn):
    entry = opportunities.record_opportunity(
        actor=request.user, entered_by_state=_entered_by(request.user), **_opportunity_data(payload)
    )
    return Status(201, entry)


class OpportunityReview(StrictSchema):
    provider_kind: ProviderKind | None = None
    organisation: SingleLine | None = Field(None, max_length=200)
    title: SingleLine | None = Field(None, max_length=200)
    offers: str | None = Field(None, max_length=2000)
    eligibility: str | None = Field(None, max_length=1000)
    needs: list[Need] | None = None
    website: str | None = Field(None, max_length=200)
    contact: SingleLine | None = Field(None, max_length=200)
    valid_from: StrictDate | None = None
    valid_until: StrictDate | None = None


@router.patch("/opportunities/{entry_id}", response=OpportunityOut, action=A.MANAGE_REINTEGRATION_DIRECTORY)
def review_opportunity(request, entry_id: int, payload: OpportunityReview):
    """Change what changed (or nothing) and mark the entry reviewed today."""
    entry = get_object_or_404(Opportunity, pk=entry_id)
    data = {k: v for k, v in _opportunity_data(payload).items() if v is not None or k == "valid_until"}
    return opportunities.review_opportunity(actor=request.user, opportunity=entry, **data)


# --- peer support and trainings ----------------------------------------------------------------


class SupportIn(StrictSchema):
    kind: SupportKind
    topic: Topic
    title: SingleLine = Field(..., max_length=200)
    description: str = Field(..., max_length=2000)
    provider: str = Field(
        ..., max_length=32, description="A member state's ISO code or an organisation's code"
    )
    fundamental_rights: bool = False


class SupportOut(Schema):
    id: int
    kind: str
    topic: str
    title: str
    description: str
    provider: str
    fundamental_rights: bool
    followed: int = Field(0, description="Member states and organisations that followed it")


@router.get("/support", response=list[SupportOut], action=A.VIEW_RETURN_COOPERATION)
@paginate(PageNumberPagination, page_size=100)
def list_support(request, kind: SupportKind | None = None, topic: Topic | None = None):
    return selectors.support_items(kind=str(kind) if kind else None, topic=str(topic) if topic else None)


@router.post("/support", response={201: SupportOut}, action=A.MANAGE_PEER_SUPPORT)
def record_support(request, payload: SupportIn):
    data = payload.dict()
    data["kind"], data["topic"] = str(data["kind"]), str(data["topic"])
    item = support.record_item(actor=request.user, **data)
    return Status(201, selectors.support_items().get(pk=item.pk))


class UptakeIn(StrictSchema):
    participant: str = Field(
        ..., max_length=32, description="A member state or an organisation, never a person"
    )
    taken_on: StrictDate


class UptakeOut(Schema):
    id: int
    item_id: int
    participant: str
    taken_on: StrictDate


@router.post("/support/{item_id}/uptakes", response={201: UptakeOut}, action=A.MANAGE_PEER_SUPPORT)
def record_uptake(request, item_id: int, payload: UptakeIn):
    item = get_object_or_404(SupportItem, pk=item_id)
    return Status(201, support.record_uptake(actor=request.user, item=item, **payload.dict()))


# --- the coordinator's quarterly view ----------------------------------------------------------


class CountryQuarterOut(Schema):
    country: str
    priority: bool
    places_offered: int
    places_accepted: int
    places_used: int
    flights: int
    seats_offered: int
    seats_filled: int
    missions_held: int
    identified: int
    documents_issued: int
    opportunities: int


class CooperationOverviewOut(Schema):
    period: str
    countries: list[CountryQuarterOut] = Field(..., description="One row per third country: sums only")


@router.get("/overview", response=CooperationOverviewOut, action=A.VIEW_COOPERATION_OVERVIEW)
def overview(request, year: int, quarter: int):
    """RS 1: per third country (the quarter's priority countries first), the cooperation of the
    quarter in sums: no request, no case reference."""
    _quarter(year, quarter)
    rows = selectors.overview(year=year, quarter=quarter)
    return {"period": f"{year}-Q{quarter}", "countries": [vars(r) for r in rows]}
