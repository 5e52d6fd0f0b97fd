"""Pages of shared places in voluntary return and reintegration programmes (RS 1, RS 2(b))."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate

from .. import selectors
from ..forms import AnswerForm, OfferForm, PlaceRequestForm, PlaceUseForm
from ..models import PlaceOffer, PlaceRequest
from ..services import places
from .common import form_page, states

A = policy.Action


@login_required
def offer_list(request):
    policy.authorize(request.user, A.VIEW_RETURN_COOPERATION)
    country = (request.GET.get("country") or "").strip().upper()[:2] or None
    return render(
        request,
        "cooperation/offer_list.html",
        {
            "page_obj": paginate(request, selectors.offers(country=country)),
            "country": country,
            "my_requests": selectors.place_requests(user=request.user)[:20],
            "own_states": states(request.user),  # its accepted requests: assign a case to a place
            "may_offer": policy.can(request.user, A.OFFER_RETURN_CAPACITY),
        },
    )


@login_required
def offer_new(request):
    policy.authorize(request.user, A.OFFER_RETURN_CAPACITY)
    form = OfferForm(request.POST or None, states=states(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            offer = places.publish_offer(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Places offered."))
            return redirect("cooperation:offer_detail", offer.pk)
    return form_page(request, form, _("Offer places in your programme"), "cooperation:offer_list")


@login_required
def offer_detail(request, pk: int):
    policy.authorize(request.user, A.VIEW_RETURN_COOPERATION)
    offer = get_object_or_404(selectors.offers(), pk=pk)
    own = policy.can(request.user, A.OFFER_RETURN_CAPACITY, offer)
    requests = selectors.place_requests(user=request.user, offer=offer)
    return render(
        request,
        "cooperation/offer_detail.html",
        {
            "offer": offer,
            "page_obj": paginate(request, requests),
            "own": own,
            "may_request": policy.can(request.user, A.REQUEST_RETURN_CAPACITY)
            and not own
            and offer.status == "open",
            "answer_form": AnswerForm(),
        },
    )


@login_required
def request_new(request, pk: int):
    policy.authorize(request.user, A.REQUEST_RETURN_CAPACITY)
    offer = get_object_or_404(PlaceOffer, pk=pk)
    mine = [s for s in states(request.user) if s != offer.member_state]
    form = PlaceRequestForm(request.POST or None, states=mine, countries=offer.third_countries)
    if request.method == "POST" and form.is_valid():
        try:
            places.request_places(actor=request.user, offer=offer, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Places requested."))
            return redirect("cooperation:offer_detail", offer.pk)
    return form_page(request, form, _("Request places"), "cooperation:offer_list")


@login_required
@require_POST
def request_answer(request, pk: int):
    policy.authorize(request.user, A.OFFER_RETURN_CAPACITY)
    place_request = get_object_or_404(selectors.place_requests(user=request.user), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            places.answer_request(actor=request.user, request=place_request, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Request answered."))
    else:
        messages.error(request, _("Choose an answer."))
    return redirect(reverse("cooperation:offer_detail", args=[place_request.offer_id]))


@login_required
def use_new(request, pk: int):
    policy.authorize(request.user, A.REQUEST_RETURN_CAPACITY)
    place_request = get_object_or_404(selectors.place_requests(user=request.user), pk=pk)
    form = PlaceUseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            places.record_use(actor=request.user, request=place_request, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Case assigned to the place."))
            return redirect("cooperation:offer_detail", place_request.offer_id)
    return form_page(
        request,
        form,
        _("Assign a case to a place"),
        "cooperation:offer_list",
        intro=_(
            "Only what the receiving programme needs: your case reference, the number of persons, "
            "the planned departure and the categories of special needs (strictly necessary)."
        ),
    )


@login_required
def request_uses(request, pk: int):
    """The uses of one request's places: to the requesting and the receiving state."""
    policy.authorize(request.user, A.VIEW_RETURN_COOPERATION)
    place_request: PlaceRequest = get_object_or_404(selectors.place_requests(user=request.user), pk=pk)
    return render(
        request,
        "cooperation/request_uses.html",
        {
            "place_request": place_request,
            "page_obj": paginate(request, selectors.place_uses(user=request.user, request=place_request)),
            "may_use": policy.can(request.user, A.REQUEST_RETURN_CAPACITY, place_request),
        },
    )
