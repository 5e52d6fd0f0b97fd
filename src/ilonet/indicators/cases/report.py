"""The case-data sections of the PDF progress report (RS, closing paragraph: progress is reported
to the high-level network), registered in ``report_sections`` by the app at start-up:

- the strategy's seven indicators for the quarter: the three from case data (or submitted
  counts) per member state with the EU total, the four from the register of capabilities as
  they stood on the quarter's last day;
- the measures beyond the return rate from case data (RS 2(c)), per member state;
- case data beside Eurostat's figures (quarter and year) where both exist, with the difference.

Each with its definition and flags. Aggregates only: no case, no person.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ..definitions import INDICATORS
from ..eurostat.datasets import EU_TOTAL, MEMBER_STATES
from ..models import IndicatorFigure
from ..periods import label, quarter_end
from . import reconcile
from .definitions import BEYOND, CASE_RULES, CLOSING, DATES

SEVEN_FROM_REGISTER = (
    "ms_case_management_it",
    "ms_return_counselling",
    "ms_frontex_services",
    "tc_jrs_covered",
)
GEO_ORDER = {geo: i for i, geo in enumerate((EU_TOTAL, *MEMBER_STATES))}


def _block(code: str, period: str) -> dict[str, Any]:
    ind = CASE_RULES[code][0]
    rows = IndicatorFigure.objects.filter(indicator=code, period=period, citizen="TOTAL").exclude(
        source="eurostat"
    )
    return {
        "code": code,
        "label": ind.label,
        "definition": ind.definition,
        "unit": ind.unit,
        "basis": ind.basis,
        "rows": sorted(rows, key=lambda f: (GEO_ORDER.get(f.geo, len(GEO_ORDER)), f.geo)),
    }


def section(year: int, quarter: int) -> dict[str, Any]:
    from .. import selectors

    period = label(year, quarter)
    last_day = quarter_end(year, quarter)
    register = [
        {
            "code": code,
            "label": INDICATORS[code].label,
            "definition": INDICATORS[code].definition,
            "value": selectors.register_count(code, on=last_day),
        }
        for code in SEVEN_FROM_REGISTER
    ]
    return {
        "period": period,
        "last_day": last_day,
        "dates": DATES,
        "seven": [_block(code, period) for code, rule in CASE_RULES.items() if rule[0].basis == CLOSING],
        "register": register,
        "beyond": [_block(code, period) for code, rule in CASE_RULES.items() if rule[0].basis == BEYOND],
        "reconciliation": reconcile.lines(period=period) + reconcile.lines(period=str(year)),
        "reconciliation_note": _(
            "Eurostat counts a person once per period (two return decisions of one person in a year are "
            "one order to leave) and member states round and revise their national figures: a difference "
            "is expected and is not an error."
        ),
    }
