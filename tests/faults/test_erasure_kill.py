"""The task worker killed (SIGKILL) during the nightly erasure of personal data, then
restarted: everything due is erased, records and keys, and nothing else.

20,000 records past their erasure date (with their data keys) and 2,000 kept ones; the erasure
job (``personaldata.jobs.erase_expired_personal_data``, not atomic: each batch of 5,000 commits
after its keys are destroyed) runs in ``manage.py db_worker``, which is killed once the first
batch has committed. The job stays "running" until its lease ends; the scheduler's
``recover_lost_jobs`` then puts it back on the queue (here called with the clock past the
lease, as the scheduler's tick after it would), and the restarted worker finishes it."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from . import harness

DUE, KEPT = 20_000, 2_000
JOB = "ilonet.personaldata.jobs.erase_expired_personal_data"

SEED_RECORDS = f"""
import os, base64
from datetime import timedelta
from django.db import transaction
from django.utils import timezone
from ilonet.directory import demo
from ilonet.directory.models import Organisation
from ilonet.jobs import queue
from ilonet.personaldata import vault
from ilonet.personaldata.models import Record

demo.ensure_authorities()
nl = Organisation.objects.get(code="nl")
today = timezone.localdate()
sealed = base64.b64encode(os.urandom(12 + 420 + 16)).decode()
for count, erase_on in (({DUE}, today - timedelta(days=1)), ({KEPT}, today + timedelta(days=365))):
    for start in range(0, count, 5000):
        with transaction.atomic():
            rows = Record.objects.bulk_create(
                [Record(controller=nl, purpose="return", category="a", sealed=sealed, erase_on=erase_on)
                 for _ in range(min(5000, count - start))]
            )
            vault.store_wrapped([(r.ref, vault._wrap(os.urandom(32), r.ref)) for r in rows])
job, _ = queue.enqueue("{JOB}")
print(job.pk)
"""

STATE = """
from ilonet.jobs.models import Job
from ilonet.personaldata import vault
from ilonet.personaldata.models import Record
from django.utils import timezone
job = Job.objects.get(pk={job})
due = Record.objects.filter(erase_on__lte=timezone.localdate()).count()
print(job.state, due, Record.objects.count(), vault.key_count())
"""

RECOVER_AFTER_LEASE = """
from datetime import timedelta
from ilonet.jobs import queue
from ilonet.jobs.models import Job
job = Job.objects.get(pk={job})
print(queue.recover_lost_jobs(now=job.lease_until + timedelta(seconds=1)))
"""


def worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [harness.PYTHON, str(harness.REPO / "manage.py"), "db_worker", "--no-reload", "-v", "0"],
        env=env, cwd=harness.REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def due_records(cluster, database) -> int:
    with cluster.connect(database) as conn:
        return conn.execute(
            "SELECT count(*) FROM personaldata_record WHERE erase_on <= current_date"
        ).fetchone()[0]


def test_a_worker_killed_during_erasure_erases_everything_due_once_restarted(cluster, app):
    env = app["env"]
    job = int(harness.run_python(env, SEED_RECORDS).split()[-1])
    assert due_records(cluster, app["database"]) == DUE
    first = worker(env)
    try:
        deadline = time.monotonic() + 300
        while due_records(cluster, app["database"]) == DUE:  # until the first batch commits
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    finally:
        if first.poll() is None:
            first.kill()
    state, due, total, keys = harness.run_python(env, STATE.format(job=job)).split()
    print(f"after the kill: job {state}, {due} due records left, {keys} keys")
    assert state == "running" and 0 < int(due) < DUE, "the kill did not land during the erasure"

    second = worker(env)
    try:
        assert harness.run_python(env, RECOVER_AFTER_LEASE.format(job=job)).strip() == f"[{job}]"
        deadline = time.monotonic() + 300
        while True:
            state, due, total, keys = harness.run_python(env, STATE.format(job=job)).split()
            if state in ("succeeded", "dead") or time.monotonic() > deadline:
                break
            time.sleep(1)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(30)
        except subprocess.TimeoutExpired:
            second.kill()
    print(f"after the restart: job {state}, {due} due, {total} records, {keys} keys")
    assert state == "succeeded"
    assert int(due) == 0
    assert int(total) == KEPT
    assert int(keys) == KEPT  # every erased record's key destroyed, every kept one still there
