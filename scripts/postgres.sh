#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for running ILOnet's tests against PostgreSQL.
#
#   scripts/postgres.sh start    initdb (first time), start, create role+db; idempotent
#   scripts/postgres.sh stop     stop the cluster (ok if not running)
#   scripts/postgres.sh url      print the DATABASE_URL for the cluster
#   scripts/postgres.sh status   exit 0 if the cluster accepts connections
#   scripts/postgres.sh destroy  stop and delete the data directory
#
# Typical use:
#   scripts/postgres.sh start
#   DATABASE_URL=$(scripts/postgres.sh url) make test
#   scripts/postgres.sh stop
#
# Environment:
#   PGPORT         TCP port on 127.0.0.1 (default 54329)
#   ILONET_PG_DIR  cluster directory (default $PWD/.pg): data/, run/ (socket), postgres.log
#
# The cluster is tuned for speed, not durability (fsync, synchronous_commit and
# full_page_writes are off): never put data you care about in it.  It listens
# on 127.0.0.1 only.  Role "ilonet" (password "ilonet", CREATEDB so that
# pytest-django can create test_ilonet) owns database "ilonet".
#
# PostgreSQL refuses to run as root: when run as root, the server runs as the
# "postgres" OS user (created as a system user if missing).
set -euo pipefail

PORT="${PGPORT:-54329}"
DB_USER=ilonet
DB_PASSWORD=ilonet
DB_NAME=ilonet

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

case "$PORT" in ''|*[!0-9]*) die "PGPORT must be a number, got '$PORT'" ;; esac

url() { printf 'postgres://%s:%s@127.0.0.1:%s/%s\n' "$DB_USER" "$DB_PASSWORD" "$PORT" "$DB_NAME"; }

