"""The home page: each user's own work, by role.

Every panel comes from a public selector of the app that owns the data, is built only when the
policy allows it (``policy.can``), reads rows the policy scopes, and shows at most ``LIMIT`` rows
with a link to the full list. The number of queries does not grow with the data.

Roles whose features do not exist yet are told so in plain words (``role_notes``), with no link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.accounts import selectors as accounts
from ilonet.accounts.roles import Role
from ilonet.board import selectors as board
from ilonet.cooperation import selectors as cooperation
from ilonet.deployments import selectors as deployments
from ilonet.networks import selectors as networks
from ilonet.personaldata import selectors as personaldata_selectors
from ilonet.returns import casefile as return_cases
from ilonet.shared.paging import bounded_count
from ilonet.situation_reports import selectors as situation_reports

A = policy.Action
LIMIT = 5  # rows per list on the home page; the full list is one link away
HORIZON_DAYS = 60  # how far ahead meetings and the ends of deployments are shown


@dataclass
class Panel:
    """At most ``LIMIT`` rows of a list, whether there are more, and the full list's address."""

    rows: list[Any]
    more: bool
    url: str


def _first(rows: Any, url: str) -> Panel:
    """The first ``LIMIT`` rows of a queryset (one query: ``LIMIT + 1`` rows tell if more exist)."""
    found = list(rows[: LIMIT + 1])
    return Panel(rows=found[:LIMIT], more=len(found) > LIMIT, url=url)


def _url(name: str, **query: str) -> str:
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


@dataclass
class AuthorityPanel:
    """Deployments of the user's deploying authorities that call for a notification (Art. 4(1))."""

    past_start: Panel
    past_end: Panel
    ending: Panel
    days: int = HORIZON_DAYS


@dataclass
class ReceivedSince:
    """What reached the board since its last meeting (Art. 4(1), Art. 5(3))."""

    since: date | None
    deployments: int | None = None
    deployments_url: str = ""
    facilitators: int | None = None
    facilitators_url: str = ""
    # Counted up to RECEIVED_CAP (the home page counts no table whole): more than that is "more".
    deployments_more: bool = False
    facilitators_more: bool = False


@dataclass
class NotificationPanel:
    without_facilitator: Panel | None = None
    received: ReceivedSince | None = None


@dataclass
class ReminderPanel:
    board: list[board.Reminder] = field(default_factory=list)
    manages_board: bool = False
    to_pass_on: Panel | None = None


@dataclass
class ReturnCasePanel:
    """The return officer's worklist (RS 2(a)): stalled cases per rule and steps waiting for a
    second person's approval, each count capped."""

    rules: list[Any]
    approvals: Any


@dataclass
class CooperationPanel:
    """Requests made to the user's member state waiting for its answer (RS 1)."""

    places: Panel
    seats: Panel


@dataclass
class Panels:
    votes: Panel | None = None
    meetings: Panel | None = None
    authority: AuthorityPanel | None = None
    notifications: NotificationPanel | None = None
    reminders: ReminderPanel | None = None
    role_grants: Panel | None = None
    situation_reports: Panel | None = None
    return_cases: ReturnCasePanel | None = None
    cooperation: CooperationPanel | None = None
    days: int = HORIZON_DAYS

    @property
    def any(self) -> bool:
        return any(
            p is not None
            for p in (
                self.votes,
                self.meetings,
                self.authority,
                self.notifications,
                self.reminders,
                self.role_grants,
                self.situation_reports,
                self.return_cases,
                self.cooperation,
            )
        )


def _authority_panel(user: Any, today: date) -> AuthorityPanel:
    own = list(deployments.authorities_for(user=user)[:2])
    scope = {"authority": own[0].code} if len(own) == 1 else {}
    return AuthorityPanel(
        past_start=_first(
            deployments.plans_past_start(user=user, today=today),
            _url("deployments:deployment_list", status="planned", **scope),
        ),
        past_end=_first(
            deployments.ends_past_due(user=user, today=today),
            _url("deployments:deployment_list", status="active", **scope),
        ),
        ending=_first(
            deployments.deployments_ending(user=user, within_days=HORIZON_DAYS, today=today),
            _url("deployments:deployment_list", status="active", **scope),
        ),
    )


