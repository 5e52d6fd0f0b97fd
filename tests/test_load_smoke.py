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
import time
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


def test_cpu_per_endpoint_reads_the_lines_the_middleware_writes(tmp_path, monkeypatch):
    """bench/_cpu_middleware.py writes and bench/load.py reads one format: CPU and the wall time
    inside Django per route, so that a run tells work from waiting for a thread."""
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    monkeypatch.setenv("LOAD_CPU_LOG_DIR", str(tmp_path))
    import _cpu_middleware
    import load

    class Request:
        method = "GET"
        resolver_match = type("Match", (), {"route": "exchange/spaces/<int:pk>/", "view_name": "x"})()

    middleware = _cpu_middleware.ThreadCpuMiddleware(lambda request: sum(range(20000)))
    before = time.time() - 1
    for _ in range(3):
        middleware(Request())
    report = load.cpu_per_endpoint(tmp_path, before, before + 60)
    row = next(line for line in report.splitlines() if "exchange/spaces" in line)
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[0] == "`GET /exchange/spaces/<int:pk>/`"
    assert cells[1] == "3"
    assert float(cells[4]) > 0  # the wall time inside Django is measured
    assert cells[-1] == "100.0%"
