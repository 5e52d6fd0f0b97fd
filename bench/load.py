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
import io
import json
import math
import os
import platform
import random
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
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Not part of `make bench`: its own target, `make load` (minutes of load, a spike of 300 users).
BENCH_RUN = None

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

from http_bench import _children, _server_env  # noqa: E402  (bench/ is the script's own directory)

LOCUSTFILE = BENCH / "load_locustfile.py"
BARE = "/bench/signed-in"
BUDGETS_MS = {"read": 300, "write": 800, "upload": 3000}
MB = 1024 * 1024
UPLOAD_BYTES = 5 * MB
# Share of users per role (bench/load_locustfile.py USER weights) and of their tasks that are votes.
BOARD_SHARE, VOTE_SHARE, CYCLE_SECONDS = 0.2, 2 / 8, 2.5


# --- the server's side: seeding (a subprocess with Django and the server's environment) ------------


def _items(data) -> list:
    return data["items"] if isinstance(data, dict) else data


def write_upload_pdf(path: Path) -> None:
    """A 5 MB PDF: a page of text (the personal-data check reads it; none is found) and an image
    stream of random bytes that makes up the size (the load file varies a few of its bytes)."""
    sys.path.insert(0, str(ROOT / "src"))
    from ilonet.shared.uploads.testing import pdf_bytes

    text = b" ".join(
        b"BT /F1 12 Tf 72 %d Td (Quarterly report of the liaison network on cooperation, line %d.) Tj ET"
        % (760 - 16 * i, i + 1)
        for i in range(20)
    )
    rng = random.Random(20261203)  # noqa: S311  (test data)
    image = rng.randbytes(UPLOAD_BYTES - len(text) - 2048)
    path.write_bytes(
        pdf_bytes(
            content=text,
            extra_objects=(
                b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(image) + image + b"\nendstream",
            ),
        )
    )


