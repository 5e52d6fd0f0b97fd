"""Seats on charter flights (RS 1: the occupancy of charter flights). A member state, or a
Frontex-coordinated operation it organises, announces a flight; others request seats; the
organiser allocates them; seats given back before the deadline are offered again, and any
member state may take them at once.

**The last seat.** Every change of the seats allocated on a flight runs under the flight row's
lock (``select_for_update``: on PostgreSQL the second of two states taking the last seat waits
for the first and then finds no seat; on SQLite the single writer serialises them), and the
flight's counter is changed by a conditional UPDATE that cannot go over the seats (a check
constraint is the backstop). Exactly one of two states wins; the other gets a clear refusal.
Only counts and the requesting state's case references leave that state."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.policy.markers import system_operation

from .. import notices, selectors
from ..models import CharterFlight, FlightStatus, RequestStatus, SeatRequest
from ..validation import case_reference_problem, check_member_state, check_third_countries, no_personal_data

A = policy.Action


def announce_flight(
    *,
    actor: Any,
    organiser: str,
    third_country: str,
    departure_on: date,
    seats: int,
    request_deadline: date,
    frontex_coordinated: bool = False,
    note: str = "",
) -> CharterFlight:
    """RS 1: a charter flight to a third country with seats for other member states. Refused
    for a flight in the past, a deadline after the departure, or a country that is not a third
    country."""
    policy.authorize(actor, A.OFFER_RETURN_CAPACITY)
    organiser = check_member_state("organiser", organiser)
    policy.authorize(actor, A.OFFER_RETURN_CAPACITY, organiser)
    (country,) = check_third_countries("third_country", [third_country], own_state=organiser)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if departure_on <= today:
        errors["departure_on"] = _("The flight departs in the past: announce flights that are still to come.")
    if request_deadline < today:
        errors["request_deadline"] = _("The deadline for requests is in the past.")
    elif request_deadline >= departure_on:
        errors["request_deadline"] = _("Requests close before the departure.")
    if seats < 1:
        errors["seats"] = _("Offer at least one seat.")
    if errors:
        raise ValidationError(errors)
    no_personal_data(note=note)
    with transaction.atomic():
        flight = CharterFlight.objects.create(
            organiser=organiser,
            frontex_coordinated=frontex_coordinated,
            third_country=country,
            departure_on=departure_on,
            seats=seats,
            request_deadline=request_deadline,
            note=note,
            created_by=actor,
        )
        audit.record(
            action=AuditAction.COOPERATION_FLIGHT_ANNOUNCED,
            actor=actor,
            obj=flight,
            details={
                "organiser": organiser,
                "country": country,
                "seats": seats,
                "departure_on": departure_on.isoformat(),
                "frontex": frontex_coordinated,
            },
        )
        notices.flight_announced(flight)
    return flight


def _locked_open_flight(flight: CharterFlight, *, organiser: bool = False) -> CharterFlight:
    """The flight's row, locked to the end of the transaction; refused when closed: for
    requests after their deadline, for the organiser's allocations after the departure."""
    flight = CharterFlight.objects.select_for_update().get(pk=flight.pk)
    if flight.status != FlightStatus.ANNOUNCED:
        raise ValidationError(_("This flight was cancelled."))
    if organiser and timezone.localdate() >= flight.departure_on:
        raise ValidationError(_("The flight has departed."))
    if not organiser and timezone.localdate() > flight.request_deadline:
        raise ValidationError(
            _("Requests for this flight closed on %(deadline)s.")
            % {"deadline": flight.request_deadline.isoformat()}
        )
    return flight


def _move_allocated(flight: CharterFlight, change: int) -> None:
    """Change the flight's allocated seats by ``change``, never past its seats: a conditional
    UPDATE, so even without the row lock two writers cannot both take the last seat."""
    qs = CharterFlight.objects.filter(pk=flight.pk)
    if change > 0:
        qs = qs.filter(allocated__lte=F("seats") - change)
    if qs.update(allocated=F("allocated") + change) != 1:
        raise ValidationError(_("These seats were just taken by another member state: no seat is free."))
    flight.allocated += change


