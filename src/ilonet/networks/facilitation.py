"""The facilitator rule of Art. 5(2), as a plain function with its explanation.

Art. 5(2): "Immigration liaison officers deployed by the Commission shall facilitate and
support the networks. Where the Commission has not deployed immigration liaison officers, the
networks shall be facilitated and supported by immigration liaison officers deployed by Union
agencies. Where neither the Commission nor Union agencies have deployed immigration liaison
officers, the network shall be facilitated by an immigration liaison officer as agreed by the
members of the network."

Where there are several Commission (or agency) officers, the members' latest agreement picks
one of them; without such an agreement, the longest-serving one facilitates (earliest start,
then the earliest notified deployment), so the outcome is always determined and explained.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ilonet.directory.models import OrganisationKind
from ilonet.shared.dates import long_date

from .models import FacilitatorBasis


@dataclass(frozen=True)
class Member:
    """An officer with an active deployment in one of the network's countries (Art. 5(1))."""

    officer_id: int
    name: str
    deployment_id: int
    authority_name: str
    authority_kind: str
    country: str
    start_date: date


@dataclass(frozen=True)
class Agreement:
    officer_id: int
    officer_name: str
    agreed_on: date


@dataclass(frozen=True)
class FacilitatorDecision:
    """The outcome of Art. 5(2) for one network, with the reason in words."""

    basis: str
    facilitator: Member | None
    reason: str
    params: dict = field(default_factory=dict)

    @property
    def officer_id(self) -> int | None:
        return self.facilitator.officer_id if self.facilitator else None

    @property
    def explanation(self) -> str:
        return explain(self.reason, self.params)

    @property
    def basis_label(self) -> str:
        return str(FacilitatorBasis(self.basis).label)


@dataclass(frozen=True)
class Tier:
    """The members of one tier of Art. 5(2) (Commission, or EU agencies), as far as the rule
    needs them: how many officers, the longest-serving one (earliest start, then the earliest
    notified deployment) and the officer the members agreed on, when in this tier."""

    count: int
    longest: Member | None = None
    agreed: Member | None = None


def _longest_serving(members: Sequence[Member]) -> Member | None:
    return min(members, key=lambda m: (m.start_date, m.deployment_id)) if members else None


def _tier(members: Sequence[Member], agreement: Agreement | None) -> Tier:
    agreed = None
    if agreement is not None:
        agreed = next((m for m in members if m.officer_id == agreement.officer_id), None)
    return Tier(count=len(members), longest=_longest_serving(members), agreed=agreed)


def decide_facilitator(*, members: Sequence[Member], agreement: Agreement | None) -> FacilitatorDecision:
    """Art. 5(2) over the list of members (see ``decide``)."""
    agreed = None
    if agreement is not None:
        agreed = next((m for m in members if m.officer_id == agreement.officer_id), None)
    return decide(
        commission=_tier(
            [m for m in members if m.authority_kind == OrganisationKind.EU_INSTITUTION], agreement
        ),
        agency=_tier([m for m in members if m.authority_kind == OrganisationKind.EU_AGENCY], agreement),
        has_members=bool(members),
        agreement=agreement,
        agreed_member=agreed,
    )


