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
    # priority third countries (Art. 8(2)(e); return strategy RS 1)
    VIEW_PRIORITY_COUNTRIES = "directory.view_priorities"
    MANAGE_PRIORITY_COUNTRIES = "directory.manage_priorities"
    # deployment registry (Art. 2, 4, 6), contact list (Art. 9(2)(d)), gaps (Art. 8(2)(e))
    VIEW_DEPLOYMENTS = "deployments.view"
    MANAGE_DEPLOYMENTS = "deployments.manage"
    VIEW_CONTACT_LIST = "deployments.view_contacts"
    VIEW_DEPLOYMENT_GAPS = "deployments.view_gaps"
    # local and regional networks (Art. 5) and the list of deployed ILOs (Art. 8(2)(d))
    VIEW_NETWORKS = "networks.view"
    MANAGE_NETWORKS = "networks.manage"
    CONTRIBUTE_TO_NETWORK = "networks.contribute"
    VIEW_OFFICER_LISTS = "networks.view_officer_lists"
    UPDATE_OFFICER_LIST = "networks.update_officer_list"
    # steering board (Art. 7, 8; Art. 9(2)(a)-(c), (e), 9(4))
    VIEW_BOARD = "board.view"
    MANAGE_BOARD = "board.manage"
    PROPOSE_RULES = "board.propose_rules"
    VOTE = "board.vote"
    SPEAK = "board.speak"
    VIEW_BOARD_MEMBERS = "board.view_members"
    VIEW_DECISIONS = "board.view_decisions"
    VIEW_PROGRAMMES_AND_REPORTS = "board.view_reports"
    PASS_ON_DECISIONS = "board.pass_on_decisions"


# Actions that change something: refused to read-only API tokens.
WRITE_ACTIONS: frozenset[Action] = frozenset(
    {
        Action.MANAGE_DIRECTORY,
        Action.MANAGE_USERS,
        Action.MANAGE_ROLES,
        Action.USE_API_TOKENS,  # issuing a credential is a write: a read-only token mints none
        Action.MANAGE_PRIORITY_COUNTRIES,
        Action.MANAGE_DEPLOYMENTS,
        Action.MANAGE_NETWORKS,
        Action.CONTRIBUTE_TO_NETWORK,
        Action.UPDATE_OFFICER_LIST,
        Action.MANAGE_BOARD,
        Action.PROPOSE_RULES,
        Action.VOTE,
        Action.SPEAK,
        Action.PASS_ON_DECISIONS,
    }
)
