"""`make prod-local` end to end: the production topology starts on loopback from the project's
script, answers through nginx over TLS verified against its own CA, reads and writes where it
should (PostgreSQL primary and streaming replica, the S3 server, clamd), and stops leaving no
port open.

It runs its own copy (state in var/prod-local-test, ports 18420-18429) beside any
`make prod-local` on the default ports, and destroys it at the end. It needs nginx, openssl,
PostgreSQL's server binaries and clamd (bash scripts/system-deps.sh): without them it skips
outside CI and fails with CI=true.
"""

import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "prod_local.py"
STATE = ROOT / "var" / "prod-local-test"
BASE = 18420
ENV = {**os.environ, "ILONET_PROD_LOCAL_DIR": str(STATE), "ILONET_PROD_LOCAL_PORT_BASE": str(BASE)}

pytestmark = pytest.mark.prod_local


def _tools_missing() -> list[str]:
    wanted = {
        "nginx": ["nginx", "/usr/sbin/nginx"],
        "openssl": ["openssl"],
        "clamd": ["clamd", "/usr/sbin/clamd"],
    }
    missing = [
        name for name, where in wanted.items() if not any(shutil.which(w) or Path(w).exists() for w in where)
    ]
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) and not shutil.which("initdb"):
        missing.append("postgresql")
    return missing


@pytest.fixture(scope="module")
def topology():
    missing = _tools_missing()
    if missing:
        # A missing part is a failure, never a skip: `make prod-local-test` installs them first.
        pytest.fail(f"missing {', '.join(missing)}: bash scripts/system-deps.sh", pytrace=False)
    subprocess.run([sys.executable, str(SCRIPT), "destroy"], env=ENV, capture_output=True)
    started = subprocess.run(
        [sys.executable, str(SCRIPT), "start", "--no-seed"],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=900,
    )
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield
    finally:
        subprocess.run([sys.executable, str(SCRIPT), "destroy"], env=ENV, capture_output=True, timeout=300)


def _settings() -> dict[str, str]:
    values = {}
    for line in (STATE / "env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def _get(path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict]:
    context = ssl.create_default_context(cafile=str(STATE / "tls" / "ca.crt"))
    request = urllib.request.Request(f"https://127.0.0.1:{BASE}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30, context=context) as answer:  # noqa: S310
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def _manage_shell(code: str) -> str:
    env = {**ENV}
    exported = subprocess.run([sys.executable, str(SCRIPT), "env"], env=ENV, capture_output=True, text=True)
    for line in exported.stdout.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value.strip("'")
    answer = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "--no-imports", "-c", code],
        env=env,
        capture_output=True,
        text=True,
    )
    assert answer.returncode == 0, answer.stderr
    return answer.stdout.strip()


def test_healthz_and_readyz_answer_through_nginx_over_verified_tls(topology):
    status, body, headers = _get("/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    assert headers.get("Server") == "nginx"  # no version
    status, body, _headers = _get("/readyz")
    assert status == 200, body
    assert json.loads(body)["checks"] == {"database": "ok", "storage": "ok", "clamav": "ok", "replica": "ok"}


def test_the_certificate_is_refused_without_the_local_ca(topology):
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"https://127.0.0.1:{BASE}/healthz", timeout=10)  # noqa: S310


def test_metrics_need_the_token_and_count_requests_by_route(topology):
    assert _get("/metrics")[0] == 401
    token = _settings()["ILONET_METRICS_TOKEN"]
    for _ in range(6):
        _get("/healthz")
    status, body, _headers = _get("/metrics", {"Authorization": f"Bearer {token}"})
    assert status == 200
    text = body.decode()
    assert 'ilonet_http_requests_total{method="GET",route="healthz",status="200"}' in text
    assert "ilonet_jobs_queue_depth" in text and "ilonet_audit_chain_head_seq" in text


def test_the_app_role_is_no_superuser_and_the_replica_streams(topology):
    out = _manage_shell(
        "from django.db import connections\n"
        "c = connections['default'].cursor()\n"
        "c.execute('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user')\n"
        "print(c.fetchone())\n"
        "r = connections['replica'].cursor()\n"
        "r.execute('SELECT pg_is_in_recovery()')\n"
        "print(r.fetchone()[0])\n"
    )
    assert out.splitlines() == ["(False, False)", "True"]


def test_a_file_stored_by_the_application_lands_in_the_s3_bucket(topology):
    out = _manage_shell(
        "from django.core.files.base import ContentFile\n"
        "from ilonet.shared.uploads import get_storage\n"
        "s = get_storage()\n"
        "name = s.save('prod-local-test/probe.txt', ContentFile(b'stored'))\n"
        "print(type(s).__name__, s.bucket_name)\n"
        "obj = s.connection.meta.client.get_object(Bucket=s.bucket_name, Key=s._key(name))\n"
        "print(obj['Body'].read().decode())\n"
        "s.delete(name)\n"
    )
    assert out.splitlines() == ["PrivateS3Storage ilonet", "stored"]


def test_stop_leaves_no_port_open(topology):
    subprocess.run(
        [sys.executable, str(SCRIPT), "stop"], env=ENV, capture_output=True, timeout=300, check=True
    )
    still_open = []
    for port in range(BASE, BASE + 7):
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                still_open.append(port)
    assert still_open == []
