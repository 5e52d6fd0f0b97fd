"""Who writes, reads and returns ILO situation reports (Art. 3(4), Art. 5(1)(b), Art. 5(1)(f)),
and who reads the evidence pack for the report of the Commission (Art. 12).

- Writers: an officer writes their own report; the members of a network (officers deployed in
  its countries, Art. 5(1)) and its facilitator (Art. 5(2)) write the network's.
- Readers of a submitted report: its network (the officers of the networks in whose countries
  it reports, Art. 5(1)(b)), the deploying authorities, the steering board and the Commission
  (the chair and secretariat, Art. 7(6)). A draft is read only by those who may write it; a
  report returned for revision also by those who may return it.
- The European Parliament's reader: only what the steering board opened to it (Art. 9(4)).
  There is no mechanism yet for the board to open situation reports, so it is refused.
- Returning a submitted report for revision: the board's office (chair, secretariat) and the
  officer's deploying authority (Art. 3(1)).
- The evidence pack (Art. 12(2)): the board and the Commission.
"""

from typing import Any

import rules
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.deployments.policies import managed_authority_ids
from ilonet.networks import selectors as networks
from ilonet.networks.models import Network
from ilonet.policy.predicates import has_role

from .models import ReportCountry, ReportSection, SituationReport, Status

A = policy.Action
WRITER_ROLES: frozenset[str] = frozenset({Role.ILO, Role.FACILITATOR})
BOARD_OFFICE: frozenset[str] = frozenset({Role.CHAIR, Role.SECRETARIAT})  # the Commission, Art. 7(6)
BOARD_AND_COMMISSION: frozenset[str] = BOARD_OFFICE | {
    Role.BOARD_MEMBER,
    Role.BOARD_ALTERNATE,
    Role.NON_VOTING_MEMBER,
}
READER_ROLES: frozenset[str] = BOARD_AND_COMMISSION | WRITER_ROLES | {Role.DEPLOYING_AUTHORITY}
_NETWORKS = "situation_reports.networks"
_COUNTRIES = "situation_reports.countries"

PARLIAMENT_REFUSAL = _(
    "The steering board has not opened the situation reports to the European Parliament: it sees only "
    "the parts of the platform the board opened to it (Art. 9(4))."
)
READ_REFUSAL = _(
    "Situation reports are for the networks of liaison officers, the deploying authorities, the steering "
    "board and the Commission (Art. 3(4), Art. 5(1)(b))."
)
EVIDENCE_REFUSAL = _(
    "The evidence for the report of the Commission on the regulation is for the steering board and the "
    "Commission (Art. 12(2))."
)


def writable_network_ids(user: Any) -> frozenset[int]:
    """The networks whose report the user may write: those they are a member of now (Art. 5(1))
    and the one their facilitator role is scoped to (Art. 5(2)). Cached for the request."""

    def compute() -> frozenset[int]:
        held = policy.roles_of(user)
        if not {role for role, _o, _r in held} & WRITER_ROLES:
            return frozenset()
        ids = set(networks.network_ids_of_officer(officer=user))
        for role, _org, ref in held:
            if role == Role.FACILITATOR and ref and ref.startswith("network:") and ref[8:].isdigit():
                ids.add(int(ref[8:]))
        return frozenset(ids)

    return policy.request_cache(user, _NETWORKS, compute)


def network_countries(user: Any) -> frozenset[str]:
    """The countries of the networks the user writes for: what an officer reads (Art. 5(1)(b))."""
    return policy.request_cache(
        user, _COUNTRIES, lambda: frozenset(networks.countries_of_networks(writable_network_ids(user)))
    )


@rules.predicate
def writes_report(user: Any, obj: Any = None) -> bool:
    """An officer writes their own report; a network's members and facilitator the network's."""
    if not policy.role_names(user) & WRITER_ROLES:
        return False
    if obj is None:
        return True
    if isinstance(obj, SituationReport):
        if obj.officer_id is not None:
            return obj.officer_id == user.pk
        return obj.network_id in writable_network_ids(user)
    if isinstance(obj, Network):
        return obj.pk in writable_network_ids(user)
    return False


