"""Small import files for the interchange tests (a helper module, not a test)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from ilonet.returns.interchange.rows import CSV_HEADER

ROOT = Path(__file__).resolve().parents[4]


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


def _database_url() -> str:
    """The test database as ``DATABASE_URL``, for a child process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user, password = quote(db["USER"] or "", safe=""), quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_import(
    path: Path, keys: Path, log: Path, *, state: str = "NL", preparer: str = "thread"
) -> subprocess.Popen:
    """A real ``manage.py returns_import`` of ``path`` in its own process, on the test database,
    in batches of 100, its output appended to ``log``; ``preparer``: its next batch prepared on a
    thread or in a process of its own (``RETURNS_IMPORT_PREPARER``)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ilonet.settings.test",
        "DATABASE_URL": _database_url(),
        "ILONET_DATA_DIR": str(settings.DATA_DIR),
        "ILONET_PERSONAL_DATA_KEY_DIR": str(keys),
        "ILONET_RETURNS_IMPORT_PREPARER": preparer,
    }
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "returns_import",
        str(path),
        "--member-state",
        state,
        "--batch-size",
        "100",
        "--no-progress",
        "--skip-checks",
    ]
    with log.open("a") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
