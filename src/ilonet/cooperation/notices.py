"""What return cooperation tells people, through the one notification hook
(``ilonet.jobs.notify``; the notifications app delivers, to those the policy lets open the
subject).

- A new offer of places or a new flight for a third country reaches the return officers of the
  member states that work on that country (``selectors.states_working_on``); while none is
  known, every return officer (RS 1: member states with similar needs join forces).
- An answer to a request reaches the requesting member state's return officers only.
- A deadline near, or seats offered again, reaches the states working on the country.
"""

from __future__ import annotations

from django.urls import reverse

from ilonet import policy
from ilonet.directory import selectors as directory
from ilonet.jobs.notify import Audience, notify

from . import selectors
from .models import CharterFlight, PlaceOffer, PlaceRequest, SeatRequest

RETURN_OFFICER = "return_officer"


def _officers_of(states: set[str]) -> Audience:
    """Return officers acting for the states (their role scoped to the state's organisation);
    every return officer when no state is known yet."""
    if not states:
        return Audience(roles=(RETURN_OFFICER,))
    ids = [
        org.pk
        for org in directory.participating_member_states()
        if org.country and org.country.code in states
    ]
    return Audience(roles_in=tuple((RETURN_OFFICER, pk) for pk in ids))


def offer_published(offer: PlaceOffer) -> None:
    """RS 1: places opened in a programme, told to the states working on its countries."""
    states: set[str] = set()
    for country in offer.third_countries:
        states |= selectors.states_working_on(country)
    states.discard(offer.member_state)
    notify(
        "cooperation.offer_published",
        key=f"cooperation.offer:{offer.pk}",
        obj=offer,
        audience_action=policy.Action.VIEW_RETURN_COOPERATION,
        recipients=_officers_of(states),
        context={
            "offer": offer.pk,
            "state": offer.member_state,
            "places": offer.places,
            "countries": ", ".join(offer.third_countries),
            "deadline": offer.request_deadline.isoformat(),
            "article": "RS 1",
        },
        link=reverse("cooperation:offer_detail", args=[offer.pk]),
    )


def flight_announced(flight: CharterFlight) -> None:
    """RS 1: the occupancy of charter flights; told to the states working on the country."""
    states = selectors.states_working_on(flight.third_country) - {flight.organiser}
    notify(
        "cooperation.flight_announced",
        key=f"cooperation.flight:{flight.pk}",
        obj=flight,
        audience_action=policy.Action.VIEW_RETURN_COOPERATION,
        recipients=_officers_of(states),
        context=_flight_facts(flight),
        link=reverse("cooperation:flight_detail", args=[flight.pk]),
    )


def _flight_facts(flight: CharterFlight) -> dict:
    return {
        "flight": flight.pk,
        "organiser": flight.organiser,
        "country": flight.third_country,
        "departure_on": flight.departure_on.isoformat(),
        "deadline": flight.request_deadline.isoformat(),
        "seats": flight.seats,
        "free": flight.free,
        "article": "RS 1",
    }


def places_answered(request: PlaceRequest) -> None:
    """The requesting state hears the offering state's answer."""
    notify(
        f"cooperation.places_{request.status}",
        key=f"cooperation.place_request:{request.pk}:{request.status}",
        obj=request,
        audience_action=policy.Action.REQUEST_RETURN_CAPACITY,
        recipients=_officers_of({request.member_state}),
        context={
            "request": request.pk,
            "state": request.offer.member_state,
            "places": request.places,
            "country": request.third_country,
            "article": "RS 1",
        },
        link=reverse("cooperation:offer_detail", args=[request.offer_id]),
    )


def seats_allocated(request: SeatRequest, *, version: int) -> None:
    """The requesting state hears how many seats the organiser allocated."""
    flight = request.flight
    notify(
        "cooperation.seats_allocated",
        key=f"cooperation.seat_request:{request.pk}:v{version}",
        obj=request,
        audience_action=policy.Action.REQUEST_RETURN_CAPACITY,
        recipients=_officers_of({request.member_state}),
        context={**_flight_facts(flight), "allocated": request.allocated, "requested": request.seats},
        link=reverse("cooperation:flight_detail", args=[flight.pk]),
    )


def seats_offered_again(flight: CharterFlight, *, released: int, version: int) -> None:
    """RS 1: seats given back before the deadline are offered again to the states working on
    the country."""
    states = selectors.states_working_on(flight.third_country) - {flight.organiser}
    notify(
        "cooperation.seats_offered_again",
        key=f"cooperation.flight:{flight.pk}:released:v{version}",
        obj=flight,
        audience_action=policy.Action.VIEW_RETURN_COOPERATION,
        recipients=_officers_of(states),
        context={**_flight_facts(flight), "released": released},
        link=reverse("cooperation:flight_detail", args=[flight.pk]),
    )


def deadline_near(flight: CharterFlight) -> None:
    """A flight's deadline for requests is near and seats are free."""
    states = selectors.states_working_on(flight.third_country) - {flight.organiser}
    notify(
        "cooperation.deadline_near",
        key=f"cooperation.flight:{flight.pk}:deadline:{flight.request_deadline.isoformat()}",
        obj=flight,
        audience_action=policy.Action.VIEW_RETURN_COOPERATION,
        recipients=_officers_of(states),
        context=_flight_facts(flight),
        link=reverse("cooperation:flight_detail", args=[flight.pk]),
    )
