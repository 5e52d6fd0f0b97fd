"""HTTP benchmark: the site served as in production, measured from outside.

gunicorn serves the production settings (three sync workers, a throwaway secret key and data
keys, SQLite in a temporary directory, or PostgreSQL from DATABASE_URL in a throwaway
``test_…`` database) over 5,000 deployments and 200 networks loaded by bench/deployments.py;
locust (headless, on loopback, a bounded run) drives it with 10 users. Each target is
interleaved with a bare signed-in view (bench/http_urls.py: the same middleware and login
check, a constant answer) in phases of a few seconds within the same run, so that both see the
same load from the rest of the machine. Reported per target:

- the share of the bare view's throughput (target requests per second over bare requests per
  second, in alternate phases of equal length): 1.0 means as cheap as the bare view;
- the server's CPU per request (utime + stime of gunicorn's processes, sampled from /proc and
  attributed to the phase it was spent in, over the requests answered in those phases);
- the target's median and 95th percentile response time under that load (locust).

The machine-speed calibration of bench/run.py (a fixed pure-Python loop) is printed beside.

Usage: .venv/bin/python bench/http_bench.py [--deployments 5000] [--networks 200] [--duration 30]
       [--phase 3] [--users 10] [--workers 3] [--port 0] [--quick] [--write-docs]
"""

import argparse
import contextlib
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# How bench/run.py (make bench) runs this module.
BENCH_RUN = {"quick": ["--quick"]}

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## The site over HTTP (`bench/http_bench.py`)"
BARE = "/bench/signed-in"
GRACE = 5.0  # seconds to start locust's users and warm up the workers before anything counts

# (label, path, kind, budget: least share of the bare view's throughput; issue 9)
TARGETS = [
    ("deployment registry page", "/deployments/", "page", 0.25),
    ("ILO contact list page", "/deployments/contacts/", "page", 0.25),
    ("networks page", "/networks/", "page", 0.25),
    ("registry API list", "/api/v1/deployments", "api", 0.5),
    ("networks API list", "/api/v1/networks", "api", 0.5),
    ("OpenAPI document", "/api/v1/openapi.json", "api", 0.5),
]


# --- the server's side: seeding (a subprocess with Django) --------------------------------------


def seed(state_file: str, n_deployments: int, n_networks: int) -> None:
    """Run in a subprocess with the server's environment: create the database, load the
    data, collect static files, and write a signed-in session to ``state_file``."""
    sys.path[:0] = [str(ROOT / "src"), str(BENCH)]
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    database = None
    if connection.vendor == "postgresql":
        database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    import deployments as data  # bench/deployments.py: the same data as the in-process benchmark
    from _docs import database_version

    started = time.perf_counter()
    ids = data.load(n_deployments, n_networks)
    client = Client()
    client.force_login(ids["reader"], backend="allauth.account.auth_backends.AuthenticationBackend")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    version = database_version()
    Path(state_file).write_text(
        json.dumps(
            {
                "cookie": cookie,
                "database": database,
                "version": version,
                "django": django.get_version(),
                "load_seconds": time.perf_counter() - started,
                "active": ids["active"],
            }
        ),
        encoding="utf-8",
    )


def drop(database: str) -> None:
    sys.path[:0] = [str(ROOT / "src"), str(BENCH)]
    import django

    django.setup()
    from django.db import connection

    connection.creation.destroy_test_db(database, verbosity=0)


