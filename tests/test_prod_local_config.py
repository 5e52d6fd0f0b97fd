"""The generated configuration of `make prod-local` (scripts/prod_local.py) beyond nginx's
(tests/test_prod_local_nginx.py): PostgreSQL's settings, the S3 server's spool on disk, and the
load runner's CPU accounting of the copy's processes (bench/_proc_cpu.py)."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

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


def test_the_s3_server_keeps_object_bytes_on_disk_not_in_memory(tmp_path):
    """moto held 16 GB after a 30-minute load run (docs/benchmarks.md): prod-local starts it so
    that an object larger than ``S3_MEMORY_PER_OBJECT`` lives in a file of ``<dir>/s3-spool``."""
    import boto3

    state = tmp_path / "state"
    program = (
        f"import json, sys; sys.path.insert(0, {str(SCRIPT.parent)!r}); import prod_local as p; "
        "print(json.dumps([p.s3_server_env({}), p.S3_MEMORY_PER_OBJECT, str(p.S3_SPOOL)]))"
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
    extra, per_object, spool = json.loads(done.stdout)
    spool = Path(spool)
    spool.mkdir(parents=True)
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, **extra},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            raise AssertionError("moto_server did not listen within 60 s")
        client = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="eu-west-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",  # noqa: S106  (a throwaway local server)
        )
        client.create_bucket(
            Bucket="spool-test", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        body = bytes(range(256)) * (4 * per_object // 256)
        client.put_object(Bucket="spool-test", Key="big", Body=body)
        open_files = []
        for fd in Path(f"/proc/{server.pid}/fd").iterdir():
            with contextlib.suppress(OSError):  # a descriptor closed meanwhile
                open_files.append(os.readlink(fd))
        assert any(name.startswith(str(spool)) for name in open_files), open_files
        assert client.get_object(Bucket="spool-test", Key="big")["Body"].read() == body
    finally:
        server.terminate()
        server.wait(timeout=30)
