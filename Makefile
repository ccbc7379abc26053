# ictmerge: `make demo` serves the Latvian reform with demo data; `make test` runs every gate.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
SEED ?= 1
PYTEST_ARGS ?=
# axe-core for the accessibility walk (tests/browser/test_walk.py), from the npm registry.
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js

.PHONY: demo test lint typecheck checks pytest bench bench-quick bench-load messages install clean serve security fuzz

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Translations are compiled from the .po files in the repository (no gettext needed).
messages: $(STAMP)
	$(BIN)/python manage.py compile_translations

demo: $(STAMP) messages
	$(BIN)/ictmerge migrate
	$(BIN)/ictmerge reform load lv-2021 --if-missing
	$(BIN)/ictmerge demo load --reform lv-2021 --seed $(SEED)
	$(BIN)/ictmerge user demo-logins
	@echo "Planning servers and rooms of every county (the national view's after columns)"
	$(BIN)/ictmerge plan run --all --format table >/dev/null
	$(BIN)/ictmerge actions plan-all --reform lv-2021 --background
	@echo "Open http://$(HOST):$(PORT)/ (a worker runs background jobs beside the server)"
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/ictmerge worker & worker=$$!; \
	  $(BIN)/ictmerge serve --host $(HOST) --port $(PORT)

serve: $(STAMP) messages
	$(BIN)/ictmerge migrate
	$(BIN)/ictmerge serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src

checks: $(STAMP) messages
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

$(AXE): tests/browser/axe/package-lock.json
	npm ci --prefix tests/browser/axe --no-audit --no-fund --silent
	touch $(AXE)

pytest: $(STAMP) messages $(AXE)
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test: lint typecheck checks pytest

# The import benchmark loads 1,000,000 rows into SQLite (about 5 minutes), and also into
# PostgreSQL against COPY when PG_URL (or DATABASE_URL) is a postgres:// URL.
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# The same benchmarks on smaller inputs (100,000 import rows, demo scales 1 and 2, fewer
# published instances, shorter solver limits): a smoke test that every one still runs.
bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run_all.py --quick

# 50 signed-in users for 60 s against gunicorn with the Latvian demo, on SQLite and,
# when PG_URL is set (e.g. postgres://postgres@127.0.0.1:55432/ictmerge_load), on PostgreSQL.
bench-load: $(STAMP) messages
	status=0; \
	  env -u DATABASE_URL $(BIN)/python benchmarks/bench_load.py || status=1; \
	  if [ -n "$$PG_URL" ]; then DATABASE_URL="$$PG_URL" $(BIN)/python benchmarks/bench_load.py || status=1; fi; \
	  exit $$status

# bandit on src (bandit.yaml) and pip-audit of requirements.lock (NOT AUDITED when offline).
security: $(STAMP)
	bash scripts/security.sh

# schemathesis against the OpenAPI schema of a live server with scratch data (~5 min).
fuzz: $(STAMP) messages
	bash scripts/api_fuzz.sh

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
