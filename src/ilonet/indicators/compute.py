"""Precomputed indicator figures (``IndicatorFigure``): rebuilt from Eurostat's observations
after each load (set-based SQL), and from the capability register after each entry. Reads dominate (every
dashboard, chart and export), writes are rare: the figures are computed once, at write time,
in the writer's transaction.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from .eurostat.datasets import DATASETS, FLAGS, MEMBER_STATES, breakdown_key, iso_country
from .models import Capability, CapabilityEntry, EurostatObservation, IndicatorFigure
from .periods import quarter_end

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


def tables_of(code: str) -> set[str]:
    return {table for pair in EUROSTAT_RULES[code] for table, _bd in pair}


# Set-based SQL: each indicator is one INSERT … SELECT joining the numerator's and the
# denominator's observations (SQLite and PostgreSQL alike). Table and column names and the flag
# letters are ours; every value is a parameter.
def _has_flag(expr: str, flag: str) -> str:
    return f"replace({expr}, '{flag}', '') <> {expr}"  # case-sensitive, portable "contains"


def _flags_sql(expr: str) -> str:
    """The distinct flags of ``expr`` in alphabetical order (as ``''.join(sorted(set(...)))``)."""
    return " || ".join(f"CASE WHEN {_has_flag(expr, f)} THEN '{f}' ELSE '' END" for f in sorted(FLAGS))


def _value_sql(code: str, num: str, den: str) -> str:
    factor = "100.0" if code in PERCENT_INDICATORS else "1.0"  # a numeric literal in PostgreSQL
    return (
        f"CASE WHEN {num} IS NULL OR {den} IS NULL OR {den} = 0 THEN NULL "
        f"ELSE ROUND({factor} * {num} / {den}, 4) END"
    )


_FIGURE_COLUMNS = (
    "indicator, source, geo, citizen, period, year, quarter, numerator, denominator, value, flags"
)


def _same_period_sql(code: str) -> str:
    obs, fig = EurostatObservation._meta.db_table, IndicatorFigure._meta.db_table
    return (
        f"INSERT INTO {fig} ({_FIGURE_COLUMNS}) "  # noqa: S608
        f"SELECT %s, 'eurostat', n.geo, n.citizen, n.period, n.year, n.quarter, n.value, d.value, "
        f"{_value_sql(code, 'n.value', 'd.value')}, {_flags_sql('(n.flags || d.flags)')} "
        f"FROM {obs} n JOIN {obs} d ON d.dataset = %s AND d.breakdown = %s AND d.geo = n.geo "
        "AND d.citizen = n.citizen AND d.period = n.period "
        "WHERE n.dataset = %s AND n.breakdown = %s"
    )


def _year_of_quarters_sql(code: str) -> str:
    """A year as the sum of its four quarters, only where all four are known."""
    obs, fig = EurostatObservation._meta.db_table, IndicatorFigure._meta.db_table

    def summed(alias: str) -> str:
        flags = ", ".join(
            f"MAX(CASE WHEN {_has_flag('flags', f)} THEN 1 ELSE 0 END) AS f_{f}" for f in sorted(FLAGS)
        )
        return (
            f"(SELECT geo, citizen, year, SUM(value) AS value, {flags} FROM {obs} "  # noqa: S608
            "WHERE dataset = %s AND breakdown = %s AND quarter > 0 "
            f"GROUP BY geo, citizen, year HAVING COUNT(value) = 4) {alias}"
        )

    flags = " || ".join(f"CASE WHEN n.f_{f} = 1 OR d.f_{f} = 1 THEN '{f}' ELSE '' END" for f in sorted(FLAGS))
    return (
        f"INSERT INTO {fig} ({_FIGURE_COLUMNS}) "  # noqa: S608
        f"SELECT %s, 'eurostat', n.geo, n.citizen, CAST(n.year AS varchar(7)), n.year, 0, n.value, d.value, "
        f"{_value_sql(code, 'n.value', 'd.value')}, {flags} "
        f"FROM {summed('n')} JOIN {summed('d')} "
        "ON d.geo = n.geo AND d.citizen = n.citizen AND d.year = n.year"
    )


@transaction.atomic
def rebuild_eurostat(tables: set[str] | None = None) -> int:
    """Recompute the Eurostat indicators that read any of ``tables`` (all when None)."""
    count = 0
    with connection.cursor() as cursor:
        for code, rules in EUROSTAT_RULES.items():
            if tables is not None and not (tables & tables_of(code)):
                continue
            IndicatorFigure.objects.filter(indicator=code, source="eurostat").delete()
            for (num_table, num_bd), (den_table, den_bd) in rules:
                num_key = breakdown_key(DATASETS[num_table], **num_bd)
                den_key = breakdown_key(DATASETS[den_table], **den_bd)
                cursor.execute(_same_period_sql(code), [code, den_table, den_key, num_table, num_key])
                count += max(cursor.rowcount, 0)
                if code == "effective_return_rate":
                    cursor.execute(
                        _year_of_quarters_sql(code), [code, num_table, num_key, den_table, den_key]
                    )
                    count += max(cursor.rowcount, 0)
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
