"""Case data beside Eurostat (issue 14): where both exist for a member state and period, the two
figures side by side with the difference. Eurostat counts a person once per period (a person
with two return decisions in a year is one order to leave) and member states round and revise
their national figures, so a difference is expected; the page says so.

Pairs compared (all from the precomputed ``IndicatorFigure`` rows):
- return decisions (case data) and third-country nationals ordered to leave (migr_eiord,
  migr_eiord1: the denominator of Eurostat's return rate);
- returns (case data) and those returned following an order to leave (migr_eirtn, migr_eirtn1:
  the numerator of the return rate);
- the share of voluntary returns (case data) and Eurostat's (migr_eirt_vol).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from ..models import IndicatorFigure

# (label, case indicator, its field, Eurostat indicator, its field)
PAIRS = (
    (
        _("Return decisions / ordered to leave"),
        "case_return_decisions",
        "value",
        "return_rate",
        "denominator",
    ),
    (_("Returns / returned following an order"), "case_returns", "value", "return_rate", "numerator"),
    (_("Share of voluntary returns (%)"), "case_voluntary_share", "value", "voluntary_share", "value"),
)


@dataclass(frozen=True)
class Line:
    geo: str
    period: str
    figure: str
    cases: float | None
    eurostat: float | None
    flags: str

    @property
    def difference(self) -> float | None:
        if self.cases is None or self.eurostat is None:
            return None
        return round(self.cases - self.eurostat, 4)


INDICATORS = sorted({code for pair in PAIRS for code in (pair[1], pair[3])})


def lines(*, period: str | None = None, geo: str | None = None) -> list[Line]:
    """Every member state and period where both sources have the figure (citizen TOTAL)."""
    qs = IndicatorFigure.objects.filter(citizen="TOTAL", indicator__in=INDICATORS)  # every pair's, one query
    if period:
        qs = qs.filter(period=period)
    if geo:
        qs = qs.filter(geo=geo)
    return paired(list(qs.order_by("indicator", "year", "quarter", "geo", "id")))


def paired(found: Sequence[Any]) -> list[Line]:
    """The lines of figures read already (``IndicatorFigure`` or ``selectors.FigureRow``, of the
    ``INDICATORS``, citizen TOTAL, in the order indicator, year, quarter, geo, id)."""
    out: list[Line] = []
    for label, case_code, case_field, euro_code, euro_field in PAIRS:
        cases = {(f.geo, f.period): f for f in found if f.indicator == case_code and f.source != "eurostat"}
        if not cases:
            continue
        for f in (f for f in found if f.indicator == euro_code and f.source == "eurostat"):
            mine = cases.get((f.geo, f.period))
            if mine is None:
                continue
            out.append(
                Line(f.geo, f.period, str(label), getattr(mine, case_field), getattr(f, euro_field), f.flags)
            )
    return sorted(out, key=lambda line: (line.period, line.geo, line.figure))
