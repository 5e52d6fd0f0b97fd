"""Read-side functions of return cooperation (RS 1, RS 2(b)): the pages, the API and other apps
read these. Requests are read through the policy's scope (the requesting and the offering
state only); the coordinator's view is aggregates per priority country and quarter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from ilonet import policy
from ilonet.directory import selectors as directory
from ilonet.indicators import selectors as indicators
from ilonet.returns import selectors as returns

from .models import (
    CharterFlight,
    FlightStatus,
    Mission,
    MissionStatus,
    OfferStatus,
    Opportunity,
    PlaceOffer,
    PlaceRequest,
    PlaceUse,
    RequestStatus,
    SeatRequest,
    SupportItem,
    Uptake,
)

A = policy.Action
# RS 2(b): counsellors rely on the directory; an entry not reviewed for a year, or past its
# validity, is flagged for review.
REVIEW_AFTER = timedelta(days=365)
DEADLINE_NEAR = timedelta(days=3)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - timedelta(days=1)
    return start, end


# --- places ------------------------------------------------------------------------------------


def offers(*, country: str | None = None, open_only: bool = False) -> QuerySet[PlaceOffer]:
    """Every member state's offers (RS 1: offers are for all member states to see), with the
    places accepted so far."""
    qs = PlaceOffer.objects.annotate(
        accepted=Sum("requests__places", filter=Q(requests__status=RequestStatus.ACCEPTED), default=0)
    )
    if open_only:
        qs = qs.filter(status=OfferStatus.OPEN, request_deadline__gte=timezone.localdate())
    if country:
        qs = qs.filter(third_countries__icontains=f'"{country.upper()}"')  # a code in the JSON list
    return qs.order_by("-created_at", "-pk")


def place_requests(*, user: Any, offer: PlaceOffer | None = None) -> QuerySet[PlaceRequest]:
    """Requests the user may read in full: their own state's, and those made to their state."""
    qs = policy.scope(user, A.VIEW_RETURN_COOPERATION, PlaceRequest.objects.select_related("offer"))
    if offer is not None:
        qs = qs.filter(offer=offer)
    return qs.annotate(used=Sum("uses__persons", default=0)).order_by("-requested_at", "-pk")


def place_uses(*, user: Any, request: PlaceRequest) -> QuerySet[PlaceUse]:
    return policy.scope(user, A.VIEW_RETURN_COOPERATION, PlaceUse.objects.filter(request=request))


# --- flights -----------------------------------------------------------------------------------


def flights(*, country: str | None = None, upcoming_only: bool = True) -> QuerySet[CharterFlight]:
    qs = CharterFlight.objects.all()
    if upcoming_only:
        qs = qs.filter(departure_on__gte=timezone.localdate(), status=FlightStatus.ANNOUNCED)
    if country:
        qs = qs.filter(third_country=country.upper())
    return qs.order_by("departure_on", "pk")


def seat_requests(*, user: Any, flight: CharterFlight | None = None) -> QuerySet[SeatRequest]:
    qs = policy.scope(user, A.VIEW_RETURN_COOPERATION, SeatRequest.objects.select_related("flight"))
    if flight is not None:
        qs = qs.filter(flight=flight)
    return qs.order_by("requested_at", "pk")


def flights_with_deadline_near(*, today: date) -> QuerySet[CharterFlight]:
    """Flights whose requests close within three days and that still have free seats."""
    return CharterFlight.objects.filter(
        status=FlightStatus.ANNOUNCED,
        request_deadline__gte=today,
        request_deadline__lte=today + DEADLINE_NEAR,
        allocated__lt=F("seats"),
    ).order_by("request_deadline", "pk")


# --- missions ----------------------------------------------------------------------------------


def priority_countries(year: int, quarter: int) -> set[str]:
    """RS 1: the quarter's priority third countries, as the high-level network chose them
    (``ilonet.indicators``' public selector)."""
    return {p.country for p in indicators.priorities(year=year, quarter=quarter)}


@dataclass
class CalendarEntry:
    mission: Mission
    priority: bool  # the third country is a priority of the quarter the mission starts in


def missions(
    *, year: int | None = None, quarter: int | None = None, country: str | None = None
) -> QuerySet[Mission]:
    qs = Mission.objects.all()
    if year and quarter:
        start, end = quarter_bounds(year, quarter)
        qs = qs.filter(starts_on__lte=end, ends_on__gte=start)
    if country:
        qs = qs.filter(third_country=country.upper())
    return qs.order_by("starts_on", "pk")


def calendar(rows: Any) -> list[CalendarEntry]:
    """The missions of a page, each marked when its country is a priority of its quarter."""
    cache: dict[tuple[int, int], set[str]] = {}
    out = []
    for mission in rows:
        key = quarter_of(mission.starts_on)
        if key not in cache:
            cache[key] = priority_countries(*key)
        out.append(CalendarEntry(mission, mission.third_country in cache[key]))
    return out


# --- the directory of opportunities ------------------------------------------------------------


def _stale_q(today: date) -> Q:
    return Q(valid_until__lt=today) | Q(reviewed_on__lt=today - REVIEW_AFTER)


def opportunities(
    *,
    country: str | None = None,
    need: str | None = None,
    text: str | None = None,
    stale_only: bool = False,
    today: date | None = None,
) -> QuerySet[Opportunity]:
    """RS 2(b): searchable by country of return and need; ``stale`` marks entries past their
    validity or not reviewed for a year (flagged for review)."""
    today = today or timezone.localdate()
    qs = Opportunity.objects.all()
    if country:
        qs = qs.filter(country=country.upper())
    if need:
        qs = qs.filter(needs__icontains=f'"{need}"')
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(offers__icontains=text) | Q(organisation__icontains=text))
    if stale_only:
        qs = qs.filter(_stale_q(today))
    return qs.order_by("country", "organisation", "pk")


