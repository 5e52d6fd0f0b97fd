"""Precomputed indicator figures (``IndicatorFigure``): rebuilt from Eurostat's observations
after each load, and from the capability register after each entry. Reads dominate (every
dashboard, chart and export), writes are rare: the figures are computed once, at write time,
in the writer's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone

from .eurostat.datasets import DATASETS, MEMBER_STATES, breakdown_key, iso_country
from .models import Capability, CapabilityEntry, EurostatObservation, IndicatorFigure
from .periods import quarter_end

Key = tuple[str, str, str]  # geo, citizen, period
Cell = tuple[int | None, str]  # value, flags

# indicator -> [(numerator table, its breakdown), (denominator table, its breakdown)] per frequency
EUROSTAT_RULES: dict[str, list[tuple[tuple[str, dict[str, str]], tuple[str, dict[str, str]]]]] = {
    "return_rate": [
        (("migr_eirtn", {}), ("migr_eiord", {})),
        (("migr_eirtn1", {}), ("migr_eiord1", {})),
    ],
    "effective_return_rate": [(("migr_eirtn1", {"c_dest": "THRD"}), ("migr_eiord1", {}))],
    "voluntary_share": [(("migr_eirt_vol", {"ret_type": "VOL"}), ("migr_eirt_vol", {}))],
    "assisted_share": [(("migr_eirt_ass", {"assist": "ASS"}), ("migr_eirt_ass", {}))],
    "orders_per_negative_asylum": [
        (("migr_eiord", {}), ("migr_asydcfsta", {"decision": "REJECTED"})),
        (("migr_eiord1", {}), ("migr_asydcfstq", {"decision": "REJECTED"})),
    ],
}
PERCENT_INDICATORS = {"return_rate", "effective_return_rate", "voluntary_share", "assisted_share"}


def _series(dataset: str, breakdown: dict[str, str]) -> dict[Key, Cell]:
    key = breakdown_key(DATASETS[dataset], **breakdown)
    rows = EurostatObservation.objects.filter(dataset=dataset, breakdown=key).values_list(
        "geo", "citizen", "period", "value", "flags"
    )
    return {
        (geo, citizen, period): (value, flags) for geo, citizen, period, value, flags in rows.iterator(2000)
    }


def _period_parts(period: str) -> tuple[int, int]:
    return (int(period[:4]), int(period[-1])) if "Q" in period else (int(period), 0)


def _ratio(num: int | None, den: int | None, percent: bool) -> float | None:
    if num is None or not den:
        return None
    return round((100.0 if percent else 1.0) * num / den, 4)


def _figure(code: str, key: Key, num: Cell, den: Cell) -> IndicatorFigure:
    geo, citizen, period = key
    year, quarter = _period_parts(period)
    flags = "".join(sorted(set(num[1] + den[1])))
    return IndicatorFigure(
        indicator=code,
        source="eurostat",
        geo=geo,
        citizen=citizen,
        period=period,
        year=year,
        quarter=quarter,
        numerator=num[0],
        denominator=den[0],
        value=_ratio(num[0], den[0], code in PERCENT_INDICATORS),
        flags=flags,
    )


def _annual_from_quarters(series: dict[Key, Cell]) -> dict[Key, Cell]:
    """A year's figure as the sum of its four quarters; only where all four are known."""
    quarters: dict[tuple[str, str, str], list[Cell]] = defaultdict(list)
    for (geo, citizen, period), cell in series.items():
        quarters[(geo, citizen, period[:4])].append(cell)
    out: dict[Key, Cell] = {}
    for (geo, citizen, year), cells in quarters.items():
        if len(cells) == 4 and all(v is not None for v, _f in cells):
            out[(geo, citizen, year)] = (
                sum(v for v, _f in cells if v is not None),
                "".join(f for _v, f in cells),
            )
    return out