# --- the client's side ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "src"))
    from ilonet.audit.keys import new_chain_key_spec, new_signing_key_text
    from ilonet.shared.keyring import new_key_spec

    env = {k: v for k, v in os.environ.items() if not k.startswith("ILONET_") and k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="http_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(BENCH)]),
        ILONET_DATA_DIR=str(data_dir),
        ILONET_SECRET_KEY=secrets.token_urlsafe(64),
        ILONET_ENCRYPTION_KEYS=new_key_spec("b1"),
        ILONET_AUDIT_CHAIN_KEY=new_chain_key_spec("b1"),
        ILONET_AUDIT_SIGNING_KEY=new_signing_key_text(),
        ILONET_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        ILONET_SITE_URL="https://127.0.0.1",
        ILONET_LOG_LEVEL="WARNING",
        # Production requires a scanner; nothing is uploaded here, so none is started.
        ILONET_CLAMAV_SOCKET=str(data_dir / "clamd.sock"),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class CpuSampler(threading.Thread):
    """Samples the CPU time of gunicorn's processes and adds each interval's share to the
    phase (target or bare) it falls in."""

    def __init__(self, master: int, t0: float, phase: float, end: float) -> None:
        super().__init__(daemon=True)
        self.pids = [master, *_children(master)]
        self.t0, self.phase, self.end = t0, phase, end
        self.spent = {"target": 0.0, "bare": 0.0}

    def run(self) -> None:
        last_time, last_cpu = time.time(), _cpu_seconds(self.pids)
        while last_time < self.end:
            time.sleep(0.05)
            now, cpu = time.time(), _cpu_seconds(self.pids)
            middle = (now + last_time) / 2
            if middle >= self.t0:
                name = "bare" if math.floor((middle - self.t0) / self.phase) % 2 else "target"
                self.spent[name] += cpu - last_cpu
            last_time, last_cpu = now, cpu


def _wait_until_up(port: int, cookie: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{BARE}", headers={"Cookie": cookie, "X-Forwarded-Proto": "https"}
    )
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310  (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {BARE} with 200 within {timeout} s")


def _locust_stats(prefix: Path) -> dict[str, dict[str, str]]:
    import csv

    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def run_target(path: str, *, port: int, cookie: str, master: int, args, workdir: Path) -> dict:
    phases = max(2, round(args.duration / args.phase / 2) * 2)
    t0 = time.time() + GRACE
    end = t0 + phases * args.phase
    prefix = workdir / f"locust-{re.sub(r'[^a-z0-9]+', '-', path.lower()).strip('-') or 'root'}"
    env = {
        **os.environ,
        "ILONET_BENCH_T0": str(t0),
        "ILONET_BENCH_PHASE": str(args.phase),
        "ILONET_BENCH_TARGET": path,
        "ILONET_BENCH_BARE": BARE,
        "ILONET_BENCH_COOKIE": cookie,
    }
    sampler = CpuSampler(master, t0, args.phase, end)
    sampler.start()
    command = [
        str(Path(sys.executable).parent / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless",
        "-u", str(args.users), "-r", str(args.users), "-t", f"{math.ceil(end - time.time())}s",
        "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
        "--loglevel", "ERROR", "--stop-timeout", "5",
    ]  # fmt: skip
    result = subprocess.run(  # noqa: S603  (fixed command, loopback)
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=args.duration + 120
    )
    sampler.join(timeout=5)
    stats = _locust_stats(prefix)
    if "target" not in stats or "bare" not in stats:
        raise RuntimeError(f"locust: no statistics for {path}:\n{result.stdout}\n{result.stderr}")
    target, bare = stats["target"], stats["bare"]
    n_target, n_bare = int(target["Request Count"]), int(bare["Request Count"])
    failures = int(target["Failure Count"]) + int(bare["Failure Count"])
    return {
        "path": path,
        "target_rps": n_target / (phases / 2 * args.phase),
        "bare_rps": n_bare / (phases / 2 * args.phase),
        "share": n_target / n_bare if n_bare else 0.0,
        "cpu_ms": 1000 * sampler.spent["target"] / n_target if n_target else float("nan"),
        "bare_cpu_ms": 1000 * sampler.spent["bare"] / n_bare if n_bare else float("nan"),
        "p50": float(target["50%"] or 0),
        "p95": float(target["95%"] or 0),
        "failures": failures,
    }


def write_docs(vendor: str, report: str) -> None:
    start = f"<!-- bench/http_bench.py {vendor}: start -->"
    end = f"<!-- bench/http_bench.py {vendor}: end -->"
    title = "SQLite" if vendor == "sqlite" else "PostgreSQL"
    section = f"{start}\n### {title}\n\n{report}\n{end}"
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    elif SECTION in text:
        at = text.index(SECTION) + len(SECTION)
        nxt = text.find("\n## ", at)
        at = len(text) if nxt < 0 else nxt
        text = text[:at].rstrip("\n") + "\n\n" + section + "\n" + text[at:]
    else:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n" + section
    DOCS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--deployments", type=int, default=5000)
    parser.add_argument("--networks", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30, help="seconds of load per target")
    parser.add_argument("--phase", type=float, default=3, help="seconds per target or bare phase")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="1,000 deployments, 12 s per target")
    parser.add_argument(
        "--port", type=int, default=0, help="gunicorn's port on loopback (default: a free one)"
    )
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    parser.add_argument("--drop", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(args.seed, args.deployments, args.networks)
        return 0
    if args.drop:
        drop(args.drop)
        return 0
    if args.quick:
        args.deployments, args.networks, args.duration = 1000, 50, 12

    from run import calibration  # bench/run.py

    workdir = Path(tempfile.mkdtemp(prefix="ilonet-http-"))
    database_url = os.environ.get("DATABASE_URL", "")
    postgres = bool(re.match(r"postgres(ql)?://", database_url))
    (workdir / "data").mkdir()
    env = _server_env(workdir / "data", database_url if postgres else None)
    state_file = workdir / "state.json"
    gunicorn = None
    database = None
    try:
        subprocess.run(  # noqa: S603  (this script, fixed arguments)
            [sys.executable, __file__, "--seed", str(state_file), "--deployments", str(args.deployments),
             "--networks", str(args.networks)],
            env=env, cwd=ROOT, check=True, timeout=1800,
        )  # fmt: skip
        state = json.loads(state_file.read_text(encoding="utf-8"))
        database = state["database"]
        if database:
            env["DATABASE_URL"] = urlunsplit(urlsplit(database_url)._replace(path=f"/{database}"))
        port = args.port or _free_port()
        gunicorn = subprocess.Popen(  # noqa: S603  (fixed command, loopback)
            [str(Path(sys.executable).parent / "gunicorn"), "ilonet.wsgi:application",
             "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        _wait_until_up(port, state["cookie"])
        load_before = os.getloadavg()[0]
        ops = calibration(1_000_000)
        results = []
        for label, path, kind, budget in TARGETS:
            measured = run_target(
                path, port=port, cookie=state["cookie"], master=gunicorn.pid, args=args, workdir=workdir
            )
            results.append((label, kind, budget, measured))
            print(
                f"{label:28} {path:26} share {measured['share']:.3f}  "
                f"{measured['target_rps']:6.1f}/s vs bare {measured['bare_rps']:6.1f}/s  "
                f"CPU {measured['cpu_ms']:6.1f} ms (bare {measured['bare_cpu_ms']:.1f})  "
                f"p95 {measured['p95']:.0f} ms  failures {measured['failures']}",
                flush=True,
            )
        load_after = os.getloadavg()[0]
    finally:
        if gunicorn is not None:
            workers = _children(gunicorn.pid)
            gunicorn.terminate()  # the master stops its workers
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                for pid in [gunicorn.pid, *workers]:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
        if database:
            subprocess.run(  # noqa: S603  (this script, fixed arguments)
                [sys.executable, __file__, "--drop", database], env=env, cwd=ROOT, check=False, timeout=120
            )
        shutil.rmtree(workdir, ignore_errors=True)

    vendor = "postgresql" if postgres else "sqlite"
    lines = [
        f"{args.deployments:,} deployments ({state['active']:,} active), {args.networks} networks, loaded in "
        f"{state['load_seconds']:.0f} s; {state['version']}, Python {platform.python_version()}, Django "
        f"{state['django']}; gunicorn with {args.workers} sync workers and the production settings; locust "
        f"with {args.users} users on loopback, {args.duration:.0f} s per target in alternate phases of "
        f"{args.phase:.0f} s with the bare signed-in view (`{BARE}`). {date.today().isoformat()}, "
        f"{os.cpu_count()} cores, calibration **{ops / 1e6:.2f} M ops/s**, load average {load_before:.1f} "
        f"at the start and {load_after:.1f} at the end"
        + (
            " (the load average counts the benchmark's own gunicorn and locust, so it says little"
            " of other jobs: the shares compare the target with the bare view in the same minutes)."
            if max(load_before, load_after) > (os.cpu_count() or 1)
            else "."
        ),
        "",
        "| target | share of the bare view (budget) | req/s | bare req/s | CPU ms/request "
        "| bare CPU ms/request | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    worst = []
    for label, _kind, budget, m in results:
        mark = "" if m["share"] >= budget else " **below**"
        if m["share"] < budget:
            worst.append(label)
        lines.append(
            f"| {label} (`{m['path']}`) | {m['share']:.3f} ({budget}){mark} | {m['target_rps']:.1f} | "
            f"{m['bare_rps']:.1f} | {m['cpu_ms']:.1f} | {m['bare_cpu_ms']:.1f} | {m['p50']:.0f} | "
            f"{m['p95']:.0f} |"
        )
    lines += [
        "",
        "Below budget: " + (", ".join(worst) if worst else "none") + ".",
    ]
    report = "\n".join(lines)
    print("\n" + report)
    if args.write_docs and not args.quick:
        write_docs(vendor, report)
        print(f"\nwritten to {DOCS.relative_to(ROOT)}")
    failures = sum(m["failures"] for *_rest, m in results)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
