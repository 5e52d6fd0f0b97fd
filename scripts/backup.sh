#!/usr/bin/env bash
# Back up ILOnet's database, file store and audit checkpoints into a new directory (scripts/backup.py).
#   DATABASE_URL=postgres://… scripts/backup.sh /backups/ilonet-$(date +%F)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
exec "${PY:-$here/.venv/bin/python}" "$here/scripts/backup.py" backup "$@"
