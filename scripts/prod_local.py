"""`make prod-local`: ILOnet's production topology on loopback, from Debian and PyPI packages.

    python scripts/prod_local.py start [--no-seed]   start everything (idempotent), print the URL
    python scripts/prod_local.py stop                stop everything it started
    python scripts/prod_local.py status              one line per component; exit 0 if all run
    python scripts/prod_local.py env                 `export` lines of the settings, for
                                                     `eval "$(python scripts/prod_local.py env)"`
    python scripts/prod_local.py url                 the HTTPS address
    python scripts/prod_local.py destroy             stop, then delete the state directory
    python scripts/prod_local.py statements          the statements that took the most time on
                                                     the primary and the replica (needs
                                                     ILONET_PROD_LOCAL_PG_STATEMENTS=1)
    python scripts/prod_local.py statements-reset    start counting them again

The topology (docs/deployment.md describes it on several machines):

    nginx (TLS from a local CA, proxy only)          https://127.0.0.1:<base>
      -> web1, web2: gunicorn, stateless             127.0.0.1:<base+5>, <base+6>
    worker: manage.py db_worker (the task queue)
    scheduler: manage.py run_scheduler (periodic jobs)
    PostgreSQL 15 primary                            127.0.0.1:<base+1>
      -> streaming read replica (pg_basebackup -R)   127.0.0.1:<base+2>
    S3 server (nanio), bucket "ilonet"                http://127.0.0.1:<base+3>
    SMTP sink (aiosmtpd: mail is accepted, dropped)  127.0.0.1:<base+4>
    clamd (scripts/clamav.sh, a unix socket)

Environment (so that other tests can run their own copy beside this one):
    ILONET_PROD_LOCAL_DIR        state directory (default <repo>/var/prod-local): data dirs,
                                 secrets (env, mode 0600), TLS files, logs, pid files
    ILONET_PROD_LOCAL_PORT_BASE  first of ten consecutive ports (default 18400)
    PROD_LOCAL_SETTINGS_MODULE   Django settings of every process (default
                                 ilonet.settings.production); the load test (bench/load.py
                                 --prod-local) uses bench/http_settings.py: the production
                                 settings plus its bare signed-in view, for the ratio
    PROD_LOCAL_PYTHONPATH        directories put after src/ on the processes' PYTHONPATH

The secrets (Django secret key, encryption keys, audit keys, database passwords, the metrics
token) are generated on the first start and kept in <dir>/env; the data subjects' keys live in
<dir>/keys, apart from the database. Every process runs in its own process group; `stop` ends
them by the process ids recorded in <dir>/run. PostgreSQL runs as the "postgres" OS user when
this runs as root (it refuses to run as root).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
STATE = Path(os.environ.get("ILONET_PROD_LOCAL_DIR", ROOT / "var" / "prod-local")).resolve()
BASE = int(os.environ.get("ILONET_PROD_LOCAL_PORT_BASE", "18400"))
PORTS = {
    "https": BASE,
    "pg-primary": BASE + 1,
    "pg-replica": BASE + 2,
    "s3": BASE + 3,
    "smtp": BASE + 4,
    "web1": BASE + 5,
    "web2": BASE + 6,
}
WEB = ("web1", "web2")
# Each web worker is one gunicorn of three processes with four threads each. Threads of one
# process share one interpreter lock: one process of twelve threads was worse than four (uploads'
# p95 2.6 -> 5.1 s), and one process of four let a request wait behind an upload's Python (the bare
# view's p95 1.1 s under the 100-user load); three processes of four brought it to 55 ms and every
# read under its 300 ms budget (docs/benchmarks.md, "Load by role").
WEB_THREADS = int(os.environ.get("ILONET_PROD_LOCAL_WEB_THREADS", "4"))
WEB_PROCESSES = int(os.environ.get("ILONET_PROD_LOCAL_WEB_PROCESSES", "3"))
# nginx keeps idle connections to the web workers open for reuse; it must close an idle one
# before the worker does: a worker that closes first (gunicorn's default after 2 s) races nginx
# reusing the connection, and the request sent on it fails with 502 (a 100-user run of
# bench/load.py had 210 such 502s in 66,465 requests).
UPSTREAM_KEEPALIVE_SECONDS = 60
WEB_KEEPALIVE_SECONDS = UPSTREAM_KEEPALIVE_SECONDS + 15
UPLOAD_MAX_BYTES = 100 * 1024 * 1024  # ILONET_UPLOAD_MAX_BYTES, and nginx's client_max_body_size
# Requests nginx lets through to the web workers at once; beyond it a request is refused at
# once with 429 and Retry-After instead of waiting in a queue that only grows under a spike.
MAX_IN_FLIGHT = int(os.environ.get("ILONET_PROD_LOCAL_MAX_IN_FLIGHT", "64"))
RETRY_AFTER_SECONDS = 5
TOO_BUSY_TEXT = (
    "Too many requests at once: try again in a few seconds.\\n"
    "Te veel verzoeken tegelijk: probeer het over enkele seconden opnieuw.\\n"
)
# pg_stat_statements on the primary and the replica (1: loaded; `statements` prints the top
# statements by total execution time): what the load test reads to find where the database's
# time goes. Off by default: it costs a little on every statement.
PG_STATEMENTS = os.environ.get("ILONET_PROD_LOCAL_PG_STATEMENTS", "0") == "1"
BUCKET = "ilonet"
DB_NAME = "ilonet"
IS_ROOT = os.geteuid() == 0
PG_OS_USER = "postgres"

RUN = STATE / "run"
LOGS = STATE / "log"
ENV_FILE = STATE / "env"
TLS = STATE / "tls"
PG = STATE / "pg"
METRICS_DIR = STATE / "metrics"


def log(message: str) -> None:
    print(f"prod-local: {message}", file=sys.stderr, flush=True)


class Failure(SystemExit):
    def __init__(self, message: str):
        super().__init__(f"prod-local: error: {message}")


def url() -> str:
    return f"https://127.0.0.1:{PORTS['https']}"


# --- secrets and settings ----------------------------------------------------------------------


def _generate_secrets() -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "src"))
    from ilonet.audit.keys import new_chain_key_spec, new_signing_key_text
    from ilonet.shared.keyring import new_key_spec

    return {
        "ILONET_SECRET_KEY": secrets.token_urlsafe(64),
        "ILONET_ENCRYPTION_KEYS": new_key_spec(),
        "ILONET_AUDIT_CHAIN_KEY": new_chain_key_spec(),
        "ILONET_AUDIT_SIGNING_KEY": new_signing_key_text(),
        "ILONET_PERSONAL_DATA_INDEX_KEY": secrets.token_urlsafe(32),
        "ILONET_PERSONAL_DATA_GUARD_KEY": secrets.token_urlsafe(32),
        "ILONET_METRICS_TOKEN": secrets.token_urlsafe(32),
        "PROD_LOCAL_DB_PASSWORD": secrets.token_urlsafe(24),
        "PROD_LOCAL_REPLICATION_PASSWORD": secrets.token_urlsafe(24),
        "ILONET_S3_ACCESS_KEY_ID": "prodlocal",
        "ILONET_S3_SECRET_ACCESS_KEY": secrets.token_urlsafe(24),
    }


def _read_env_file() -> dict[str, str]:
    values = {}
    if ENV_FILE.exists():
        for line in ENV_FILE.read_text().splitlines():
            if line and not line.startswith("#") and "=" in line:
                key, _, value = line.partition("=")
                values[key] = value
    return values


def _clamav(command: str) -> subprocess.CompletedProcess:
    """scripts/clamav.sh COMMAND for this copy's private clamd."""
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "clamav.sh"), command],
        env={**os.environ, "ILONET_CLAMAV_DIR": str(STATE / "clamav")},
        capture_output=True,
        text=True,
    )


