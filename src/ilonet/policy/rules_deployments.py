"""Rules for the deployment registry, the contact list, the gap analysis, priority countries,
local and regional networks and the list of deployed ILOs (Regulation (EU) 2019/1240).

Who is who here:
- Art. 9(3): the ILO contact list (Art. 9(2)(d)) and the other personal data of the platform
  (names of officers in the registry, network composition, the board's list of deployed ILOs)
  are for ILOs, steering board members and duly authorised staff only. "Duly authorised
  staff" are the board's secretariat and the officers of the deploying authorities. Everyone
  else, the European Parliament reader included (Art. 9(4)), is refused.
- Art. 4(1): deploying authorities notify their own deployments.
- Art. 5(1)-(2): network members (and the board's chair and secretariat) record network
  activities and the members' agreement on a facilitator.
- Art. 8(2)(d)-(e): the board (chair and secretariat) updates the list of deployed ILOs; the
  board or the EU return coordinator (RS 1) sets priority countries.
"""

from typing import Any

import rules
from django.db.models import Q

from ilonet.accounts.roles import Role
from ilonet.deployments.models import Deployment, DeploymentNotification, DeploymentStatus
from ilonet.directory.models import Organisation, PriorityCountry, PrioritySetter
from ilonet.networks.models import (
    FacilitatorNotification,
    Network,
    NetworkActivity,
    OfficerList,
    OfficerListEntry,
    OfficerListNetwork,
)

from . import register_scope, roles_of, ruleset
from .actions import Action
from .predicates import ART_9_3_READERS, has_role

PERSONAL_DATA_ROLES: frozenset[str] = ART_9_3_READERS
# The gap analysis and priorities hold no personal data: also for the EU return coordinator.
GAP_ROLES: frozenset[str] = PERSONAL_DATA_ROLES | {Role.RETURN_COORDINATOR}
BOARD_OFFICE: frozenset[str] = frozenset({Role.CHAIR, Role.SECRETARIAT})
NETWORK_MEMBER_ROLES: frozenset[str] = frozenset({Role.ILO, Role.FACILITATOR})
PRIORITY_SETTERS: dict[str, frozenset[str]] = {
    PrioritySetter.STEERING_BOARD: BOARD_OFFICE,  # Art. 8(2)(e)
    PrioritySetter.RETURN_COORDINATOR: frozenset({Role.RETURN_COORDINATOR}),  # RS 1
}

_AUTHORITY_CACHE_ATTR = "_ilonet_authority_cache"


def _roles(user: Any) -> set[str]:
    return {role for role, _org, _ref in roles_of(user)}


def managed_authority_ids(user: Any) -> frozenset[int]:
    """The deploying authorities a deploying-authority officer acts for (Art. 4(1)): the
    organisation of each role assignment (or the user's own organisation) and, for a member
    state, its deploying authorities. Cached on the user for the request."""
    cached = getattr(user, _AUTHORITY_CACHE_ATTR, None)
    if cached is not None:
        return cached
    scopes = {
        org_id if org_id is not None else user.organisation_id
        for role, org_id, _ref in roles_of(user)
        if role == Role.DEPLOYING_AUTHORITY
    }
    ids: frozenset[int] = frozenset()
    if scopes:
        ids = frozenset(
            Organisation.objects.filter(is_deploying_authority=True)
            .filter(Q(pk__in=scopes) | Q(parent_id__in=scopes))
            .values_list("pk", flat=True)
        )
    setattr(user, _AUTHORITY_CACHE_ATTR, ids)
    return ids


def forget_authorities(user: Any) -> None:
    if hasattr(user, _AUTHORITY_CACHE_ATTR):
        delattr(user, _AUTHORITY_CACHE_ATTR)


@rules.predicate
def deploys_for(user: Any, obj: Any = None) -> bool:
    """Art. 4(1): a deploying authority notifies its own deployments."""
    if Role.DEPLOYING_AUTHORITY not in _roles(user):
        return False
    if obj is None:
        return True
    if isinstance(obj, Deployment):
        return obj.deploying_authority_id in managed_authority_ids(user)
    if isinstance(obj, Organisation):
        return obj.pk in managed_authority_ids(user)
    return False


