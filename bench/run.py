"""Run every benchmark in bench/ (``make bench``), bounded in time, and refresh docs/benchmarks.md.

Each benchmark runs in its own process on SQLite (a temporary file) and, when DATABASE_URL is a
postgres:// URL, on PostgreSQL too (each creates and drops a throwaway ``test_<name>``
database). Before them, a fixed pure-Python loop is timed: the machine-speed calibration
written beside the results, so that runs on different days (or under different load) can be
compared: divide a rate by the calibration figure, or compare the figures first.

Every module of bench/ with a ``__main__`` block is run (see ``discover``); a module declares
its arguments in ``BENCH_RUN``.

Usage: .venv/bin/python bench/run.py [--quick] [--no-docs] [--timeout 1800] [--only NAME] [--list]
  --quick    small data and few requests (about a minute); prints only, docs/benchmarks.md
             keeps the figures of the last full run
  --no-docs  full run, print only
"""

import argparse
import ast
import os
import platform
import re
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench/run.py calibration: start -->", "<!-- bench/run.py calibration: end -->"

BUSY = (
    " **The machine was busy** (load above its core count, other jobs running): the figures below are "
    "slower than on a quiet machine, and a p95 over a budget may be the other jobs; rerun `make bench` "
    "on a quiet machine before judging a budget."
)

# Every bench/*.py with a ``if __name__ == "__main__":`` block is a benchmark, found by itself
# (a new one runs without an edit here). A module says how it runs in an optional module-level
# literal, read without importing it:
#   BENCH_RUN = {"full": [...], "quick": [...], "database": True, "timeout": 1800}
# "full"/"quick": its arguments in a full run and with --quick (default: none); "database":
# False runs it once instead of once per database; "timeout": seconds it may need in a full run
# beyond --timeout. ``BENCH_RUN = None`` marks a helper that is not a benchmark. --write-docs
# is passed in a full run to the modules that accept it.
DEFAULTS: dict[str, Any] = {"full": [], "quick": [], "database": True, "timeout": 0}


def discover(bench: Path = ROOT / "bench") -> dict[str, dict[str, Any]]:
    """The benchmarks of ``bench/`` and how each runs, by file name."""
    found = {}
    for path in sorted(bench.glob("*.py")):
        if path.name == Path(__file__).name or path.name.startswith("_"):
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
        if not any(isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) for node in tree.body):
            continue
        declared: Any = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "BENCH_RUN" for target in node.targets
            ):
                declared = ast.literal_eval(node.value)
        if declared is None:
            continue
        found[path.name] = {
            **DEFAULTS,
            **declared,
            "write_docs": "--write-docs" in source,
        }
    return found


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
    """Run one benchmark in its own process group, so that a timeout also stops what it
    started (the HTTP benchmark's gunicorn and locust)."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    command = [sys.executable, str(ROOT / "bench" / script), *args]
    process = subprocess.Popen(  # noqa: S603  (our own scripts, fixed arguments)
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return False, f"{script}: stopped after {timeout} s"
    return process.returncode == 0, stdout + (stderr if process.returncode else "")


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
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per benchmark and database")
    parser.add_argument("--only", action="append", help="run only this benchmark (e.g. http_bench.py)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks found and stop")
    args = parser.parse_args()
    if args.list:
        for script, how in discover().items():
            print(script, how)
        return 0
    write = not (args.quick or args.no_docs)

    load = os.getloadavg()[0]
    ops = calibration(500_000 if args.quick else 2_000_000)
    print(f"calibration: {ops / 1e6:.2f} M ops/s (pure-Python loop); load average {load:.1f}\n")
    postgres = os.environ.get("DATABASE_URL", "")
    databases: list[tuple[str, str | None]] = [("sqlite", None)]
    if re.match(r"postgres(ql)?://", postgres):
        databases.append(("postgresql", postgres))
    failures = 0
    for script, how in discover().items():
        if args.only and script not in args.only:
            continue
        for vendor, url in databases if how["database"] else databases[:1]:
            extra = list(how["quick"] if args.quick else how["full"])
            extra += ["--write-docs"] if write and how["write_docs"] else []
            timeout = args.timeout if args.quick else max(args.timeout, how["timeout"])
            started = time.perf_counter()
            ok, output = run_one(script, extra, url, timeout)
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