def eurostat_figures(code: str) -> list[IndicatorFigure]:
    figures: list[IndicatorFigure] = []
    for (num_table, num_bd), (den_table, den_bd) in EUROSTAT_RULES[code]:
        numerators, denominators = _series(num_table, num_bd), _series(den_table, den_bd)
        for key, num in numerators.items():
            if key in denominators:
                figures.append(_figure(code, key, num, denominators[key]))
        if code == "effective_return_rate":
            num_y, den_y = _annual_from_quarters(numerators), _annual_from_quarters(denominators)
            figures.extend(_figure(code, key, num, den_y[key]) for key, num in num_y.items() if key in den_y)
    return figures


def tables_of(code: str) -> set[str]:
    return {table for pair in EUROSTAT_RULES[code] for table, _bd in pair}


@transaction.atomic
def rebuild_eurostat(tables: set[str] | None = None) -> int:
    """Recompute the Eurostat indicators that read any of ``tables`` (all when None)."""
    count = 0
    for code in EUROSTAT_RULES:
        if tables is not None and not (tables & tables_of(code)):
            continue
        IndicatorFigure.objects.filter(indicator=code, source="eurostat").delete()
        figures = eurostat_figures(code)
        IndicatorFigure.objects.bulk_create(figures, batch_size=2000)
        count += len(figures)
    return count


# --- the register ------------------------------------------------------------------------------


def state_on(entries: list[CapabilityEntry], day: date) -> dict[tuple[str, str], bool]:
    """(country, capability) -> in place on ``day``: the latest entry on or before it."""
    state: dict[tuple[str, str], tuple[date, bool]] = {}
    for entry in entries:
        if entry.effective_from <= day:
            key = (entry.country, entry.capability)
            if key not in state or state[key][0] < entry.effective_from:
                state[key] = (entry.effective_from, entry.has)
    return {key: has for key, (_day, has) in state.items()}


def _periods_since(first: date, today: date) -> list[tuple[str, int, int, date]]:
    """Every quarter and year from ``first`` to today, with the day they are measured on (their
    last day, or today for the running one)."""
    out = []
    for year in range(first.year, today.year + 1):
        out.append((str(year), year, 0, min(date(year, 12, 31), today)))
        for quarter in range(1, 5):
            if date(year, 3 * quarter - 2, 1) > today:
                break
            out.append((f"{year}-Q{quarter}", year, quarter, min(quarter_end(year, quarter), today)))
    return out


def register_figures(entries: list[CapabilityEntry], today: date) -> list[IndicatorFigure]:
    from .definitions import REGISTER_RULES

    if not entries:
        return []
    figures: list[IndicatorFigure] = []
    for period, year, quarter, day in _periods_since(min(e.effective_from for e in entries), today):
        state = state_on(entries, day)
        common = {"source": "register", "period": period, "year": year, "quarter": quarter}
        for code, (required, any_of) in REGISTER_RULES.items():
            total = 0
            for geo in MEMBER_STATES:
                iso = iso_country(geo)
                has = all(state.get((iso, c), False) for c in required) and (
                    not any_of or any(state.get((iso, c), False) for c in any_of)
                )
                total += has
                figures.append(IndicatorFigure(indicator=code, geo=geo, value=float(has), **common))
            figures.append(IndicatorFigure(indicator=code, geo="EU27_2020", value=float(total), **common))
        covered = sorted(c for (c, cap), has in state.items() if cap == Capability.JRS_COVERED and has)
        for country in covered:
            figures.append(
                IndicatorFigure(indicator="tc_jrs_covered", geo="", citizen=country, value=1.0, **common)
            )
        figures.append(
            IndicatorFigure(indicator="tc_jrs_covered", geo="EU27_2020", value=float(len(covered)), **common)
        )
    return figures


@transaction.atomic
def rebuild_register(today: date | None = None) -> int:
    IndicatorFigure.objects.filter(source="register").delete()
    figures = register_figures(list(CapabilityEntry.objects.all()), today or timezone.localdate())
    IndicatorFigure.objects.bulk_create(figures, batch_size=2000)
    return len(figures)


__all__ = ["rebuild_eurostat", "rebuild_register", "register_figures", "state_on"]
