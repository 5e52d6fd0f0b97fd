"""Real processes on the test database (SQLite file or PostgreSQL, whichever the suite uses):

- ``make run`` (``scripts/run_dev.py``): the web server, the worker and the scheduler start
  together, run jobs, and stop together on Ctrl-C;
- ``manage.py db_worker`` killed with SIGKILL 20 times, at seeded random moments while it runs
  a job: afterwards every job has completed, and each has had its effect exactly once;
- two ``manage.py run_scheduler`` started together: one is active, the other stands by and
  takes over when the first is killed; no periodic run is enqueued twice.
"""

import itertools
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from ilonet.jobs import queue, registry, tallies, testing
from ilonet.jobs.models import Job, JobState, SchedulerLease, Tally

# the workers are other processes, with their own clock
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.wall_clock]

ROOT = Path(__file__).resolve().parents[4]
SEED = 20261202
KILLS = 20
TIME_LIMIT = 240  # seconds: a bound for a very busy machine; a quiet one needs far less


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "the test database must be a file (settings.test)"
        return f"sqlite:///{db['NAME']}"
    user, password = quote(db["USER"] or "", safe=""), quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _environment() -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "ilonet.settings.test", "DATABASE_URL": _database_url(),
            "ILONET_DATA_DIR": str(settings.DATA_DIR), "PYTHONUNBUFFERED": "1"}  # fmt: skip


class Process:
    """A ``manage.py`` command (or a script) in its own process, on the test database, logging
    to a file."""

    def __init__(self, tmp_path: Path, name: str, *args: str, script: str = "manage.py"):
        self.name = name
        self.log = tmp_path / f"{name}.log"
        command = [sys.executable, str(ROOT / script), *args]
        if script == "manage.py":
            command.append("--skip-checks")
        with self.log.open("w") as out:
            self.popen = subprocess.Popen(
                command, cwd=ROOT, env=_environment(), stdout=out, stderr=subprocess.STDOUT
            )

    def kill9(self) -> None:
        os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=30)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self, tail: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-tail:]


def _worker(tmp_path: Path, worker_id: str) -> Process:
    return Process(tmp_path, worker_id, "db_worker", "--no-reload", "--no-startup-delay",
                   "--interval", "0.05", "--worker-id", worker_id, "-v", "0")  # fmt: skip


def test_a_worker_killed_mid_job_20_times_leaves_every_job_done_exactly_once(tmp_path):
    holds, moments = random.Random(SEED), random.Random(SEED + 1)  # noqa: S311  (seeded on purpose)
    numbers = itertools.count()

    def top_up(count: int) -> None:
        """Keep jobs waiting, so that a worker always has one to be killed in."""
        for _ in range(count):
            n = next(numbers)
            testing.count_once.enqueue(
                key=f"kill-{n}", name=f"kill-{n}", hold=round(holds.uniform(0.05, 0.2), 3)
            )

    top_up(30)
    workers = [_worker(tmp_path, "w0-0"), _worker(tmp_path, "w1-0")]
    started, stranded = time.monotonic(), 0
    try:
        for kill in range(KILLS):
            slot = kill % 2  # two workers: one starts up while the other works
            victim = workers[slot]
            while not Job.objects.filter(state=JobState.RUNNING, worker=victim.name).exists():
                assert victim.alive(), victim.output()
                assert time.monotonic() - started < TIME_LIMIT, (
                    f"kill {kill}: no job started\n{victim.output()}"
                )
                if Job.objects.filter(state=JobState.QUEUED).count() < 10:
                    top_up(20)
                queue.recover_lost_jobs()
                time.sleep(0.02)
            time.sleep(moments.uniform(0.0, 0.15))  # a random moment in the job (or just after it)
            victim.kill9()
            stranded += Job.objects.filter(state=JobState.RUNNING, worker=victim.name).count()
            workers[slot] = _worker(tmp_path, f"w{slot}-{kill + 1}")
        # The scheduler's recovery puts back the jobs left running by a killed worker once their
        # lease (3 s) has run out; the workers finish the rest.
        while Job.objects.exclude(state=JobState.SUCCEEDED).exists():
            assert all(w.alive() for w in workers), "\n".join(w.output() for w in workers)
            assert not Job.objects.filter(state=JobState.DEAD).exists()
            assert time.monotonic() - started < TIME_LIMIT, "the jobs did not all complete"
            queue.recover_lost_jobs()
            time.sleep(0.1)
    finally:
        for worker in workers:
            worker.stop()
    jobs = list(Job.objects.all())
    assert stranded >= 1, "no kill landed in the middle of a job: the test proved nothing"
    assert sum(job.attempts for job in jobs) > len(jobs)  # some jobs ran again after a kill
    assert all(job.state == JobState.SUCCEEDED for job in jobs)
    effects = dict(Tally.objects.filter(name__startswith="kill-").values_list("name", "count"))
    assert effects == {job.kwargs["name"]: 1 for job in jobs}, "a job's effect happened twice, or never"
    assert tallies.value("kill-0") == 1