# The panel counts what reached the board up to this many rows each (without a meeting yet,
# "since" is the beginning of time): beyond it, "more than".
RECEIVED_CAP = 999


def _notification_panel(user: Any, now: datetime) -> NotificationPanel | None:
    panel = NotificationPanel()
    if policy.can(user, A.CONTRIBUTE_TO_NETWORK):
        panel.without_facilitator = _first(
            networks.networks_without_facilitator(user=user),
            _url("networks:facilitator_notification_list", kind="none"),
        )
    if policy.can(user, A.VIEW_BOARD) and (
        policy.can(user, A.VIEW_DEPLOYMENTS) or policy.can(user, A.VIEW_NETWORKS)
    ):
        last = board.last_meeting(now=now)
        since = last.starts_at if last is not None else None
        received = ReceivedSince(since=timezone.localdate(since) if since else None)
        if policy.can(user, A.VIEW_DEPLOYMENTS):
            received_rows = deployments.notification_list(user=user, since=received.since)
            counted = bounded_count(received_rows, RECEIVED_CAP)
            received.deployments, received.deployments_more = counted.value, counted.is_estimate
            received.deployments_url = _url(
                "deployments:notification_list",
                **({"since": received.since.isoformat()} if received.since else {}),
            )
        if policy.can(user, A.VIEW_NETWORKS):
            counted = bounded_count(
                networks.facilitator_notification_list(user=user, since=since), RECEIVED_CAP
            )
            received.facilitators, received.facilitators_more = counted.value, counted.is_estimate
            received.facilitators_url = _url("networks:facilitator_notification_list")
        panel.received = received
    if panel.without_facilitator is None and panel.received is None:
        return None
    return panel


