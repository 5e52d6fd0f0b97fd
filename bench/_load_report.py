"""Analysis and report of a load run (bench/load.py): per endpoint, the checks of issue 15 and
the table of docs/benchmarks.md."""

import platform
import re
from datetime import date
from pathlib import Path

from _proc_cpu import describe

LOCUSTFILE = Path(__file__).resolve().parent / "load_locustfile.py"
BARE = "/bench/signed-in"
BUDGETS_MS = {"read": 300, "write": 800, "upload": 3000}


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


def _prod_local():
    """scripts/prod_local.py, whose settings (read from this same environment) the report states."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import prod_local

    return prod_local


def _web_worker_shape() -> str:
    """Processes and threads of each prod-local web worker."""
    return f"{_prod_local().WEB_PROCESSES} process(es) of {_prod_local().WEB_THREADS} threads each"


def report(args, state: dict, result: dict, machine: dict) -> str:
    short = args.users < 100 or args.duration < 1800
    served = (
        "a copy of `make prod-local` (nginx with TLS from a local CA, two gunicorn web workers of "
        f"{_web_worker_shape()}, the task worker, "
        "the scheduler, PostgreSQL 15 primary and streaming "
        "replica, the S3 server, clamd) with the bare view of `bench/http_settings.py`"
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
            f" (above the {machine['cores']} cores: the run's own processes, the site's and locust's, "
            "and whatever else ran; the milliseconds are those of a busy machine, the ratios to the "
            "bare view compare within the same minutes)."
            if machine["load_max"] > machine["cores"]
            else "."
        ),
        "",
        f"Main run: **{result['rps']:.1f} requests/s**, {result['requests']:,} requests, "
        f"{result['failed']} failed; mix {result['mix']['read']:.0%} reads, {result['mix']['write']:.0%} "
        f"writes, {result['mix']['upload']:.0%} uploads of 5 MB. Bare signed-in view (`{BARE}`, once a "
        f"second in the same run): p50 {result['bare']['p50']:.0f} ms, p95 {result['bare']['p95']:.0f} ms "
        f"({result['bare']['n']} requests). Ratio: the endpoint's p50 (p95) over the bare view's.",
        *(["", describe(machine["cpu"], result["requests"])] if machine.get("cpu") else []),
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
            f"(5xx)**, {spike['too_many']} answers 429, {spike['connection_errors']} requests "
            "without an answer (client timeout of 60 s), "
            f"{spike['failed']} failed requests in all. "
            + (
                f"nginx lets at most {_prod_local().MAX_IN_FLIGHT} requests be "
                "served or wait at once and refuses the rest with 429 and Retry-After (docs/deployment.md)."
                if args.prod_local
                else "The platform has no rate limit of its own on these endpoints (only on logins, "
                "invitations and the OpenAPI document): served by gunicorn alone, requests wait in the "
                "server's queue rather than being refused with 429."
            )
        )
    else:
        lines.append("No spike in this run (`--no-spike`).")
    verdict = "; ".join(result["problems"]) + "." if result["problems"] else "all checks met."
    lines += ["", "Verdict: " + verdict]
    return "\n".join(lines)
