"""Places opened to each other in the national programmes of assisted voluntary return and
reintegration (RS 1, RS 2(b)): the offer, the request (a count, no persons), the answer and
the use of an accepted place for a case of the requesting state."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction

from .. import notices
from ..models import OfferStatus, PlaceOffer, PlaceRequest, PlaceUse, RequestStatus, SpecialNeed
from ..validation import case_reference_problem, check_member_state, check_third_countries, no_personal_data

A = policy.Action


def publish_offer(
    *,
    actor: Any,
    member_state: str,
    programme: str,
    third_countries: list[str],
    places: int,
    period_start: date,
    period_end: date,
    package: str,
    conditions: str = "",
    request_deadline: date,
) -> PlaceOffer:
    """RS 1: a member state opens places in its programme to the others, for given third
    countries (never its own territory or a country outside the third-country list)."""
    policy.authorize(actor, A.OFFER_RETURN_CAPACITY)
    member_state = check_member_state("member_state", member_state)
    policy.authorize(actor, A.OFFER_RETURN_CAPACITY, member_state)
    countries = check_third_countries("third_countries", third_countries, own_state=member_state)
    errors: dict[str, str] = {}
    if places < 1:
        errors["places"] = _("Offer at least one place.")
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    if request_deadline < timezone.localdate():
        errors["request_deadline"] = _("The deadline for requests is in the past.")
    elif request_deadline > period_end:
        errors["request_deadline"] = _("Requests close at the latest when the period ends.")
    if errors:
        raise ValidationError(errors)
    no_personal_data(programme=programme, package=package, conditions=conditions)
    with transaction.atomic():
        offer = PlaceOffer.objects.create(
            member_state=member_state,
            programme=programme,
            third_countries=countries,
            places=places,
            period_start=period_start,
            period_end=period_end,
            package=package,
            conditions=conditions,
            request_deadline=request_deadline,
            created_by=actor,
        )
        audit.record(
            action=AuditAction.COOPERATION_OFFER_PUBLISHED,
            actor=actor,
            obj=offer,
            details={"member_state": member_state, "countries": countries, "places": places},
        )
        notices.offer_published(offer)
    return offer


def withdraw_offer(*, actor: Any, offer: PlaceOffer) -> PlaceOffer:
    """The offering state withdraws its offer; pending requests are declined with it."""
    policy.authorize(actor, A.OFFER_RETURN_CAPACITY)
    policy.authorize(actor, A.OFFER_RETURN_CAPACITY, offer)
    with transaction.atomic():
        offer = PlaceOffer.objects.select_for_update().get(pk=offer.pk)
        if offer.status == OfferStatus.WITHDRAWN:
            return offer
        offer.status = OfferStatus.WITHDRAWN
        offer.save(update_fields=["status"])
        declined = offer.requests.filter(status=RequestStatus.PENDING).update(
            status=RequestStatus.DECLINED, answered_at=timezone.now()
        )
        audit.record(
            action=AuditAction.COOPERATION_OFFER_WITHDRAWN,
            actor=actor,
            obj=offer,
            details={"declined": declined},
        )
    return offer


def _accepted(offer: PlaceOffer) -> int:
    return offer.requests.filter(status=RequestStatus.ACCEPTED).aggregate(n=Sum("places"))["n"] or 0


def request_places(
    *, actor: Any, offer: PlaceOffer, member_state: str, third_country: str, places: int, note: str = ""
) -> PlaceRequest:
    """RS 1: a member state asks for places of an offer for its cases: a count, no persons.
    Refused after the deadline, beyond the places still open, for a country the offer does not
    cover, or by the offering state itself."""
    policy.authorize(actor, A.REQUEST_RETURN_CAPACITY)
    member_state = (member_state or "").strip().upper()
    policy.authorize(actor, A.REQUEST_RETURN_CAPACITY, member_state)
    third_country = (third_country or "").strip().upper()
    no_personal_data(note=note)
    with transaction.atomic():
        offer = PlaceOffer.objects.select_for_update().get(pk=offer.pk)
        if offer.status != OfferStatus.OPEN:
            raise ValidationError(_("This offer was withdrawn."))
        if timezone.localdate() > offer.request_deadline:
            raise ValidationError(
                _("Requests for this offer closed on %(deadline)s.")
                % {"deadline": offer.request_deadline.isoformat()}
            )
        if member_state == offer.member_state:
            raise ValidationError(_("A member state does not request places in its own programme."))
        if third_country not in offer.third_countries:
            raise ValidationError({"third_country": _("The offer does not cover this third country.")})
        open_places = offer.places - _accepted(offer)
        if places < 1 or places > open_places:
            raise ValidationError(
                {
                    "places": _("Only %(open)s of the %(offered)s places offered are still open.")
                    % {"open": open_places, "offered": offer.places}
                }
            )
        request = PlaceRequest.objects.create(
            offer=offer,
            member_state=member_state,
            third_country=third_country,
            places=places,
            note=note,
            requested_by=actor,
        )
        audit.record(
            action=AuditAction.COOPERATION_PLACES_REQUESTED,
            actor=actor,
            obj=request,
            details={"offer": offer.pk, "member_state": member_state, "places": places},
        )
    return request


def answer_request(*, actor: Any, request: PlaceRequest, accept: bool, note: str = "") -> PlaceRequest:
    """The offering state accepts or declines a request; accepted places never exceed the
    places offered (the offer row is locked while counting)."""
    policy.authorize(actor, A.OFFER_RETURN_CAPACITY)
    policy.authorize(actor, A.OFFER_RETURN_CAPACITY, request.offer)
    no_personal_data(answer_note=note)
    with transaction.atomic():
        offer = PlaceOffer.objects.select_for_update().get(pk=request.offer_id)
        request = PlaceRequest.objects.select_related("offer").get(pk=request.pk)
        if request.status != RequestStatus.PENDING:
            raise ValidationError(_("This request was already answered."))
        if accept and _accepted(offer) + request.places > offer.places:
            raise ValidationError(
                _("Accepting would give more places than offered: %(open)s still open.")
                % {"open": offer.places - _accepted(offer)}
            )
        request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
        request.answer_note, request.answered_at = note, timezone.now()
        request.save(update_fields=["status", "answer_note", "answered_at"])
        audit.record(
            action=AuditAction.COOPERATION_PLACES_ANSWERED,
            actor=actor,
            obj=request,
            details={"status": request.status, "places": request.places},
        )
        notices.places_answered(request)
    return request


def record_use(
    *,
    actor: Any,
    request: PlaceRequest,
    case_reference: str,
    persons: int = 1,
    planned_departure: date | None = None,
    special_needs: list[str] | None = None,
) -> PlaceUse:
    """The requesting state assigns a case to an accepted place. The link carries only what the
    receiving programme needs (strictly necessary): the requesting state's case reference, the
    number of persons, the planned departure and categories of special needs."""
    policy.authorize(actor, A.REQUEST_RETURN_CAPACITY)
    policy.authorize(actor, A.REQUEST_RETURN_CAPACITY, request)
    case_reference = (case_reference or "").strip().upper()
    needs = sorted(set(special_needs or []))
    errors: dict[str, str] = {}
    if problem := case_reference_problem(request.member_state, case_reference):
        errors["case_reference"] = problem
    if any(n not in SpecialNeed.values for n in needs):
        errors["special_needs"] = _("Unknown category of special needs.")
    if persons < 1:
        errors["persons"] = _("A place covers at least one person.")
    if errors:
        raise ValidationError(errors)
    no_personal_data(case_reference=case_reference)
    with transaction.atomic():
        request = PlaceRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != RequestStatus.ACCEPTED:
            raise ValidationError(_("Only accepted places can be used."))
        used = request.uses.aggregate(n=Sum("persons"))["n"] or 0
        if used + persons > request.places:
            raise ValidationError(
                {
                    "persons": _("Only %(free)s of the %(places)s accepted places are still free.")
                    % {"free": request.places - used, "places": request.places}
                }
            )
        if request.uses.filter(case_reference=case_reference).exists():
            raise ValidationError({"case_reference": _("This case already has a place of this request.")})
        use = PlaceUse.objects.create(
            request=request,
            case_reference=case_reference,
            persons=persons,
            planned_departure=planned_departure,
            special_needs=needs,
            recorded_by=actor,
        )
        audit.record(
            action=AuditAction.COOPERATION_PLACE_USED,
            actor=actor,
            obj=use,
            details={"request": request.pk, "persons": persons},  # no case reference in the trail
        )
    return use