def seed(state_file: str, workdir: str, create_db: bool, users: int, motions: int) -> None:
    sys.path[:0] = [str(ROOT / "src"), str(BENCH)]
    import django

    django.setup()
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from ilonet import policy
    from ilonet.accounts.models import User
    from ilonet.accounts.testing import issue_api_token
    from ilonet.board import demo as board_demo
    from ilonet.board import services as board_services
    from ilonet.board.models import Motion, MotionStatus, Procedure
    from ilonet.exchange.models import Space

    started = time.perf_counter()
    database = None
    if create_db:
        if connection.vendor == "postgresql":
            database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        else:
            call_command("migrate", verbosity=0)
            call_command("createcachetable", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())
    seeded = time.perf_counter() - started

    def user(local: str) -> User:
        return User.objects.get(email=f"{local}@demo.ilonet.eu")

    # Open motions for the board to vote on (written procedure, ten days: none closes in the run).
    chair = user("chair")
    for number in range(motions):
        motion = board_services.create_motion(
            actor=chair,
            title=f"Load test motion {number + 1}",
            text="A proposed decision put to the board for the load test.",
            procedure=Procedure.WRITTEN,
            closes_at=timezone.now() + timedelta(days=10),
        )
        board_services.open_motion(actor=chair, motion=motion)
    load_motions = list(
        Motion.objects.filter(title__startswith="Load test motion").values_list("pk", flat=True)
    )
    open_motions = list(Motion.objects.filter(status=MotionStatus.OPEN).values_list("pk", flat=True))

    def client_for(account: User) -> Client:
        client = Client()
        client.force_login(account, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client

    def api(client: Client, path: str):
        response = client.get(path, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"seeding: {path} answered {response.status_code}: {response.content[:300]!r}")
        return response.json()

    def sessions(account: User, count: int) -> list[str]:
        return [client_for(account).cookies[settings.SESSION_COOKIE_NAME].value for _ in range(count)]

    def login(account: User, ids: dict, n_sessions: int) -> dict:
        assert Authenticator.objects.filter(user=account).exists(), f"{account.email} has no second factor"
        _token, secret = issue_api_token(actor=account, name="load test", scope="write", days=2)
        made = sessions(account, n_sessions)
        return {"email": account.email, "token": secret, "sessions": made, "ids": ids}

    peak = max(users, 300)
    logins: dict[str, list[dict]] = {}

    # ILO officer: the demo's officer login.
    officer = user("ilo")
    client = client_for(officer)
    spaces = _items(api(client, "/api/v1/exchange/spaces?page_size=100"))
    writable = [
        s.pk
        for s in Space.objects.filter(pk__in=[s["id"] for s in spaces])
        if policy.can(officer, policy.Action.CONTRIBUTE_TO_EXCHANGE, s)
    ]
    documents = _items(api(client, "/api/v1/exchange/documents?page_size=200"))
    words = sorted(
        {w.lower() for d in documents for w in re.findall(r"[A-Za-z]{5,}", d["title"])}
        - {"about", "their", "which", "between"}
    )[:40]
    networks = _items(api(client, "/api/v1/networks?page_size=100"))
    officer_ids = {
        "spaces": [s["id"] for s in spaces],
        "writable_spaces": writable,
        "documents": [d["id"] for d in documents],
        "words": words,
        "networks": [n["id"] for n in networks],
    }
    if not all(officer_ids.values()):
        raise RuntimeError(f"seeding: the officer has nothing to work on: {officer_ids}")
    logins["officer"] = [login(officer, officer_ids, math.ceil(peak * 0.5))]

    # Board members: one login per voting seat; the load test's motions are due from each.
    seat_logins = board_demo.voting_seat_logins().logins
    per_seat = max(1, math.ceil(peak * BOARD_SHARE / len(seat_logins)))
    logins["board"] = []
    votes_due = {}
    for seat in seat_logins:
        account = User.objects.get(email=seat.email)
        logins["board"].append(login(account, {"motions": open_motions}, per_seat))
        votes_due[seat.email] = load_motions

    # Return officers of two member states: their open cases (not on hold), with the version read.
    logins["returns"] = []
    cases = {}
    for local in ("return.nl", "return.be"):
        account = user(local)
        client = client_for(account)
        found = []
        page = 1
        while True:
            data = api(client, f"/api/v1/returns/cases?page_size=100&page={page}")
            found += _items(data)
            if page * 100 >= data["count"]:
                break
            page += 1
        writable_cases = [
            [c["reference"], c["version"]]
            for c in found
            if c["status"] not in ("closed", "awaiting_approval") and not c["on_hold"]
        ]
        cases[account.email] = writable_cases
        ids = {"cases": [c["reference"] for c in found]}
        logins["returns"].append(login(account, ids, math.ceil(peak * 0.2 / 2)))

    # The coordinator: the indicators and the last four quarters.
    coordinator = user("coordinator")
    client = client_for(coordinator)
    indicators = [i["code"] for i in api(client, "/api/v1/returns/indicators/definitions")]
    today = date.today()
    quarters = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(4):
        quarters.append([year, quarter])
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    logins["coordinator"] = [
        login(coordinator, {"indicators": indicators, "quarters": quarters}, math.ceil(peak * 0.1))
    ]

    pdf = Path(workdir) / "upload.pdf"
    write_upload_pdf(pdf)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("show server_version")
            version = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    Path(state_file).write_text(
        json.dumps(
            {
                "database": database,
                "version": version,
                "django": django.get_version(),
                "seed_seconds": seeded,
                "prepare_seconds": time.perf_counter() - started - seeded,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "bare_path": BARE,
                "logins": logins,
                "votes_due": votes_due,
                "cases": cases,
                "upload_pdf": str(pdf),
                "motions": len(load_motions),
                "writable_cases": sum(len(c) for c in cases.values()),
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
    }
    command = [
        str(Path(sys.executable).parent / "locust"), "-f", str(LOCUSTFILE), "--headless",
        "-u", str(users), "-r", str(rate), "-t", f"{seconds}s", "--host", base,
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
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


def _endpoints() -> dict[str, str]:
    """The scenario endpoints and their kinds, read from the locustfile without running it."""
    text = LOCUSTFILE.read_text(encoding="utf-8")
    kinds = {"READ": "read", "WRITE": "write", "UPLOAD": "upload", "BARE": "bare"}
    return {m[1]: kinds[m[2]] for m in re.finditer(r'endpoint\("([^"]+)", (READ|WRITE|UPLOAD|BARE)\)', text)}


def _samples(failures: list[dict]) -> list[str]:
    return [f"{f['Method']} {f['Name']}: {f['Error']} ×{f['Occurrences']}" for f in failures][:20]


def analyse(main: dict, spike: dict | None, budgets: bool = True) -> dict:
    kinds = _endpoints()
    rows = main["rows"]
    bare = rows.get(next(n for n, k in kinds.items() if k == "bare"), {})
    bare_p50 = float(bare.get("50%") or 0) or float("nan")
    bare_p95 = float(bare.get("95%") or 0) or float("nan")
    table, problems = [], []
    counts = {"read": 0, "write": 0, "upload": 0}
    for name, kind in kinds.items():
        row = rows.get(name)
        n = int(row["Request Count"]) if row else 0
        if n == 0:
            problems.append(f"{name}: never exercised")
            continue
        if kind == "bare":
            continue
        counts[kind] += n
        failures = int(row["Failure Count"])
        p50, p95, p99 = (float(row[q] or 0) for q in ("50%", "95%", "99%"))
        budget = BUDGETS_MS[kind]
        if failures:
            problems.append(f"{name}: {failures} failed requests")
        if budgets and p95 > budget:
            problems.append(f"{name}: p95 {p95:.0f} ms over {budget} ms")
        table.append(
            {
                "name": name,
                "kind": kind,
                "requests": n,
                "rps": n / main["seconds"],
                "failures": failures,
                "p50": p50,
                "p95": p95,
                "p99": p99,
                "budget": budget,
                "ratio50": p50 / bare_p50,
                "ratio95": p95 / bare_p95,
            }
        )
    unknown = [n for n in rows if n not in kinds and n != "Aggregated"]
    problems += [f"{n}: a request not declared in the scenarios' endpoints" for n in unknown]
    total = sum(counts.values()) or 1
    aggregated = rows.get("Aggregated", {})
    result = {
        "table": table,
        "problems": problems,
        "mix": {k: v / total for k, v in counts.items()},
        "rps": int(aggregated.get("Request Count", 0)) / main["seconds"],
        "requests": int(aggregated.get("Request Count", 0)),
        "failed": int(aggregated.get("Failure Count", 0)),
        "bare": {
            "p50": bare_p50,
            "p95": bare_p95,
            "p99": float(bare.get("99%") or 0),
            "n": int(bare.get("Request Count", 0)),
        },
        "failure_samples": _samples(main["failures"]),
    }
    if spike is not None:
        codes = spike["codes"]
        srows = spike["rows"]
        agg = srows.get("Aggregated", {})
        result["spike"] = {
            "requests": int(agg.get("Request Count", 0)),
            "rps": int(agg.get("Request Count", 0)) / spike["seconds"],
            "failed": int(agg.get("Failure Count", 0)),
            "p50": float(agg.get("50%") or 0),
            "p95": float(agg.get("95%") or 0),
            "p99": float(agg.get("99%") or 0),
            "server_errors": sum(c.get("5xx", 0) for c in codes.values()),
            "too_many": sum(c.get("429", 0) for c in codes.values()),
            "connection_errors": sum(c.get("connection error", 0) for c in codes.values()),
            "by_endpoint": codes,
            "failure_samples": _samples(spike["failures"]),
        }
        if result["spike"]["server_errors"]:
            problems.append(f"spike: {result['spike']['server_errors']} server errors (5xx)")
    return result


def report(args, state: dict, result: dict, machine: dict) -> str:
    short = args.users < 100 or args.duration < 1800
    served = (
        "a copy of `make prod-local` (nginx with TLS from a local CA, two gunicorn web workers of one "
        "process and four threads, the task worker, the scheduler, PostgreSQL 15 primary and streaming "
        "replica, moto S3, clamd) with the bare view of `bench/http_settings.py`"
        if args.prod_local
        else f"the site at {args.url}"
        if args.url
        else f"gunicorn with {args.workers} sync workers on loopback (production settings, "
        "`bench/http_settings.py`), a task worker (`db_worker`) and a private clamd beside it"
    )
    lines = [
        (
            f"**Short run on a shared machine** ({args.users} users for {args.duration // 60:.0f} min "
            f"{args.duration % 60:.0f} s; the issue's run is 100 users for 30 minutes)."
            if short
            else f"Full run: {args.users} users for {args.duration / 60:.0f} minutes."
        ),
        f"{date.today().isoformat()}; {served}; {state['version']}, Python {platform.python_version()}, "
        f"Django {state['django']}; demo data (`seed_demo`, {state['seed_seconds']:.0f} s) plus "
        f"{state['motions']} open motions; {state['writable_cases']} return cases open to events. "
        f"Locust on the same machine, users spawned at {args.rate}/s, a pause of 1 to 4 s between "
        f"two requests of a user. {machine['cores']} cores, "
        f"calibration **{machine['ops'] / 1e6:.2f} M ops/s**, "
        f"load average {machine['load_start']:.1f} at the start, {machine['load_max']:.1f} at most, "
        f"{machine['load_end']:.1f} at the end"
        + (
            " (other helpers' jobs were running on the same cores: the milliseconds are those of a busy "
            "machine, the ratios to the bare view compare within the same minutes)."
            if machine["load_max"] > machine["cores"]
            else "."
        ),
        "",
        f"Main run: **{result['rps']:.1f} requests/s**, {result['requests']:,} requests, "
        f"{result['failed']} failed; mix {result['mix']['read']:.0%} reads, {result['mix']['write']:.0%} "
        f"writes, {result['mix']['upload']:.0%} uploads of 5 MB. Bare signed-in view (`{BARE}`, once a "
        f"second in the same run): p50 {result['bare']['p50']:.0f} ms, p95 {result['bare']['p95']:.0f} ms "
        f"({result['bare']['n']} requests). Ratio: the endpoint's p50 (p95) over the bare view's.",
        "",
        "| endpoint | kind | req/s | requests | failed | p50 ms | p95 ms (budget) | p99 ms "
        "| p50 ratio | p95 ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["table"]:
        over = " **over**" if row["p95"] > row["budget"] else ""
        lines.append(
            f"| `{row['name']}` | {row['kind']} | {row['rps']:.2f} | {row['requests']:,} "
            f"| {row['failures']} | "
            f"{row['p50']:.0f} | {row['p95']:.0f} ({row['budget']}){over} | {row['p99']:.0f} | "
            f"{row['ratio50']:.1f} | {row['ratio95']:.1f} |"
        )
    spike = result.get("spike")
    lines.append("")
    if spike:
        lines.append(
            f"Spike: {args.spike_users} users (spawned at {args.spike_rate}/s) for {args.spike_duration} s: "
            f"{spike['rps']:.1f} requests/s, {spike['requests']:,} requests, p50 {spike['p50']:.0f} ms, "
            f"p95 {spike['p95']:.0f} ms, p99 {spike['p99']:.0f} ms; **{spike['server_errors']} server errors "
            f"(5xx)**, {spike['too_many']} answers 429, {spike['connection_errors']} connection errors, "
            f"{spike['failed']} failed requests in all. The platform has no rate limit of its own on these "
            "endpoints (only on logins, invitations and the OpenAPI document): under a spike requests wait "
            "in the server's queue rather than being refused with 429."
        )
    else:
        lines.append("No spike in this run (`--no-spike`).")
    verdict = "; ".join(result["problems"]) + "." if result["problems"] else "all checks met."
    lines += ["", "Verdict: " + verdict]
    return "\n".join(lines)


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


def _prod_local(command: str, env: dict[str, str], timeout: float = 900) -> str:
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
    parser.add_argument(
        "--prod-local",
        action="store_true",
        help="start a copy of make prod-local of its own (var/load-prod-local, ten ports from "
        "--prod-local-port) with the bare view, load it, then destroy it",
    )
    parser.add_argument("--prod-local-port", type=int, default=18710)
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
    }
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
