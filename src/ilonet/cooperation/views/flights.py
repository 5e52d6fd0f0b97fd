"""Pages of charter flights and their seats (RS 1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate

from .. import selectors
from ..forms import CasesForm, CountForm, FlightForm, SeatsForm
from ..models import CharterFlight
from ..services import flights
from .common import form_page, states

A = policy.Action


@login_required
def flight_list(request):
    policy.authorize(request.user, A.VIEW_RETURN_COOPERATION)
    country = (request.GET.get("country") or "").strip().upper()[:2] or None
    return render(
        request,
        "cooperation/flight_list.html",
        {
            "page_obj": paginate(request, selectors.flights(country=country)),
            "country": country,
            "may_offer": policy.can(request.user, A.OFFER_RETURN_CAPACITY),
        },
    )


@login_required
def flight_new(request):
    policy.authorize(request.user, A.OFFER_RETURN_CAPACITY)
    form = FlightForm(request.POST or None, states=states(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            flight = flights.announce_flight(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Flight announced."))
            return redirect("cooperation:flight_detail", flight.pk)
    return form_page(request, form, _("Announce a charter flight"), "cooperation:flight_list")


@login_required
def flight_detail(request, pk: int):
    policy.authorize(request.user, A.VIEW_RETURN_COOPERATION)
    flight = get_object_or_404(CharterFlight, pk=pk)
    own = policy.can(request.user, A.OFFER_RETURN_CAPACITY, flight)
    mine = [s for s in states(request.user) if s != flight.organiser]
    return render(
        request,
        "cooperation/flight_detail.html",
        {
            "flight": flight,
            "page_obj": paginate(request, selectors.seat_requests(user=request.user, flight=flight)),
            "own": own,
            "may_request": bool(mine) and policy.can(request.user, A.REQUEST_RETURN_CAPACITY),
            "occupancy": round(100 * flight.allocated / flight.seats) if flight.seats else 0,
        },
    )


def _seats_page(request, flight, title, action):
    mine = [s for s in states(request.user) if s != flight.organiser]
    form = SeatsForm(request.POST or None, states=mine)
    if request.method == "POST" and form.is_valid():
        try:
            action(actor=request.user, flight=flight, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Seats requested."))
            return redirect("cooperation:flight_detail", flight.pk)
    return form_page(request, form, title, "cooperation:flight_list")


@login_required
def seats_request(request, pk: int):
    policy.authorize(request.user, A.REQUEST_RETURN_CAPACITY)
    flight = get_object_or_404(CharterFlight, pk=pk)
    return _seats_page(request, flight, _("Request seats"), flights.request_seats)


@login_required
def seats_take(request, pk: int):
    """Seats free before the deadline, offered again: taken at once, first come."""
    policy.authorize(request.user, A.REQUEST_RETURN_CAPACITY)
    flight = get_object_or_404(CharterFlight, pk=pk)
    return _seats_page(request, flight, _("Take free seats"), flights.take_seats)


def _count_post(request, pk: int, action, done: str):
    seat_request = get_object_or_404(selectors.seat_requests(user=request.user), pk=pk)
    form = CountForm(request.POST)
    if form.is_valid():
        try:
            action(actor=request.user, request=seat_request, seats=form.cleaned_data["seats"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, _("Give a number of seats."))
    return redirect("cooperation:flight_detail", seat_request.flight_id)


@login_required
@require_POST
def seats_allocate(request, pk: int):
    policy.authorize(request.user, A.OFFER_RETURN_CAPACITY)
    return _count_post(request, pk, flights.allocate_seats, _("Seats allocated."))


@login_required
@require_POST
def seats_release(request, pk: int):
    policy.authorize(request.user, A.REQUEST_RETURN_CAPACITY)
    return _count_post(request, pk, flights.release_seats, _("Seats given back: they are offered again."))


@login_required
def seats_cases(request, pk: int):
    policy.authorize(request.user, A.REQUEST_RETURN_CAPACITY)
    seat_request = get_object_or_404(selectors.seat_requests(user=request.user), pk=pk)
    form = CasesForm(
        request.POST or None, initial={"case_references": "\n".join(seat_request.case_references)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            flights.assign_cases(
                actor=request.user,
                request=seat_request,
                case_references=form.cleaned_data["case_references"].splitlines(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Cases named for the seats."))
            return redirect("cooperation:flight_detail", seat_request.flight_id)
    return form_page(request, form, _("Cases for the seats"), "cooperation:flight_list")
