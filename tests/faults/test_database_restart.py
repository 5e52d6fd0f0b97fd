"""PostgreSQL restarted under load: requests fail cleanly and recover by themselves.

A gunicorn with two workers serves a loop of requests (the health check, an API list with a
token, a page with a session cookie that makes the middleware load the session) while the
primary is restarted twice (``pg_ctl restart -m fast``, then ``stop`` and ``start`` with a
pause). Every answer is a success (200 or a redirect) or a 503 with Retry-After during the gap:
no 500, no traceback; and once the database is back every request succeeds again, without
restarting the web workers."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections import Counter

from . import harness
from .appdata import UPLOADER_TOKEN


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, headers: dict[str, str]) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers.get("Retry-After", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After", ""), error.read().decode()
    except (urllib.error.URLError, ConnectionError) as error:  # gunicorn itself must stay up
        return -1, "", str(error)


def test_a_restarted_primary_gives_only_successes_or_503_and_recovers(cluster, app):
    web = harness.Gunicorn(app["env"], workers=2, log=app["data"] / "gunicorn.log").start()
    base = web.base
    targets = [
        (f"{base}/healthz", {}),
        (f"{base}/api/v1/exchange/spaces", {"Authorization": f"Bearer {UPLOADER_TOKEN}"}),
        (f"{base}/", {"Cookie": "sessionid=" + "a" * 32}),
    ]
    answers: Counter = Counter()
    bad: list[tuple[int, str]] = []
    stop = threading.Event()

    def load() -> None:
        i = 0
        while not stop.is_set():
            url, headers = targets[i % len(targets)]
            status, retry_after, body = fetch(url, headers)
            answers[status] += 1
            ok = status in (200, 302) or (status == 503 and retry_after and "Traceback" not in body)
            if not ok:
                bad.append((status, url))
            i += 1

    try:
        threads = [threading.Thread(target=load) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        cluster.pg_ctl("restart", "-m", "fast", "-w")
        time.sleep(2)
        cluster.pg_ctl("stop", "-m", "fast", "-w")
        time.sleep(3)  # the database is away: every request in this gap must be a clean 503
        during_gap = answers[503]
        cluster.pg_ctl("start", "-w", "-l", str(cluster.directory / "postgres.log"))
        time.sleep(3)
        stop.set()
        for thread in threads:
            thread.join(60)

        # After the restart: every request succeeds, with the same workers (no manual action).
        workers_before = sorted(web.worker_pids())
        after = Counter(fetch(url, headers)[0] for _ in range(10) for url, headers in targets)
        assert sorted(web.worker_pids()) == workers_before
    finally:
        stop.set()
        web.stop()
    print(f"answers during the load: {dict(answers)}; after the restart: {dict(after)}")
    assert bad == [], f"unclean answers: {Counter(bad)} (all answers {dict(answers)})"
    assert during_gap > 0, "the gap was not observed: the test proved nothing"
    assert answers[200] > 0
    assert set(after) <= {200, 302}
