"""The load scenarios stay valid as the site changes (issue 15): a smoke run of bench/load.py.

The runner serves the site as in production (gunicorn, production settings, a private clamd,
SQLite in a temporary directory), seeds the demo data, and runs the scenarios of
bench/load_locustfile.py with 10 users for 20 seconds, each user first asking every endpoint of
its role once. No latency budget is checked here (the machine running the suite is not the one
of the measurement, docs/benchmarks.md): only that no request failed and that every scenario
endpoint was exercised, so that a changed URL, schema or permission breaks this test rather
than the next load run.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _port() -> int:
    if os.environ.get("ILONET_LOAD_PORT"):  # a machine that hands out ports
        return int(os.environ["ILONET_LOAD_PORT"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_load_scenario_endpoint_answers_without_error(tmp_path):
    if shutil.which("clamd") is None and not os.path.exists("/usr/sbin/clamd"):
        # A missing scanner is a failure, never a skip: `make test` installs it (system-deps).
        pytest.fail(
            "clamd is missing: sudo bash scripts/system-deps.sh (Debian's clamav-daemon)", pytrace=False
        )
    out = tmp_path / "load.json"
    # SQLite in the runner's own directory: never the suite's database (a PostgreSQL DATABASE_URL
    # would make the runner create and drop a test_… database of the same name as pytest's).
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("ILONET_")}
    result = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        [sys.executable, "bench/load.py", "--smoke", "--port", str(_port()), "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    output = result.stdout[-6000:] + result.stderr[-6000:]
    assert out.exists(), output
    analysis = json.loads(out.read_text(encoding="utf-8"))
    assert analysis["problems"] == [], output
    assert analysis["failed"] == 0 and analysis["requests"] > 0, output
    exercised = {row["name"] for row in analysis["table"]}
    assert {
        "POST /api/v1/exchange/spaces/{id}/documents (5 MB)",
        "POST /api/v1/board/motions/{id}/votes",
        "POST /api/v1/returns/cases/{reference}/events",
    } <= exercised
    assert result.returncode == 0, output
