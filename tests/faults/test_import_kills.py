"""The importer killed (SIGKILL) during a return-case import, then restarted: the run resumes
after its last committed batch, and the work completes with every case whole.

``manage.py returns_import`` writes each batch and the run's checkpoint in one transaction
(``returns.interchange.importing``); run again on the same file it resumes the same run. The
test kills it several times at random moments (seeded), each time after at least one more batch
committed, restarts it until it finishes, and checks: one run, finished, as many cases and
events as the file holds, every case with all its events, every line's external id held once.
In ``make test`` the file has about 6,000 lines; ``make faults`` imports 100,000."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from . import harness

sys.path.insert(0, str(harness.REPO / "bench"))
from _returns_synthetic import cases  # noqa: E402

SEED = 15_003


def write_file(path, lines: int) -> tuple[int, Counter]:
    """About ``lines`` lines of the Netherlands' cases; (lines written, events per case)."""
    written = 0
    events_of: Counter = Counter()
    with path.open("w", encoding="utf-8") as out:
        for case, events in cases(lines // 8, seed=SEED):
            ext = "NL" + case["external_id"][2:]
            case.update(member_state="NL", external_id=ext)
            out.write(json.dumps(case) + "\n")
            for n, event in enumerate(events, start=1):
                event.update(external_id=f"{ext}-E{n}", case_external_id=ext)
                out.write(json.dumps(event) + "\n")
            events_of[ext] = len(events)
            written += 1 + len(events)
            if written >= lines:
                break
    return written, events_of


def run_state(conn) -> tuple[int, str] | None:
    row = conn.execute(
        "SELECT checkpoint_line, status FROM returns_importrun ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return (row[0], row[1]) if row else None


@pytest.mark.parametrize(
    "lines,batch,kills",
    [
        pytest.param(6_000, 100, 4, id="6k"),
        pytest.param(100_000, 5_000, 5, id="100k", marks=pytest.mark.faults_long),
    ],
)
def test_a_killed_import_resumes_and_completes_with_whole_cases(cluster, app, tmp_path, lines, batch, kills):
    path = tmp_path / "NL.jsonl"
    written, events_of = write_file(path, lines)
    rng = random.Random(SEED)  # noqa: S311 - seeded on purpose
    command = [harness.PYTHON, str(harness.REPO / "manage.py"), "returns_import", str(path),
               "--member-state", "NL", "--batch-size", str(batch), "--no-progress"]  # fmt: skip
    done_kills, starts = 0, 0
    started = time.monotonic()
    with cluster.connect(app["database"], autocommit=True) as conn:
        conn.execute("SET app.member_state = '*'")  # the import tables force row-level security
        while True:
            before = run_state(conn)
            process = subprocess.Popen(
                command, env=app["env"], cwd=harness.REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            starts += 1
            if done_kills < kills:
                # Wait for at least one more committed batch, then a random moment more (short:
                # on a quiet machine a few batches take well under a second).
                while process.poll() is None:
                    state = run_state(conn)
                    if state and (before is None or state[0] > before[0]):
                        break
                    time.sleep(0.05)
                time.sleep(rng.uniform(0.0, 0.2))
                if process.poll() is None:
                    os.kill(process.pid, signal.SIGKILL)
                    process.wait()
                    state = run_state(conn)
                    if state and state[1] == "completed":
                        break  # killed on its way out, the import already whole: not a kill during it
                    done_kills += 1
                    continue
            out, err = process.communicate(timeout=900)
            assert process.returncode == 0, err.decode()[-2000:]
            break
        elapsed = time.monotonic() - started
        runs = conn.execute(
            "SELECT status, checkpoint_line, cases_created, events_created, rows_rejected "
            "FROM returns_importrun"
        ).fetchall()
        n_cases = conn.execute("SELECT count(*) FROM returns_returncase").fetchone()[0]
        keys = conn.execute(  # every line's external id, on its event (a case's on its opening)
            "SELECT count(*), count(DISTINCT external_id) FROM returns_caseevent "
            "WHERE member_state = 'NL' AND external_id IS NOT NULL"
        ).fetchone()
        per_case = dict(
            conn.execute(
                "SELECT o.external_id, count(e.id) FROM returns_caseevent o "
                "LEFT JOIN returns_caseevent e ON e.case_id = o.case_id "
                "WHERE o.kind = 'case_opened' AND o.external_id IS NOT NULL GROUP BY o.external_id"
            ).fetchall()
        )
    print(f"{written} lines, {len(events_of)} cases, {done_kills} kills, {starts} starts, {elapsed:.1f} s")
    assert done_kills == kills
    assert len(runs) == 1, "a restart must resume the run, not start another"
    status, checkpoint, cases_created, events_created, rejected = runs[0]
    assert status == "completed" and rejected == 0
    assert checkpoint == written
    assert cases_created == n_cases == len(events_of)
    assert events_created == sum(events_of.values())
    assert keys == (written, written)  # every line held once
    # Each case holds the file's events plus the one its opening writes: none partial.
    incomplete = {ext: (per_case.get(ext), n) for ext, n in events_of.items() if per_case.get(ext) != n + 1}
    assert incomplete == {}
