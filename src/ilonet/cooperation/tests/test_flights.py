"""Seats on charter flights (RS 1): announce, request, allocate, give back and take again;
occupancy against the seats; the refusals leave nothing written."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from ilonet.cooperation import selectors
from ilonet.cooperation.models import CharterFlight, RequestStatus, SeatRequest
from ilonet.cooperation.services import flights

from .conftest import days, make_flight

pytestmark = pytest.mark.django_db


def test_request_allocate_release_and_take_again(officer):
    nl, de, be = officer("nl"), officer("de"), officer("be")
    flight = make_flight(nl, seats=5)
    request = flights.request_seats(actor=de, flight=flight, member_state="DE", seats=3)
    flights.allocate_seats(actor=nl, request=request, seats=3)
    flights.assign_cases(actor=de, request=request, case_references=["DE-1", "DE-2", "DE-3"])
    flight.refresh_from_db()
    assert (flight.allocated, flight.free) == (3, 2)
    flights.release_seats(actor=de, request=request, seats=1)  # offered again
    flight.refresh_from_db()
    request.refresh_from_db()
    assert (flight.allocated, request.allocated, request.case_references) == (2, 2, ["DE-1", "DE-2"])
    taken = flights.take_seats(actor=be, flight=flight, member_state="BE", seats=3)
    flight.refresh_from_db()
    assert (taken.allocated, taken.status, flight.allocated, flight.free) == (3, RequestStatus.ACCEPTED, 5, 0)


def test_a_flight_in_the_past_is_refused(officer):
    with pytest.raises(ValidationError, match="departs in the past"):
        make_flight(officer("nl"), departure_on=days(-1), request_deadline=days(-3))
    assert CharterFlight.objects.count() == 0


def test_a_flight_to_a_member_state_or_its_own_territory_is_refused(officer):
    nl = officer("nl")
    with pytest.raises(ValidationError, match="EU member state"):
        make_flight(nl, third_country="DE")
    with pytest.raises(ValidationError, match="territory of the member state itself"):
        make_flight(nl, third_country="NL")
    assert CharterFlight.objects.count() == 0


def test_more_seats_than_offered_are_refused(officer):
    nl, de = officer("nl"), officer("de")
    flight = make_flight(nl, seats=5)
    with pytest.raises(ValidationError, match="offers 5 seats"):
        flights.request_seats(actor=de, flight=flight, member_state="DE", seats=6)
    assert SeatRequest.objects.count() == 0


def test_requests_after_the_deadline_are_refused(officer):
    nl, de = officer("nl"), officer("de")
    flight = make_flight(nl, request_deadline=days(10))
    with (
        mock.patch("django.utils.timezone.localdate", return_value=days(11)),
        pytest.raises(ValidationError, match="closed on"),
    ):
        flights.request_seats(actor=de, flight=flight, member_state="DE", seats=1)
    assert SeatRequest.objects.count() == 0


def test_overlapping_allocations_are_refused(officer):
    nl, de, be = officer("nl"), officer("de"), officer("be")
    flight = make_flight(nl, seats=5)
    first = flights.request_seats(actor=de, flight=flight, member_state="DE", seats=4)
    second = flights.request_seats(actor=be, flight=flight, member_state="BE", seats=3)
    flights.allocate_seats(actor=nl, request=first, seats=4)
    with pytest.raises(ValidationError, match="overlap seats already allocated"):
        flights.allocate_seats(actor=nl, request=second, seats=3)
    second.refresh_from_db()
    flight.refresh_from_db()
    assert (second.allocated, flight.allocated) == (0, 4)
    with pytest.raises(ValidationError, match="already requested seats"):
        flights.request_seats(actor=de, flight=flight, member_state="DE", seats=1)


def test_taking_more_than_the_free_seats_is_refused(officer):
    nl, de = officer("nl"), officer("de")
    flight = make_flight(nl, seats=2)
    flights.take_seats(actor=de, flight=flight, member_state="DE", seats=2)
    with pytest.raises(ValidationError, match="Only 0 seats are free"):
        flights.take_seats(actor=officer("be"), flight=flight, member_state="BE", seats=1)


def test_seat_requests_are_seen_by_the_requester_and_the_organiser_only(officer, coordinator):
    nl, de, be = officer("nl"), officer("de"), officer("be")
    flight = make_flight(nl)
    request = flights.request_seats(actor=de, flight=flight, member_state="DE", seats=1)
    assert list(selectors.seat_requests(user=nl)) == [request]
    assert list(selectors.seat_requests(user=de)) == [request]
    assert list(selectors.seat_requests(user=be)) == []
    assert list(selectors.seat_requests(user=coordinator)) == []


def test_the_counter_never_goes_past_the_seats_even_without_the_lock(officer):
    """The conditional UPDATE is the second guard: a stale copy of the flight cannot overbook."""
    nl, de = officer("nl"), officer("de")
    flight = make_flight(nl, seats=1)
    stale = CharterFlight.objects.get(pk=flight.pk)
    flights.take_seats(actor=de, flight=flight, member_state="DE", seats=1)
    with pytest.raises(ValidationError):
        flights._move_allocated(stale, 1)
    assert CharterFlight.objects.get(pk=flight.pk).allocated == 1
