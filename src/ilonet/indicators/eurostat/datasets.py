"""The Eurostat tables ILOnet loads, their dimensions and the codes each dimension accepts.

The enforcement-of-immigration-legislation tables (Regulation (EC) No 862/2007, Art. 7) and the
asylum decision tables, as Eurostat serves them. A file whose dimensions differ from the list
below is refused with the expected and the found columns: when Eurostat changes a table, this
table is the one place to change.

``geo`` codes are Eurostat's (``EL`` for Greece); geographic aggregates (``EU27_2020``) are
kept apart from the member states (``is_aggregate``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django_countries import countries

ANNUAL = "A"
QUARTERLY = "Q"

# Eurostat's geo codes of the member states and Schengen-associated countries, and their ISO code.
EUROSTAT_TO_ISO = {"EL": "GR", "UK": "GB"}
MEMBER_STATES = (
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "EL",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
)
ASSOCIATED = ("IS", "LI", "NO", "CH")
GEO_AGGREGATES = ("EU27_2020", "EU28", "EU27_2007", "EFTA")
EU_TOTAL = "EU27_2020"

# Citizenship: every ISO country (Eurostat's EL and UK too) and Eurostat's groups. Checked
# (docs/indicators.md, "Eurostat's codes: what was checked"): TOTAL, EU27_2020, EXT_EU27_2020,
# EU28, EXT_EU28, STLS, UNK, RNC and UK_OCT occur in the citizen dimension of these tables;
# EU27_2020_FOR and NEU27_2020_FOR are codes of Eurostat's CITIZEN code list seen in other tables.
CITIZEN_GROUPS = (
    "TOTAL",
    "EU27_2020",
    "EXT_EU27_2020",
    "EXT_EU28",
    "EU27_2020_FOR",
    "NEU27_2020_FOR",
    "STLS",
    "UNK",
    "RNC",
    "UK_OCT",
)
AGES = ("TOTAL", "Y_LT14", "Y14-17", "Y_LT18", "Y18-34", "Y35-64", "Y_GE65", "Y_GE18", "UNK")
SEXES = ("T", "M", "F", "UNK")
UNITS = ("PER",)
# Country of destination of returns: all, third countries only, member states and EFTA.
DESTINATIONS = ("TOTAL", "THRD", "EU27_2020_EFTA", "UNK")
RETURN_TYPES = ("TOTAL", "VOL", "ENF", "UNK")  # voluntary, enforced
ASSISTANCE = ("TOTAL", "ASS", "NASS", "UNK")  # assisted, not assisted
DECISIONS = (
    "TOTAL",
    "TOTAL_POS",
    "GENCONV",
    "HUMSTAT",
    "SUB_PROT",
    "TEMP_PROT",
    "REJECTED",
)

# Eurostat's observation flags (its "flags and special values" list).
FLAGS = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
}


def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries) | {"EL", "UK", "XK"}


@dataclass(frozen=True)
class Dataset:
    code: str
    title: str
    freq: str
    dimensions: tuple[str, ...]  # in Eurostat's order, freq first and geo last
    # dimensions a file may leave out (read as TOTAL): extractions filtered to the total
    optional: tuple[str, ...] = ()

    @property
    def breakdown(self) -> tuple[str, ...]:
        """The dimensions kept in an observation's breakdown: all but freq, citizen, unit, geo."""
        return tuple(d for d in self.dimensions if d not in ("freq", "citizen", "unit", "geo"))

    def codes(self, dimension: str) -> frozenset[str]:
        return frozenset(code_list(dimension))


def code_list(dimension: str) -> frozenset[str]:
    if dimension == "freq":
        return frozenset({ANNUAL, QUARTERLY})
    if dimension == "geo":
        return frozenset(MEMBER_STATES + ASSOCIATED + GEO_AGGREGATES)
    if dimension == "citizen":
        return _country_codes() | frozenset(CITIZEN_GROUPS)
    return frozenset(CODES[dimension])


CODES: dict[str, tuple[str, ...]] = {
    "age": AGES,
    "sex": SEXES,
    "unit": UNITS,
    "c_dest": DESTINATIONS,
    "ret_type": RETURN_TYPES,
    "assist": ASSISTANCE,
    "decision": DECISIONS,
}

_BASE = ("freq", "citizen", "age", "sex", "unit", "geo")
DATASETS: dict[str, Dataset] = {
    d.code: d
    for d in (
        Dataset("migr_eiord", "Third-country nationals ordered to leave, annual", ANNUAL, _BASE),
        Dataset("migr_eiord1", "Third-country nationals ordered to leave, quarterly", QUARTERLY, _BASE),
        Dataset(
            "migr_eirtn",
            "Third-country nationals returned following an order to leave, annual",
            ANNUAL,
            # Eurostat's table has the country of destination (c_dest); its place in the key
            # is unverified and the loader does not depend on it
            ("freq", "citizen", "c_dest", "age", "sex", "unit", "geo"),
            optional=("c_dest",),
        ),
        Dataset(
            "migr_eirtn1",
            "Third-country nationals returned following an order to leave, quarterly",
            QUARTERLY,
            ("freq", "citizen", "c_dest", "age", "sex", "unit", "geo"),
        ),
        Dataset(
            "migr_eirt_vol",
            "Third-country nationals who left, by type of return",
            ANNUAL,
            ("freq", "citizen", "ret_type", "c_dest", "age", "sex", "unit", "geo"),
        ),
        Dataset(
            "migr_eirt_ass",
            "Third-country nationals who left, by assistance received",
            ANNUAL,
            ("freq", "citizen", "assist", "c_dest", "age", "sex", "unit", "geo"),
        ),
        Dataset(
            "migr_asydcfsta",
            "First-instance decisions on asylum applications, annual",
            ANNUAL,
            ("freq", "citizen", "sex", "age", "decision", "unit", "geo"),
        ),
        Dataset(
            "migr_asydcfstq",
            "First-instance decisions on asylum applications, quarterly",
            QUARTERLY,
            ("freq", "citizen", "sex", "age", "decision", "unit", "geo"),
        ),
    )
}


def breakdown_key(dataset: Dataset, **values: str) -> str:
    """The canonical breakdown string of an observation, e.g. ``age=TOTAL;sex=T``; dimensions
    not given are TOTAL (T for sex)."""
    parts = []
    for dimension in dataset.breakdown:
        default = "T" if dimension == "sex" else "TOTAL"
        parts.append(f"{dimension}={values.get(dimension, default)}")
    return ";".join(parts)


def iso_country(geo_or_citizen: str) -> str:
    """Eurostat's country code as ISO 3166-1 alpha-2 (EL is GR)."""
    return EUROSTAT_TO_ISO.get(geo_or_citizen, geo_or_citizen)


def eurostat_geo(iso: str) -> str:
    return {v: k for k, v in EUROSTAT_TO_ISO.items()}.get(iso, iso)
