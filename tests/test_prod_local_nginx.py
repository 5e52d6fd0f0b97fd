"""The nginx front of `make prod-local` (scripts/prod_local.py) refuses what it cannot serve at
once: beyond ``ILONET_PROD_LOCAL_MAX_IN_FLIGHT`` requests in flight it answers 429 with
Retry-After straight away, instead of letting a spike queue for tens of seconds (issue 15: "a
300-user spike gives 0 server errors, 429 allowed"); below it, every request reaches a worker.

Only nginx runs here, from the generated configuration with its TLS, in front of a stub upstream
that holds each request for a while: the rest of the topology is `make prod-local-test`'s.
"""

import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "prod_local.py"
LIMIT = 4
HOLD_SECONDS = 3.0


def _free_base() -> int:
    """A base port whose https (base) and web1/web2 (base + 5, + 6) ports are free."""
    for base in range(18560, 18600, 7):
        ports = (base, base + 5, base + 6)
        if all(_port_free(port) for port in ports):
            return base
    pytest.fail("no free ports in 18560-18599 for nginx and its stub upstream", pytrace=False)


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


class _SlowUpstream(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        time.sleep(HOLD_SECONDS)
        body = b"served"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _prod_local(state: Path, base: int, code: str) -> None:
    """Run `code` with scripts/prod_local.py imported for this state and these ports, in a child
    process (the script sets a strict umask and module-level paths from the environment)."""
    env = {
        **os.environ,
        "ILONET_PROD_LOCAL_DIR": str(state),
        "ILONET_PROD_LOCAL_PORT_BASE": str(base),
        "ILONET_PROD_LOCAL_MAX_IN_FLIGHT": str(LIMIT),
    }
    program = f"import sys; sys.path.insert(0, {str(SCRIPT.parent)!r}); import prod_local as p; {code}"
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def nginx_front(tmp_path):
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()) or not shutil.which("openssl"):
        pytest.fail("nginx and openssl are needed: bash scripts/system-deps.sh", pytrace=False)
    base = _free_base()
    upstreams = [ThreadingHTTPServer(("127.0.0.1", base + offset), _SlowUpstream) for offset in (5, 6)]
    for server in upstreams:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    state = tmp_path / "prod-local"
    try:
        _prod_local(state, base, "p.ensure_tls(); p.ensure_nginx()")
        yield base, state / "tls" / "ca.crt"
    finally:
        _prod_local(state, base, "p.stop_pid('nginx-master')")
        for server in upstreams:
            server.shutdown()
            server.server_close()


def _get(base: int, ca: Path) -> tuple[int, dict[str, str], bytes]:
    context = ssl.create_default_context(cafile=str(ca))
    request = urllib.request.Request(f"https://127.0.0.1:{base}/somewhere/")
    try:
        with urllib.request.urlopen(request, context=context, timeout=30) as answer:  # noqa: S310 (https only)
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read()


def test_beyond_the_in_flight_limit_nginx_answers_429_at_once_with_retry_after(nginx_front):
    base, ca = nginx_front
    assert _get(base, ca)[0] == 200  # the front works before it is pressed
    with ThreadPoolExecutor(max_workers=3 * LIMIT) as pool:
        started = time.monotonic()

        def timed_get():
            return (*_get(base, ca), time.monotonic() - started)

        futures = [pool.submit(timed_get) for _ in range(3 * LIMIT)]
        answers = [future.result() for future in futures]
    served = [a for a in answers if a[0] == 200]
    refused = [a for a in answers if a[0] == 429]
    assert len(served) + len(refused) == len(answers), [a[0] for a in answers]
    assert 1 <= len(served) <= LIMIT, [a[0] for a in answers]
    assert len(refused) >= 2 * LIMIT, [a[0] for a in answers]
    for _status, headers, body, took in refused:
        assert headers.get("Retry-After") == "5"
        assert "no-store" in headers.get("Cache-Control", "")
        assert b"Too many requests" in body and b"Te veel verzoeken" in body
        assert took < HOLD_SECONDS, "a refusal must not wait for a worker"
    assert _get(base, ca)[0] == 200  # and serves again once the spike is over


def test_nginx_closes_idle_worker_connections_before_the_workers_do(tmp_path):
    """A web worker that closes an idle kept-alive connection while nginx reuses it makes that
    request fail with 502 (the 100-user load run of bench/load.py had 210 of them with
    gunicorn's default keep-alive of 2 s): the generated nginx configuration must give up idle
    upstream connections sooner than the workers' ``--keep-alive``."""
    import re

    code = (
        "import re; conf = p.nginx_conf(); "
        "upstream = re.search(r'upstream ilonet_web \\{(.*?)\\}', conf, re.S).group(1); "
        "print(upstream); print('WORKER', ' '.join(p.web_keepalive_argument()))"
    )
    env = {**os.environ, "ILONET_PROD_LOCAL_DIR": str(tmp_path / "state")}
    program = f"import sys; sys.path.insert(0, {str(SCRIPT.parent)!r}); import prod_local as p; {code}"
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    upstream_timeout = re.search(r"keepalive_timeout (\d+)s;", done.stdout)
    worker = re.search(r"WORKER --keep-alive (\d+)", done.stdout)
    assert "keepalive 16;" in done.stdout
    assert upstream_timeout and worker, done.stdout
    assert int(worker.group(1)) > int(upstream_timeout.group(1))
    assert "max_fails=1 " not in done.stdout