def decide(
    *,
    commission: Tier,
    agency: Tier,
    has_members: bool,
    agreement: Agreement | None,
    agreed_member: Member | None,
) -> FacilitatorDecision:
    """Art. 5(2): a Commission-deployed officer facilitates; else an EU-agency officer; else
    the officer the members agreed on; else nobody (and the board is told, Art. 5(3)). Among
    several officers of one tier: the agreed one, else the longest-serving. Works on a summary
    of the members (``Tier``), so a page of networks needs no list of all their members."""
    for tier, basis in ((commission, FacilitatorBasis.COMMISSION), (agency, FacilitatorBasis.AGENCY)):
        if tier.count and tier.longest is not None:
            if tier.count == 1:
                chosen, how = tier.longest, "single"
            elif tier.agreed is not None:
                chosen, how = tier.agreed, "agreed"
            else:
                chosen, how = tier.longest, "longest"
            return FacilitatorDecision(
                basis=basis,
                facilitator=chosen,
                reason=f"{basis}_{how}",
                params={"name": chosen.name, "authority": chosen.authority_name, "count": tier.count},
            )
    if not has_members:
        return FacilitatorDecision(basis=FacilitatorBasis.NONE, facilitator=None, reason="no_members")
    if agreement is None:
        return FacilitatorDecision(basis=FacilitatorBasis.NONE, facilitator=None, reason="no_agreement")
    if agreed_member is not None:
        return FacilitatorDecision(
            basis=FacilitatorBasis.AGREEMENT,
            facilitator=agreed_member,
            reason="agreement",
            params={"name": agreed_member.name, "date": agreement.agreed_on.isoformat()},
        )
    return FacilitatorDecision(
        basis=FacilitatorBasis.NONE,
        facilitator=None,
        reason="agreed_left",
        params={"name": agreement.officer_name},
    )


# The reasons of decisions, translated only when one is shown (a page of fifty networks
# explains fifty decisions: translating all ten texts each time was a tenth of the networks API).
REASONS = {
    "commission_single": _(
        "%(name)s is deployed by the Commission: Commission-deployed officers facilitate the "
        "network (Art. 5(2), first sentence)."
    ),
    "commission_agreed": _(
        "%(name)s is deployed by the Commission: Commission-deployed officers facilitate the "
        "network (Art. 5(2), first sentence). Of the %(count)s Commission officers, the members "
        "agreed on %(name)s."
    ),
    "commission_longest": _(
        "%(name)s is deployed by the Commission: Commission-deployed officers facilitate the "
        "network (Art. 5(2), first sentence). Of the %(count)s Commission officers, %(name)s "
        "has served longest here."
    ),
    "agency_single": _(
        "The Commission has no officer in this network, so %(name)s, deployed by the EU agency "
        "%(authority)s, facilitates (Art. 5(2), second sentence)."
    ),
    "agency_agreed": _(
        "The Commission has no officer in this network, so an EU-agency officer facilitates "
        "(Art. 5(2), second sentence): of the %(count)s agency officers, the members agreed on "
        "%(name)s (%(authority)s)."
    ),
    "agency_longest": _(
        "The Commission has no officer in this network, so an EU-agency officer facilitates "
        "(Art. 5(2), second sentence): of the %(count)s agency officers, %(name)s "
        "(%(authority)s) has served longest here."
    ),
    "agreement": _(
        "Neither the Commission nor an EU agency has an officer in this network; the members "
        "agreed on %(name)s on %(date)s (Art. 5(2), third sentence)."
    ),
    "agreed_left": _(
        "Neither the Commission nor an EU agency has an officer in this network, and %(name)s, "
        "on whom the members had agreed, is no longer deployed here: the members must agree on "
        "a new facilitator (Art. 5(2), third sentence)."
    ),
    "no_agreement": _(
        "Neither the Commission nor an EU agency has an officer in this network, and the "
        "members have not recorded an agreement on a facilitator (Art. 5(2), third sentence)."
    ),
    "no_members": _("No officer is deployed in the countries of this network (Art. 5(1))."),
}


@lru_cache(maxsize=256)
def _reason_text(reason: str, language: str | None) -> str:
    """A reason's text translated once per language (fifty networks, a handful of reasons)."""
    return str(REASONS[reason])


def explain(reason: str, params: dict) -> str:
    """The reason of a decision in the active language."""
    if reason not in REASONS:
        return reason
    text = _reason_text(reason, get_language())
    if "date" in params:  # stored as ISO (a machine's value), shown the EU way
        params = {**params, "date": long_date(params["date"])}
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        return text