# --- locate the server binaries ----------------------------------------------
find_bindir() {
    local d
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null || true)
        if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"; return 0
        fi
    fi
    # Debian/Ubuntu: /usr/lib/postgresql/<major>/bin; take the newest.
    d=$(for b in /usr/lib/postgresql/*/bin; do
            [ -x "$b/initdb" ] && [ -x "$b/pg_ctl" ] && echo "$b"
        done | sort -V | tail -n 1 || true)
    if [ -n "$d" ]; then
        echo "$d"; return 0
    fi
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"; return 0
    fi
    return 1
}

# --- who runs the server ----------------------------------------------------
IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1
PG_OS_USER=postgres

# Run a command as the OS user that owns the cluster.
as_pg() {
    if [ "$IS_ROOT" -eq 1 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u "$PG_OS_USER" -- "$@"
        elif command -v setpriv >/dev/null 2>&1; then
            setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups -- "$@"
        else
            su -s /bin/sh "$PG_OS_USER" -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

ensure_pg_os_user() {
    [ "$IS_ROOT" -eq 1 ] || return 0
    id -u "$PG_OS_USER" >/dev/null 2>&1 && return 0
    log "creating system user '$PG_OS_USER'"
    if command -v useradd >/dev/null 2>&1; then
        useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
            --shell /bin/bash "$PG_OS_USER"
    else
        adduser --system --group --home /var/lib/postgresql --no-create-home \
            --shell /bin/bash "$PG_OS_USER"
    fi
}

# --- where the cluster lives ------------------------------------------------
PG_DIR_REQUESTED="${ILONET_PG_DIR:-$PWD/.pg}"
case "$PG_DIR_REQUESTED" in /*) ;; *) PG_DIR_REQUESTED="$PWD/$PG_DIR_REQUESTED" ;; esac

# As root, the postgres user must be able to reach the cluster directory: every
# existing ancestor needs search (x) permission for it.  If it cannot (e.g. the
# checkout is under /root), fall back to a deterministic directory under /tmp
# so that start, stop and status all agree on it.
resolve_pg_dir() {
    PG_DIR="$PG_DIR_REQUESTED"
    [ "$IS_ROOT" -eq 1 ] || return 0
    id -u "$PG_OS_USER" >/dev/null 2>&1 || return 0
    local probe="$PG_DIR"
    while [ ! -e "$probe" ]; do probe=$(dirname "$probe"); done
    if ! as_pg test -x "$probe" 2>/dev/null; then
        local tag
        tag=$(printf '%s' "$PG_DIR_REQUESTED" | cksum | cut -d' ' -f1)
        PG_DIR="${TMPDIR:-/tmp}/ilonet-pg-$tag"
        log "user '$PG_OS_USER' cannot access $PG_DIR_REQUESTED; using $PG_DIR instead"
    fi
}

set_paths() {
    DATA="$PG_DIR/data"
    SOCK="$PG_DIR/run"
    LOGFILE="$PG_DIR/postgres.log"
}

BINDIR=""
need_bindir() {
    BINDIR=$(find_bindir) || die "PostgreSQL server binaries (initdb, pg_ctl) not found; run scripts/system-deps.sh (apt-get install postgresql)"
}

is_running() {
    [ -f "$DATA/PG_VERSION" ] || return 1
    as_pg "$BINDIR/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

# A crashed/killed postmaster can linger as a zombie until PID 1 reaps it (slow
# in some containers); pg_ctl and postgres both treat that as "still running".
# Wait for it to disappear before deciding anything.
wait_for_zombie_postmaster() {
    local pid state i
    pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)
    case "$pid" in ''|*[!0-9]*) return 0 ;; esac
    for i in $(seq 1 60); do
        state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
        case "$state" in Z*) ;; *) return 0 ;; esac
        [ "$i" -eq 1 ] && log "waiting for defunct postmaster $pid to be reaped"
        sleep 0.5
    done
    die "stale postmaster $pid is a zombie; remove $DATA/postmaster.pid once it is gone"
}

# psql as the superuser over the private Unix socket (trust auth); SQL on stdin.
psql_admin() {
    "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres -d postgres -f -
}

sql_quote() { printf "'%s'" "${1//\'/\'\'}"; }

write_conf() {
    # Regenerated on every start so that PGPORT / directory changes apply.
    local conf="$DATA/ilonet.conf" tmp
    tmp=$(mktemp)
    cat >"$tmp" <<CONF
# Generated by scripts/postgres.sh on every start; do not edit.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = $(sql_quote "$SOCK")
unix_socket_permissions = 0777
max_connections = 100
# Test speed over durability: this cluster is disposable.
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
checkpoint_timeout = 30min
max_wal_size = 1GB
logging_collector = off
log_min_messages = warning
log_min_error_statement = error
log_connections = off
log_disconnections = off
CONF
    install -m 0600 "$tmp" "$conf"
    rm -f "$tmp"
    [ "$IS_ROOT" -eq 1 ] && chown "$PG_OS_USER:" "$conf"
    return 0
}

init_cluster() {
    log "initdb in $DATA ($("$BINDIR/postgres" --version))"
    mkdir -p "$PG_DIR"
    if [ "$IS_ROOT" -eq 1 ]; then
        chown "$PG_OS_USER:" "$PG_DIR"
    fi
    chmod 0755 "$PG_DIR"
    as_pg mkdir -p -m 0700 "$DATA"
    local locale=C
    if locale -a 2>/dev/null | grep -qix 'C.utf8'; then locale=C.UTF-8; fi
    # initdb refuses a non-empty data dir: if a previous initdb died half way, clean up.
    if [ -n "$(ls -A "$DATA" 2>/dev/null)" ]; then
        log "removing incomplete data directory $DATA"
        find "$DATA" -mindepth 1 -delete
    fi
    (cd "$PG_DIR" && as_pg "$BINDIR/initdb" -D "$DATA" -U postgres \
        --encoding=UTF8 --locale="$locale" \
        --auth-local=trust --auth-host=scram-sha-256 --no-instructions \
        >"$PG_DIR/initdb.log" 2>&1) || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    printf "\ninclude_if_exists = 'ilonet.conf'\n" | as_pg tee -a "$DATA/postgresql.conf" >/dev/null
}

start() {
    need_bindir
    ensure_pg_os_user
    resolve_pg_dir
    set_paths
    if [ ! -f "$DATA/PG_VERSION" ]; then
        init_cluster
    fi
    if [ "$IS_ROOT" -eq 1 ]; then
        chown "$PG_OS_USER:" "$PG_DIR"
    fi
    as_pg mkdir -p -m 0755 "$SOCK"
    wait_for_zombie_postmaster
    if is_running; then
        log "already running (data $DATA)"
    else
        write_conf
        as_pg touch "$LOGFILE" 2>/dev/null || true
        log "starting on 127.0.0.1:$PORT (data $DATA, log $LOGFILE)"
        if ! (cd "$PG_DIR" && as_pg "$BINDIR/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 start >/dev/null); then
            tail -n 40 "$LOGFILE" >&2 || true
            die "pg_ctl start failed (is port $PORT in use? set PGPORT)"
        fi
    fi
    local i
    for i in $(seq 1 60); do
        if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 2; then
            break
        fi
        if [ "$i" -eq 60 ]; then
            tail -n 40 "$LOGFILE" >&2 || true
            die "server did not become ready on 127.0.0.1:$PORT (running on another port? try '$0 stop' first)"
        fi
        sleep 0.5
    done
    psql_admin <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
    ELSE
        ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
    END IF;
END
\$\$;
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_USER'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME')
\gexec
SQL
    # Fail here, not in pytest, if the TCP + password path does not work.
    PGPASSWORD="$DB_PASSWORD" PGCONNECT_TIMEOUT=10 "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d "$DB_NAME" -c 'SELECT 1' >/dev/null \
        || die "cannot connect as $DB_USER to 127.0.0.1:$PORT/$DB_NAME"
    log "ready: $(url)"
}

stop() {
    need_bindir
    resolve_pg_dir
    set_paths
    if is_running; then
        log "stopping (data $DATA)"
        (cd "$PG_DIR" && as_pg "$BINDIR/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null) \
            || (cd "$PG_DIR" && as_pg "$BINDIR/pg_ctl" -D "$DATA" -m immediate -w -t 30 stop >/dev/null)
    else
        log "not running (data $DATA)"
    fi
}

status() {
    need_bindir
    resolve_pg_dir
    set_paths
    if is_running && "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 2; then
        log "running on 127.0.0.1:$PORT (data $DATA)"
        return 0
    fi
    log "not running on 127.0.0.1:$PORT (data $DATA)"
    return 3
}

destroy() {
    stop
    if [ -d "$PG_DIR" ]; then
        log "removing $PG_DIR"
        rm -rf -- "$PG_DIR"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    status) status ;;
    destroy) destroy ;;
    *) echo "usage: $0 start|stop|url|status|destroy" >&2; exit 2 ;;
esac
