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
    "FR": 0.25, "DE": 0.10, "GR": 0.07, "ES": 0.06, "IT": 0.06, "PL": 0.06, "BE": 0.05, "NL": 0.05,
    "AT": 0.04, "SE": 0.03, "HU": 0.03, "RO": 0.02, "CZ": 0.02, "PT": 0.02, "BG": 0.02, "HR": 0.02,
    "CY": 0.02, "IE": 0.01, "FI": 0.01, "DK": 0.01, "LT": 0.01, "LV": 0.01, "SK": 0.01, "SI": 0.01,
    "EE": 0.005, "LU": 0.005, "MT": 0.005,
}  # fmt: skip
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
    rng = random.Random(seed)
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
    returned = rng.random() < RETURNED_SHARE
    case_type = rng.choices(["voluntary", "enforced", "own_means"], [0.45, 0.35, 0.20])[0]
    person = {
        "person_id": f"P{number:09d}",
        # about 1 in 400 cases names a person already met (same name and date of birth)
        "family_name": FAMILY[rng.randrange(len(FAMILY))],
        "given_names": GIVEN[rng.randrange(len(GIVEN))],
        "date_of_birth": (date(1960, 1, 1) + timedelta(days=rng.randrange(16_000))).isoformat(),
        "nationality": rng.choice(THIRD_COUNTRIES),
        "sex": rng.choice("MF"),
    }
    case = {
        "record": "case", "external_id": ext, "member_state": state, "case_type": case_type,
        "opened_on": end_of_stay.isoformat(), "third_country": person["nationality"], **person,
    }  # fmt: skip
    day = end_of_stay
    events: list[dict] = []

    def add(kind: str, gap: int, **fields) -> None:
        nonlocal day
        day = day + timedelta(days=gap)
        events.append({
            "record": "event", "external_id": f"{ext}-E{len(events) + 1}", "case_external_id": ext,
            "kind": kind, "occurred_on": day.isoformat(), "fields": fields,
        })  # fmt: skip

    for kind, gap, fields in SCRIPT(rng, case_type, returned, day):
        add(kind, gap, **fields)
    return case, events


def SCRIPT(rng, case_type, returned, day):  # noqa: N802 (set by returns_import.py to the core's kinds)
    raise NotImplementedError


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