def panels_for(user: Any, *, now: datetime | None = None) -> Panels:
    """The panels of the user's own work that the policy opens to them."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    panels = Panels()
    if policy.can(user, A.VOTE):
        panels.votes = _first(
            board.votes_waiting_for(user=user, now=now), _url("board:motion_list", status="open")
        )
    if policy.can(user, A.VIEW_BOARD):
        panels.meetings = _first(
            board.meetings_ahead(user=user, days=HORIZON_DAYS, now=now),
            _url("board:meeting_list", when="upcoming"),
        )
    if policy.can(user, A.MANAGE_DEPLOYMENTS):
        panels.authority = _authority_panel(user, today)
    panels.notifications = _notification_panel(user, now)
    manages_board = policy.can(user, A.MANAGE_BOARD)
    passes_on = policy.can(user, A.PASS_ON_DECISIONS)
    if manages_board or passes_on:
        panels.reminders = ReminderPanel(
            board=board.deadline_reminders(user=user, now=now), manages_board=manages_board
        )
        if passes_on:
            panels.reminders.to_pass_on = _first(
                board.dispatches_for(user=user, pending=True), _url("board:dispatch_list")
            )
    if policy.can(user, A.WRITE_SITUATION_REPORTS):
        panels.situation_reports = _first(
            situation_reports.drafts_of(user=user), _url("situation_reports:report_list", mine="on")
        )
    if policy.can(user, A.VIEW_RETURN_CASES):
        rules, approvals = return_cases.worklist_counts(user)
        panels.return_cases = ReturnCasePanel(rules=rules, approvals=approvals)
    if policy.can(user, A.OFFER_RETURN_CAPACITY):
        place_requests, seat_requests = cooperation.waiting_for_answer(user=user)
        panels.cooperation = CooperationPanel(
            places=_first(place_requests, _url("cooperation:offer_list")),
            seats=_first(seat_requests, _url("cooperation:flight_list")),
        )
    if policy.can(user, A.MANAGE_ROLES):
        panels.role_grants = _first(accounts.pending_role_grants(actor=user), _url("accounts:pending_roles"))
    return panels


@dataclass(frozen=True)
class RoleNote:
    """What a role can do on the platform today, and what is planned for it."""

    role: str
    available: str
    planned: str = ""


def role_notes(user: Any) -> list[RoleNote]:
    """Plain words on what exists and what is planned, for the roles whose work the platform
    supports only in part (the brief's exchange platform, Art. 9(1); personal data, Art. 10;
    return coordination, RS 1 and RS 2(c)). No links: the planned parts do not exist."""
    held = policy.role_names(user)
    notes = []
    if held & {Role.ILO, Role.FACILITATOR}:
        notes.append(
            RoleNote(
                _("Liaison officers"),
                _(
                    "The deployment registry, the contact list, your local or regional networks and "
                    "their activities, their document spaces (Art. 9(1)), your situation reports "
                    "(Art. 3(4)), the records of personal data for the purposes assigned to you "
                    "(Art. 10), and the board's decisions, work programmes and reports."
                ),
            )
        )
    if Role.OBSERVER in held:
        notes.append(
            RoleNote(
                str(Role.OBSERVER.label),
                _(
                    "The board meetings you are invited to, their motions, "
                    "and your statements there (Art. 7(4))."
                ),
            )
        )
    if Role.EP_READER in held:
        notes.append(
            RoleNote(
                str(Role.EP_READER.label),
                _(
                    "The work programmes and activity reports that the steering board sent to the "
                    "European Parliament (Art. 8(2)), and the documents it opened to the Parliament "
                    "(Art. 9(4))."
                ),
            )
        )
    if Role.RETURN_OFFICER in held:
        notes.append(
            RoleNote(
                str(Role.RETURN_OFFICER.label),
                _(
                    "Your member state's return cases (RS 2(c)): the worklist of cases that stall, "
                    "each case's timeline, stage and status, approvals, flags and holds; the return "
                    "indicators; your member state's entries in the capability register and its "
                    "obstacles reported to the EU return coordinator (RS 1)."
                ),
            )
        )
    if Role.RETURN_COORDINATOR in held:
        notes.append(
            RoleNote(
                str(Role.RETURN_COORDINATOR.label),
                _(
                    "The deployment gap analysis and the priority third countries (Art. 8(2)(e), RS 1); "
                    "the return indicators from Eurostat and the capability register, the targets, the "
                    "quarterly priority countries and the obstacles (RS 1)."
                ),
                _(
                    "Indicators from return case data are planned: they come with return case "
                    "management (RS 2(c))."
                ),
            )
        )
    return notes


def cards_for(user: Any) -> list[dict[str, str]]:
    """The navigation cards: one per part of the platform the policy opens to the user."""
    cards = []
    for allowed, title, description, url_name in (
        (
            policy.can(user, A.VIEW_DIRECTORY),
            _("Directory"),
            _(
                "Member states, EU institutions and agencies, third "
                "countries and international organisations."
            ),
            "directory:organisation_list",
        ),
        (
            policy.can(user, A.VIEW_DEPLOYMENTS),
            _("Deployment registry"),
            _("Liaison officers deployed in third countries, as notified to the steering board (Art. 4)."),
            "deployments:deployment_list",
        ),
        (
            policy.can(user, A.VIEW_CONTACT_LIST),
            _("ILO contact list"),
            _("Name, place of deployment, region, phone and e-mail of the deployed officers (Art. 9(2)(d))."),
            "deployments:contact_list",
        ),
        (
            policy.can(user, A.VIEW_NETWORKS),
            _("Local and regional networks"),
            _("Members, facilitators and activities of the networks (Art. 5)."),
            "networks:network_list",
        ),
        (
            policy.can(user, A.VIEW_SITUATION_REPORTS),
            _("Situation reports"),
            _(
                "Periodic reports of officers and networks on the topics of Art. 3(4), an overview per "
                "country and topic, and a map of recent reporting."
            ),
            "situation_reports:report_list",
        ),
        (
            policy.can(user, A.VIEW_EVIDENCE_PACK),
            _("Evidence for the report of the Commission"),
            _("Figures of any period from the platform, as PDF and CSV, without personal data (Art. 12(2))."),
            "situation_reports:evidence",
        ),
        (
            policy.can(user, A.VIEW_DEPLOYMENT_GAPS),
            _("Deployment gaps"),
            _("Coverage of third countries against the priority countries, on a world map (Art. 8(2)(e))."),
            "deployments:gap_analysis",
        ),
        (
            policy.can(user, A.VIEW_OFFICER_LISTS),
            _("List of deployed ILOs"),
            _("The steering board's dated list, updated before each meeting (Art. 8(2)(d))."),
            "networks:officer_list_list",
        ),
        (
            policy.can(user, A.VIEW_BOARD)
            or policy.can(user, A.VIEW_DECISIONS)
            or policy.can(user, A.VIEW_PROGRAMMES_AND_REPORTS),
            _("Steering board"),
            _(
                "Meetings, votes, decisions, rules of procedure, work "
                "programmes and activity reports (Art. 7, Art. 8)."
            ),
            "board:dashboard",
        ),
        (
            policy.can(user, A.VIEW_PERSONAL_RECORDS),
            _("Personal data"),
            _(
                "Records of personal data for the tasks of Art. 3(6), by assigned purpose, "
                "each read logged (Art. 10)."
            ),
            "personaldata:record_list",
        ),
        (
            policy.can(user, A.VIEW_SHARED_RECORDS)
            and personaldata_selectors.received_shares(user=user).exists(),
            _("Personal data shared with me"),
            _("Fields of records shared with you, only what is strictly necessary (Art. 10(4))."),
            "personaldata:shared_list",
        ),
        (
            policy.can(user, A.MANAGE_LEGAL_HOLDS) or policy.can(user, A.VIEW_TRANSFER_REGISTER),
            _("Erasure, holds and transfers"),
            _(
                "Erasure dates and legal holds of personal data, and the register of transfers "
                "(Art. 10(2), Art. 10(5))."
            ),
            "personaldata:hold_list"
            if policy.can(user, A.MANAGE_LEGAL_HOLDS)
            else "personaldata:transfer_register",
        ),
        (
            policy.can(user, A.OVERSEE_PERSONAL_DATA),
            _("Data protection"),
            _(
                "What is due for erasure, on hold, shared and transferred; the access log; "
                "the record of processing."
            ),
            "personaldata:dpo_overview",
        ),
        (
            policy.can(user, A.VIEW_EXCHANGE),
            _("Documents"),
            _(
                "Document spaces of the board, the networks and the working groups: documents, "
                "analytical products and statistics, without personal data (Art. 9(1), Art. 9(3))."
            ),
            "exchange:space_list",
        ),
        (
            policy.can(user, A.VIEW_RETURN_INDICATORS),
            _("Return indicators"),
            _(
                "The return strategy's indicators and targets, the quarterly priority third countries "
                "and the obstacles reported to the EU return coordinator (RS 1)."
            ),
            "indicators:dashboard",
        ),
        (
            policy.can(user, A.VIEW_RETURN_COOPERATION),
            _("Return cooperation"),
            _(
                "Places shared in voluntary return and reintegration programmes, charter seats, "
                "identification and joint missions, the reintegration directory and peer support "
                "(RS 1, RS 2(b))."
            ),
            "cooperation:offer_list",
        ),
        (
            policy.can(user, A.VIEW_USERS),
            _("Users and roles"),
            _("Accounts, their organisations and their roles."),
            "accounts:user_list",
        ),
        (
            policy.can(user, A.VIEW_AUDIT),
            _("Audit trail"),
            _("Search, export and verify the security log."),
            "audit:event_list",
        ),
        (
            True,
            _("My account"),
            _("Password, second factors, recovery codes and API tokens."),
            "account_profile",
        ),
    ):
        if allowed:
            cards.append({"title": title, "description": description, "url": reverse(url_name)})
    return cards
