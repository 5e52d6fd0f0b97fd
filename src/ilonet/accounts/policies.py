"""Who may see and manage accounts, roles and personal API tokens; and where the policy reads
a user's roles from (registered here, at start-up)."""

from typing import Any

import rules

from ilonet import policy
from ilonet.policy.predicates import has_any_role, has_role

from .models import User
from .roles import Role
from .selectors import current_role_tuples

A = policy.Action

policy.register_role_provider(lookup=current_role_tuples, choices=Role.choices)

is_platform_admin = has_role(Role.PLATFORM_ADMIN)


@rules.predicate
def fresh_session_holder(user: Any) -> bool:
    """Any role, in a browser session whose second factor is recent (the policy refuses API
    tokens and stale sessions for this action before asking)."""
    return has_any_role(user)


policy.register_rule(A.VIEW_USERS, is_platform_admin, basis="Platform administrators.")
policy.register_rule(A.MANAGE_USERS, is_platform_admin, basis="Platform administrators.")
policy.register_rule(A.MANAGE_ROLES, is_platform_admin, basis="Platform administrators.")
policy.register_rule(A.USE_API_TOKENS, has_any_role, basis="Anyone with a role: their own tokens.")
policy.register_rule(A.MANAGE_API_TOKENS, fresh_session_holder)


@policy.register_scope(User, A.VIEW_USERS)
def _users_visible(user, qs):
    return qs
