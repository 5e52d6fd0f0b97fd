"""Who may see and notify deployments, read the contact list and the gap analysis
(Regulation (EU) 2019/1240).

- Art. 9(3): the ILO contact list (Art. 9(2)(d)) and the other personal data of the platform
  (names of officers in the registry) are for ILOs, steering board members and duly authorised
  staff only: the board's secretariat and the officers of the deploying authorities. Everyone
  else, the European Parliament reader included (Art. 9(4)), is refused.
- Art. 4(1): deploying authorities notify their own deployments.
- Art. 8(2)(e): the gap analysis holds no personal data: also for the EU return coordinator.
"""

from typing import Any

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ilonet import policy
from ilonet.accounts.roles import ART_9_3_READERS, Role
from ilonet.directory.models import Organisation
from ilonet.policy.predicates import has_role
from ilonet.policy.registry import scope_fn

from .models import Deployment, DeploymentNotification, DeploymentStatus

A = policy.Action
PERSONAL_DATA_ROLES: frozenset[str] = ART_9_3_READERS
GAP_ROLES: frozenset[str] = PERSONAL_DATA_ROLES | {Role.RETURN_COORDINATOR}
_AUTHORITIES = "deployments.authorities"


def managed_authority_ids(user: Any) -> frozenset[int]:
    """The deploying authorities a deploying-authority officer acts for (Art. 4(1)): the
    organisation of each role assignment (or the user's own organisation) and, for a member
    state, its deploying authorities. Cached for the request (``forget_authorities`` drops it)."""
    return policy.request_cache(user, _AUTHORITIES, lambda: _authority_ids(user))


def _authority_ids(user: Any) -> frozenset[int]:
    scopes = {
        org_id if org_id is not None else user.organisation_id
        for role, org_id, _ref in policy.roles_of(user)
        if role == Role.DEPLOYING_AUTHORITY
    }
    if not scopes:
        return frozenset()
    return frozenset(
        Organisation.objects.filter(is_deploying_authority=True)
        .filter(Q(pk__in=scopes) | Q(parent_id__in=scopes))
        .values_list("pk", flat=True)
    )


def forget_authorities(user: Any) -> None:
    policy.forget_roles(user, _AUTHORITIES)


@rules.predicate
def deploys_for(user: Any, obj: Any = None) -> bool:
    """Art. 4(1): a deploying authority notifies its own deployments."""
    if Role.DEPLOYING_AUTHORITY not in policy.role_names(user):
        return False
    if obj is None:
        return True
    if isinstance(obj, Deployment):
        return obj.deploying_authority_id in managed_authority_ids(user)
    if isinstance(obj, Organisation):
        return obj.pk in managed_authority_ids(user)
    return False


personal_data_reader = has_role(*PERSONAL_DATA_ROLES)
has_role(Role.DEPLOYING_AUTHORITY)  # recorded for the role-name check (``deploys_for`` asks for it)

policy.register_rule(
    A.VIEW_DEPLOYMENTS,
    personal_data_reader,
    basis="Art. 4(2), Art. 9(3).",
    refusal=_(
        "The deployment registry names the officers: that personal data is only for liaison officers, "
        "steering board members and duly authorised staff (Art. 9(3))."
    ),
)
policy.register_rule(A.MANAGE_DEPLOYMENTS, deploys_for)
policy.register_rule(
    A.VIEW_CONTACT_LIST,
    personal_data_reader,
    basis="Art. 9(2)(d), Art. 9(3).",
    refusal=_(
        "The ILO contact list is personal data, only for liaison officers, steering board members and "
        "duly authorised staff (Art. 9(2)(d), Art. 9(3))."
    ),
)
policy.register_rule(A.VIEW_DEPLOYMENT_GAPS, has_role(*GAP_ROLES), basis="Art. 8(2)(e), Art. 9(3).")


policy.register_scope(Deployment, A.VIEW_DEPLOYMENTS)(policy.every_row)
policy.register_scope(DeploymentNotification, A.VIEW_DEPLOYMENTS)(policy.every_row)


@policy.register_scope(Deployment, A.VIEW_CONTACT_LIST)
def _contact_list_rows(user, qs):
    """Art. 9(2)(d): the contact list is of officers deployed now."""
    return qs.filter(status=DeploymentStatus.ACTIVE)


def contact_scope_is_same_for_every_reader() -> bool:
    """Whether the contact list's registered scope is still ``_contact_list_rows``, whose rows
    do not depend on the reader (every reader allowed by Art. 9(3) reads the officers deployed
    now): SQL compiled for one reader is then that of any other (``ilonet.api.prepared``)."""
    return scope_fn(Deployment, A.VIEW_CONTACT_LIST) is _contact_list_rows


@policy.register_scope(Deployment, A.MANAGE_DEPLOYMENTS)
def _own_authority_deployments(user, qs):
    return qs.filter(deploying_authority_id__in=managed_authority_ids(user))
