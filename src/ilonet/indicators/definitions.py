"""The indicators: what each one counts, in the strategy's words, and where its figures come from.

The operational strategy for more effective returns closes with the indicators to monitor
(RS, closing list) and asks for "a common understanding of good performance in return that
goes beyond the return rate alone" (RS 2(c)). Each ``Indicator`` below carries its definition;
the same text is shown beside its figures and written in docs/indicators.md.

Sources: ``eurostat`` (the tables loaded by ``eurostat.load``), ``register`` (the dated register
of member-state capabilities and Frontex services), and, once the return-case module exists,
``cases`` and ``submitted`` (aggregates submitted by member states that keep their own
systems): their figures go into the same ``IndicatorFigure`` table under their own source, so
that the pages show them side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Capability

PERCENT = "percent"
COUNT = "count"
RATIO = "ratio"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Promise
    definition: Promise
    unit: str
    source: str
    basis: str  # where the strategy asks for it


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator(
            "return_rate",
            _("Return rate"),
            _(
                "Third-country nationals returned following an order to leave, divided by those ordered to "
                "leave in the same period (Eurostat migr_eirtn / "
                "migr_eiord per year, migr_eirtn1 / migr_eiord1 "
                "per quarter; all ages, both sexes, all destinations). Eurostat counts a person once per "
                "period; a person returned in one year may have been ordered to leave in an earlier one."
            ),
            PERCENT,
            "eurostat",
            "RS 2(c)",
        ),
        Indicator(
            "effective_return_rate",
            _("Effective return rate (to third countries)"),
            _(
                "Returns to third countries only (migr_eirtn1, "
                "destination THRD) divided by the orders to leave "
                "of the same quarter (migr_eiord1); a year is the sum of its four quarters, shown only when "
                "all four are known. Returns to another member state are not effective returns."
            ),
            PERCENT,
            "eurostat",
            "RS 2(c)",
        ),
        Indicator(
            "voluntary_share",
            _("Share of voluntary returns"),
            _(
                "“The share of voluntary returnees in the total number of returnees”: third-country "
                "nationals who left voluntarily divided by all who left (migr_eirt_vol, VOL / TOTAL)."
            ),
            PERCENT,
            "eurostat",
            "RS, closing list",
        ),
        Indicator(
            "assisted_share",
            _("Share of assisted returns"),
            _(
                "Third-country nationals who left with assistance "
                "(assisted voluntary return and reintegration) "
                "divided by all who left (migr_eirt_ass, ASS / TOTAL)."
            ),
            PERCENT,
            "eurostat",
            "RS 2(b)",
        ),
        Indicator(
            "orders_per_negative_asylum",
            _("Orders to leave per negative asylum decision"),
            _(
                "Orders to leave (migr_eiord, migr_eiord1) divided by "
                "negative first-instance asylum decisions "
                "(migr_asydcfsta, migr_asydcfstq, REJECTED) of the same "
                "period. Eurostat does not link the two: "
                "this is a proxy for “the number of return decisions issued following negative asylum "
                "decisions”, which comes from case data once the return-case module exists."
            ),
            RATIO,
            "eurostat",
            "RS, closing list",
        ),
        Indicator(
            "ms_case_management_it",
            _("Member states with a return case management IT system"),
            _(
                "“The number of member states with a return case management IT system”, from the register, "
                "on the last day of the period."
            ),
            COUNT,
            "register",
            "RS, closing list",
        ),
        Indicator(
            "ms_return_counselling",
            _("Member states with a return counselling system"),
            _(
                "“The number of member states with a return counselling system”, from the register, on the "
                "last day of the period."
            ),
            COUNT,
            "register",
            "RS, closing list",
        ),
        Indicator(
            "ms_frontex_services",
            _("Member states regularly using Frontex return services"),
            _(
                "“The number of member states regularly using Frontex services on return (pre-return, "
                "post-return, reintegration) and taking part in return "
                "operations”: at least one of the three "
                "services and return operations, from the register, on the last day of the period."
            ),
            COUNT,
            "register",
            "RS, closing list",
        ),
        Indicator(
            "ms_frontex_reintegration",
            _("Member states using Frontex joint reintegration services"),
            _(
                "Member states using Frontex joint reintegration "
                "services, from the register, on the last day "
                "of the period (target: all member states)."
            ),
            COUNT,
            "register",
            "RS 2(b)",
        ),
        Indicator(
            "ms_gap_analysis_done",
            _("Member states with the digitalisation gap analysis completed"),
            _(
                "Member states for which Frontex completed the gap "
                "analysis of return case management, from the "
                "register (target: all by the end of 2023)."
            ),
            COUNT,
            "register",
            "RS 2(c)",
        ),
        Indicator(
            "ms_fully_digitalised",
            _("Member states with fully digitalised return case management"),
            _(
                "Member states whose return case management is fully digitalised, from the register (target: "
                "all by 2026 at the latest)."
            ),
            COUNT,
            "register",
            "RS 2(c)",
        ),
        Indicator(
            "tc_jrs_covered",
            _("Third countries covered by Frontex joint reintegration services"),
            _(
                "“The number of third countries covered by Frontex joint reintegration services”, from the "
                "register, on the last day of the period (target: doubled by the end of 2023)."
            ),
            COUNT,
            "register",
            "RS, closing list",
        ),
    )
}

# Register indicators: the capabilities a member state must have (all of the first set, and at
# least one of the second when given).
REGISTER_RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "ms_case_management_it": (frozenset({Capability.CASE_MANAGEMENT_SYSTEM}), frozenset()),
    "ms_return_counselling": (frozenset({Capability.COUNSELLING_SYSTEM}), frozenset()),
    "ms_frontex_services": (
        frozenset({Capability.RETURN_OPERATIONS}),
        frozenset(
            {Capability.FRONTEX_PRE_RETURN, Capability.FRONTEX_POST_RETURN, Capability.FRONTEX_REINTEGRATION}
        ),
    ),
    "ms_frontex_reintegration": (frozenset({Capability.FRONTEX_REINTEGRATION}), frozenset()),
    "ms_gap_analysis_done": (frozenset({Capability.GAP_ANALYSIS_DONE}), frozenset()),
    "ms_fully_digitalised": (frozenset({Capability.FULLY_DIGITALISED}), frozenset()),
}

# The strategy's targets (RS 2(b), RS 2(c)): code -> (indicator, deadline as ISO date, label).
STRATEGY_TARGETS: dict[str, tuple[str, str, Promise]] = {
    "jrs_all_member_states": (
        "ms_frontex_reintegration",
        "2023-12-31",
        _("Every member state uses Frontex joint reintegration services by the end of the year"),
    ),
    "jrs_countries_doubled": (
        "tc_jrs_covered",
        "2023-12-31",
        _("The number of third countries covered by joint reintegration services doubled by end 2023"),
    ),
    "gap_analysis_all": (
        "ms_gap_analysis_done",
        "2023-12-31",
        _("Frontex completes the digitalisation gap analysis of every member state by end 2023"),
    ),
    "full_digitalisation": (
        "ms_fully_digitalised",
        "2026-12-31",
        _("Full digitalisation of return case management by 2026 at the latest"),
    ),
}


def indicator(code: str) -> Indicator:
    return INDICATORS[code]


# The indicators from case data (issue 14) are defined beside their computation.
from .cases.definitions import CASE_INDICATORS  # noqa: E402

INDICATORS.update(CASE_INDICATORS)