def _clamav_socket() -> str:
    answer = _clamav("socket")
    answer.check_returncode()
    return answer.stdout.strip()


def settings_env() -> dict[str, str]:
    """The environment of every ILOnet process: the stored secrets plus the topology."""
    stored = _read_env_file()
    if not stored:
        raise Failure(f"no {ENV_FILE}: run `start` first")
    password = stored["PROD_LOCAL_DB_PASSWORD"]
    topology = {
        "DJANGO_SETTINGS_MODULE": os.environ.get("PROD_LOCAL_SETTINGS_MODULE", "ilonet.settings.production"),
        "ILONET_DATA_DIR": str(STATE / "data"),
        "DATABASE_URL": f"postgres://ilonet:{password}@127.0.0.1:{PORTS['pg-primary']}/{DB_NAME}",
        "ILONET_REPLICA_DATABASE_URL": f"postgres://ilonet:{password}@127.0.0.1:{PORTS['pg-replica']}/{DB_NAME}",
        "ILONET_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ILONET_SITE_URL": url(),
        "ILONET_CSRF_TRUSTED_ORIGINS": f"{url()},https://localhost:{PORTS['https']}",
        "ILONET_PROXY_COUNT": "1",
        # HSTS on a loopback address would pin https on localhost for every other local server
        # of the browser: off here, on (a year) in a real deployment.
        "ILONET_HSTS_SECONDS": "0",
        "ILONET_STORAGE": "s3",
        "ILONET_S3_BUCKET": BUCKET,
        "ILONET_S3_ENDPOINT_URL": f"http://127.0.0.1:{PORTS['s3']}",
        "ILONET_S3_REGION": "eu-west-1",
        "ILONET_S3_ADDRESSING_STYLE": "path",
        "ILONET_UPLOAD_MAX_BYTES": str(UPLOAD_MAX_BYTES),
        "ILONET_UPLOAD_TEMP_DIR": str(STATE / "upload-tmp"),
        "ILONET_CLAMAV_SOCKET": _clamav_socket(),
        "ILONET_PERSONAL_DATA_KEY_DIR": str(STATE / "keys" / "personal-data"),
        "ILONET_AUDIT_CHECKPOINT_DIR": str(STATE / "audit-checkpoints"),
        "ILONET_EMAIL_HOST": "127.0.0.1",
        "ILONET_EMAIL_PORT": str(PORTS["smtp"]),
        "ILONET_DEFAULT_FROM_EMAIL": "ilonet@localhost",
        "ILONET_LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": str(METRICS_DIR),
        "PROD_LOCAL_CA": str(TLS / "ca.crt"),
        "PROD_LOCAL_URL": url(),
    }
    values = {key: value for key, value in stored.items() if key.startswith("ILONET_")}
    values.update(topology)
    return values


