# Schakel: the two set-up commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# NL Design System CSS, htmx and axe-core come from the npm registry at build time (package-lock.json).
NODE_STAMP := node_modules/.installed-stamp
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# One pytest worker per core (pytest-xdist); each has its own test database.
TEST_WORKERS ?= auto
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO := DJANGO_SETTINGS_MODULE=schakel.config.settings.demo
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends

.PHONY: help demo test frontend lint format typecheck checks messages catalogues system-deps clean lock bench-matching bench-audit bench-lists bench

help:
	@echo "make demo   build the environment, load the fictional demo region, serve on 127.0.0.1:8000"
	@echo "make test   build the environment and run every check and test (SQLite, and PostgreSQL when reachable)"

# The versions come from the hashed lock files (make lock writes them from pyproject.toml).
$(STAMP): pyproject.toml requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Schakel needs Python 3.11 or newer" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Pin every runtime and development dependency, with hashes (pip-tools, in a throw-away venv).
LOCK_FLAGS := --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe
lock:
	$(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet pip-tools
	var/lock-venv/bin/pip-compile $(LOCK_FLAGS) --output-file requirements/runtime.txt pyproject.toml
	var/lock-venv/bin/pip-compile $(LOCK_FLAGS) --extra dev --output-file requirements/dev.txt pyproject.toml
	rm -rf var/lock-venv

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "ERROR: npm is missing. Schakel's style sheets and scripts come from the npm registry: install Node.js and npm (apt-get install nodejs npm) and run make again." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

frontend: $(NODE_STAMP)

catalogues: $(STAMP)
	@$(BIN)/python manage.py compile_catalogues --settings=schakel.config.settings.test

demo: $(STAMP) $(NODE_STAMP) catalogues
	mkdir -p var
	$(DEMO) $(BIN)/python manage.py migrate --noinput -v0
	$(DEMO) $(BIN)/python manage.py load_demo
	@echo "Schakel demo: open http://127.0.0.1:8000/ and log in with one of the accounts above."
	$(DEMO) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Debian's chromium drives the end-to-end tests; gettext checks that the catalogues are complete;
# npm installs the front-end packages.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v xgettext >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  { $(SUDO) apt-get update -qq && $(APT_INSTALL) $$missing; } >/dev/null || { \
	    echo "ERROR: could not install$$missing with apt-get. The browser tests need Debian's chromium at /usr/bin/chromium and the translation check needs gettext; install them (apt-get install$$missing) and run make test again." >&2; exit 1; }; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP)
	$(BIN)/mypy src

checks: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=schakel.config.settings.test
	SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" ALLOWED_HOSTS=schakel.example \
	  DATABASE_URL=postgres://schakel@db.example/schakel \
	  SCHAKEL_ENCRYPTION_KEYS="$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
	  SCHAKEL_BLIND_INDEX_KEY="$$(head -c 48 /dev/urandom | base64)" \
	  SCHAKEL_AUDIT_KEY="$$(head -c 48 /dev/urandom | base64)" \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING --settings=schakel.config.settings.production

messages: $(STAMP)
	cd src/schakel && ../../$(BIN)/python ../../manage.py makemessages --locale nl --locale en \
	  --no-obsolete --no-location --settings=schakel.config.settings.test
	@echo "Now translate the new entries in src/schakel/locale/nl/LC_MESSAGES/django.po"

test: $(STAMP) system-deps $(NODE_STAMP) catalogues lint typecheck checks
	$(BIN)/coverage erase
	@echo "== tests on SQLite =="
	$(BIN)/pytest -n $(TEST_WORKERS) --cov --cov-report= -p no:cacheprovider
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$(PG_URL)" 2>/dev/null; then \
	  echo "== tests on PostgreSQL ($(PG_URL)) =="; \
	  DATABASE_URL="$(PG_URL)" $(BIN)/pytest -n $(TEST_WORKERS) --create-db --cov --cov-append --cov-report= -p no:cacheprovider; \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "ERROR: CI=true requires PostgreSQL at $(PG_URL), and it is not reachable." >&2; exit 1; \
	else \
	  echo "NOTE: PostgreSQL is not reachable at $(PG_URL); the tests ran on SQLite only."; \
	fi
	$(BIN)/coverage report

clean:
	rm -rf $(VENV) node_modules var .coverage .mypy_cache .ruff_cache
	find src -name '*.mo' -delete

# The hit/no-hit benchmark against recordlinkage and splink (offline; see docs/matching.md).
bench-matching: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/namesakes.py

# Appending to the audit log under concurrency, main's code against this tree's, on PostgreSQL
# (BENCH_DATABASE_URL, default the `audit` database; see bench/README.md). Not part of `make test`.
bench-audit: $(STAMP)
	$(BIN)/python bench/audit.py

# The list pages at 50,000 signals and 10,000 cases against a bare floor view running their
# essential queries, on PostgreSQL (BENCH_DATABASE_URL, default the `bench_lists` database, created
# when missing; see bench/README.md). Not part of `make test`.
bench-lists: $(STAMP)
	$(BIN)/python bench/lists.py

# The monitoring dashboard and the annual report PDF on a generated region at generate_dataset's
# default scale, on PostgreSQL (BENCH_DATABASE_URL, default the `bench_monitoring` database; the
# dataset is kept and reused when its parameters match; see bench/README.md). Writes
# bench/report.json. Not part of `make test`.
bench: $(STAMP)
	$(BIN)/python bench/monitoring.py
