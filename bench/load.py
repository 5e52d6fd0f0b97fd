"""Load test by role (issue 15): locust on loopback, bounded in time, against the site served as
in production, with a bare signed-in view in the same run for the ratio.

What it does:

1. serves the site as bench/http_bench.py does (gunicorn, the production settings with the bare
   view of bench/http_urls.py, a throwaway secret key and data keys, SQLite in a temporary
   directory or PostgreSQL from DATABASE_URL in a throwaway ``test_…`` database), with a task
   worker (``db_worker``) beside it and a private clamd (scripts/clamav.sh: uploads are scanned,
   as in production); or, with ``--url``, uses a site already running (``make prod-local``) and
   seeds its database with the environment given by ``--env-file``;
2. seeds the demo data (``seed_demo``), open motions for the board members to vote on, an API
   token (write scope) and server-side sessions for each login used (no password or second
   factor is typed, no security setting is changed), and the ids the scenarios work on;
3. runs the scenarios of bench/load_locustfile.py (officer, board member, return officer,
   coordinator; 80 % reads, 15 % writes, 5 % uploads of 5 MB) headless with ``--users`` for
   ``--duration`` seconds, then a spike of ``--spike-users`` (300) for ``--spike-duration``;
4. checks: 0 failed requests in the main run; p95 per endpoint under 300 ms for reads, 800 ms for
   writes, 3 s for uploads; every scenario endpoint exercised; 0 server errors (5xx) in the
   spike (429 allowed, counted). Writes throughput and p50/p95/p99 per endpoint with the ratio
   against the bare view to docs/benchmarks.md (``--write-docs``).

The full run of the issue: ``make load LOAD_ARGS="--users 100 --duration 1800 --write-docs"``.
Short runs: ``make load`` (30 users, 3 minutes, spike 60 s).

Usage: .venv/bin/python bench/load.py [--users 30] [--duration 180] [--spike-users 300]
       [--spike-duration 60] [--workers 3] [--port 18700] [--url URL --env-file FILE]
       [--no-spike] [--write-docs] [--json FILE]
"""

import argparse
import contextlib
import csv
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Not part of `make bench`: its own target, `make load` (minutes of load, a spike of 300 users).
BENCH_RUN = None

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

from _load_report import analyse, report  # noqa: E402  (bench/ is the script's own directory)
from _load_seed import BARE, BOARD_SHARE, drop, seed  # noqa: E402
from _proc_cpu import CpuMeter  # noqa: E402
from http_bench import _children, _server_env  # noqa: E402

LOCUSTFILE = BENCH / "load_locustfile.py"
# The board members' tasks that are votes, and a user's mean time between two tasks (seconds).
VOTE_SHARE, CYCLE_SECONDS = 2 / 8, 2.5


# --- the client's side ---------------------------------------------------------------------------


