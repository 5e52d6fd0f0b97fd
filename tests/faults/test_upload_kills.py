"""Web workers killed (SIGKILL) during uploads leave no partial record and, once the sweep has
run, no orphan file.

Four clients upload documents of 10 KB to 3 MB (past 2.5 MB Django spools them to a temporary
file) to an exchange space through the API, while 50 SIGKILLs hit random gunicorn workers
(seeded: the same run every time). A row is committed only after its file is stored
(``shared.uploads.stored_upload``), so a kill leaves at most a file without a row: the exchange's
sweep (``services.sweep_orphaned_files``, an hourly job) removes those. Every accepted upload
(201) is in the database with its file of the right size and hash."""

from __future__ import annotations

import random
import shutil
import signal
import threading
import time

import requests

from . import harness, uploads

KILLS = 50
SEED = 15_003


def _run_under_kills(web: harness.Gunicorn, space: int, rng: random.Random) -> dict:
    accepted: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def client(n: int) -> None:
        local = random.Random(SEED + n)  # noqa: S311 - seeded on purpose
        i = 0
        while not stop.is_set():
            content = uploads.text_file(
                local, local.choice([10_000, 10_000, 50_000, 200_000, 800_000, 3_000_000])
            )
            title = f"c{n}-{i}"
            try:
                response = uploads.upload(web.base, space, content, title)
                outcome = str(response.status_code)
                if response.status_code == 201:
                    with lock:
                        accepted[title] = len(content)
            except requests.RequestException:
                outcome = "connection lost"  # the worker died under this request
            with lock:
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    kills = 0
    try:
        while kills < KILLS:
            time.sleep(rng.uniform(0.3, 1.2))
            pids = web.worker_pids()
            if not pids:
                continue
            victim = rng.choice(sorted(pids))
            try:
                harness.os.kill(victim, signal.SIGKILL)
                kills += 1
            except ProcessLookupError:
                pass
    finally:
        stop.set()
        for thread in threads:
            thread.join(120)
    return {"kills": kills, "accepted": accepted, "outcomes": outcomes}


def test_fifty_worker_kills_during_uploads_leave_no_partial_record_and_no_orphan(cluster, app):
    web = harness.Gunicorn(app["env"], workers=3, log=app["data"] / "gunicorn.log").start()
    try:
        run = _run_under_kills(web, app["space"], random.Random(SEED))  # noqa: S311
        # The service still works after the kills.
        after = uploads.upload(web.base, app["space"], b"After the kills, a plain note.\n", "after")
        assert after.status_code == 201, after.text
    finally:
        web.stop()

    media = app["data"] / "media"
    with cluster.connect(app["database"]) as conn:
        partial, orphans = uploads.check_local(conn, media)
        without_version = uploads.documents_without_version(conn)
        titles = {t for (t,) in conn.execute("SELECT title FROM exchange_document").fetchall()}
    swept = harness.run_python(
        app["env"],
        "from datetime import timedelta\nfrom ilonet.exchange import services\n"
        "print(services.sweep_orphaned_files(older_than=timedelta(0)))",
    )
    with cluster.connect(app["database"]) as conn:
        partial_after, orphans_after = uploads.check_local(conn, media)
    print(
        f"kills {run['kills']}, outcomes {run['outcomes']}, accepted {len(run['accepted'])}, "
        f"orphans before the sweep {len(orphans)}, swept {swept.strip()}"
    )
    assert run["kills"] == KILLS
    assert run["accepted"], "no upload got through: the test proved nothing"
    assert set(run["accepted"]) <= titles, "an accepted upload is missing"
    assert partial == [] and without_version == 0
    assert partial_after == [] and orphans_after == []
    assert int(swept.strip()) == len(orphans)
    assert sum(run["outcomes"].get(k, 0) for k in ("500", "502")) == 0, run["outcomes"]
    shutil.rmtree(media, ignore_errors=True)
