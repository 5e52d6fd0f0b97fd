"""Every action the platform knows. A permission is an action; a rule says who may do it.

Each action declares, where it is declared, whether it **writes** (refused to read-only API
tokens) and whether it needs a **step-up**: a browser session whose second factor was given in
the last ``SECOND_FACTOR_MAX_AGE_MINUTES`` minutes, never an API token.
"""

from __future__ import annotations

from enum import StrEnum

READS = {"writes": False}
WRITES = {"writes": True}
# Actions that hand out or withdraw credentials: a stolen session or token must not suffice.
STEP_UP = {"writes": True, "step_up": True}


class Action(StrEnum):
    writes: bool
    step_up: bool

    def __new__(cls, value: str, flags: dict[str, bool]) -> Action:
        member = str.__new__(cls, value)
        member._value_ = value
        member.writes = flags["writes"]
        member.step_up = flags.get("step_up", False)
        return member

    # directory
    VIEW_DIRECTORY = "directory.view", READS
    MANAGE_DIRECTORY = "directory.manage", WRITES
    # accounts
    VIEW_USERS = "accounts.view_users", READS
    MANAGE_USERS = "accounts.manage_users", WRITES
    MANAGE_ROLES = "accounts.manage_roles", WRITES
    INVITE_USERS = "accounts.invite_users", WRITES
    USE_API_TOKENS = "accounts.use_api_tokens", READS
    MANAGE_API_TOKENS = "accounts.manage_api_tokens", STEP_UP
    # audit trail
    VIEW_AUDIT = "audit.view", READS
    EXPORT_AUDIT = "audit.export", READS
    # priority third countries (Art. 8(2)(e); return strategy RS 1)
    VIEW_PRIORITY_COUNTRIES = "directory.view_priorities", READS
    MANAGE_PRIORITY_COUNTRIES = "directory.manage_priorities", WRITES
    # deployment registry (Art. 2, 4, 6), contact list (Art. 9(2)(d)), gaps (Art. 8(2)(e))
    VIEW_DEPLOYMENTS = "deployments.view", READS
    MANAGE_DEPLOYMENTS = "deployments.manage", WRITES
    VIEW_CONTACT_LIST = "deployments.view_contacts", READS
    VIEW_DEPLOYMENT_GAPS = "deployments.view_gaps", READS
    # local and regional networks (Art. 5) and the list of deployed ILOs (Art. 8(2)(d))
    VIEW_NETWORKS = "networks.view", READS
    MANAGE_NETWORKS = "networks.manage", WRITES
    CONTRIBUTE_TO_NETWORK = "networks.contribute", WRITES
    VIEW_OFFICER_LISTS = "networks.view_officer_lists", READS
    UPDATE_OFFICER_LIST = "networks.update_officer_list", WRITES
    # steering board (Art. 7, 8; Art. 9(2)(a), Art. 9(2)(b), Art. 9(2)(c), Art. 9(2)(e), Art. 9(4))
    VIEW_BOARD = "board.view", READS
    MANAGE_BOARD = "board.manage", WRITES
    MANAGE_AGENDA = "board.manage_agenda", WRITES
    CLOSE_VOTE = "board.close_vote", WRITES
    PROPOSE_RULES = "board.propose_rules", WRITES
    VOTE = "board.vote", WRITES
    SPEAK = "board.speak", WRITES
    VIEW_BOARD_MEMBERS = "board.view_members", READS
    VIEW_DECISIONS = "board.view_decisions", READS
    VIEW_PROGRAMMES_AND_REPORTS = "board.view_reports", READS
    PASS_ON_DECISIONS = "board.pass_on_decisions", WRITES
    # ILO situation reports (Art. 3(4), Art. 5(1)(b), Art. 5(1)(f)) and the Commission's evidence (Art. 12)
    VIEW_SITUATION_REPORTS = "situation_reports.view", READS
    WRITE_SITUATION_REPORTS = "situation_reports.write", WRITES
    RETURN_SITUATION_REPORTS = "situation_reports.return", WRITES
    VIEW_EVIDENCE_PACK = "situation_reports.view_evidence", READS
    # personal data processed by liaison officers (Art. 10, Art. 3(6))
    VIEW_PERSONAL_RECORDS = "personaldata.view_records", READS
    MANAGE_PERSONAL_RECORDS = "personaldata.manage_records", WRITES
    # a name search goes by POST (never a name in a URL): a writing action, so a read-only token
    # cannot look people up by name
    SEARCH_PERSONAL_RECORDS = "personaldata.search_records", WRITES
    ASSIGN_PURPOSES = "personaldata.assign_purposes", WRITES
    SHARE_PERSONAL_RECORDS = "personaldata.share", WRITES
    VIEW_SHARED_RECORDS = "personaldata.view_shared", READS
    TRANSFER_PERSONAL_DATA = "personaldata.transfer", WRITES
    VIEW_TRANSFER_REGISTER = "personaldata.view_transfers", READS
    MANAGE_LEGAL_HOLDS = "personaldata.manage_holds", WRITES
    OVERSEE_PERSONAL_DATA = "personaldata.oversee", READS
    # information exchange platform (Art. 9(1), Art. 9(2), Art. 9(3), Art. 9(4))
    VIEW_EXCHANGE = "exchange.view", READS
    CONTRIBUTE_TO_EXCHANGE = "exchange.contribute", WRITES
    MANAGE_SPACE = "exchange.manage_space", WRITES
    MANAGE_SPACES = "exchange.manage_spaces", WRITES
    OPEN_TO_PARLIAMENT = "exchange.open_to_parliament", WRITES
    AUTHORISE_GUARD_OVERRIDES = "exchange.authorise_overrides", WRITES
    OVERRIDE_GUARD = "exchange.override_guard", WRITES
    # return coordination (operational strategy for more effective returns, RS 1, RS 2(c))
    VIEW_RETURN_INDICATORS = "indicators.view", READS
    LOAD_EUROSTAT = "indicators.load_eurostat", WRITES
    MANAGE_RETURN_REGISTER = "indicators.manage_register", WRITES
    MANAGE_RETURN_COORDINATION = "indicators.manage_coordination", WRITES
    REPORT_RETURN_OBSTACLE = "indicators.report_obstacle", WRITES
    SUBMIT_RETURN_AGGREGATES = "indicators.submit_aggregates", WRITES
    FOLLOW_EXCHANGE = "exchange.follow", WRITES
    # return case management of a member state (RS 2(a), RS 2(b), RS 2(c)): its own cases only
    VIEW_RETURN_CASES = "returns.view_cases", READS
    RECORD_RETURN_EVENTS = "returns.record_events", WRITES
    APPROVE_RETURN_STEPS = "returns.approve_steps", WRITES
    # a name search goes by POST (never a name in a URL): a writing action, as for personal data
    SEARCH_RETURN_CASES = "returns.search_cases", WRITES
    # return cooperation between member states (RS 1, RS 2(b))
    VIEW_RETURN_COOPERATION = "cooperation.view", READS
    OFFER_RETURN_CAPACITY = "cooperation.offer", WRITES
    REQUEST_RETURN_CAPACITY = "cooperation.request", WRITES
    MANAGE_RETURN_MISSIONS = "cooperation.manage_missions", WRITES
    MANAGE_REINTEGRATION_DIRECTORY = "cooperation.manage_directory", WRITES
    MANAGE_PEER_SUPPORT = "cooperation.manage_support", WRITES
    VIEW_COOPERATION_OVERVIEW = "cooperation.view_overview", READS
    # background work: the operations page of the job queue
    VIEW_JOBS = "jobs.view", READS
    MANAGE_JOBS = "jobs.manage", WRITES
    # notifications: one's own notification centre and e-mail preferences
    VIEW_NOTIFICATIONS = "notifications.view", READS
    MANAGE_NOTIFICATIONS = "notifications.manage", WRITES

    @property
    def domain(self) -> str:
        return self.value.split(".", 1)[0]


def action_of(name: object) -> Action | None:
    """The ``Action`` named ``name``, or None for an unknown name (denied by the callers)."""
    try:
        return Action(name)  # type: ignore[call-arg, arg-type]  # lookup by value, not construction
    except ValueError:
        return None
