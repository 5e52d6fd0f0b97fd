"""Who may see and work in the local and regional networks (Art. 5) and the list of deployed
ILOs (Art. 8(2)(d)).

- Art. 9(3): network composition and the list of deployed ILOs are personal data: for ILOs,
  steering board members and duly authorised staff (secretariat, deploying authorities).
- Art. 5(1), Art. 5(2): network members (and the board's chair and secretariat) record network
  activities and the members' agreement on a facilitator.
- Art. 8(2)(d): the board (chair and secretariat) updates the list of deployed ILOs.
"""

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from ilonet import policy
from ilonet.accounts.roles import ART_9_3_READERS, Role
from ilonet.policy.predicates import has_role

from . import selectors
from .models import (
    FacilitatorNotification,
    Network,
    NetworkActivity,
    OfficerList,
    OfficerListEntry,
    OfficerListNetwork,
)

A = policy.Action
BOARD_OFFICE: frozenset[str] = frozenset({Role.CHAIR, Role.SECRETARIAT})  # Art. 7(6)
NETWORK_MEMBER_ROLES: frozenset[str] = frozenset({Role.ILO, Role.FACILITATOR})


@rules.predicate
def contributes_to(user: Any, obj: Any = None) -> bool:
    """Art. 5(1), Art. 5(2): members of a network (officers with an active deployment in one of
    its countries) record its activities and agree on a facilitator; so do the board's chair and
    secretariat for any network."""
    held = policy.role_names(user)
    if held & BOARD_OFFICE:
        return True
    if not held & NETWORK_MEMBER_ROLES:
        return False
    if obj is None:
        return True
    if isinstance(obj, Network):
        return selectors.is_member(officer=user, network=obj)
    return False


personal_data_reader = has_role(*ART_9_3_READERS)
board_office = has_role(*BOARD_OFFICE)
has_role(*NETWORK_MEMBER_ROLES)  # recorded for the role-name check (``contributes_to`` asks for them)

policy.register_rule(
    A.VIEW_NETWORKS,
    personal_data_reader,
    basis="Art. 5(1), Art. 9(3).",
    refusal=_(
        "The networks' pages name their members: that personal data is only for liaison officers, "
        "steering board members and duly authorised staff (Art. 9(3))."
    ),
)
policy.register_rule(A.MANAGE_NETWORKS, board_office, basis="Art. 5(1), Art. 8(2)(b).")
policy.register_rule(A.CONTRIBUTE_TO_NETWORK, contributes_to)
policy.register_rule(
    A.VIEW_OFFICER_LISTS,
    personal_data_reader,
    basis="Art. 8(2)(d), Art. 9(3).",
    refusal=_(
        "The list of deployed ILOs names the officers: that personal data is only for liaison officers, "
        "steering board members and duly authorised staff (Art. 8(2)(d), Art. 9(3))."
    ),
)
policy.register_rule(A.UPDATE_OFFICER_LIST, board_office, basis="Art. 8(2)(d).")


for _model, _action in (
    (Network, A.VIEW_NETWORKS),
    (NetworkActivity, A.VIEW_NETWORKS),
    (FacilitatorNotification, A.VIEW_NETWORKS),
    (OfficerList, A.VIEW_OFFICER_LISTS),
    (OfficerListEntry, A.VIEW_OFFICER_LISTS),
    (OfficerListNetwork, A.VIEW_OFFICER_LISTS),
):
    policy.register_scope(_model, _action)(policy.every_row)


@policy.register_scope(Network, A.CONTRIBUTE_TO_NETWORK)
def _networks_contributed_to(user, qs):
    if policy.role_names(user) & BOARD_OFFICE:
        return qs
    return selectors.networks_of_officer(officer=user, queryset=qs)


@policy.register_scope(Network, A.MANAGE_ROLES)
def _networks_roles_are_scoped_to(user, qs):
    """An administrator may scope a facilitator's role to any network (Art. 5(2))."""
    return qs
