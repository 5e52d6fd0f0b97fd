"""Benchmark of audit writes at import scale: ``audit.services.record_many`` and
``verify_chain`` (issue 9).

On a fresh database (a temporary SQLite file, or PostgreSQL via DATABASE_URL: a throwaway
``test_<name>`` database is created and dropped), measures:

1. ratio: ``record_many`` of ``--events`` events (a generator of ``BulkEvent``, chunks of
   ``CHUNK_SIZE``, each chunk its own transaction) against the raw write of the same rows (read
   back, in memory, not timed) into a copy of the same indexed table, in the same run: COPY
   (``write_row``) on PostgreSQL, ``executemany`` on SQLite, in the same chunks, and in one
   transaction. Rounds alternate; the ratio is the median of the rounds' ratios, by wall clock and
   by CPU time (this process, and on PostgreSQL its server process, read from /proc).
2. memory: the ``tracemalloc`` peak of ``record_many`` at two sizes (10 times apart): flat means
   the same peak whatever the size.
3. concurrency: an import of ``--import-events`` events while ``--writers`` processes each write
   one interactive audited event (``audit.record`` in its own transaction, as a request does),
   pause ``--think`` ms, and again: latency p50/p95/max, errors, and where their events landed
   in the chain; then the same writers alone, as long: their floor on this machine.
4. verify: ``verify_chain`` over the whole trail (at least the import, or ``--verify-events``),
   in one process and in one per core, each against the fastest plain read of the same rows in
   the same run: the same statement through the same forward cursor (and on PostgreSQL
   ``COPY … TO STDOUT`` parsed by ``rows()``), rows counted and nothing else, in one process and
   split into the same segments over as many processes; extrapolated to 10,000,000 events.
   Written to a section of its own (``--skip ratio,memory,concurrency`` runs it alone).

Usage: .venv/bin/python bench/audit_bulk.py [--events 50000] [--rounds 6] [--memory 50000]
       [--import-events 1000000] [--writers 20] [--think 100] [--skip ratio,memory,concurrency,verify]
       [--verify-events N] [--verify-rounds 2] [--keep-db]
       [--write-docs]   (replace this benchmark's sections of docs/benchmarks.md)
"""

import argparse
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# make bench: the sizes in a full run (200,000 events a round, a 1,000,000-event import)
BENCH_RUN = {
    "quick": ["--events", "10000", "--rounds", "2", "--memory", "5000", "--import-events", "10000"],
    "timeout": 3600,
}

from _docs import database_version, replace_section  # noqa: E402  (bench/ is the script's own directory)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
os.environ.setdefault("ILONET_ALLOWED_HOSTS", "testserver,127.0.0.1")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='ilonet-bench-')}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from ilonet.audit import services as audit  # noqa: E402
from ilonet.audit.actions import AuditAction  # noqa: E402
from ilonet.audit.bulk import CHUNK_SIZE, COLUMNS, BulkEvent  # noqa: E402
from ilonet.audit.models import ChainHead  # noqa: E402
from ilonet.audit.verification import verify_chain  # noqa: E402

TABLE = "audit_auditevent"
HEAD = '"audit_chainhead"'


def events(n: int, start: int = 0):
    """An import's events, generated (nothing held in memory)."""
    for i in range(start, start + n):
        yield BulkEvent(
            object_type="deployments.deployment",
            object_id=str(i),
            object_repr=f"Deployment {i} (imported)",
            details={"row": i, "source": "import-2026-12", "fields": ["start", "end", "country"]},
        )


def head_seq() -> int:
    return ChainHead.objects.get(id=1).seq


# --- 1. ratio to the raw write -------------------------------------------------------------------


