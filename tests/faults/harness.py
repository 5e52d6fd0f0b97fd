"""Processes the fault tests start, stop and kill: a PostgreSQL cluster of their own
(``scripts/postgres.sh`` on a port of their own, the application role not a superuser), the
application's processes (gunicorn, ``manage.py`` commands) against a database cloned from a
migrated template, and their data directory (media, key stores, audit checkpoints)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


def _free_base(first: int = 18500, last: int = 18549, count: int = 4) -> int:
    """The first run of ``count`` free ports in the fault tests' range, so that two runs of the
    suite on one machine (SQLite and PostgreSQL side by side) do not meet on one port."""
    for base in range(first, last - count + 2, count):
        if all(_port_free(port) for port in range(base, base + count)):
            return base
    raise RuntimeError(f"no {count} free ports between {first} and {last}")


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


# Ports of the fault tests (18500-18549): PostgreSQL, gunicorn, the S3 server, a restore target.
PG_PORT = int(os.environ.get("ILONET_FAULTS_PG_PORT") or _free_base())
WEB_PORT = PG_PORT + 1
S3_PORT = PG_PORT + 2
RESTORE_PG_PORT = PG_PORT + 3
ROLE = "ilonet"
TEMPLATE = "faults_template"


def _pg_env(pg_dir: Path, port: int = PG_PORT) -> dict[str, str]:
    return {**os.environ, "PGPORT": str(port), "ILONET_PG_DIR": str(pg_dir)}


def bindir() -> Path:
    out = subprocess.run(
        ["bash", "-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return Path(out.stdout.strip())


@dataclass
class Cluster:
    """A PostgreSQL cluster of the fault tests, started with the project's own script."""

    directory: Path
    port: int = PG_PORT

    def script(self, command: str) -> None:
        done = subprocess.run(
            ["bash", str(REPO / "scripts/postgres.sh"), command],
            env=_pg_env(self.directory, self.port), capture_output=True, text=True, cwd=REPO,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(
                f"postgres.sh {command} failed ({done.returncode}): {done.stderr or done.stdout}"
            )

    def start(self) -> None:
        self.script("start")

    def stop(self) -> None:
        self.script("stop")

    def destroy(self) -> None:
        self.script("destroy")

    def url(self, database: str) -> str:
        return f"postgres://{ROLE}:{ROLE}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "ilonet", **kwargs) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=ROLE, password=ROLE, dbname=database, **kwargs
        )

    def create_database(self, name: str, template: str | None = None) -> str:
        with self.connect(autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            tail = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{tail}')
        return name

    def data_dir(self) -> Path:
        """The data directory of the cluster (``scripts/postgres.sh`` may move it under /tmp)."""
        for candidate in (self.directory / "data",):
            if (candidate / "PG_VERSION").exists():
                return candidate
        raise FileNotFoundError(self.directory)

    def pg_ctl(self, *args: str) -> None:
        """pg_ctl as the cluster's owner (``postgres`` when run as root)."""
        command = [str(bindir() / "pg_ctl"), "-D", str(self.data_dir()), *args]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        # No pipes: the postmaster started by pg_ctl would hold them open, and we would wait forever.
        subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/", timeout=120
        )


def app_env(cluster: Cluster, database: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of an application process: the test profile (fixed test keys), DEBUG
    off, this database and this data directory."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ILONET_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "ilonet.settings.test",
        "DATABASE_URL": cluster.url(database),
        "ILONET_DATA_DIR": str(data_dir),
        "ILONET_DEBUG": "false",
        "ILONET_LOG_LEVEL": "WARNING",
        "PYTHONPATH": f"{REPO / 'src'}:{REPO}",
    }
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600, check: bool = True):
    return subprocess.run(
        [PYTHON, str(REPO / "manage.py"), *args],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=check,
    )  # fmt: skip


def run_python(env: dict[str, str], code: str, timeout: float = 600) -> str:
    """Run ``code`` in a Django process with ``env``; its standard output."""
    prologue = "import django\ndjango.setup()\n"
    done = subprocess.run(
        [PYTHON, "-c", prologue + code], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise RuntimeError(f"python in Django failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def wait_http(url: str, timeout: float = 60, accept=(200,)) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status in accept:
                    return
        except urllib.error.HTTPError as error:
            if error.code in accept:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(url)
        time.sleep(0.2)


@dataclass
class Gunicorn:
    env: dict[str, str]
    port: int = WEB_PORT
    workers: int = 2
    log: Path | None = None
    # Load the application once in the master: a killed worker is replaced by a fork in
    # milliseconds instead of a new import of Django (seconds on a loaded machine).
    preload: bool = True
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [GUNICORN, "ilonet.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--timeout", "60", "--graceful-timeout", "5",
             *(["--preload"] if self.preload else [])],
            env=self.env, cwd=REPO, stdout=out, stderr=out,
        )  # fmt: skip
        wait_http(f"{self.base}/healthz", timeout=90)
        return self

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        return children(self.process.pid)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