def _ensure_env_file() -> None:
    if ENV_FILE.exists():
        return
    values = _generate_secrets()
    text = "# Generated by scripts/prod_local.py on the first start: the secrets of this copy.\n"
    text += "".join(f"{key}={value}\n" for key, value in values.items())
    fd = os.open(ENV_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    log(f"secrets generated in {ENV_FILE} (mode 0600)")


def process_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ILONET_", "DATABASE_URL"))}
    env.update(settings_env())
    extra_path = [p for p in os.environ.get("PROD_LOCAL_PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *extra_path])
    env.update(extra or {})
    return env


# --- TLS: a local CA and a server certificate for 127.0.0.1 and localhost -----------------------


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def ensure_tls() -> None:
    TLS.mkdir(parents=True, exist_ok=True)
    if (TLS / "server.crt").exists() and (TLS / "ca.crt").exists():
        return
    if shutil.which("openssl") is None:
        raise Failure("openssl not found (apt-get install openssl)")
    os.umask(0o077)
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        str(TLS / "ca.key"),
        "-out",
        str(TLS / "ca.crt"),
        "-days",
        "825",
        "-subj",
        "/CN=ILOnet prod-local CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE,pathlen:0",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    )
    _openssl(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        str(TLS / "server.key"),
        "-out",
        str(TLS / "server.csr"),
        "-subj",
        "/CN=localhost",
    )
    (TLS / "server.ext").write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
        "subjectKeyIdentifier=hash\n"
        "authorityKeyIdentifier=keyid\n"
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        str(TLS / "server.csr"),
        "-CA",
        str(TLS / "ca.crt"),
        "-CAkey",
        str(TLS / "ca.key"),
        "-CAcreateserial",
        "-days",
        "397",
        "-extfile",
        str(TLS / "server.ext"),
        "-out",
        str(TLS / "server.crt"),
    )
    os.umask(0o022)
    os.chmod(TLS / "ca.crt", 0o644)
    log(f"local CA {TLS / 'ca.crt'} and a server certificate for 127.0.0.1, localhost")


# --- processes we start ---------------------------------------------------------------------------


def _pidfile(name: str) -> Path:
    return RUN / f"{name}.pid"


def running_pid(name: str) -> int | None:
    try:
        pid = int(_pidfile(name).read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    with contextlib.suppress(OSError):  # a zombie is not running
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z"):
            return None
    return pid


def spawn(name: str, command: list[str], env: dict[str, str]) -> int:
    """Start a command in its own process group (detached), its output in <dir>/log/<name>.log."""
    pid = running_pid(name)
    if pid:
        return pid
    LOGS.mkdir(parents=True, exist_ok=True)
    with (LOGS / f"{name}.log").open("ab") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    _pidfile(name).write_text(f"{process.pid}\n")
    return process.pid


def stop_pid(name: str, grace: float = 20.0) -> None:
    """SIGTERM the process group recorded for ``name``; SIGKILL it after ``grace`` seconds."""
    pid = running_pid(name)
    if pid is None:
        _pidfile(name).unlink(missing_ok=True)
        return
    log(f"stopping {name} (pid {pid})")
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and running_pid(name):
        time.sleep(0.2)
    if running_pid(name):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    _pidfile(name).unlink(missing_ok=True)


def port_open(port: int, timeout: float = 0.5) -> bool:
    with socket.socket() as probe:
        probe.settimeout(timeout)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_for(what: str, check, seconds: float = 60.0, logfile: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    tail = ""
    if logfile and logfile.exists():
        tail = "\n" + "\n".join(logfile.read_text(errors="replace").splitlines()[-30:])
    raise Failure(f"{what} did not come up within {seconds:.0f} s{tail}")


def manage(*args: str, quiet: bool = True) -> None:
    began = time.monotonic()
    answer = subprocess.run(
        [PY, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=process_env(),
        capture_output=quiet,
        text=True,
    )
    if answer.returncode:
        raise Failure(f"manage.py {' '.join(args)} failed:\n{answer.stdout or ''}{answer.stderr or ''}")
    log(f"manage.py {args[0]}: {time.monotonic() - began:.1f} s")


def _static_fingerprint() -> str:
    """A digest of every static source file (name, size, time) and of the installed packages:
    the collected, compressed files depend on nothing else."""
    import hashlib

    digest = hashlib.sha256()
    roots = [ROOT / "src" / "ilonet" / "static", ROOT / "requirements.lock"]
    for root in roots:
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def ensure_static() -> None:
    """collectstatic with the production storage (hashed names, gzip and brotli copies) takes
    minutes on two cores: its result is kept per fingerprint of the sources, in
    var/prod-local-static/<fingerprint>, and shared by every copy of the topology."""
    cache = Path(os.environ.get("ILONET_PROD_LOCAL_STATIC_CACHE", ROOT / "var" / "prod-local-static"))
    built = cache / _static_fingerprint()
    target = STATE / "data" / "static"
    if not (built / "staticfiles.json").exists():
        log(f"collectstatic into {built} (once per change of the static files)")
        shutil.rmtree(built, ignore_errors=True)
        built.mkdir(parents=True)
        if target.is_symlink() or target.exists():
            target.unlink() if target.is_symlink() else shutil.rmtree(target)
        target.symlink_to(built)
        manage("collectstatic", "--noinput", "-v", "0")
    if not (target.is_symlink() and target.resolve() == built.resolve()):
        if target.is_symlink() or target.exists():
            target.unlink() if target.is_symlink() else shutil.rmtree(target)
        target.symlink_to(built)


# --- PostgreSQL: a primary and a streaming replica --------------------------------------------------


def _pg_bindir() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    for candidate in reversed(candidates):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    raise Failure("PostgreSQL server binaries not found (bash scripts/system-deps.sh)")


def _as_pg(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    if IS_ROOT:
        command = ["runuser", "-u", PG_OS_USER, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def _pg_data(which: str) -> Path:
    return PG / which


def _pg_running(which: str) -> bool:
    data = _pg_data(which)
    return (data / "PG_VERSION").exists() and _as_pg(
        [str(_pg_bindir() / "pg_ctl"), "-D", str(data), "status"]
    ).returncode == 0


def pg_conf(which: str) -> str:
    """The settings of the primary or the replica (``prod-local.conf``, included by
    ``postgresql.conf``)."""
    port = PORTS[f"pg-{which}"]
    sockets = PG / "run"
    conf = (
        "# Generated by scripts/prod_local.py; do not edit.\n"
        "listen_addresses = '127.0.0.1'\n"
        f"port = {port}\n"
        f"unix_socket_directories = '{sockets}'\n"
        "max_connections = 100\n"
        "wal_level = replica\n"
        "max_wal_senders = 5\n"
        "wal_keep_size = '256MB'\n"
        "hot_standby = on\n"
        "hot_standby_feedback = on\n"
        "max_standby_streaming_delay = '30s'\n"
        "shared_buffers = '128MB'\n"
        "logging_collector = off\n"
        "log_min_messages = warning\n"
    )
    if PG_STATEMENTS:
        conf += "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = 'top'\n"
    return conf


def _write_pg_conf(which: str) -> None:
    conf = pg_conf(which)
    path = _pg_data(which) / "prod-local.conf"
    _as_pg(["tee", str(path)], input=conf, check=True)


def _pg_start(which: str) -> None:
    bindir = _pg_bindir()
    _write_pg_conf(which)
    logfile = LOGS / f"pg-{which}.log"
    if IS_ROOT:
        subprocess.run(["touch", str(logfile)], check=True)
        shutil.chown(logfile, PG_OS_USER)
    answer = _as_pg(
        [str(bindir / "pg_ctl"), "-D", str(_pg_data(which)), "-l", str(logfile), "-w", "-t", "90", "start"]
    )
    if answer.returncode:
        raise Failure(
            f"PostgreSQL {which} did not start:\n{answer.stdout}{answer.stderr}\n"
            + logfile.read_text()[-3000:]
        )


def _psql_admin(port: int, sql: str, database: str = "postgres") -> str:
    answer = _as_pg(
        [
            str(_pg_bindir() / "psql"),
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            str(PG / "run"),
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            database,
            "-f",
            "-",
        ],
        input=sql,
    )
    if answer.returncode:
        raise Failure(f"psql on port {port}: {answer.stderr}")
    return answer.stdout.strip()


def ensure_primary(secrets_: dict[str, str]) -> None:
    bindir = _pg_bindir()
    data = _pg_data("primary")
    PG.mkdir(parents=True, exist_ok=True)
    (PG / "run").mkdir(exist_ok=True)
    if IS_ROOT:
        for path in (PG, PG / "run"):
            shutil.chown(path, PG_OS_USER, PG_OS_USER)
    if not (data / "PG_VERSION").exists():
        log(f"initdb {data}")
        answer = _as_pg(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--auth-local=peer",
                "--auth-host=scram-sha-256",
                "--no-instructions",
            ],
            cwd="/",
        )
        if answer.returncode:
            raise Failure(f"initdb failed: {answer.stdout}{answer.stderr}")
        _as_pg(
            ["tee", "-a", str(data / "postgresql.conf")],
            input="\ninclude_if_exists = 'prod-local.conf'\n",
            check=True,
        )
        # Local (socket) connections: the OS user "postgres" only, as the superuser.
        _as_pg(
            ["tee", str(data / "pg_hba.conf")],
            check=True,
            input=(
                "local all postgres peer\n"
                "host all ilonet 127.0.0.1/32 scram-sha-256\n"
                "host replication replicator 127.0.0.1/32 scram-sha-256\n"
            ),
        )
    if not _pg_running("primary"):
        log(f"starting PostgreSQL primary on 127.0.0.1:{PORTS['pg-primary']}")
        _pg_start("primary")
    password, replication = secrets_["PROD_LOCAL_DB_PASSWORD"], secrets_["PROD_LOCAL_REPLICATION_PASSWORD"]
    # The application's role is no superuser and has no BYPASSRLS: row-level security binds it.
    _psql_admin(
        PORTS["pg-primary"],
        f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ilonet') THEN
    CREATE ROLE ilonet LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD '{password}';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replicator') THEN
    CREATE ROLE replicator LOGIN REPLICATION PASSWORD '{replication}';
  END IF;
END $$;
SELECT 'CREATE DATABASE {DB_NAME} OWNER ilonet'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{DB_NAME}')
\\gexec
""",  # noqa: S608  (generated passwords of URL-safe characters, fixed names)
    )
    if PG_STATEMENTS:
        _psql_admin(PORTS["pg-primary"], "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;", DB_NAME)


STATEMENTS_SQL = """
SELECT calls, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric, 3), rows,
       regexp_replace(left(query, {width}), '\\s+', ' ', 'g')
  FROM pg_stat_statements
 ORDER BY total_exec_time DESC
 LIMIT {limit};
"""


def statements(limit: int = 25, width: int = 160) -> str:
    """The statements that took the most execution time on the primary and on the replica
    since the last reset (pg_stat_statements, ILONET_PROD_LOCAL_PG_STATEMENTS=1)."""
    if not PG_STATEMENTS:
        raise Failure("pg_stat_statements is off: start with ILONET_PROD_LOCAL_PG_STATEMENTS=1")
    out = []
    for which in ("primary", "replica"):
        rows = _psql_admin(PORTS[f"pg-{which}"], STATEMENTS_SQL.format(limit=limit, width=width), DB_NAME)
        total = _psql_admin(
            PORTS[f"pg-{which}"],
            "SELECT coalesce(sum(calls), 0), round(coalesce(sum(total_exec_time), 0)::numeric, 1) "
            "FROM pg_stat_statements;",
            DB_NAME,
        )
        calls, milliseconds = total.split("|")
        out.append(f"PostgreSQL {which}: {calls} statements, {milliseconds} ms of execution in all")
        out.append("calls | total ms | mean ms | rows | statement")
        out += rows.splitlines()
        out.append("")
    return "\n".join(out)


def statements_reset() -> None:
    for which in ("primary", "replica"):
        _psql_admin(PORTS[f"pg-{which}"], "SELECT pg_stat_statements_reset();", DB_NAME)


def ensure_replica(secrets_: dict[str, str]) -> None:
    bindir = _pg_bindir()
    data = _pg_data("replica")
    if not (data / "PG_VERSION").exists():
        log(f"pg_basebackup -R into {data}")
        if data.exists():
            shutil.rmtree(data)
        answer = _as_pg(
            [
                "env",
                f"PGPASSWORD={secrets_['PROD_LOCAL_REPLICATION_PASSWORD']}",
                str(bindir / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(PORTS["pg-primary"]),
                "-U",
                "replicator",
                "-D",
                str(data),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ],
            cwd="/",
        )
        if answer.returncode:
            raise Failure(f"pg_basebackup failed: {answer.stdout}{answer.stderr}")
    if not _pg_running("replica"):
        log(f"starting PostgreSQL replica on 127.0.0.1:{PORTS['pg-replica']}")
        _pg_start("replica")


def _pg_stop(which: str) -> None:
    if _pg_running(which):
        log(f"stopping PostgreSQL {which}")
        stop = [str(_pg_bindir() / "pg_ctl"), "-D", str(_pg_data(which)), "-w", "-t", "60", "stop"]
        if _as_pg([*stop, "-m", "fast"]).returncode:
            _as_pg([*stop, "-m", "immediate"])


# --- the S3 server and the SMTP sink ------------------------------------------------------------


def _bin(name: str) -> str:
    return str(Path(PY).parent / name)


# The S3 server is nanio (PyPI): buckets are directories and objects files under <dir>/s3,
# written to a temporary file, fsync'ed and renamed into place, so its memory stays flat whatever
# was uploaded and the objects survive its restart (moto held 16 GB after a 30-minute load run
# and lost everything when it stopped). It checks every request's AWS Signature V4 against the
# one key pair of the env file, as a real S3 service does; moto accepts any signature.
S3_DATA = STATE / "s3"


def s3_server_command(env: dict[str, str]) -> list[str]:
    """The S3 server's command line (its credentials travel in ``s3_server_env``, not here)."""
    return [
        _bin("nanio"), "serve", "--data-dir", str(S3_DATA), "--host", "127.0.0.1",
        "--port", str(PORTS["s3"]), "--region", env["ILONET_S3_REGION"], "--workers", "1",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


def s3_server_env(env: dict[str, str]) -> dict[str, str]:
    """The S3 server's environment: the application's key pair is the only one it accepts."""
    return {
        **env,
        "NANIO_ACCESS_KEY": env["ILONET_S3_ACCESS_KEY_ID"],
        "NANIO_SECRET_KEY": env["ILONET_S3_SECRET_ACCESS_KEY"],
    }


def ensure_s3(env: dict[str, str]) -> None:
    if not running_pid("s3"):
        log(f"starting the S3 server (nanio, objects in {S3_DATA}) on 127.0.0.1:{PORTS['s3']}")
        S3_DATA.mkdir(mode=0o700, parents=True, exist_ok=True)
        spawn("s3", s3_server_command(env), s3_server_env(env))
        wait_for("the S3 server", lambda: port_open(PORTS["s3"]), 30, LOGS / "s3.log")
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=env["ILONET_S3_ENDPOINT_URL"],
        region_name=env["ILONET_S3_REGION"],
        aws_access_key_id=env["ILONET_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["ILONET_S3_SECRET_ACCESS_KEY"],
    )
    if BUCKET not in {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}:
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": env["ILONET_S3_REGION"]}
        )


def ensure_smtp(env: dict[str, str]) -> None:
    if not running_pid("smtp"):
        spawn(
            "smtp",
            [_bin("aiosmtpd"), "-n", "-l", f"127.0.0.1:{PORTS['smtp']}", "-c", "aiosmtpd.handlers.Sink"],
            env,
        )
        wait_for("the SMTP sink", lambda: port_open(PORTS["smtp"]), 30, LOGS / "smtp.log")


def ensure_clamd() -> None:
    answer = _clamav("start")
    if answer.returncode:
        raise Failure(f"clamd did not start: {answer.stderr}")


# --- the application: web workers, task worker, scheduler --------------------------------------------

GUNICORN_CONF = '''"""Generated by scripts/prod_local.py: prometheus-client's multiprocess mode."""


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
'''


def ensure_app(env: dict[str, str]) -> None:
    conf = STATE / "gunicorn.conf.py"
    conf.write_text(GUNICORN_CONF)
    if not any(running_pid(name) for name in WEB):
        # The multiprocess directory is emptied while no web process runs (prometheus-client).
        shutil.rmtree(METRICS_DIR, ignore_errors=True)
    METRICS_DIR.mkdir(parents=True, exist_ok=True)
    for name in WEB:
        if not running_pid(name):
            log(f"starting {name} (gunicorn) on 127.0.0.1:{PORTS[name]}")
            spawn(
                name,
                [
                    _bin("gunicorn"),
                    "ilonet.wsgi:application",
                    "--config",
                    str(conf),
                    "--chdir",
                    str(ROOT),
                    "--pythonpath",
                    str(ROOT / "src"),
                    "--bind",
                    f"127.0.0.1:{PORTS[name]}",
                    "--workers",
                    str(WEB_PROCESSES),
                    "--worker-class",
                    "gthread",
                    "--threads",
                    str(WEB_THREADS),
                    "--timeout",
                    "120",
                    "--graceful-timeout",
                    "20",
                    *web_keepalive_argument(),
                    "--name",
                    f"ilonet-{name}",
                    "--forwarded-allow-ips",
                    "127.0.0.1",
                ],
                env,
            )
    manage_cmd = [PY, str(ROOT / "manage.py")]
    if not running_pid("worker"):
        log("starting the task worker (manage.py db_worker)")
        spawn("worker", [*manage_cmd, "db_worker", "--no-reload", "-v", "0"], env)
    if not running_pid("scheduler"):
        log("starting the scheduler (manage.py run_scheduler)")
        spawn("scheduler", [*manage_cmd, "run_scheduler"], env)
    for name in WEB:
        wait_for(name, lambda name=name: port_open(PORTS[name]), 90, LOGS / f"{name}.log")


# --- nginx: TLS, proxy only --------------------------------------------------------------------------


def web_keepalive_argument() -> list[str]:
    """gunicorn's ``--keep-alive`` for the web workers (see ``WEB_KEEPALIVE_SECONDS``)."""
    return ["--keep-alive", str(WEB_KEEPALIVE_SECONDS)]


def nginx_conf() -> str:
    temp = STATE / "nginx"
    # Three failed attempts before a worker is left out for 5 s: with one, a single reset
    # connection sent the whole site to the other worker for 5 s.
    upstreams = "".join(
        f"        server 127.0.0.1:{PORTS[name]} max_fails=3 fail_timeout=5s;\n" for name in WEB
    )
    user = "user nobody nogroup;\n" if IS_ROOT else ""
    return f"""# Generated by scripts/prod_local.py; do not edit.
{user}worker_processes 1;
pid {RUN / "nginx.pid"};
error_log {LOGS / "nginx-error.log"} warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log {LOGS / "nginx-access.log"};
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    server_tokens off;
    types {{ }}
    default_type application/octet-stream;
    upstream ilonet_web {{
{upstreams}        keepalive 16;
        keepalive_timeout {UPSTREAM_KEEPALIVE_SECONDS}s;
    }}
    # One counter for the whole site: the requests being served or waiting for a worker.
    limit_conn_zone $server_name zone=ilonet_in_flight:1m;
    server {{
        listen 127.0.0.1:{PORTS["https"]} ssl http2;
        server_name 127.0.0.1 localhost;
        ssl_certificate {TLS / "server.crt"};
        ssl_certificate_key {TLS / "server.key"};
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_prefer_server_ciphers off;
        ssl_session_cache shared:SSL:1m;
        # The largest upload (ILONET_UPLOAD_MAX_BYTES) plus the multipart form around it.
        client_max_body_size {UPLOAD_MAX_BYTES + 1024 * 1024};
        error_page 429 @too_busy;
        location @too_busy {{
            default_type text/plain;
            add_header Retry-After {RETRY_AFTER_SECONDS} always;
            add_header Cache-Control "no-store" always;
            return 429 "{TOO_BUSY_TEXT}";
        }}
        location / {{
            limit_conn ilonet_in_flight {MAX_IN_FLIGHT};
            limit_conn_status 429;
            limit_conn_log_level warn;
            proxy_pass http://ilonet_web;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Host "";
            proxy_read_timeout 120s;
            proxy_next_upstream error timeout http_502;
        }}
    }}
}}
"""


def ensure_nginx() -> None:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        raise Failure("nginx not found (bash scripts/system-deps.sh installs nginx-light)")
    temp = STATE / "nginx"
    for directory in (RUN, LOGS):
        directory.mkdir(parents=True, exist_ok=True)
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / sub).mkdir(parents=True, exist_ok=True)
        if IS_ROOT:
            shutil.chown(temp / sub, "nobody", "nogroup")
    conf = STATE / "nginx.conf"
    conf.write_text(nginx_conf())
    check = subprocess.run(
        [nginx, "-t", "-q", "-p", str(temp), "-c", str(conf)], capture_output=True, text=True
    )
    if check.returncode:
        raise Failure(f"nginx -t: {check.stderr}")
    if not running_pid("nginx-master"):
        log(f"starting nginx on https://127.0.0.1:{PORTS['https']}")
        spawn("nginx-master", [nginx, "-p", str(temp), "-c", str(conf)], os.environ.copy())
        wait_for("nginx", lambda: port_open(PORTS["https"]), 30, LOGS / "nginx-error.log")


# --- checks ----------------------------------------------------------------------------------------


def https_get(path: str, timeout: float = 10.0, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET through nginx, verifying the server's certificate against the local CA."""
    context = ssl.create_default_context(cafile=str(TLS / "ca.crt"))
    request = urllib.request.Request(url() + path, headers=headers or {})  # noqa: S310  (https only)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:  # noqa: S310
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _healthy() -> bool:
    try:
        return https_get("/healthz", timeout=5)[0] == 200
    except OSError:
        return False


# --- commands ----------------------------------------------------------------------------------------


def start(seed: bool) -> None:
    for directory in (
        STATE,
        RUN,
        LOGS,
        STATE / "data",
        STATE / "upload-tmp",
        STATE / "keys" / "personal-data",
    ):
        directory.mkdir(parents=True, exist_ok=True)
    os.chmod(STATE / "keys", 0o700)
    _ensure_env_file()
    stored = _read_env_file()
    ensure_tls()
    ensure_clamd()
    env = process_env()
    ensure_s3(env)
    ensure_smtp(env)
    ensure_primary(stored)
    ensure_replica(stored)
    log("migrate, cache table, static files")
    manage("migrate", "--noinput")
    manage("createcachetable")
    ensure_static()
    seeded = STATE / "seeded"
    if seed and not seeded.exists():
        log("seeding demo data (manage.py seed_demo)")
        manage("seed_demo", "--allow-production")
        seeded.touch()
    ensure_app(env)
    ensure_nginx()
    wait_for("https://…/healthz through nginx", _healthy, 90, LOGS / "web1.log")
    print(f"ILOnet (production settings) on {url()}  (CA: {TLS / 'ca.crt'})")
    print("  status: make prod-local-status    stop: make prod-local-stop")
    print(f'  settings for manage.py, locust, tests: eval "$({PY} scripts/prod_local.py env)"')


def stop() -> None:
    for name in ("nginx-master", *WEB, "worker", "scheduler", "s3", "smtp"):
        stop_pid(name)
    for which in ("replica", "primary"):
        if (_pg_data(which) / "PG_VERSION").exists():
            _pg_stop(which)
    if (STATE / "clamav").exists():
        _clamav("stop")
    log("stopped")


def status() -> int:
    rows = []
    for name in ("nginx-master", *WEB, "worker", "scheduler", "s3", "smtp"):
        pid = running_pid(name)
        rows.append((name, pid is not None, f"pid {pid}" if pid else "not running"))
    for which in ("primary", "replica"):
        up = (_pg_data(which) / "PG_VERSION").exists() and _pg_running(which)
        rows.append((f"pg-{which}", up, f"127.0.0.1:{PORTS[f'pg-{which}']}" if up else "not running"))
    clamd = _clamav("status").returncode == 0
    rows.append(("clamd", clamd, "answers PING" if clamd else "not running"))
    healthy = _healthy() if (TLS / "ca.crt").exists() else False
    rows.append(("https", healthy, f"{url()}/healthz 200" if healthy else "no answer"))
    for name, up, detail in rows:
        print(f"{name:<13} {'up  ' if up else 'DOWN'}  {detail}")
    return 0 if all(up for _name, up, _detail in rows) else 3


def print_env() -> None:
    for key, value in sorted(process_env().items()):
        if key.startswith(
            ("ILONET_", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PROMETHEUS_", "PROD_LOCAL_")
        ):
            quoted = value.replace("'", "'\"'\"'")
            print(f"export {key}='{quoted}'")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "command",
        choices=["start", "stop", "status", "env", "url", "destroy", "statements", "statements-reset"],
    )
    parser.add_argument("--no-seed", action="store_true", help="do not load the demo data on the first start")
    args = parser.parse_args(argv)
    if args.command == "start":
        try:
            start(seed=not args.no_seed)
        except BaseException:
            log(f"start failed; logs in {LOGS}; `make prod-local-stop` stops what did start")
            raise
    elif args.command == "stop":
        stop()
    elif args.command == "status":
        return status()
    elif args.command == "env":
        print_env()
    elif args.command == "url":
        print(url())
    elif args.command == "statements":
        print(statements())
    elif args.command == "statements-reset":
        statements_reset()
    elif args.command == "destroy":
        stop()
        shutil.rmtree(STATE, ignore_errors=True)
        log(f"removed {STATE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
