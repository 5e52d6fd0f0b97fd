"""The indicators computed from return-case data (source ``cases``; ``submitted`` where a member
state that keeps its own system submits the counts). Each is a numerator measure over a
denominator measure (``measures.py``), summed over cases, quarters, third countries and member
states alike, so a year, a member state and the EU total are computed the same way.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..definitions import COUNT, PERCENT, Indicator

DAYS = "days"
CLOSING = "RS, closing list"
BEYOND = "RS 2(c)"
DATES = _(
    "Only effective events count (approved where the step needs approval, not superseded by a "
    "correction, not retracted). A quarter runs from the first day of its first month to the last day "
    "of its third month, by the event's own date; a year is the sum of its quarters, so a case whose "
    "events fall in two years counts in each year through the dates it has there."
)

# code -> (indicator, numerator measure, denominator measure or None)
CASE_RULES: dict[str, tuple[Indicator, str, str | None]] = {
    i.code: (i, num, den)
    for i, num, den in (
        (
            Indicator(
                "case_rd_after_negative_asylum",
                _("Return decisions issued after negative asylum decisions"),
                _(
                    "“The number of return decisions issued following negative asylum decisions”: effective "
                    "return_decision events of cases whose effective legal_stay_ended event has the reason "
                    "negative_asylum_decision, in the quarter of the return decision's date; per member "
                    "state and third country of return."
                ),
                COUNT, "cases", CLOSING,
            ),
            "rd_after_negative_asylum", None,
        ),
        (
            Indicator(
                "case_readmission_requests",
                _("Readmission requests submitted on the basis of return decisions"),
                _(
                    "“The number of readmission requests submitted on the basis of return decisions”: "
                    "effective readmission_requested events (the state machine accepts them only after an "
                    "approved return decision), in the quarter of the request's date."
                ),
                COUNT, "cases", CLOSING,
            ),
            "readmission_requests", None,
        ),
        (
            Indicator(
                "case_voluntary_share",
                _("Share of voluntary returns (case data)"),
                _(
                    "“The share of voluntary returnees in the total number of returnees”: effective "
                    "voluntary_departure events divided by effective voluntary_departure and "
                    "enforced_return_carried_out events, in the quarter of the departure's date."
                ),
                PERCENT, "cases", CLOSING,
            ),
            "returns_voluntary", "returns_total",
        ),
        (
            Indicator(
                "case_cohort_return_6m",
                _("Cohort return rate within 6 months"),
                _(
                    "Of the cases whose first effective return decision falls in the quarter, the share "
                    "whose first voluntary_departure or enforced_return_carried_out is on or before that "
                    "decision's date plus 6 calendar months. Counted in the quarter of the decision: the "
                    "figures of the last two quarters still grow as their 6 months run."
                ),
                PERCENT, "cases", BEYOND,
            ),
            "cohort_returned_6m", "cohort_decisions",
        ),
        (
            Indicator(
                "case_cohort_return_12m",
                _("Cohort return rate within 12 months"),
                _(
                    "As the 6-month cohort rate, with 12 calendar months: the figures of the last four "
                    "quarters still grow."
                ),
                PERCENT, "cases", BEYOND,
            ),
            "cohort_returned_12m", "cohort_decisions",
        ),
        (
            Indicator(
                "case_asylum_to_decision_days",
                _("Days from negative asylum decision to return decision"),
                _(
                    "Mean number of days from the effective legal_stay_ended event with the reason "
                    "negative_asylum_decision to the case's first effective return_decision, in the quarter "
                    "of the return decision."
                ),
                DAYS, "cases", BEYOND,
            ),
            "asylum_to_rd_days", "asylum_to_rd_n",
        ),
        (
            Indicator(
                "case_readmission_answer_rate",
                _("Readmission answer rate"),
                _(
                    "Of the readmission requests (readmission_requested) of the quarter, the share answered "
                    "(readmission_answered, paired with requests first in, first out), by the third country "
                    "of return; counted in the quarter of the request, so recent quarters still grow."
                ),
                PERCENT, "cases", BEYOND,
            ),
            "readmission_answered", "readmission_requests",
        ),
        (
            Indicator(
                "case_readmission_answer_days",
                _("Days to a readmission answer"),
                _(
                    "Mean number of days from a readmission request to its answer, for the requests of the "
                    "quarter that have been answered, by the third country of return."
                ),
                DAYS, "cases", BEYOND,
            ),
            "readmission_answer_days", "readmission_answered",
        ),
        (
            Indicator(
                "case_vd_within_period",
                _("Voluntary departures within the voluntary period"),
                _(
                    "Of the voluntary_departure events that follow a return decision granting a period for "
                    "voluntary departure (voluntary_departure_days above 0), the share dated on or before "
                    "the decision's date plus that period; in the quarter of the departure."
                ),
                PERCENT, "cases", BEYOND,
            ),
            "vd_within_period", "vd_with_period",
        ),
        (
            Indicator(
                "case_absconding_share",
                _("Absconding share"),
                _(
                    "Of the cases whose first effective return decision falls in the quarter, the share with "
                    "an effective absconded event on or after that decision (at any time since)."
                ),
                PERCENT, "cases", BEYOND,
            ),
            "cohort_absconded", "cohort_decisions",
        ),
        (
            Indicator(
                "case_return_decisions",
                _("Return decisions (case data)"),
                _("Effective return_decision events, in the quarter of the decision's date."),
                COUNT, "cases", BEYOND,
            ),
            "return_decisions", None,
        ),
        (
            Indicator(
                "case_returns",
                _("Returns (case data)"),
                _(
                    "Effective voluntary_departure and enforced_return_carried_out events, in the quarter of "
                    "the departure's date."
                ),
                COUNT, "cases", BEYOND,
            ),
            "returns_total", None,
        ),
    )
}  # fmt: skip
CASE_INDICATORS = {code: rule[0] for code, rule in CASE_RULES.items()}
# The measures a member state that keeps its own system may submit.
SUBMITTABLE = (
    "rd_after_negative_asylum",
    "readmission_requests",
    "returns_voluntary",
    "returns_total",
    "return_decisions",
)