class LoadSampler(threading.Thread):
    """The machine's 1-minute load average, sampled every 5 s (its maximum is reported)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.highest = os.getloadavg()[0]
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(5):
            self.highest = max(self.highest, os.getloadavg()[0])


def _wait_until_up(base: str, cookie: str, timeout: float = 90) -> None:
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # loopback, a local CA the client need not trust
    deadline = time.time() + timeout
    if not base.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) address: {base}")
    request = urllib.request.Request(  # noqa: S310  (http or https, checked above)
        f"{base}{BARE}", headers={"Cookie": cookie, "X-Forwarded-Proto": "https"}
    )
    last = None
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=5, context=context) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last = error
        time.sleep(0.5)
    raise RuntimeError(f"{base}{BARE} did not answer 200 within {timeout} s ({last})")


def run_locust(
    name: str,
    *,
    base: str,
    users: int,
    rate: float,
    seconds: int,
    workdir: Path,
    state: Path,
    tour: bool = False,
) -> dict:
    """One headless locust run; returns its statistics per endpoint and the status-code counts."""
    prefix = workdir / name
    codes = workdir / f"{name}-codes.json"
    env = {
        **os.environ,
        "ILONET_LOAD_STATE": str(state),
        "ILONET_LOAD_CODES": str(codes),
        "ILONET_LOAD_TOUR": "1" if tour else "0",
        "ILONET_LOAD_CARRY": str(workdir / "carry.json"),
    }
    command = [
        str(Path(sys.executable).parent / "locust"), "-f", str(LOCUSTFILE), "--headless",
        "-u", str(users), "-r", str(rate), "-t", f"{seconds}s", "--host", base,
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "75",
        "--exit-code-on-error", "0",
    ]  # fmt: skip
    started = time.time()
    result = subprocess.run(  # noqa: S603  (fixed command, loopback)
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 300
    )
    elapsed = time.time() - started
    try:
        with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
            rows = {row["Name"]: row for row in csv.DictReader(handle)}
    except FileNotFoundError:
        raise RuntimeError(f"locust wrote no statistics:\n{result.stdout}\n{result.stderr}") from None
    failures = []
    with contextlib.suppress(FileNotFoundError), open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        failures = list(csv.DictReader(handle))
    return {
        "rows": rows,
        "failures": failures,
        "codes": json.loads(codes.read_text(encoding="utf-8")) if codes.exists() else {},
        "seconds": seconds,
        "elapsed": elapsed,
        "stderr": result.stderr[-4000:],
    }


def cpu_per_endpoint(directory: Path, began: float, ended: float) -> str:
    """The web processes' CPU per route in [began, ended] (bench/_cpu_middleware.py's lines),
    with the request's wall time inside Django beside it."""
    routes: dict[str, list[tuple[float, float]]] = {}
    for path in directory.glob("*.log"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stamp, method, route, spent, wall = line.split(" ")
            if began <= float(stamp) <= ended:
                routes.setdefault(f"{method} {route}", []).append((float(spent), float(wall)))
    total = sum(cpu for values in routes.values() for cpu, _ in values) or 1.0
    lines = [f"CPU per endpoint in the web processes (main run): {total / 1000:.1f} s in all", ""]
    lines.append(
        "| route | requests | CPU ms mean | CPU p95 | wall ms in Django p50 | p95 | share of the web's CPU |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    for name, values in sorted(routes.items(), key=lambda item: -sum(c for c, _ in item[1])):
        cpus = sorted(cpu for cpu, _ in values)
        walls = sorted(wall for _, wall in values)
        spent = sum(cpus)
        lines.append(
            f"| `{name}` | {len(values)} | {spent / len(values):.1f} | {_nearest(cpus, 0.95):.1f} "
            f"| {_nearest(walls, 0.5):.1f} | {_nearest(walls, 0.95):.1f} | {spent / total:.1%} |"
        )
    return "\n".join(lines)


def _nearest(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of an ordered list."""
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    workers = _children(process.pid)
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        for pid in [process.pid, *workers]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)


def _exports(text: str) -> dict[str, str]:
    """``KEY=value`` or ``export KEY='value'`` lines (what ``scripts/prod_local.py env`` prints)."""
    import shlex

    env = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.removeprefix("export ").split("=", 1)
            env[key.strip()] = shlex.split(value)[0] if value.strip() else ""
    return env


def _prod_local(command: str, env: dict[str, str], timeout: float = 2400) -> str:
    answer = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        [sys.executable, str(ROOT / "scripts" / "prod_local.py"), command],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if answer.returncode:
        raise RuntimeError(f"scripts/prod_local.py {command} failed:\n{answer.stdout}\n{answer.stderr}")
    return answer.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--rate", type=float, default=10, help="users started per second")
    parser.add_argument("--duration", type=int, default=180, help="seconds of the main run")
    parser.add_argument("--spike-users", type=int, default=300)
    parser.add_argument("--spike-rate", type=float, default=100)
    parser.add_argument("--spike-duration", type=int, default=60)
    parser.add_argument("--no-spike", action="store_true")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a quick check of the scenarios: 10 users for 20 s, each asking every endpoint of its role "
        "first; no spike, no latency budgets (0 failures and every endpoint exercised are checked)",
    )
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=18700, help="gunicorn's port (loopback)")
    parser.add_argument(
        "--prod-local",
        action="store_true",
        help="start a copy of make prod-local of its own (var/load-prod-local, ten ports from "
        "--prod-local-port) with the bare view, load it, then destroy it",
    )
    parser.add_argument("--prod-local-port", type=int, default=18710)
    parser.add_argument(
        "--pg-statements",
        action="store_true",
        help="with --prod-local (or --url of a copy started with ILONET_PROD_LOCAL_PG_STATEMENTS=1): "
        "load pg_stat_statements in its PostgreSQL primary and replica "
        "and print the statements that took the most time in the main run",
    )
    parser.add_argument(
        "--url",
        help="a site already running, e.g. make prod-local started with PROD_LOCAL_SETTINGS_MODULE="
        "http_settings PROD_LOCAL_PYTHONPATH=bench (the bare view)",
    )
    parser.add_argument(
        "--env-file",
        help="with --url: the environment of that site's Django, to seed it "
        "(the output of scripts/prod_local.py env)",
    )
    parser.add_argument(
        "--cpu-per-endpoint",
        action="store_true",
        help="log each request's CPU in the web processes (bench/_cpu_middleware.py) and print the "
        "CPU per endpoint of the main run",
    )
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--json", help="write the analysis to this file")
    parser.add_argument("--seed", nargs=2, metavar=("STATE", "WORKDIR"), help=argparse.SUPPRESS)
    parser.add_argument("--create-db", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--motions", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--drop", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed:
        seed(args.seed[0], args.seed[1], args.create_db, args.users, args.motions)
        return 0
    if args.drop:
        drop(args.drop)
        return 0
    if args.smoke:
        args.users, args.rate, args.no_spike = 10, 10, True
        args.duration = min(args.duration, 20)

    from run import calibration  # bench/run.py

    workdir = Path(tempfile.mkdtemp(prefix="ilonet-load-"))
    state_file = workdir / "state.json"
    processes: list[subprocess.Popen] = []
    clamav_dir = workdir / "clamav"
    database = None
    env: dict[str, str] = {}
    spike = None
    # Votes the run may cast: the board's users, a task every CYCLE_SECONDS, VOTE_SHARE of them votes.
    expected_votes = (
        BOARD_SHARE
        * VOTE_SHARE
        / CYCLE_SECONDS
        * (args.users * args.duration + (0 if args.no_spike else args.spike_users * args.spike_duration))
    )
    motions = max(3, math.ceil(expected_votes / 31 * 1.3))
    prod_local_env = {
        **os.environ,
        "ILONET_PROD_LOCAL_DIR": str(ROOT / "var" / "load-prod-local"),
        "ILONET_PROD_LOCAL_PORT_BASE": str(args.prod_local_port),
        "PROD_LOCAL_SETTINGS_MODULE": "http_settings",
        "PROD_LOCAL_PYTHONPATH": str(BENCH),
        **({"ILONET_PROD_LOCAL_PG_STATEMENTS": "1"} if args.pg_statements else {}),
    }
    # With --url, the web processes log where they were started to (LOAD_CPU_LOG_DIR).
    cpu_log = Path(os.environ.get("LOAD_CPU_LOG_DIR") or workdir / "cpu")
    if args.cpu_per_endpoint:
        cpu_log.mkdir(exist_ok=True)
        prod_local_env["LOAD_CPU_LOG_DIR"] = str(cpu_log)
    prod_local_started = False
    try:
        if args.prod_local:
            print("load: starting a copy of make prod-local (var/load-prod-local)…", flush=True)
            prod_local_started = True
            _prod_local("start", prod_local_env)
            exported = _prod_local("env", prod_local_env)
            args.url = _prod_local("url", prod_local_env).strip()
        elif args.url:
            if not args.env_file:
                parser.error("--url needs --env-file (the environment of the site's Django, to seed it)")
            exported = Path(args.env_file).read_text(encoding="utf-8")
        if args.url:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("ILONET_", "DATABASE_URL"))}
            env.update(_exports(exported))
            env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(BENCH)])
            base = args.url.rstrip("/")
            create_db = False
        else:
            database_url = os.environ.get("DATABASE_URL", "")
            postgres = bool(re.match(r"postgres(ql)?://", database_url))
            (workdir / "data").mkdir()
            env = _server_env(workdir / "data", database_url if postgres else None)
            if args.cpu_per_endpoint:
                env["LOAD_CPU_LOG_DIR"] = str(cpu_log)
            started = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
                ["bash", str(ROOT / "scripts" / "clamav.sh"), "start"],  # noqa: S607
                cwd=ROOT, env={**os.environ, "ILONET_CLAMAV_DIR": str(clamav_dir)},
                capture_output=True, text=True, timeout=180,
            )  # fmt: skip
            if started.returncode != 0:
                raise RuntimeError(f"clamd did not start (scripts/clamav.sh):\n{started.stderr}")
            env["ILONET_CLAMAV_SOCKET"] = started.stdout.strip().splitlines()[-1]
            base = f"http://127.0.0.1:{args.port}"
            create_db = True
        print(f"load: seeding (demo data, {motions} motions, tokens, sessions)…", flush=True)
        subprocess.run(  # noqa: S603  (this script, fixed arguments)
            [sys.executable, __file__, "--seed", str(state_file), str(workdir), "--users", str(args.users),
             "--motions", str(motions), *(["--create-db"] if create_db else [])],
            env=env, cwd=ROOT, check=True, timeout=1800,
        )  # fmt: skip
        state = json.loads(state_file.read_text(encoding="utf-8"))
        database = state["database"]
        if database:
            env["DATABASE_URL"] = urlunsplit(urlsplit(env["DATABASE_URL"])._replace(path=f"/{database}"))
        if not args.url:
            log = open(workdir / "server.log", "w", encoding="utf-8")  # noqa: SIM115  (closed with the workdir)
            processes.append(
                subprocess.Popen(  # noqa: S603  (fixed command, loopback)
                    [
                        str(Path(sys.executable).parent / "gunicorn"),
                        "ilonet.wsgi:application",
                        "--workers",
                        str(args.workers),
                        "--bind",
                        f"127.0.0.1:{args.port}",
                        "--timeout",
                        "120",
                        "--backlog",
                        "2048",
                        "--log-level",
                        "warning",
                    ],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=log,
                )  # fmt: skip
            )
            processes.append(
                subprocess.Popen(  # noqa: S603  (our own manage.py, fixed arguments)
                    [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload", "-v", "0"],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=log,
                )  # fmt: skip
            )
        officer_session = state["logins"]["officer"][0]["sessions"][0]
        _wait_until_up(base, f"{state['session_cookie']}={officer_session}")
        machine = {
            "cores": os.cpu_count() or 1,
            "ops": calibration(1_000_000),
            "load_start": os.getloadavg()[0],
        }
        sampler = LoadSampler()
        sampler.start()
        # CPU per component of a prod-local copy (its state directory: where its CA lies).
        copy_state = Path(env["PROD_LOCAL_CA"]).parent.parent if env.get("PROD_LOCAL_CA") else None
        served_here = dict(zip((p.pid for p in processes), ("web", "task worker"), strict=False))
        meter = CpuMeter(copy_state, served_here)
        if args.url and copy_state:  # a copy started apart: its own state directory and ports
            prod_local_env["ILONET_PROD_LOCAL_DIR"] = str(copy_state)
            prod_local_env["ILONET_PROD_LOCAL_PORT_BASE"] = str(urlsplit(base).port)
        pg_statements = args.pg_statements and copy_state is not None
        if pg_statements:
            _prod_local("statements-reset", prod_local_env)
        print(f"load: main run, {args.users} users for {args.duration} s against {base}…", flush=True)
        main_run = run_locust(
            "main",
            base=base,
            users=args.users + 1,
            rate=args.rate,
            seconds=args.duration,
            workdir=workdir,
            state=state_file,
            tour=args.smoke,
        )
        machine["cpu"] = meter.stop()
        if args.cpu_per_endpoint:
            print(cpu_per_endpoint(cpu_log, meter.began_wall, time.time()), flush=True)
        if pg_statements:
            print(_prod_local("statements", prod_local_env), flush=True)
        if not args.no_spike:
            print(f"load: spike, {args.spike_users} users for {args.spike_duration} s…", flush=True)
            spike = run_locust(
                "spike",
                base=base,
                users=args.spike_users + 1,
                rate=args.spike_rate,
                seconds=args.spike_duration,
                workdir=workdir,
                state=state_file,
            )
        sampler.stop.set()
        machine.update(load_max=sampler.highest, load_end=os.getloadavg()[0])
        server_log = (workdir / "server.log").read_text(encoding="utf-8")[-3000:] if not args.url else ""
    finally:
        for process in processes:
            _stop(process)
        if prod_local_started and not os.environ.get("ILONET_LOAD_KEEP"):
            with contextlib.suppress(Exception):
                _prod_local("destroy", prod_local_env, timeout=300)
        if not args.url:
            subprocess.run(  # noqa: S603
                ["bash", str(ROOT / "scripts" / "clamav.sh"), "stop"],  # noqa: S607
                cwd=ROOT, env={**os.environ, "ILONET_CLAMAV_DIR": str(clamav_dir)},
                capture_output=True, timeout=60, check=False,
            )  # fmt: skip
        if os.environ.get("ILONET_LOAD_KEEP"):  # to look into a run: its database and files stay
            (workdir / "env.json").write_text(json.dumps(env), encoding="utf-8")
            print(f"load: kept {workdir} (env.json) and the database {database or ''}", flush=True)
        else:
            if database:
                subprocess.run(  # noqa: S603  (this script, fixed arguments)
                    [sys.executable, __file__, "--drop", database],
                    env=env, cwd=ROOT, check=False, timeout=120,
                )  # fmt: skip
            shutil.rmtree(workdir, ignore_errors=True)

    result = analyse(main_run, spike, budgets=not args.smoke)
    text = report(args, state, result, machine)
    print("\n" + text)
    for sample in result["failure_samples"] + (result.get("spike") or {}).get("failure_samples", []):
        print("  failure:", sample)
    if server_log.strip():
        print("server log (end):\n" + server_log)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    if args.write_docs and not args.smoke:
        from _docs import replace_section

        vendor = "postgresql" if state["version"].startswith("PostgreSQL") else "sqlite"
        replace_section(f"bench/load.py {'prod-local' if args.url else 'gunicorn'} {vendor}", text)
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