def request_seats(*, actor: Any, flight: CharterFlight, member_state: str, seats: int) -> SeatRequest:
    """RS 1: a member state asks the organiser for seats (a count). One request per state and
    flight; never more seats than the flight offers; never after the deadline."""
    policy.authorize(actor, A.REQUEST_RETURN_CAPACITY)
    member_state = (member_state or "").strip().upper()
    policy.authorize(actor, A.REQUEST_RETURN_CAPACITY, member_state)
    with transaction.atomic():
        flight = _locked_open_flight(flight)
        if member_state == flight.organiser:
            raise ValidationError(_("The organiser does not request seats on its own flight."))
        if seats < 1 or seats > flight.seats:
            raise ValidationError(
                {
                    "seats": _("The flight offers %(seats)s seats to other member states.")
                    % {"seats": flight.seats}
                }
            )
        if SeatRequest.objects.filter(flight=flight, member_state=member_state).exists():
            raise ValidationError(
                _("Your member state already requested seats on this flight: change that request.")
            )
        request = SeatRequest.objects.create(
            flight=flight, member_state=member_state, seats=seats, requested_by=actor
        )
        audit.record(
            action=AuditAction.COOPERATION_SEATS_REQUESTED,
            actor=actor,
            obj=request,
            details={"flight": flight.pk, "member_state": member_state, "seats": seats},
        )
    return request


def allocate_seats(*, actor: Any, request: SeatRequest, seats: int) -> SeatRequest:
    """The organiser allocates seats to a request (0 declines it). Allocations never overlap:
    together they never exceed the flight's seats."""
    policy.authorize(actor, A.OFFER_RETURN_CAPACITY)
    policy.authorize(actor, A.OFFER_RETURN_CAPACITY, request.flight)
    with transaction.atomic():
        flight = _locked_open_flight(request.flight, organiser=True)
        request = SeatRequest.objects.select_for_update().get(pk=request.pk)
        if seats < 0 or seats > request.seats:
            raise ValidationError(
                {
                    "seats": _("Allocate between 0 and the %(seats)s seats requested.")
                    % {"seats": request.seats}
                }
            )
        change = seats - request.allocated
        if change > flight.free:
            raise ValidationError(
                {
                    "seats": _(
                        "These seats overlap seats already allocated to other member states: %(free)s free."
                    )
                    % {"free": flight.free}
                }
            )
        _move_allocated(flight, change)
        request.allocated = seats
        request.status = RequestStatus.ACCEPTED if seats else RequestStatus.DECLINED
        request.answered_at = timezone.now()
        request.save(update_fields=["allocated", "status", "answered_at"])
        version = audit.record(  # its seq versions the notice: appended now (audit.record)
            action=AuditAction.COOPERATION_SEATS_ALLOCATED,
            actor=actor,
            obj=request,
            details={"flight": flight.pk, "allocated": seats, "requested": request.seats},
            immediate=True,
        ).seq
        notices.seats_allocated(request, version=version)
    return request


def take_seats(*, actor: Any, flight: CharterFlight, member_state: str, seats: int) -> SeatRequest:
    """RS 1: seats free before the deadline (never allocated, or given back) are offered again:
    a member state takes them at once, first come first served. Of two states taking the last
    seat at the same instant, exactly one gets it (the flight row lock and the conditional
    UPDATE, see the module's docstring)."""
    policy.authorize(actor, A.REQUEST_RETURN_CAPACITY)
    member_state = (member_state or "").strip().upper()
    policy.authorize(actor, A.REQUEST_RETURN_CAPACITY, member_state)
    if seats < 1:
        raise ValidationError({"seats": _("Take at least one seat.")})
    with transaction.atomic():
        flight = _locked_open_flight(flight)
        if member_state == flight.organiser:
            raise ValidationError(_("The organiser does not request seats on its own flight."))
        if seats > flight.free:
            raise ValidationError(
                {"seats": _("Only %(free)s seats are free on this flight.") % {"free": flight.free}}
            )
        _move_allocated(flight, seats)
        request, _created = SeatRequest.objects.select_for_update().get_or_create(
            flight=flight, member_state=member_state, defaults={"seats": seats, "requested_by": actor}
        )
        if not _created:
            wanted = request.allocated + seats
            request.seats = (
                wanted if request.status == RequestStatus.WITHDRAWN else max(request.seats, wanted)
            )
        request.allocated += seats
        request.status, request.answered_at = RequestStatus.ACCEPTED, timezone.now()
        request.save()
        audit.record(
            action=AuditAction.COOPERATION_SEATS_TAKEN,
            actor=actor,
            obj=request,
            details={"flight": flight.pk, "member_state": member_state, "seats": seats},
        )
    return request


