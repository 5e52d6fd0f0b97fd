"""Run every benchmark in bench/ (``make bench``), bounded in time, and refresh docs/benchmarks.md.

Each benchmark runs in its own process on SQLite (a temporary file) and, when DATABASE_URL is a
postgres:// URL, on PostgreSQL too (each creates and drops a throwaway ``test_<name>``
database). Before them, a fixed pure-Python loop is timed: the machine-speed calibration
written beside the results, so that runs on different days (or under different load) can be
compared: divide a rate by the calibration figure, or compare the figures first.

Usage: .venv/bin/python bench/run.py [--quick] [--no-docs] [--timeout 900]
  --quick    small data and few requests (about a minute); prints only, docs/benchmarks.md
             keeps the figures of the last full run
  --no-docs  full run, print only
"""

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench/run.py calibration: start -->", "<!-- bench/run.py calibration: end -->"

BUSY = (
    " **The machine was busy** (load above its core count, other jobs running): the figures below are "
    "slower than on a quiet machine, and a p95 over a budget may be the other jobs; rerun `make bench` "
    "on a quiet machine before judging a budget."
)

# name -> (arguments for a full run, arguments for --quick)
BENCHMARKS = {
    "audit_trail.py": (["--events", "20000"], ["--events", "1000", "--requests", "10"]),
    "deployments.py": ([], ["--deployments", "1000", "--networks", "50", "--requests", "10"]),
    "jobs_overhead.py": (["--jobs", "2000"], ["--jobs", "200"]),
    "notifications_fanout.py": ([], ["--officers", "500"]),
    "guard.py": ([], []),
    "uploads.py": ([], ["--megabytes", "10"]),
}
# Benchmarks that use no database run once, not once per database.
NO_DATABASE = {"guard.py", "uploads.py"}


def calibration(loops: int = 2_000_000, repeat: int = 3) -> float:
    """Operations per second of a fixed pure-Python loop (best of ``repeat``): integer
    arithmetic, a branch and a list append, the kind of work the request path does."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        total, items = 0, []
        for i in range(loops):
            total = (total + i * i) % 1_000_003
            if i & 1023 == 0:
                items.append(total)
        best = min(best, time.perf_counter() - start)
    return loops / best


def run_one(script: str, args: list[str], database_url: str | None, timeout: int) -> tuple[bool, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    command = [sys.executable, str(ROOT / "bench" / script), *args]
    try:
        result = subprocess.run(  # noqa: S603  (our own scripts, fixed arguments)
            command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return False, f"{script}: stopped after {timeout} s"
    return result.returncode == 0, result.stdout + (result.stderr if result.returncode else "")


def write_calibration(ops: float, load: float) -> None:
    section = (
        f"{START}\n"
        f"Last full run: {date.today().isoformat()}, {platform.python_implementation()} "
        f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, load average "
        f"{load:.1f} at the start. Machine-speed calibration (a fixed pure-Python loop, best of 3): "
        f"**{ops / 1e6:.2f} M ops/s**. Figures from runs with a different calibration (or load) "
        "differ by about that ratio."
        f"{BUSY if load > (os.cpu_count() or 1) else ''}\n"
        f"{END}"
    )
    text = DOCS.read_text(encoding="utf-8")
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        first = text.index("\n## ") if "\n## " in text else len(text)
        text = text[:first].rstrip("\n") + "\n\n" + section + "\n" + text[first:]
    DOCS.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per benchmark and database")
    args = parser.parse_args()
    write = not (args.quick or args.no_docs)

    load = os.getloadavg()[0]
    ops = calibration(500_000 if args.quick else 2_000_000)
    print(f"calibration: {ops / 1e6:.2f} M ops/s (pure-Python loop); load average {load:.1f}\n")
    postgres = os.environ.get("DATABASE_URL", "")
    databases: list[tuple[str, str | None]] = [("sqlite", None)]
    if re.match(r"postgres(ql)?://", postgres):
        databases.append(("postgresql", postgres))
    failures = 0
    for script, (full, quick) in BENCHMARKS.items():
        for vendor, url in databases[:1] if script in NO_DATABASE else databases:
            extra = (quick if args.quick else full) + (["--write-docs"] if write else [])
            started = time.perf_counter()
            ok, output = run_one(script, extra, url, args.timeout)
            status = "" if ok else ": FAILED"
            print(f"== {script} on {vendor} ({time.perf_counter() - started:.0f} s){status}")
            print(output)
            failures += not ok
    if write:
        write_calibration(ops, load)
        print(f"written to {DOCS.relative_to(ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