@rules.predicate
def contributes_to(user: Any, obj: Any = None) -> bool:
    """Art. 5(1)-(2): members of a network (officers with an active deployment in one of its
    countries) record its activities and agree on a facilitator; so do the board's chair and
    secretariat for any network."""
    held = _roles(user)
    if held & BOARD_OFFICE:
        return True
    if not held & NETWORK_MEMBER_ROLES:
        return False
    if obj is None:
        return True
    if isinstance(obj, Network):
        from ilonet.networks.selectors import is_member

        return is_member(officer=user, network=obj)
    return False


@rules.predicate
def sets_priorities_for(user: Any, obj: Any = None) -> bool:
    """Art. 8(2)(e) and RS 1: the board (chair, secretariat) or the EU return coordinator
    sets priority countries, each only in its own name."""
    held = _roles(user)
    if obj is None:
        return any(held & roles for roles in PRIORITY_SETTERS.values())
    set_by = obj.set_by if isinstance(obj, PriorityCountry) else str(obj)
    return bool(held & PRIORITY_SETTERS.get(set_by, frozenset()))


personal_data_reader = has_role(*PERSONAL_DATA_ROLES)
gap_reader = has_role(*GAP_ROLES)
board_office = has_role(*BOARD_OFFICE)

ruleset.add_rule(Action.VIEW_PRIORITY_COUNTRIES, gap_reader)
ruleset.add_rule(Action.MANAGE_PRIORITY_COUNTRIES, sets_priorities_for)
ruleset.add_rule(Action.VIEW_DEPLOYMENTS, personal_data_reader)  # Art. 4(2), 9(3)
ruleset.add_rule(Action.MANAGE_DEPLOYMENTS, deploys_for)  # Art. 4(1)
ruleset.add_rule(Action.VIEW_CONTACT_LIST, personal_data_reader)  # Art. 9(2)(d), 9(3)
ruleset.add_rule(Action.VIEW_DEPLOYMENT_GAPS, gap_reader)  # Art. 8(2)(e)
ruleset.add_rule(Action.VIEW_NETWORKS, personal_data_reader)  # Art. 5(1), 9(3)
ruleset.add_rule(Action.MANAGE_NETWORKS, board_office)  # Art. 5(1), 8(2)(b)
ruleset.add_rule(Action.CONTRIBUTE_TO_NETWORK, contributes_to)  # Art. 5(1)-(2)
ruleset.add_rule(Action.VIEW_OFFICER_LISTS, personal_data_reader)  # Art. 8(2)(d), 9(3)
ruleset.add_rule(Action.UPDATE_OFFICER_LIST, board_office)  # Art. 8(2)(d)


def _all(user, qs):
    return qs


for _model, _action in (
    (PriorityCountry, Action.VIEW_PRIORITY_COUNTRIES),
    (Deployment, Action.VIEW_DEPLOYMENTS),
    (DeploymentNotification, Action.VIEW_DEPLOYMENTS),
    (Network, Action.VIEW_NETWORKS),
    (NetworkActivity, Action.VIEW_NETWORKS),
    (FacilitatorNotification, Action.VIEW_NETWORKS),
    (OfficerList, Action.VIEW_OFFICER_LISTS),
    (OfficerListEntry, Action.VIEW_OFFICER_LISTS),
    (OfficerListNetwork, Action.VIEW_OFFICER_LISTS),
):
    register_scope(_model, _action)(_all)


@register_scope(Deployment, Action.VIEW_CONTACT_LIST)
def _contact_list_rows(user, qs):
    """Art. 9(2)(d): the contact list is of officers deployed now."""
    return qs.filter(status=DeploymentStatus.ACTIVE)


@register_scope(Deployment, Action.MANAGE_DEPLOYMENTS)
def _own_authority_deployments(user, qs):
    return qs.filter(deploying_authority_id__in=managed_authority_ids(user))


@register_scope(Network, Action.CONTRIBUTE_TO_NETWORK)
def _networks_contributed_to(user, qs):
    if _roles(user) & BOARD_OFFICE:
        return qs
    from ilonet.networks.selectors import networks_of_officer

    return networks_of_officer(officer=user, queryset=qs)