@rules.predicate
def returns_report(user: Any, obj: Any = None) -> bool:
    """The board's office returns any submitted report; a deploying authority its officers'."""
    held = policy.role_names(user)
    if held & BOARD_OFFICE:
        return True
    if Role.DEPLOYING_AUTHORITY not in held:
        return False
    if obj is None:
        return True
    return isinstance(obj, SituationReport) and obj.deploying_authority_id in managed_authority_ids(user)


@rules.predicate
def reads_report(user: Any, obj: Any = None) -> bool:
    held = policy.role_names(user)
    if not held & READER_ROLES:
        return False
    if obj is None or not isinstance(obj, SituationReport):
        return obj is None
    return _visible(user, SituationReport.objects.filter(pk=obj.pk)).exists()


def _read_refusal(user: Any, obj: Any = None):
    return PARLIAMENT_REFUSAL if Role.EP_READER in policy.role_names(user) else READ_REFUSAL


has_role(*READER_ROLES)  # recorded for the role-name check (the predicates ask for them)
policy.register_rule(
    A.VIEW_SITUATION_REPORTS,
    reads_report,
    basis="Art. 3(4), Art. 5(1)(b), Art. 9(4).",
    refusal=_read_refusal,
)
policy.register_rule(A.WRITE_SITUATION_REPORTS, writes_report, basis="Art. 3(4), Art. 5(1)(b).")
policy.register_rule(A.RETURN_SITUATION_REPORTS, returns_report, basis="Art. 3(1), Art. 7(6).")
policy.register_rule(
    A.VIEW_EVIDENCE_PACK, has_role(*BOARD_AND_COMMISSION), basis="Art. 12(2).", refusal=EVIDENCE_REFUSAL
)


def _visible(user: Any, qs: QuerySet[SituationReport]) -> QuerySet[SituationReport]:
    held = policy.role_names(user)
    if not held & READER_ROLES:
        return qs.none()
    rule = Q(officer_id=user.pk) | Q(network_id__in=sorted(writable_network_ids(user)))
    submitted = Q(status=Status.SUBMITTED)
    if held & (BOARD_AND_COMMISSION | {Role.DEPLOYING_AUTHORITY}):
        rule |= submitted
    elif held & WRITER_ROLES:
        covering = ReportCountry.objects.filter(country__in=sorted(network_countries(user))).values(
            "report_id"
        )
        rule |= submitted & Q(pk__in=covering)
    if held & BOARD_OFFICE:
        rule |= Q(status=Status.RETURNED)
    elif Role.DEPLOYING_AUTHORITY in held:
        rule |= Q(status=Status.RETURNED, deploying_authority_id__in=sorted(managed_authority_ids(user)))
    return qs.filter(rule)


policy.register_scope(SituationReport, A.VIEW_SITUATION_REPORTS)(_visible)


@policy.register_scope(ReportSection, A.VIEW_SITUATION_REPORTS)
def _sections(user: Any, qs: QuerySet[ReportSection]) -> QuerySet[ReportSection]:
    return qs.filter(report__in=_visible(user, SituationReport.objects.all()))


@policy.register_scope(ReportCountry, A.VIEW_SITUATION_REPORTS)
def _countries(user: Any, qs: QuerySet[ReportCountry]) -> QuerySet[ReportCountry]:
    return qs.filter(report__in=_visible(user, SituationReport.objects.all()))


@policy.register_scope(SituationReport, A.VIEW_EVIDENCE_PACK)
def _evidence(user: Any, qs: QuerySet[SituationReport]) -> QuerySet[SituationReport]:
    """The evidence pack counts submitted reports only (no text)."""
    return qs.filter(status=Status.SUBMITTED)
