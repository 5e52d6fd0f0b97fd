"""Benchmark of the job queue (``ilonet.jobs``): what a job costs beyond the function it runs.

Measures, on a fresh database (a temporary SQLite file, or PostgreSQL via DATABASE_URL):
- a bare call of the job's function, in this process (the floor);
- enqueueing (``queue.enqueue``: the job row and its django-tasks result, one transaction);
- running the queued jobs with django-tasks-db's own worker loop (``db_worker --batch``, here
  in this process: take an attempt, claim the job, run it in its transaction with the record
  of its success, record the attempt's result);
- a scheduler tick (the lease, the periodic jobs' keys, the recovery of lost jobs).

Two jobs: one that does nothing (the queue's own overhead) and one that increments a counter
in the database (a small real effect), each also called bare in a transaction of its own.

On PostgreSQL a throwaway database ``test_<name>`` is created and dropped (as Django's tests do).

Usage: .venv/bin/python bench/jobs_overhead.py [--jobs 2000] [--write-docs]
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

# How bench/run.py (make bench) runs this module.
BENCH_RUN = {"full": ["--jobs", "2000"], "quick": ["--jobs", "200"]}

from _docs import database_version, replace_section  # noqa: E402  (bench/ is the script's own directory)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='ilonet-bench-')}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402


def per_call_ms(fn, n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return (time.perf_counter() - start) * 1000 / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    n = args.jobs

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    from django_tasks_db.management.commands.db_worker import Worker

    from ilonet.jobs import tallies, testing
    from ilonet.jobs.models import Job, JobState
    from ilonet.jobs.scheduler import Scheduler

    def worker_run() -> None:
        Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
               max_tasks=None, worker_id="bench", excluded_queue_names=[]).run()  # fmt: skip

    rows = []
    for label, definition, kwargs in (
        ("no-op job", testing.nothing, lambda i: {}),
        ("counter job (one row updated)", testing.count_once, lambda i: {"name": f"bench-{i % 50}"}),
    ):
        bare = per_call_ms(lambda i, d=definition, k=kwargs: d.func(**k(i)), n)

        def bare_in_transaction(i, d=definition, k=kwargs):
            with transaction.atomic():
                d.func(**k(i))

        bare_txn = per_call_ms(bare_in_transaction, n)
        enqueue = per_call_ms(lambda i, d=definition, k=kwargs: d.enqueue(**k(i)), n)
        start = time.perf_counter()
        worker_run()
        run = (time.perf_counter() - start) * 1000 / n
        assert Job.objects.filter(state=JobState.SUCCEEDED, name=definition.name).count() == n
        rows.append((label, bare, bare_txn, enqueue, run))
        Job.objects.all().delete()
    assert tallies.value("bench-0") > 0

    scheduler = Scheduler(holder="bench")
    start = time.perf_counter()
    scheduler.tick()
    first_tick = (time.perf_counter() - start) * 1000
    tick = per_call_ms(lambda i: scheduler.tick(), 50)

    report = _report(rows, first_tick, tick, n)
    print(report)
    if args.write_docs:
        _write_docs(report)
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


def _report(rows, first_tick: float, tick: float, n: int) -> str:
    lines = [
        f"{n:,} jobs of each kind; {database_version()}, Python {platform.python_version()}, Django "
        f"{django.get_version()}, {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the "
        "end. Per job, in milliseconds; the queue's overhead is enqueue + run less the bare call in a "
        "transaction.",
        "",
        "| job | bare call | bare call in a transaction | enqueue | run by the worker | overhead "
        "| jobs/s through the queue |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, bare, bare_txn, enqueue, run in rows:
        overhead = enqueue + run - bare_txn
        lines.append(
            f"| {label} | {bare:.4f} | {bare_txn:.3f} | {enqueue:.2f} | {run:.2f} | {overhead:.2f} | "
            f"{1000 / (enqueue + run):,.0f} |"
        )
    lines += ["", f"Scheduler tick: {first_tick:.1f} ms the first (enqueues every periodic job), "
              f"{tick:.1f} ms the next ones (nothing due)."]  # fmt: skip
    return "\n".join(lines)


def _write_docs(report: str) -> None:
    """Replace this benchmark's section for the database in use (between its markers)."""
    title = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    replace_section(f"bench/jobs_overhead.py {connection.vendor}", f"### {title}\n\n{report}")


if __name__ == "__main__":
    main()