def _copy_table(name: str) -> None:
    """An empty table with the columns, constraints and indexes of the audit table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING ALL)")
            return
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = %s AND type IN ('table', 'index') "
            "AND sql IS NOT NULL",
            [TABLE],
        )
        for (sql,) in cursor.fetchall():
            cursor.execute(sql.replace(TABLE, name).replace("audit_audit_", f"{name}_"))


def _record_many(source) -> None:
    written = audit.record_many(
        action=AuditAction.RECORD_CREATED, actor=None, actor_label="import", objects=source
    )
    assert written > 0


def _read_back(after_seq: int) -> list[tuple]:
    time_column = "CAST(occurred_at AS TEXT)" if connection.vendor == "sqlite" else "occurred_at"
    columns = ", ".join(time_column if c == "occurred_at" else c for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {TABLE} WHERE seq > %s ORDER BY seq", [after_seq])  # noqa: S608
        return cursor.fetchall()


def _raw_write(name: str, rows: list[tuple], chunk: int) -> None:
    """Write ``rows`` into table ``name``, ``chunk`` rows per transaction."""
    columns = ", ".join(COLUMNS)
    insert = f"INSERT INTO {name} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608
    for first in range(0, len(rows), chunk):
        part = rows[first : first + chunk]
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as stream:
                    for row in part:
                        stream.write_row(row)
            else:
                cursor.executemany(insert, part)


def _cpu() -> float:
    """CPU seconds of this process and, on PostgreSQL on this machine, of its server process:
    less sensitive than the wall clock to other jobs on the machine (SQLite runs in-process)."""
    total = time.process_time()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a server on another machine: the client's CPU only
            return total
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _timed(fn, *args) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    fn(*args)
    return time.perf_counter() - wall, _cpu() - cpu


def ratio(n: int, rounds: int) -> dict:
    """Rounds alternate record_many and the raw writes (the tables grow alike). Each round's
    ratio compares runs next to each other in time (record_many, then the faster raw write), so
    that a change of load on the machine between rounds does not pair a fast run with a slow
    one; the median round counts. Rates: the best of each."""
    _copy_table("bench_raw_chunks")
    _copy_table("bench_raw_single")
    walls: dict[str, list[float]] = {"record_many": [], "raw_chunks": [], "raw_single": []}
    cpus: dict[str, list[float]] = {name: [] for name in walls}

    def run(name, fn, *args):
        wall, cpu = _timed(fn, *args)
        walls[name].append(wall)
        cpus[name].append(cpu)

    for round_ in range(rounds):
        before = head_seq()
        source = events(n, round_ * n)
        run("record_many", _record_many, source)
        rows = _read_back(before)
        assert len(rows) == n
        run("raw_chunks", _raw_write, "bench_raw_chunks", rows, CHUNK_SIZE)
        run("raw_single", _raw_write, "bench_raw_single", rows, len(rows))
        del rows, source

    def per_round(times: dict[str, list[float]]) -> list[float]:
        return [min(a, b) / ours for ours, a, b in zip(times["record_many"], times["raw_chunks"],
                                                         times["raw_single"], strict=True)]  # fmt: skip

    return {
        "wall": {name: n / min(times) for name, times in walls.items()},
        "cpu_us": {name: min(times) / n * 1e6 for name, times in cpus.items()},
        "wall_ratios": per_round(walls),
        "cpu_ratios": per_round(cpus),
    }


# --- 2. memory -----------------------------------------------------------------------------------


def memory(small: int) -> list[tuple[int, float]]:
    """The tracemalloc peak of record_many at ``small`` and ten times as many events, after a
    warm-up (lazy imports and caches filled once are not the import's memory)."""
    audit.record_many(
        action=AuditAction.RECORD_CREATED, actor=None, actor_label="import", objects=events(CHUNK_SIZE)
    )
    results = []
    for n in (small, small * 10):
        tracemalloc.start()
        tracemalloc.reset_peak()
        audit.record_many(
            action=AuditAction.RECORD_CREATED, actor=None, actor_label="import", objects=events(n)
        )
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results.append((n, peak / 2**20))
    return results


# --- 3. concurrency ------------------------------------------------------------------------------


def _writer(index: int, ready, go, stop, results, think: float, hold: float = 0.0) -> None:
    """One interactive client: an audited write in its own transaction, then a pause. With
    ``hold``, the transaction goes on that long after ``record`` (the rest of a request: an
    upload stored, scanned, indexed …) before it commits."""
    connections.close_all()  # never the parent's connection
    connection.ensure_connection()
    ready.release()
    go.wait()
    latencies, waits, errors, seqs = [], [], [], []
    lock_wait = [0.0]

    def timed(execute, sql, params, many, context):
        """The wait for the chain's lock, measured apart: the duration of the read of the head
        (SELECT … FOR UPDATE on PostgreSQL, wherever in the transaction it runs; on SQLite the
        lock is taken by BEGIN IMMEDIATE, which is not counted here)."""
        began = time.perf_counter()
        result = execute(sql, params, many, context)
        if sql.startswith("SELECT") and HEAD in sql:
            lock_wait[0] += time.perf_counter() - began
        return result

    cpu = time.process_time()
    while not stop.is_set():
        start = time.perf_counter()
        lock_wait[0] = 0.0
        try:
            with connection.execute_wrapper(timed), transaction.atomic():  # as a request does
                event = audit.record(
                    action=AuditAction.PERSONAL_DATA_READ, actor_label=f"writer{index}", details={"w": index}
                )
                if hold:
                    time.sleep(hold)
            latencies.append((time.perf_counter() - start) * 1000)
            waits.append(lock_wait[0] * 1000)
            seqs.append(event.seq)
        except Exception as error:  # noqa: BLE001 (counted and reported)
            errors.append(f"{type(error).__name__}: {error}")
        time.sleep(think)
    results.put((latencies, waits, errors, seqs, time.process_time() - cpu))
    connections.close_all()


def concurrency(n: int, writers: int, think_ms: int, idle: float = 0.0, hold_ms: int = 0) -> dict:
    """``n`` events imported while the writers write; with ``idle`` seconds instead of an import
    (``n`` 0), the writers alone: the floor of their latency on this machine."""
    context = multiprocessing.get_context("fork")
    ready, go, stop, results = context.Semaphore(0), context.Event(), context.Event(), context.Queue()
    connections.close_all()
    processes = [
        context.Process(target=_writer, args=(i, ready, go, stop, results, think_ms / 1000, hold_ms / 1000))
        for i in range(writers)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.acquire()
    before = head_seq()
    go.set()
    start = time.perf_counter()
    if n:
        audit.record_many(
            action=AuditAction.RECORD_CREATED, actor=None, actor_label="import", objects=events(n)
        )
    else:
        time.sleep(idle)
    seconds = time.perf_counter() - start
    stop.set()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    latencies = [ms for lat, _w, _e, _s, _c in outcomes for ms in lat]
    waits = [ms for _l, wait, _e, _s, _c in outcomes for ms in wait]
    errors = [e for _l, _w, errs, _s, _c in outcomes for e in errs]
    cpu = sum(c for _l, _w, _e, _s, c in outcomes)
    after = head_seq()
    inside = sum(1 for _l, _w, _e, seqs, _c in outcomes for s in seqs if before < s < after)
    return {
        "events": n,
        "seconds": seconds,
        "rate": n / seconds,
        "throughput": len(latencies) / seconds,
        "requests": len(latencies),
        "errors": errors,
        "inside": inside,
        "p50": _pct(latencies, 50),
        "p95": _pct(latencies, 95),
        "p99": _pct(latencies, 99),
        "max": max(latencies, default=0.0),
        "wait50": _pct(waits, 50),
        "wait95": _pct(waits, 95),
        "wait_total": sum(waits) / 1000,
        "writer_cpu_ms": cpu * 1000 / max(len(latencies), 1),
    }


def _pct(samples: list[float], q: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else 0.0
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


# --- 4. verification -----------------------------------------------------------------------------


def _fill(n: int) -> None:
    """Append events until the trail holds ``n`` (not timed): the chain verification reads."""
    missing = n - head_seq()
    if missing > 0:
        audit.record_many(
            action=AuditAction.RECORD_CREATED, actor=None, actor_label="import",
            objects=events(missing, 10**9),
        )  # fmt: skip


def _count(segment: tuple[int, int]) -> int:
    """In a worker process: read the segment's rows as the verification does, check nothing."""
    from ilonet.audit import verification

    try:
        return sum(len(batch) for batch in verification.stream(*segment))
    finally:
        connections.close_all()


def _copy_rows(low: int, high: int) -> int:
    """PostgreSQL: the same statement streamed by ``COPY (…) TO STDOUT``, rows parsed (typed)."""
    from ilonet.audit import verification

    statement = verification._select().replace("%s", "{}").format(low, high)
    connection.ensure_connection()
    raw, n = connection.connection, 0
    with raw.cursor() as cursor, cursor.copy(f"COPY ({statement}) TO STDOUT") as copy:
        copy.set_types(["int8", "text", "int8", *["text"] * 13])
        for _row in copy.rows():
            n += 1
    return n


def _cpu_all() -> float:
    """CPU seconds of this process and its finished children (the verification's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def verify(rounds: int) -> dict:
    """verify_chain in one process and in one per core (up to its maximum), each against the
    fastest plain read of the same rows in the same run: the same statement through the same
    forward cursor (and, on PostgreSQL, ``COPY … TO STDOUT``), counted and nothing else, in one
    process and split into the same segments over as many processes. Rounds alternate; the
    best of each counts."""
    from ilonet.audit import verification

    workers = verification._workers(None, verification.PARALLEL_FROM)
    last = head_seq()
    segments = verification._segments(0, last, workers)
    times: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}

    servers: list[float] = []

    def run(name, fn):
        connections.close_all()
        server = _cpu() - time.process_time()  # this connection's server process (PostgreSQL)
        start, cpu = time.perf_counter(), _cpu_all()
        count = fn()
        times.setdefault(name, []).append(time.perf_counter() - start)
        cpus.setdefault(name, []).append((_cpu_all() - cpu) / count * 1e6)
        if name == "raw_one":  # read on this connection: the server's CPU per row of the statement
            servers.append((_cpu() - time.process_time() - server) / count * 1e6)
        assert count == last, (name, count, last)

    def parallel_read():
        connections.close_all()  # forked processes must not share this process's connection
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return sum(pool.map(_count, segments))

    def verified(n):
        report = verify_chain(workers=n)
        assert report.ok, report
        return report.checked

    for _round in range(rounds):
        run("raw_one", lambda: sum(len(batch) for batch in verification.stream(0, None)))
        if connection.vendor == "postgresql":
            run("raw_copy", lambda: _copy_rows(0, last))
        run("one", lambda: verified(1))
        run("raw_parallel", parallel_read)
        run("parallel", lambda: verified(workers))
        print("verify round", {name: f"{last / t[-1]:,.0f}/s" for name, t in times.items()}, flush=True)
    rates = {name: last / min(t) for name, t in times.items()}
    return {
        "events": last, "workers": workers, "rounds": rounds, "rates": rates,
        "cpu_us": {name: min(c) for name, c in cpus.items()}, "server_us": min(servers),
    }  # fmt: skip


def verify_report(ver: dict, loads: list[float]) -> str:
    rates, cpu, n, workers = ver["rates"], ver["cpu_us"], ver["events"], ver["workers"]
    raw_one = max(rates["raw_one"], rates.get("raw_copy", 0.0))
    copy_line = []
    if "raw_copy" in rates:
        copy_line = [
            f"| raw read, 1 process: `COPY (…) TO STDOUT`, rows parsed (`rows()`, typed) "
            f"| {rates['raw_copy']:,.0f} rows/s | {cpu['raw_copy']:.1f} µs | "
            f"| {10_000_000 / rates['raw_copy']:.0f} s |"
        ]
    cursor = (
        "a named (server-side) cursor, `fetchmany(20000)`"
        if connection.vendor == "postgresql"
        else "one forward cursor, `fetchmany(20000)`, a connection of its own"
    )
    best = max(rates["one"], rates["parallel"])
    # what the CPU time says the 2 minutes need: the workers' CPU per event and the server's per
    # row (PostgreSQL: measured on the one-process read, the same statement), over every core
    idle = 10_000_000 * (cpu["parallel"] + ver["server_us"]) / 1e6 / (os.cpu_count() or 1)
    server = (
        f" and {ver['server_us']:.1f} µs of the PostgreSQL server's per row (the statement read on this "
        "process's connection)"
        if connection.vendor == "postgresql"
        else ""
    )
    return "\n".join([
        f"{database_version()}, Python {platform.python_version()}, {os.cpu_count()} cores; load average "
        f"{loads[0]:.1f} at the start, {loads[1]:.1f} at the end (other jobs on the machine share its "
        f"cores). {n:,} events (a chain of bulk chunks of {CHUNK_SIZE:,}), best of {ver['rounds']} "
        "alternating rounds, extrapolated linearly to 10,000,000 events. CPU: this process and its "
        "workers (on PostgreSQL the server's work is not in it).",
        "",
        "| verification | rate | CPU per event | ratio to the raw read | 10,000,000 events |",
        "|---|---:|---:|---:|---:|",
        f"| raw read, 1 process: {cursor}, rows counted | {rates['raw_one']:,.0f} rows/s "
        f"| {cpu['raw_one']:.1f} µs | | {10_000_000 / rates['raw_one']:.0f} s |",
        *copy_line,
        f"| `verify_chain`, 1 process | {rates['one']:,.0f} events/s | {cpu['one']:.1f} µs "
        f"| {rates['one'] / raw_one:.2f} | {10_000_000 / rates['one']:.0f} s |",
        f"| raw read, {workers} processes (the same segments) | {rates['raw_parallel']:,.0f} rows/s "
        f"| {cpu['raw_parallel']:.1f} µs | | {10_000_000 / rates['raw_parallel']:.0f} s |",
        f"| `verify_chain`, {workers} processes | {rates['parallel']:,.0f} events/s "
        f"| {cpu['parallel']:.1f} µs "
        f"| {rates['parallel'] / rates['raw_parallel']:.2f} | {10_000_000 / rates['parallel']:.0f} s |",
        "",
        f"Best verification: **{10_000_000 / best:.0f} s** for 10,000,000 events (budget 120 s) by the "
        f"wall clock of this run. By CPU time ({cpu['parallel']:.1f} µs per event in the {workers} "
        f"processes{server}, spread over {os.cpu_count()} cores with nothing else running): "
        f"{idle:.0f} s, an estimate for an otherwise idle machine, not a measurement.",
    ])  # fmt: skip


# --- report --------------------------------------------------------------------------------------


def report(args, rates, mem, conc, floor, loads) -> str:
    raw = "COPY (`write_row`)" if connection.vendor == "postgresql" else "`executemany`"
    wall, cpu = rates["wall"], rates["cpu_us"]
    walls, cpus = sorted(rates["wall_ratios"]), sorted(rates["cpu_ratios"])
    whose = (
        "this process and its PostgreSQL server process"
        if connection.vendor == "postgresql"
        else "this process"
    )
    lines = [
        f"{database_version()}, Python {platform.python_version()}, Django {django.get_version()}, "
        f"{os.cpu_count()} cores; load average {loads[0]:.1f} at the start, {loads[1]:.1f} at the end "
        "(the load average counts this benchmark's own processes; well above 1, other jobs "
        f"shared the cores). Chunks of {CHUNK_SIZE:,} events.",
        "",
        f"**Ratio: {statistics.median(walls):.2f}** of the raw write by the wall clock (median of "
        f"{args.rounds} rounds, {walls[0]:.2f} to {walls[-1]:.2f}), "
        f"**{statistics.median(cpus):.2f}** by CPU time "
        f"({cpus[0]:.2f} to {cpus[-1]:.2f}; {whose}: other jobs on the machine stretch the wall clock much "
        "more than the CPU time). Physical limit: 1.00.",
        "",
        f"| write of {args.events:,} events (best of {args.rounds} alternating rounds) | rate "
        "| CPU per event | ratio of the best rates |",
        "|---|---:|---:|---:|",
        f"| `record_many` (chunks, each its own transaction) | {wall['record_many']:,.0f} events/s "
        f"| {cpu['record_many']:.1f} µs | |",
        f"| raw {raw} of the same rows, same chunks | {wall['raw_chunks']:,.0f} rows/s "
        f"| {cpu['raw_chunks']:.1f} µs | {wall['record_many'] / wall['raw_chunks']:.2f} |",
        f"| raw {raw} of the same rows, one transaction | {wall['raw_single']:,.0f} rows/s "
        f"| {cpu['raw_single']:.1f} µs | {wall['record_many'] / wall['raw_single']:.2f} |",
        "",
        "| memory of `record_many` (tracemalloc peak) | peak |",
        "|---|---:|",
    ]
    lines += [f"| {n:,} events | {peak:.1f} MiB |" for n, peak in mem]
    lines += [
        "",
        f"{conc['events']:,} events imported in {conc['seconds']:.0f} s ({conc['rate']:,.0f} events/s) while "
        f"{args.writers} processes each wrote an interactive audited event (`audit.record` in its own "
        f"transaction, as a request does) every {args.think} ms; then the same writers alone for "
        f"{floor['seconds']:.0f} s (the floor on this machine).",
        "",
        "| interactive audited writes | writes | errors | p50 ms | p95 ms | p99 ms | max ms "
        "| of which waiting for the chain's lock: p50 / p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, run in (("during the import", conc), ("writers alone", floor)):
        lines.append(
            f"| {label} | {run['requests']:,} | {len(run['errors'])} | {run['p50']:.1f} | {run['p95']:.1f} "
            f"| {run['p99']:.1f} | {run['max']:.1f} | {run['wait50']:.1f} / {run['wait95']:.1f} |"
        )
    lines += [
        "",
        f"{conc['inside']:,} of the {conc['requests']:,} interactive events landed between two chunks of the "
        "import (not after it).",
    ]
    errors = sorted({e for run in (conc, floor) for e in run["errors"]})
    if errors:
        lines += ["", "Errors: " + "; ".join(errors[:5])]
    return "\n".join(lines)


def _write_docs(text: str, part: str = "") -> None:
    title = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    heading = f"Chain verification, {title}" if part else title
    replace_section(f"bench/audit_bulk.py {part}{connection.vendor}", f"### {heading}\n\n{text}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=50_000, help="events per round of the ratio")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--memory", type=int, default=50_000, help="the smaller size; the larger is 10 times")
    parser.add_argument("--import-events", type=int, default=1_000_000)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--think", type=int, default=100, help="ms between a writer's requests")
    parser.add_argument(
        "--hold",
        type=int,
        default=0,
        help="ms a writer's transaction goes on after record, before it commits",
    )
    parser.add_argument(
        "--skip", default="", help="parts to skip: ratio,memory,concurrency,verify (no report)"
    )
    parser.add_argument(
        "--verify-events", type=int, default=0,
        help="verify a trail of at least this many events (appended first, not timed)",
    )  # fmt: skip
    parser.add_argument("--verify-rounds", type=int, default=2)
    parser.add_argument(
        "--keep-db", action="store_true", help="PostgreSQL: keep the test_… database for the next run"
    )
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep_db)
    else:
        call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    loads = [os.getloadavg()[0]]
    rates = ratio(args.events, args.rounds) if "ratio" not in skip else None
    print("ratio", rates, flush=True)
    mem = memory(args.memory) if "memory" not in skip else []
    print("memory", mem, flush=True)
    conc = floor = None
    if "concurrency" not in skip:
        conc = concurrency(args.import_events, args.writers, args.think, hold_ms=args.hold)
        print("concurrency", {k: v for k, v in conc.items() if k != "errors"}, flush=True)
        floor = concurrency(0, args.writers, args.think, idle=min(conc["seconds"], 30), hold_ms=args.hold)
        print("writers alone", {k: v for k, v in floor.items() if k != "errors"}, flush=True)
    loads.append(os.getloadavg()[0])
    if rates and mem and conc and floor:
        text = report(args, rates, mem, conc, floor, loads)
        print(text)
        if args.write_docs:
            _write_docs(text)
    if "verify" not in skip:
        _fill(args.verify_events)
        loads = [os.getloadavg()[0]]
        ver = verify(args.verify_rounds)
        loads.append(os.getloadavg()[0])
        text = verify_report(ver, loads)
        print(text)
        if args.write_docs:
            _write_docs(text, part="verify ")
    if connection.vendor == "postgresql" and not args.keep_db:
        connections.close_all()
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
