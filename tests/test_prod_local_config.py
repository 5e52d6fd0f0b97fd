"""The generated configuration of `make prod-local` (scripts/prod_local.py) beyond nginx's
(tests/test_prod_local_nginx.py): PostgreSQL's settings, the S3 server's spool on disk, and the
load runner's CPU accounting of the copy's processes (bench/_proc_cpu.py)."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "prod_local.py"
sys.path.insert(0, str(ROOT / "bench"))

import _proc_cpu  # noqa: E402  (bench/ is not a package)


def _pg_conf(tmp_path: Path, which: str, **env: str) -> str:
    program = (
        f"import sys; sys.path.insert(0, {str(SCRIPT.parent)!r}); import prod_local as p; "
        f"print(p.pg_conf({which!r}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ILONET_PROD_LOCAL_")}
    done = subprocess.run(
        [sys.executable, "-c", program],
        env={**clean, "ILONET_PROD_LOCAL_DIR": str(tmp_path / "state"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _settings(conf: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in conf.splitlines() if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def test_pg_stat_statements_is_loaded_only_when_asked(tmp_path):
    plain = _settings(_pg_conf(tmp_path, "primary"))
    assert "shared_preload_libraries" not in plain
    asked = _settings(_pg_conf(tmp_path, "replica", ILONET_PROD_LOCAL_PG_STATEMENTS="1"))
    assert asked["shared_preload_libraries"] == "'pg_stat_statements'"
    assert asked["pg_stat_statements.track"] == "'top'"


def test_committed_writes_stay_durable_in_the_local_topology(tmp_path):
    """Whatever is tuned for the loopback copy, a commit the application was told of is on disk:
    no fsync, synchronous_commit or full_page_writes switched off (docs/deployment.md)."""
    for which in ("primary", "replica"):
        settings = _settings(_pg_conf(tmp_path, which, ILONET_PROD_LOCAL_PG_STATEMENTS="1"))
        assert settings.get("fsync", "on") == "on"
        assert settings.get("synchronous_commit", "on") == "on"
        assert settings.get("full_page_writes", "on") == "on"


def test_cpu_of_a_process_tree_is_counted_for_its_component(tmp_path):
    """A recorded process group's child that burned CPU and exited is counted for the group's
    component (the parent reaped it); the test's own process, outside every tree, is not."""
    (tmp_path / "run").mkdir()
    busy = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"
    parent_code = (
        f"import subprocess, sys, time; subprocess.run([sys.executable, '-c', {busy!r}]); "
        "print('done', flush=True); time.sleep(60)"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", parent_code], start_new_session=True, stdout=subprocess.PIPE, text=True
    )
    try:
        (tmp_path / "run" / "worker.pid").write_text(f"{parent.pid}\n")
        meter = _proc_cpu.CpuMeter(tmp_path)
        assert meter.named == {parent.pid: "task worker"}
        assert parent.stdout.readline().strip() == "done"
        after = _proc_cpu.snapshot()
        spent = _proc_cpu.per_component(meter.before, after, meter.named)
    finally:
        parent.kill()
        parent.wait(timeout=30)
    assert spent["task worker"] >= 0.35  # the child's 0.4 s, counted in clock ticks
    assert set(spent) == {"task worker"}


def test_a_process_is_counted_once_under_its_nearest_recorded_ancestor():
    procs = {
        10: _proc_cpu.Proc(1, 5.0),  # a postmaster
        11: _proc_cpu.Proc(10, 2.0),  # its backend
        12: _proc_cpu.Proc(11, 1.0),  # a process a backend started
        20: _proc_cpu.Proc(1, 3.0),  # not ours
    }
    named = {10: "PostgreSQL primary"}
    assert _proc_cpu.component_of(12, procs, named) == "PostgreSQL primary"
    assert _proc_cpu.component_of(20, procs, named) is None
    before = {10: _proc_cpu.Proc(1, 4.0), 11: _proc_cpu.Proc(10, 1.5)}
    assert _proc_cpu.per_component(before, procs, named) == {"PostgreSQL primary": 1.0 + 0.5 + 1.0}


def test_a_recycled_process_id_counts_from_zero():
    named = {10: "web"}
    before = {11: _proc_cpu.Proc(1, 9.0)}  # pid 11 was another process's
    after = {10: _proc_cpu.Proc(1, 1.0), 11: _proc_cpu.Proc(10, 0.5)}
    assert _proc_cpu.per_component(before, after, named) == {"web": 1.0 + 0.5}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def test_the_s3_server_keeps_objects_in_files_checks_signatures_and_stays_flat(tmp_path):
    """moto held 16 GB after a 30-minute load run and accepted any signature (docs/benchmarks.md):
    prod-local's S3 server (nanio, started as ``s3_server_command`` says) keeps each object in a
    file under ``<dir>/s3``, refuses a request signed with another secret, and its memory does
    not grow with what is uploaded (40 objects of 5 MiB: under 20 MiB of growth)."""
    import boto3
    from botocore.exceptions import ClientError

    state = tmp_path / "state"
    port = _free_port()
    secret = "a-local-secret"  # noqa: S105  (a throwaway local server)
    settings = {"ILONET_S3_REGION": "eu-west-1", "ILONET_S3_ACCESS_KEY_ID": "prodlocal",
                "ILONET_S3_SECRET_ACCESS_KEY": secret}  # fmt: skip
    program = (
        f"import json, sys; sys.path.insert(0, {str(SCRIPT.parent)!r}); import prod_local as p; "
        f"p.PORTS['s3'] = {port}; s = {settings!r}; "
        "print(json.dumps([p.s3_server_command(s), p.s3_server_env(s), str(p.S3_DATA)]))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ILONET_PROD_LOCAL_")}
    done = subprocess.run(
        [sys.executable, "-c", program],
        env={**clean, "ILONET_PROD_LOCAL_DIR": str(state)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    command, server_env, data = json.loads(done.stdout)
    data = Path(data)
    data.mkdir(parents=True)
    server = subprocess.Popen(command, env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            raise AssertionError("the S3 server did not listen within 60 s")

        def client(key: str):
            return boto3.client(
                "s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="eu-west-1",
                aws_access_key_id="prodlocal", aws_secret_access_key=key,
            )  # fmt: skip

        s3 = client(secret)
        s3.create_bucket(Bucket="ilonet", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        with pytest.raises(ClientError) as refused:
            client("another-secret").put_object(Bucket="ilonet", Key="forged", Body=b"x")
        assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"

        body = bytes(range(256)) * (5 * 1024 * 1024 // 256)
        s3.put_object(Bucket="ilonet", Key="warm-up", Body=body)
        before = _rss_kib(server.pid)
        for number in range(40):
            s3.put_object(Bucket="ilonet", Key=f"doc/{number}", Body=body)
        growth_kib = _rss_kib(server.pid) - before
        assert growth_kib < 20 * 1024, f"the S3 server grew by {growth_kib} KiB for 200 MiB"

        stored = [p for p in data.rglob("*") if p.is_file() and p.stat().st_size == len(body)]
        assert len(stored) == 41, sorted(str(p) for p in data.rglob("*"))
        assert client(secret).get_object(Bucket="ilonet", Key="doc/7")["Body"].read() == body
        with pytest.raises(ClientError):
            client(secret).get_object(Bucket="ilonet", Key="forged")
    finally:
        server.terminate()
        server.wait(timeout=30)
