#!/usr/bin/env bash
# Install the system (Debian/Ubuntu apt) packages ILOnet's test suite needs,
# but only the ones that are missing.  Safe to run repeatedly.
#
#   scripts/system-deps.sh           install what is missing (used by `make system-deps` and CI)
#   scripts/system-deps.sh --check   only report; exit 1 if something is missing
#
# Needed:
#   chromium    headless browser for the Playwright tests in tests/browser/
#               (Playwright never downloads its own browser here)
#   postgresql  initdb/pg_ctl/postgres, used by scripts/postgres.sh for the
#               PostgreSQL test run (skipped if some PostgreSQL server is present)
#   clamav-daemon  clamd, the malware scanner of uploads; scripts/clamav.sh runs a private
#               one for the tests (no signature download: it builds its own test signature)
#   libmagic1   libmagic, which python-magic uses to name file types
#   nginx-light nginx, the TLS front of the production topology on loopback (make prod-local,
#               scripts/prod_local.py); any nginx already on the machine will do
set -euo pipefail

check_only=0
case "${1:-}" in
    "") ;;
    --check) check_only=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

log() { printf 'system-deps: %s\n' "$*"; }

have_chromium() {
    [ -x "${ILONET_CHROMIUM:-/usr/bin/chromium}" ] || [ -x /usr/bin/chromium ]
}

have_postgres_server() {
    local bindir
    if command -v pg_config >/dev/null 2>&1; then
        bindir=$(pg_config --bindir 2>/dev/null || true)
        if [ -n "$bindir" ] && [ -x "$bindir/initdb" ] && [ -x "$bindir/pg_ctl" ]; then
            return 0
        fi
    fi
    for bindir in /usr/lib/postgresql/*/bin; do
        if [ -x "$bindir/initdb" ] && [ -x "$bindir/pg_ctl" ] && [ -x "$bindir/postgres" ]; then
            return 0
        fi
    done
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1
}

have_clamd() {
    command -v clamd >/dev/null 2>&1 || [ -x /usr/sbin/clamd ]
}

have_nginx() {
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]
}

have_libmagic() {
    ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1' || ls /usr/lib/*/libmagic.so.1 >/dev/null 2>&1
}

missing=()
if have_chromium; then
    log "chromium: present ($("${ILONET_CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null || echo '?'))"
else
    missing+=(chromium)
fi
if have_postgres_server; then
    log "postgresql: present"
else
    missing+=(postgresql)
fi

if have_clamd; then
    log "clamav-daemon: present"
else
    missing+=(clamav-daemon)
fi
if have_libmagic; then
    log "libmagic1: present"
else
    missing+=(libmagic1)
fi
if have_nginx; then
    log "nginx: present"
else
    missing+=(nginx-light)
fi

if [ "${#missing[@]}" -eq 0 ]; then
    log "nothing to install"
    exit 0
fi

log "missing: ${missing[*]}"
if [ "$check_only" -eq 1 ]; then
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    log "apt-get not found; install these packages with your system's package manager: ${missing[*]}" >&2
    exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        log "not root and sudo is not available; run as root:" >&2
        printf '  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-q -o Dpkg::Use-Pty=0 -o Acquire::Retries=3)

# Retry the network-bound steps a couple of times: a transient mirror hiccup
# should not fail a 30-minute CI run.
retry() {
    local n=1 max=3
    until "$@"; do
        if [ "$n" -ge "$max" ]; then
            log "failed after $max attempts: $*" >&2
            return 1
        fi
        log "attempt $n failed, retrying in $((n * 5))s: $*" >&2
        sleep $((n * 5))
        n=$((n + 1))
    done
}

log "apt-get update"
retry "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update
log "apt-get install ${missing[*]}"
retry "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}"

# Verify, so a silently broken install fails here and not deep inside pytest.
status=0
for pkg in "${missing[@]}"; do
    case "$pkg" in
        chromium)
            if have_chromium; then
                log "chromium: installed ($(/usr/bin/chromium --version 2>/dev/null || echo '?'))"
            else
                log "chromium: still missing after install" >&2; status=1
            fi ;;
        postgresql)
            if have_postgres_server; then
                log "postgresql: installed"
            else
                log "postgresql: initdb/pg_ctl still missing after install" >&2; status=1
            fi ;;
        clamav-daemon)
            if have_clamd; then
                log "clamav-daemon: installed"
            else
                log "clamav-daemon: clamd still missing after install" >&2; status=1
            fi ;;
        nginx-light)
            if have_nginx; then
                log "nginx-light: installed"
            else
                log "nginx-light: nginx still missing after install" >&2; status=1
            fi ;;
        libmagic1)
            if have_libmagic; then
                log "libmagic1: installed"
            else
                log "libmagic1: still missing after install" >&2; status=1
            fi ;;
    esac
done
exit "$status"
