"""Who may see and manage accounts, roles and personal API tokens; and where the policy reads
a user's roles from (registered here, at start-up)."""

from typing import Any

import rules

from ilonet import policy
from ilonet.directory.models import Organisation
from ilonet.policy.predicates import has_any_role, has_role

from .models import Invitation, User
from .roles import Role
from .selectors import current_role_tuples

A = policy.Action

policy.register_role_provider(lookup=current_role_tuples, choices=Role.choices)

is_platform_admin = has_role(Role.PLATFORM_ADMIN)


policy.register_rule(A.VIEW_USERS, is_platform_admin, basis="Platform administrators.")
policy.register_rule(A.MANAGE_USERS, is_platform_admin, basis="Platform administrators.")
policy.register_rule(A.MANAGE_ROLES, is_platform_admin, basis="Platform administrators.")


def _target_organisation(obj: Any) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    if isinstance(obj, User):
        return obj.organisation
    if isinstance(obj, Invitation):
        return obj.user.organisation
    return None


def _within(org: Organisation, scope: Organisation) -> bool:
    node: Organisation | None = org
    while node is not None:
        if node.pk == scope.pk:
            return True
        node = node.parent
    return False


@rules.predicate
def invites_own_officers(user: Any, obj: Any = None) -> bool:
    """A deploying authority invites the officers it deploys (Art. 4(1)): accounts in its own
    organisation or in its member state; platform administrators invite anyone."""
    names = policy.role_names(user)
    if Role.PLATFORM_ADMIN in names:
        return True
    if Role.DEPLOYING_AUTHORITY not in names:
        return False
    if obj is None:
        return True
    target = _target_organisation(obj)
    if target is None:
        return False
    scope_ids = {
        org_id if org_id is not None else user.organisation_id
        for role, org_id, _ref in policy.roles_of(user)
        if role == Role.DEPLOYING_AUTHORITY
    }
    state = target.member_state
    for scope in Organisation.objects.filter(pk__in=scope_ids).select_related("parent__parent"):
        own_state = scope.member_state
        if _within(target, scope) or (
            own_state is not None and state is not None and own_state.pk == state.pk
        ):
            return True
    return False


has_role(Role.DEPLOYING_AUTHORITY)  # recorded for the role-name check (``invites_own_officers`` asks)
policy.register_rule(
    A.INVITE_USERS,
    invites_own_officers,
    basis="Platform administrators; a deploying authority, officers of its own member state (Art. 4(1)).",
)
policy.register_rule(A.USE_API_TOKENS, has_any_role, basis="Anyone with a role: their own tokens.")
policy.register_rule(
    A.MANAGE_API_TOKENS,
    has_any_role,
    basis="Anyone with a role, for their own tokens; the step-up keeps stolen tokens and stale sessions out.",
)


@policy.register_scope(User, A.VIEW_USERS)
def _users_visible(user, qs):
    return qs


@policy.register_scope(Organisation, A.MANAGE_ROLES)
def _organisations_roles_are_scoped_to(user, qs):
    """An administrator may scope a role to any organisation of the directory."""
    return qs