def release_seats(*, actor: Any, request: SeatRequest, seats: int) -> SeatRequest:
    """The requesting state gives back allocated seats it will not use, before the deadline:
    they are offered again to the states working on the country."""
    policy.authorize(actor, A.REQUEST_RETURN_CAPACITY)
    policy.authorize(actor, A.REQUEST_RETURN_CAPACITY, request)
    with transaction.atomic():
        flight = _locked_open_flight(request.flight)
        request = SeatRequest.objects.select_for_update().get(pk=request.pk)
        if seats < 1 or seats > request.allocated:
            raise ValidationError(
                {
                    "seats": _("Give back between 1 and the %(seats)s seats allocated.")
                    % {"seats": request.allocated}
                }
            )
        _move_allocated(flight, -seats)
        request.allocated -= seats
        request.seats -= seats
        request.case_references = request.case_references[: request.allocated]
        if request.seats == 0:
            request.seats, request.status = 1, RequestStatus.WITHDRAWN
        request.save(update_fields=["allocated", "seats", "status", "case_references"])
        version = audit.record(  # its seq versions the notice: appended now (audit.record)
            action=AuditAction.COOPERATION_SEATS_RELEASED,
            actor=actor,
            obj=request,
            details={"flight": flight.pk, "released": seats},
            immediate=True,
        ).seq
        notices.seats_offered_again(flight, released=seats, version=version)
    return request


def assign_cases(*, actor: Any, request: SeatRequest, case_references: list[str]) -> SeatRequest:
    """The requesting state names its cases for its allocated seats: its own case references
    only (no names), at most one per seat allocated."""
    policy.authorize(actor, A.REQUEST_RETURN_CAPACITY)
    policy.authorize(actor, A.REQUEST_RETURN_CAPACITY, request)
    references = [r.strip().upper() for r in case_references if r and r.strip()]
    problems = [p for r in references if (p := case_reference_problem(request.member_state, r))]
    if problems:
        raise ValidationError({"case_references": problems[0]})
    if len(set(references)) != len(references):
        raise ValidationError({"case_references": _("A case is named twice.")})
    no_personal_data(case_references=" ".join(references))
    with transaction.atomic():
        request = SeatRequest.objects.select_for_update().get(pk=request.pk)
        if len(references) > request.allocated:
            raise ValidationError(
                {
                    "case_references": _("%(seats)s seats are allocated: name as many cases at most.")
                    % {"seats": request.allocated}
                }
            )
        request.case_references = references
        request.save(update_fields=["case_references"])
        audit.record(
            action=AuditAction.COOPERATION_SEATS_ALLOCATED,
            actor=actor,
            obj=request,
            details={"flight": request.flight_id, "cases": len(references)},
        )
    return request


@system_operation
def notify_deadlines(*, today: date | None = None) -> int:
    """Daily (``jobs.notify_deadlines``): the states working on a country hear that requests
    for a flight with free seats close within three days. Once per flight and deadline (the
    notice's key), however often it runs."""
    today = today or timezone.localdate()
    flights = list(selectors.flights_with_deadline_near(today=today))
    with transaction.atomic():
        for flight in flights:
            notices.deadline_near(flight)
        if flights:
            audit.record(
                action=AuditAction.COOPERATION_DEADLINES_NOTIFIED,
                actor_label="ilonet.jobs",
                details={"flights": [f.pk for f in flights], "on": today.isoformat()},
            )
    return len(flights)
