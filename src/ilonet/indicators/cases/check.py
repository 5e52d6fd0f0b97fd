"""The precomputed case figures against one raw SQL aggregate over the returns tables
(``returns.facts.raw_counts``): used by the tests and the benchmark."""

from __future__ import annotations

from collections import defaultdict

from ilonet.returns import facts as source

from ..models import IndicatorFigure
from ..periods import label
from .definitions import CASE_RULES
from .fold import TOTAL, geo_of

CHECKED = ("case_rd_after_negative_asylum", "case_readmission_requests", "case_voluntary_share",
           "case_return_decisions", "case_returns")  # fmt: skip


def from_raw_sql() -> dict[tuple[str, str, str, str], tuple[int, int | None]]:
    """(indicator, geo, citizen, period) -> (numerator, denominator), quarters and years, each
    member state and third country and their totals, from the raw SQL aggregate."""
    sums: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for (measure, ms, tc, year, quarter), n in source.raw_counts().items():
        geo = geo_of(ms)
        for citizen in (tc, TOTAL):
            for period in (label(year, quarter), str(year)):
                sums[(measure, geo, citizen, period)] += n
    out = {}
    for code in CHECKED:
        _ind, num, den = CASE_RULES[code]
        keys = {(g, c, p) for (m, g, c, p) in sums if m in (num, den)}
        for g, c, p in keys:
            d = sums.get((den, g, c, p), 0) if den else None
            n = sums.get((num, g, c, p), 0)
            if n or d:
                out[(code, g, c, p)] = (n, d)
    return out


def from_figures() -> dict[tuple[str, str, str, str], tuple[int, int | None]]:
    rows = IndicatorFigure.objects.filter(indicator__in=CHECKED, source="cases").exclude(geo="EU27_2020")
    return {
        (code, g, c, p): (n, d)
        for code, g, c, p, n, d in rows.values_list(
            "indicator", "geo", "citizen", "period", "numerator", "denominator"
        )
        if n or d
    }
