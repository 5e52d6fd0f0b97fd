"""Who takes part in return cooperation between member states (RS 1, RS 2(b)).

- The member states' return officers (return counsellors and case workers of a member state,
  RS 2(c)) and the EU return coordinator read the offers of places, the charter flights, the
  mission calendar, the directory of referral and reintegration opportunities and the peer
  support and trainings.
- A return officer offers places and announces flights for their own member state and answers
  the requests made to it; asks for places and seats for their own member state; hosts
  missions of their own member state; keeps the directory and the peer support of their own
  member state.
- Requests are seen in full only by the requesting member state and by the state that offered
  the places or organises the flight. The coordinator hosts joint missions for the Commission,
  keeps the directory and the trainings, and sees the cooperation in aggregate, per priority
  country and quarter: never a request's case references.
"""

from typing import Any

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ilonet import policy
from ilonet.directory import selectors as directory
from ilonet.policy.predicates import has_role

from .models import (
    CharterFlight,
    Mission,
    Opportunity,
    PlaceOffer,
    PlaceRequest,
    PlaceUse,
    SeatRequest,
    SupportItem,
)

A = policy.Action
COORDINATOR = "return_coordinator"
RETURN_OFFICER = "return_officer"
_STATES = "cooperation.member_states"


def officer_states(user: Any) -> frozenset[str]:
    """ISO codes of the member states a return officer acts for: the scope of each of their
    return-officer roles, else their own organisation's member state. Cached for the request."""

    def compute() -> frozenset[str]:
        ids = [
            org_id if org_id is not None else user.organisation_id
            for role, org_id, _ref in policy.roles_of(user)
            if role == RETURN_OFFICER
        ]
        return frozenset(directory.member_state_codes([i for i in ids if i is not None]))

    return policy.request_cache(user, _STATES, compute)


def _state_of(obj: Any) -> str | None:
    """The member state that acts on an object: the one offering, organising, requesting,
    hosting or providing."""
    if isinstance(obj, str):
        return obj
    if isinstance(obj, PlaceOffer):
        return obj.member_state
    if isinstance(obj, CharterFlight):
        return obj.organiser
    if isinstance(obj, (PlaceRequest, SeatRequest)):
        return obj.member_state
    if isinstance(obj, PlaceUse):
        return obj.request.member_state
    if isinstance(obj, Mission):
        return obj.host
    if isinstance(obj, Opportunity):
        return obj.entered_by_state
    if isinstance(obj, SupportItem):
        return obj.provider
    return getattr(obj, "member_state", None)


@rules.predicate
def acts_for_own_state(user: Any, obj: Any = None) -> bool:
    """RS 1: a return officer acts for their own member state only."""
    if RETURN_OFFICER not in policy.role_names(user):
        return False
    return obj is None or _state_of(obj) in officer_states(user)


@rules.predicate
def coordinator_or_own_state(user: Any, obj: Any = None) -> bool:
    """The coordinator for any entry (the Commission hosts joint missions, RS 1); a return
    officer for their own member state's."""
    held = policy.role_names(user)
    if COORDINATOR in held:
        return True
    if RETURN_OFFICER not in held:
        return False
    return obj is None or _state_of(obj) in officer_states(user)


def _own_state_refusal(user: Any, obj: Any) -> str:
    return str(_("A return officer acts for their own member state only (RS 1)."))


has_role(COORDINATOR, RETURN_OFFICER)
policy.register_rule(A.VIEW_RETURN_COOPERATION, has_role(COORDINATOR, RETURN_OFFICER), basis="RS 1; RS 2(b).")
policy.register_rule(
    A.OFFER_RETURN_CAPACITY, acts_for_own_state, basis="RS 1: own member state.", refusal=_own_state_refusal
)
policy.register_rule(
    A.REQUEST_RETURN_CAPACITY, acts_for_own_state, basis="RS 1: own member state.", refusal=_own_state_refusal
)
policy.register_rule(
    A.MANAGE_RETURN_MISSIONS, coordinator_or_own_state, basis="RS 1: host.", refusal=_own_state_refusal
)
policy.register_rule(
    A.MANAGE_REINTEGRATION_DIRECTORY,
    coordinator_or_own_state,
    basis="RS 2(b): referral and reintegration opportunities.",
    refusal=_own_state_refusal,
)
policy.register_rule(
    A.MANAGE_PEER_SUPPORT, coordinator_or_own_state, basis="RS 2(b).", refusal=_own_state_refusal
)
policy.register_rule(A.VIEW_COOPERATION_OVERVIEW, has_role(COORDINATOR), basis="RS 1: aggregates.")


@policy.register_scope(PlaceRequest, A.VIEW_RETURN_COOPERATION)
def _place_requests_visible(user, qs):
    """A request in full: to the requesting state and to the offering state; nobody else (the
    coordinator reads aggregates)."""
    states = sorted(officer_states(user)) if RETURN_OFFICER in policy.role_names(user) else []
    return qs.filter(Q(member_state__in=states) | Q(offer__member_state__in=states))


@policy.register_scope(SeatRequest, A.VIEW_RETURN_COOPERATION)
def _seat_requests_visible(user, qs):
    """A seat request in full: to the requesting state and to the organiser."""
    states = sorted(officer_states(user)) if RETURN_OFFICER in policy.role_names(user) else []
    return qs.filter(Q(member_state__in=states) | Q(flight__organiser__in=states))


@policy.register_scope(PlaceUse, A.VIEW_RETURN_COOPERATION)
def _place_uses_visible(user, qs):
    """The use of a place: to the requesting state and to the receiving programme's state."""
    states = sorted(officer_states(user)) if RETURN_OFFICER in policy.role_names(user) else []
    return qs.filter(Q(request__member_state__in=states) | Q(request__offer__member_state__in=states))