def test_two_schedulers_one_active_the_other_takes_over_and_no_run_is_enqueued_twice(tmp_path):
    args = ("run_scheduler", "--interval", "0.2", "--lease", "2")
    first, second = Process(tmp_path, "scheduler-1", *args), Process(tmp_path, "scheduler-2", *args)
    periodic = len(registry.periodic_jobs())
    started = time.monotonic()
    try:
        while Job.objects.count() < periodic or SchedulerLease.objects.count() == 0:
            assert first.alive() and second.alive(), first.output() + second.output()
            assert time.monotonic() - started < TIME_LIMIT, "no scheduler became active"
            time.sleep(0.1)
        holder = SchedulerLease.objects.get().holder
        active, standby = (first, second) if holder.split(":")[1] == str(first.popen.pid) else (second, first)
        while "standing by" not in standby.output():
            assert time.monotonic() - started < TIME_LIMIT, standby.output()
            time.sleep(0.1)
        assert SchedulerLease.objects.get().holder == holder
        active.kill9()
        while SchedulerLease.objects.get().holder == holder:
            assert standby.alive(), standby.output()
            assert time.monotonic() - started < TIME_LIMIT, "the second scheduler did not take over"
            time.sleep(0.1)
        assert SchedulerLease.objects.get().holder.split(":")[1] == str(standby.popen.pid)
    finally:
        first.stop()
        second.stop()
    runs = list(Job.objects.values_list("name", "scheduled_for"))
    assert len(runs) == len(set(runs)) >= periodic


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_run_starts_the_site_worker_and_scheduler_together_and_ctrl_c_stops_all_three(tmp_path):
    port = _free_port()
    run = Process(tmp_path, "run_dev", "--port", str(port), "--no-reload", script="scripts/run_dev.py")
    started = time.monotonic()
    try:
        # The scheduler enqueues the heartbeat, the worker runs it, the site answers.
        while not Job.objects.filter(name__endswith=".heartbeat", state=JobState.SUCCEEDED).exists():
            assert run.alive(), run.output()
            assert time.monotonic() - started < TIME_LIMIT, run.output()
            time.sleep(0.2)
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:  # noqa: S310
                    assert answer.status == 200
                    break
            except OSError:
                assert run.alive() and time.monotonic() - started < TIME_LIMIT, run.output()
                time.sleep(0.2)
        output = run.output(tail=100_000)
        assert "worker and scheduler started (pids" in output
        assert re.search(r"^scheduler +\| Scheduler .* started with \d+ periodic jobs", output, re.M), output
        children = [int(pid) for pid in re.search(r"\(pids ([\d, ]+)\)", output).group(1).split(", ")]
        assert len(children) == 3 and all(_pid_exists(pid) for pid in children)
        run.popen.send_signal(signal.SIGINT)  # Ctrl-C
        assert run.popen.wait(timeout=60) == 0, run.output()
    finally:
        if run.alive():  # a failed assertion: stop it the way Ctrl-C does, then make sure
            run.popen.send_signal(signal.SIGINT)
            try:
                run.popen.wait(timeout=60)
            except subprocess.TimeoutExpired:
                run.stop()
    assert "web server, worker and scheduler stopped" in run.output()
    assert not [pid for pid in children if _pid_exists(pid)]
