#!/usr/bin/env bash
# Restore a backup of scripts/backup.sh into a fresh database and an empty file store, and check
# it (table checksums, object hashes, the audit chain); exits non-zero on any difference.
#   DATABASE_URL=postgres://…/fresh scripts/restore.sh /backups/ilonet-2026-12-03
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
exec "${PY:-$here/.venv/bin/python}" "$here/scripts/backup.py" restore "$@"
