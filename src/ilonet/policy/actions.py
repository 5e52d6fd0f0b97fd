"""Every action the platform knows. A permission is an action; a rule says who may do it."""

from enum import StrEnum


class Action(StrEnum):
    # directory
    VIEW_DIRECTORY = "directory.view"
    MANAGE_DIRECTORY = "directory.manage"
    # accounts
    VIEW_USERS = "accounts.view_users"
    MANAGE_USERS = "accounts.manage_users"
    MANAGE_ROLES = "accounts.manage_roles"
    USE_API_TOKENS = "accounts.use_api_tokens"
    # audit trail
    VIEW_AUDIT = "audit.view"
    EXPORT_AUDIT = "audit.export"


# Actions that change something: refused to read-only API tokens.
WRITE_ACTIONS: frozenset[Action] = frozenset(
    {Action.MANAGE_DIRECTORY, Action.MANAGE_USERS, Action.MANAGE_ROLES}
)
