"""Small import files for the interchange tests (a helper module, not a test)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ilonet.returns.interchange.rows import CSV_HEADER


def case_row(
    ext: str, *, state: str = "NL", family: str | None = None, born: str = "1990-04-12", **more
) -> dict:
    return {
        "record": "case",
        "external_id": ext,
        "member_state": state,
        "case_type": "own_means",
        "opened_on": "2025-01-10",
        "third_country": "MA",
        "family_name": family or f"Family {ext}",
        "given_names": "Youssef",
        "date_of_birth": born,
        "place_of_birth": "Oujda",
        "nationality": "MA",
        **more,
    }


def event_rows(ext: str) -> list[dict]:
    """A departure by own means: end of stay, return decision, departure, closure."""
    steps = [
        ("legal_stay_ended", "2025-01-10", {"reason": "negative_asylum_decision"}),
        ("return_decision", "2025-01-20", {"voluntary_departure_days": 30}),
        ("voluntary_departure", "2025-02-10", {"assisted": False}),
        ("case_closed", "2025-02-11", {"outcome": "returned_voluntarily"}),
    ]
    return [
        {
            "record": "event",
            "external_id": f"{ext}-E{i}",
            "case_external_id": ext,
            "kind": kind,
            "occurred_on": day,
            "fields": fields,
        }
        for i, (kind, day, fields) in enumerate(steps, start=1)
    ]


def cases(count: int, *, state: str = "NL", prefix: str = "C") -> list[dict]:
    out = []
    for number in range(1, count + 1):
        ext = f"{prefix}{number:05d}"
        out += [case_row(ext, state=state), *event_rows(ext)]
    return out


def write_jsonl(path: Path, rows: list[dict | str]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write((row if isinstance(row, str) else json.dumps(row)) + "\n")
    return path


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_HEADER)
        for row in rows:
            cells = {**row, "fields": json.dumps(row["fields"]) if "fields" in row else ""}
            writer.writerow([cells.get(name, "") for name in CSV_HEADER])
    return path
