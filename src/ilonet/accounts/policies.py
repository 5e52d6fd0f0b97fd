"""Who may see and manage accounts, roles and personal API tokens; and where the policy reads
a user's roles from (registered here, at start-up)."""

from ilonet import policy
from ilonet.directory.models import Organisation
from ilonet.policy.predicates import has_any_role, has_role

from .models import User
from .roles import Role
from .selectors import current_role_tuples

A = policy.Action

policy.register_role_provider(lookup=current_role_tuples, choices=Role.choices)

is_platform_admin = has_role(Role.PLATFORM_ADMIN)


policy.register_rule(A.VIEW_USERS, is_platform_admin, basis="Platform administrators.")
policy.register_rule(A.MANAGE_USERS, is_platform_admin, basis="Platform administrators.")
policy.register_rule(A.MANAGE_ROLES, is_platform_admin, basis="Platform administrators.")
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
