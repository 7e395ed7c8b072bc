# danvan: `make demo` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PIP := $(BIN)/python -m pip
PIP_FLAGS := --quiet --disable-pip-version-check
export DANVAN_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test lint format check-migrations openapi check-openapi fuzz bench bench-reports load audit messages lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install $(PIP_FLAGS) -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install $(PIP_FLAGS) -c constraints.txt -e '.[dev]'
	@touch $@

# The browser libraries (Bootstrap, htmx, ECharts), exactly as package-lock.json pins them.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

demo: $(VENV)/.installed node_modules/.installed
	$(BIN)/danvan migrate --noinput
	$(BIN)/danvan load_areas
	$(BIN)/danvan load_demo
	$(BIN)/danvan sweep_jobs
	@# The task worker builds reports and large imports in the background; it stops with the server.
	$(BIN)/danvan db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/danvan runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev node_modules/.installed lint check-migrations check-openapi
	$(BIN)/pytest -n 2 --dist loadfile
	$(BIN)/python tests/contract/fuzz.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: $(VENV)/.installed
	$(BIN)/danvan makemigrations --check --dry-run

# The committed API schema: regenerate it after changing the API.
openapi: $(VENV)/.installed
	$(BIN)/danvan spectacular --lang en --validate --fail-on-warn --file openapi.yaml

# Fail when the schema has warnings or differs from the committed openapi.yaml.
check-openapi: $(VENV)/.installed
	@tmp=$$(mktemp); \
	if ! $(BIN)/danvan spectacular --lang en --validate --fail-on-warn --file $$tmp; then \
		rm -f $$tmp; echo "The API schema has errors or warnings (above)." >&2; exit 1; fi; \
	if ! diff -u openapi.yaml $$tmp; then \
		rm -f $$tmp; echo "openapi.yaml is out of date: run make openapi" >&2; exit 1; fi; \
	rm -f $$tmp

# schemathesis against the live app with real tokens (SQLite, or PostgreSQL per DATABASE_URL).
fuzz: $(VENV)/.installed-dev
	$(BIN)/python tests/contract/fuzz.py

# The national benchmark on PostgreSQL (BENCH_DATABASE_URL, default the local server):
# BENCH_SCALE=1 is 1,000,000 initiatives; CI runs a tiny scale only to prove it works.
BENCH_SCALE ?= 1
BENCH_REPEAT ?= 30
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run --scale $(BENCH_SCALE) --repeat $(BENCH_REPEAT)

# The Word-report reader on its corpus (tests/imports/word_reports): precision and recall of the
# figures and of the table rows, and the time to read a 40-page report of 500 models.
bench-reports: $(VENV)/.installed-dev
	$(BIN)/python -m tests.imports.word_reports.bench

# Load: gunicorn on the national bench database (make bench first), a locust soak of LOAD_USERS
# users for LOAD_TIME; reports requests/s, p50/p95/p99, errors and memory (var/load/report.md).
LOAD_USERS ?= 50
LOAD_TIME ?= 10m
# LOAD_REPLICA=1: serve from a copy of the bench database on a primary with a streaming replica
# made here (initdb, pg_basebackup) and report what the replica takes off the primary.
LOAD_REPLICA ?=
load: $(VENV)/.installed-dev
	$(BIN)/python -m bench.load.run --users $(LOAD_USERS) --time $(LOAD_TIME) $(if $(LOAD_REPLICA),--replica)

# Known vulnerabilities of the pinned dependencies (pip-audit): a finding fails; a service
# that cannot be reached is said plainly (DANVAN_AUDIT_STRICT=1 makes that fail too).
audit: $(VENV)/.installed-dev
	$(BIN)/python -m tools.audit --requirements constraints.txt

# Refresh the message catalogues from the code, then compile them (needs GNU gettext).
messages: $(VENV)/.installed
	$(BIN)/danvan makemessages -l vi -l ar -l en --ignore=.venv --ignore=tests --ignore=var --no-obsolete
	$(BIN)/danvan compilemessages --ignore=.venv

# Rewrite constraints.txt from a fresh resolution of pyproject.toml's ranges.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install $(PIP_FLAGS) -e '.[dev]'
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^danvan' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
