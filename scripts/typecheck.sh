#!/usr/bin/env bash
# mypy (with django-stubs) over the policy core, the audit trail, the API base, the shared
# building blocks (search too) and every services and selectors module of every app
# (run by `make test`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PY:-.venv/bin/python}
mapfile -t files < <( {
  find src/ilonet/policy src/ilonet/audit src/ilonet/api src/ilonet/shared src/ilonet/jobs src/ilonet/search src/ilonet/notifications -name '*.py' \
    -not -path '*/tests/*' -not -path '*/migrations/*' -not -path '*/management/*'
  find src/ilonet -name '*.py' -not -path '*/tests/*' \
    \( -path '*/services.py' -o -path '*/services/*' -o -path '*/selectors.py' -o -path '*/selectors/*' \)
} | sort -u )
exec "$PY" -m mypy "${files[@]}"
