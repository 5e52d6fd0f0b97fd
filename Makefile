# ILOnet: two commands, `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test test-hours faults fuzz setup migrate demo lint check-deploy security sbom system-deps totp messages lock bench load clean \
	prod-local prod-local-stop prod-local-status prod-local-test

$(STAMP): requirements-dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "ILOnet needs Python 3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(STAMP)

setup: $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py seed_demo

## make run: set up, migrate the embedded SQLite database, load demo data, serve on :8000
## with the worker and the scheduler of background jobs beside it (Ctrl-C stops all three)
PORT ?= 8000
# Links in mail (invitations) and the demo's invitation link point at the port served.
run demo: export ILONET_SITE_URL ?= http://127.0.0.1:$(PORT)
run: demo
	@echo "ILOnet on http://127.0.0.1:$(PORT), with its worker and scheduler  (stop all with Ctrl-C)"
	$(PY) scripts/run_dev.py --port $(PORT)

## make test: set up and run the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set)
test: $(STAMP) system-deps lint
	$(PY) -m pytest $(PYTEST_ARGS)

## make test-hours: the suite (but the browser's) four times, each test started at one moment in
## Brussels: half past midnight, half past eleven at night, half past eleven on New Year's Eve,
## half past midnight on New Year's Day (tests/shifted_clock.py). The suite must pass whatever the
## hour and the day CI runs it at. TEST_HOURS=23:59:59.700000 starts every test just before
## midnight: it finds tests that read the day twice, but which of them run across it is timing.
TEST_HOURS ?= 00:30:00.000000 23:30:00.000000 12-31_23:30:00.000000 01-01_00:30:00.000000
test-hours: $(STAMP)
	@for at in $(TEST_HOURS); do at=$$(echo $$at | tr _ ' '); echo "== every test starting at $$at (Europe/Brussels)"; \
	  ILONET_TEST_CLOCK_AT=$$at $(PY) -m pytest -p no:cacheprovider -p tests.shifted_clock -q \
	    --ignore=tests/browser $(PYTEST_ARGS) || exit 1; done

## make faults: every fault test (tests/faults, docs/operations.md "Faults"), the long ones too
## (a 100,000-line import killed five times; backup and restore of the demo data into a fresh
## cluster). make test runs the others. The disk-full test mounts a tmpfs: run as root.
faults: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider tests/faults -m "faults or faults_long" -v -s $(PYTEST_ARGS)

## make fuzz: a longer random campaign of the API fuzz test (every operation, every role);
## the seed is printed, and reused with ILONET_FUZZ_SEED=<seed> make fuzz
FUZZ_EXAMPLES ?= 100
fuzz: $(STAMP)
	@seed="$${ILONET_FUZZ_SEED:-$$($(PY) -c 'import random; print(random.randrange(2**32))')}"; \
	echo "fuzz seed: $$seed (repeat with ILONET_FUZZ_SEED=$$seed make fuzz)"; \
	ILONET_FUZZ_SEED=$$seed ILONET_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	  $(PY) -m pytest -p no:cacheprovider tests/test_api_fuzz.py -q --tb=short $(PYTEST_ARGS); \
	status=$$?; echo "fuzz seed was: $$seed"; exit $$status

## system packages the tests need (Chromium, PostgreSQL, ClamAV, libmagic); installs only what is missing
system-deps:
	@if [ "$$(id -u)" = "0" ] || [ -n "$$CI" ]; then bash scripts/system-deps.sh; \
	else echo "Not root: the tests need Chromium and ClamAV (sudo bash scripts/system-deps.sh)"; fi