def is_stale(entry: Opportunity, *, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool((entry.valid_until and entry.valid_until < today) or entry.reviewed_on < today - REVIEW_AFTER)


def stale_opportunities(*, today: date | None = None) -> QuerySet[Opportunity]:
    return opportunities(stale_only=True, today=today)


# --- peer support and trainings ----------------------------------------------------------------


def support_items(*, kind: str | None = None, topic: str | None = None) -> QuerySet[SupportItem]:
    qs = SupportItem.objects.annotate(followed=Count("uptakes__participant", distinct=True))
    if kind:
        qs = qs.filter(kind=kind)
    if topic:
        qs = qs.filter(topic=topic)
    return qs.order_by("-created_at", "-pk")


def uptakes(*, item: SupportItem) -> QuerySet[Uptake]:
    return item.uptakes.order_by("-taken_on", "pk")


# --- who works on a country (notifications) ----------------------------------------------------


def _states_with_cases(country: str) -> set[str]:
    """The member states with open return cases for ``country`` in ``ilonet.returns`` (codes
    only: the return-case module answers with one indexed probe per member state)."""
    return returns.states_with_open_cases(country, among=sorted(directory.eu_member_state_codes()))


def states_working_on(country: str) -> set[str]:
    """Member states that work on returns to a country: those with cases for it, those that
    asked for places or seats for it, hosted or joined a mission to it."""
    country = country.upper()
    states = set(_states_with_cases(country))
    states |= set(PlaceRequest.objects.filter(third_country=country).values_list("member_state", flat=True))
    states |= set(
        SeatRequest.objects.filter(flight__third_country=country).values_list("member_state", flat=True)
    )
    for host, joining in Mission.objects.filter(third_country=country).values_list("host", "joining_states"):
        states |= {host, *joining}
    states.discard("EU")
    return states


# --- the coordinator's quarterly view (aggregates only) ----------------------------------------


@dataclass
class CountryQuarter:
    country: str
    priority: bool
    places_offered: int = 0
    places_accepted: int = 0
    places_used: int = 0
    flights: int = 0
    seats_offered: int = 0
    seats_filled: int = 0
    missions_held: int = 0
    identified: int = 0
    documents_issued: int = 0
    opportunities: int = 0


def overview(*, year: int, quarter: int) -> list[CountryQuarter]:
    """RS 1: per third country (the quarter's priority countries first), what the cooperation
    did in the quarter: places offered (offers whose period overlaps the quarter), accepted and
    used; flights departing, seats offered and filled; missions held, persons identified and
    travel documents issued; opportunities listed. Sums and counts only, no request and no
    case reference."""
    start, end = quarter_bounds(year, quarter)
    priorities = priority_countries(year, quarter)
    rows: dict[str, CountryQuarter] = {c: CountryQuarter(c, True) for c in sorted(priorities)}

    def row(country: str) -> CountryQuarter:
        return rows.setdefault(country, CountryQuarter(country, country in priorities))

    overlapping = PlaceOffer.objects.filter(period_start__lte=end, period_end__gte=start)
    for countries, places in overlapping.values_list("third_countries", "places"):
        for country in countries:
            row(country).places_offered += places
    accepted = (
        PlaceRequest.objects.filter(offer__in=overlapping, status=RequestStatus.ACCEPTED)
        .values("third_country")
        .annotate(n=Sum("places"))
    )
    for item in accepted:
        row(item["third_country"]).places_accepted += item["n"] or 0
    used = (
        PlaceUse.objects.filter(recorded_at__date__gte=start, recorded_at__date__lte=end)
        .values("request__third_country")
        .annotate(n=Sum("persons"))
    )
    for item in used:
        row(item["request__third_country"]).places_used += item["n"] or 0
    flown = (
        CharterFlight.objects.filter(
            departure_on__gte=start, departure_on__lte=end, status=FlightStatus.ANNOUNCED
        )
        .values("third_country")
        .annotate(n=Count("pk"), seats=Sum("seats"), filled=Sum("allocated"))
    )
    for item in flown:
        r = row(item["third_country"])
        r.flights, r.seats_offered, r.seats_filled = item["n"], item["seats"] or 0, item["filled"] or 0
    held = (
        Mission.objects.filter(starts_on__gte=start, starts_on__lte=end, status=MissionStatus.HELD)
        .values("third_country")
        .annotate(n=Count("pk"), identified=Sum("identified"), issued=Sum("documents_issued"))
    )
    for item in held:
        r = row(item["third_country"])
        r.missions_held, r.identified, r.documents_issued = (
            item["n"],
            item["identified"] or 0,
            item["issued"] or 0,
        )
    listed = (
        Opportunity.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=start), valid_from__lte=end
        )
        .values("country")
        .annotate(n=Count("pk"))
    )
    for item in listed:
        if item["country"] in rows:  # the directory is listed for the countries already shown
            rows[item["country"]].opportunities = item["n"]
    return sorted(rows.values(), key=lambda r: (not r.priority, r.country))


def waiting_for_answer(*, user: Any) -> tuple[QuerySet[PlaceRequest], QuerySet[SeatRequest]]:
    """The requests made to the user's member state that wait for its answer (the home page):
    pending requests for its places and for seats on its flights."""
    from .policies import officer_states

    states = sorted(officer_states(user))
    place = place_requests(user=user).filter(offer__member_state__in=states, status=RequestStatus.PENDING)
    seats = seat_requests(user=user).filter(
        flight__organiser__in=states,
        status=RequestStatus.PENDING,
        flight__departure_on__gt=timezone.localdate(),
    )
    return place.order_by("requested_at", "pk"), seats.order_by("requested_at", "pk")
