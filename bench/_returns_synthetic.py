"""Deterministic synthetic return cases at EU scale, for bench/returns_import.py (not a benchmark
itself: its name starts with an underscore).

Magnitudes, near the published ones (Eurostat ``migr_eiord``, third-country nationals ordered to
leave, and ``migr_eirtn``, returned following an order to leave, 2014-2023): about 400,000-500,000
return decisions a year in the EU, about a quarter to a third of them returned. ``--cases`` is
spread over ten years (2015-2024) and the 27 member states by the shares below (rounded from
those tables: France issues about a quarter of the EU's decisions); ``5,000,000`` is the full EU
decade. Every run with the same seed and size writes the same file, byte for byte.

A case has about 8 events (end of legal stay, return decision, counselling or absconding-risk
assessment, identification, readmission request and answer, travel document, departure or
absconding, reintegration, closure), in date order.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date, timedelta

# Share of the EU's return decisions by member state (ISO 3166 code), rounded.
SHARES = {
    "FR": 0.25,
    "DE": 0.10,
    "GR": 0.07,
    "ES": 0.06,
    "IT": 0.06,
    "PL": 0.06,
    "BE": 0.05,
    "NL": 0.05,
    "AT": 0.04,
    "SE": 0.03,
    "HU": 0.03,
    "RO": 0.02,
    "CZ": 0.02,
    "PT": 0.02,
    "BG": 0.02,
    "HR": 0.02,
    "CY": 0.02,
    "IE": 0.01,
    "FI": 0.01,
    "DK": 0.01,
    "LT": 0.01,
    "LV": 0.01,
    "SK": 0.01,
    "SI": 0.01,
    "EE": 0.005,
    "LU": 0.005,
    "MT": 0.005,
}
MEMBER_STATES = tuple(SHARES)
THIRD_COUNTRIES = ("MA", "DZ", "TN", "AL", "GE", "UA", "PK", "AF", "IQ", "TR", "NG", "SN", "BD", "IN", "EG")
YEARS = tuple(range(2015, 2025))
RETURNED_SHARE = 0.29  # "a quarter to a third" returned
FAMILY = tuple(f"Family{i:05d}" for i in range(20_000))
GIVEN = tuple(f"Given{i:04d}" for i in range(3_000))


def member_state_weights() -> tuple[tuple[str, ...], list[float]]:
    total = sum(SHARES.values())
    return MEMBER_STATES, [share / total for share in SHARES.values()]


def cases(count: int, *, seed: int = 20261202, only: str | None = None) -> Iterator[tuple[dict, list[dict]]]:
    """``count`` cases (each with its events), the same for the same seed. ``only`` keeps the
    cases of one member state (the rest are drawn and dropped, so the data stays the same)."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, seeded on purpose)
    states, weights = member_state_weights()
    for number in range(1, count + 1):
        state = rng.choices(states, weights)[0]
        year = YEARS[(number - 1) * len(YEARS) // count]
        case, events = _case(rng, number, state, year)
        if only is None or state == only:
            yield case, events


def _case(rng: random.Random, number: int, state: str, year: int) -> tuple[dict, list[dict]]:
    ext = f"{state}-{year}-{number:08d}"
    end_of_stay = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    case_type = rng.choices(["voluntary", "enforced", "own_means"], [0.40, 0.35, 0.25])[0]
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(16_000))
    family, given = FAMILY[rng.randrange(len(FAMILY))], GIVEN[rng.randrange(len(GIVEN))]
    if rng.random() < 0.0025:  # about 1 case in 400 names one of 50 persons met before: suspected duplicates
        known = rng.randrange(50)
        family, given, born = FAMILY[known], GIVEN[known], date(1980, 1, 1) + timedelta(days=known)
    nationality = rng.choice(THIRD_COUNTRIES)
    case = {
        "record": "case",
        "external_id": ext,
        "member_state": state,
        "case_type": case_type,
        "opened_on": end_of_stay.isoformat(),
        "third_country": nationality,
        "family_name": family,
        "given_names": given,
        "date_of_birth": born.isoformat(),
        "place_of_birth": "",
        "nationality": nationality,
    }
    events: list[dict] = []
    day = end_of_stay

    def add(kind: str, gap: int, **fields) -> None:
        nonlocal day
        day = day + timedelta(days=gap)
        events.append(
            {
                "record": "event",
                "external_id": f"{ext}-E{len(events) + 1}",
                "case_external_id": ext,
                "kind": kind,
                "occurred_on": day.isoformat(),
                "fields": fields,
            }
        )

    returned = rng.random() < RETURNED_SHARE
    add("legal_stay_ended", 0, reason=rng.choice(REASONS))
    add(
        "return_decision",
        rng.randrange(1, 20),
        voluntary_departure_days=0 if case_type == "enforced" else 30,
        decision_reference=f"RD-{number}",
    )
    add("sis_alert_entered", 1, sis_reference=f"SIS{number:09d}")
    if case_type == "voluntary":
        add("avr_applied", rng.randrange(1, 15), programme="National AVRR")
        add("avr_evaluation_started", rng.randrange(1, 10))
        add("avr_accepted", rng.randrange(5, 30))
    else:
        add("absconding_risk_assessed", rng.randrange(1, 15), risk=rng.choice(["low", "medium", "high"]))
        add("identification_step", rng.randrange(1, 20), method="interview", result="identified")
    add("readmission_requested", rng.randrange(5, 40), channel="rcms", rcms_reference=f"RCMS-{number}")
    if returned:
        add("readmission_answered", rng.randrange(10, 90), answer="accepted")
        if case_type == "enforced":
            add(
                "enforced_return_scheduled",
                rng.randrange(5, 30),
                departure_on=(day + timedelta(days=40)).isoformat(),
                charter=rng.random() < 0.3,
                frontex_supported=rng.random() < 0.5,
                escorted=True,
            )
            add("enforced_return_carried_out", rng.randrange(5, 30))
            add("case_closed", 1, outcome="removed")
        else:
            add("voluntary_departure", rng.randrange(5, 30), assisted=case_type == "voluntary")
            if case_type == "voluntary":
                add(
                    "reintegration_assistance",
                    rng.randrange(1, 60),
                    package=rng.choice(["cash", "in_kind"]),
                    provider="IOM",
                    frontex_joint_reintegration=rng.random() < 0.6,
                )
            add("case_closed", 1, outcome="returned_voluntarily")
    elif year < YEARS[-2]:
        add("absconded", rng.randrange(10, 120))
        add("case_closed", rng.randrange(30, 200), outcome="absconded")
    return case, events


REASONS = ("negative_asylum_decision", "permit_expired", "irregular_entry_or_stay")


def write_jsonl(path, count: int, *, seed: int = 20261202) -> tuple[int, int]:
    """Write the cases and their events as JSON lines; (cases, events) written."""
    n_cases = n_events = 0
    with open(path, "w", encoding="utf-8") as out:
        for case, events in cases(count, seed=seed):
            out.write(json.dumps(case, separators=(",", ":")) + "\n")
            for event in events:
                out.write(json.dumps(event, separators=(",", ":")) + "\n")
            n_cases += 1
            n_events += len(events)
    return n_cases, n_events