## lint: ruff (lint and format), the import layers (import-linter) and types (mypy); part of make test
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	PYTHONPATH=src $(VENV)/bin/lint-imports --no-cache
	PY=$(PY) bash scripts/typecheck.sh

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=ilonet.settings.production \
	ILONET_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ILONET_ALLOWED_HOSTS=ilonet.example.eu \
	ILONET_ENCRYPTION_KEYS="$$(PYTHONPATH=src $(PY) -c 'from ilonet.shared.keyring import new_key_spec; print(new_key_spec())')" \
	ILONET_AUDIT_CHAIN_KEY="$$(PYTHONPATH=src $(PY) -c 'from ilonet.audit.keys import new_chain_key_spec; print(new_chain_key_spec())')" \
	ILONET_AUDIT_SIGNING_KEY="$$(PYTHONPATH=src $(PY) -c 'from ilonet.audit.keys import new_signing_key_text; print(new_signing_key_text())')" \
	ILONET_CLAMAV_SOCKET=/run/clamav/clamd.ctl \
	ILONET_PERSONAL_DATA_INDEX_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(32))')" \
	$(PY) manage.py check --deploy --fail-level WARNING

## make sbom: the CycloneDX SBOM of requirements.lock into build/sbom.cdx.json, checked against the lock
sbom: $(STAMP)
	$(PY) scripts/sbom.py --output build/sbom.cdx.json

## make security: the security battery (docs/security.md): bandit (a high finding fails; the
## medium and low ones: `.venv/bin/bandit -c pyproject.toml -r src`), the SBOM, the deployment
## check with production settings, then every test marked `security` (static checks, hash-pinned
## locks, access matrix, API fuzzing, uploads, audit chain, retention canaries). The security
## tests are also part of make test.
security: $(STAMP) sbom check-deploy
	$(PY) -m bandit -c pyproject.toml -r src -q --severity-level high
	$(PY) -m pytest -m security -p no:cacheprovider $(PYTEST_ARGS)

totp: $(STAMP)
	@$(PY) manage.py demo_totp "$(EMAIL)"

## translations: extract Dutch and compile Dutch and English (needs GNU gettext; the compiled .mo
## files are committed). The English catalogue only rewords allauth's messages and is kept by hand.
messages: $(STAMP)
	cd src/ilonet && ../../$(PY) ../../manage.py makemessages -l nl --no-obsolete \
	  --ignore 'static/*' && ../../$(PY) ../../manage.py compilemessages -l nl -l en

## regenerate the hash-pinned lock files from pyproject.toml
lock: $(STAMP)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --no-header -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --no-header -o requirements-dev.lock

## make prod-local: the production topology on loopback (docs/deployment.md): nginx with TLS from a
## local CA, two gunicorn web workers, the task worker, the scheduler, PostgreSQL primary and
## streaming replica, an S3 server, clamd; state, secrets and logs under var/prod-local.
## PROD_LOCAL_ARGS=--no-seed skips the demo data on the first start.
prod-local: $(STAMP)
	@if [ "$$(id -u)" = "0" ] || [ -n "$$CI" ]; then bash scripts/system-deps.sh >/dev/null; fi
	$(PY) scripts/prod_local.py start $(PROD_LOCAL_ARGS)

prod-local-stop:
	$(PY) scripts/prod_local.py stop

prod-local-status:
	@$(PY) scripts/prod_local.py status

## make prod-local-test: start a second copy (ports 18420-18429, var/prod-local-test), check it
## through nginx and TLS, stop and delete it (tests/test_prod_local.py; several minutes)
prod-local-test: $(STAMP)
	$(PY) -m pytest -m prod_local tests/test_prod_local.py $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

## make load: load by role with locust on loopback (bench/load.py): a short run by default (30 users,
## 3 minutes, then a 300-user spike); the issue's full run:
##   make load LOAD_ARGS="--users 100 --duration 1800 --write-docs"
## against make prod-local: LOAD_ARGS="--url https://127.0.0.1:<port> --env-file <its env file>"
load: $(STAMP)
	$(PY) bench/load.py $(LOAD_ARGS)

clean:
	rm -rf var .pytest_cache .ruff_cache
