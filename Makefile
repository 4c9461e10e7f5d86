# The two commands: `make run` (set up everything and serve) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format setup venv assets translations migrate demo check-i18n clean

run: setup migrate demo
	@echo ""
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the demo accounts above."
	$(PY) manage.py runserver $(HOST):$(PORT)

setup: venv assets translations

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

assets: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Compiled catalogs are committed; this refreshes them when gettext is present.
translations: venv
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules >/dev/null; fi

migrate: venv
	$(PY) manage.py migrate --noinput

demo: venv
	$(PY) manage.py seed_demo --accounts

# Two workers: the suite runs in about half the time on a 2-core machine.
XDIST ?= -n 2

# The browser journeys run after the rest, alone: typing into a real browser beside two
# busy test workers lost keystrokes now and then.
test: venv assets
	$(BIN)/pytest $(XDIST) -m "not browser" $(PYTEST_ARGS)
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

test-fast: venv
	$(BIN)/pytest $(XDIST) -m "not browser and not services" $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-extract messages (needs gettext); the test suite checks the catalog is complete.
messages: venv
	$(PY) manage.py makemessages -l vi --ignore=.venv --ignore=node_modules --ignore=tests --no-location --no-obsolete
	$(PY) manage.py makemessages -d djangojs -l vi --ignore=.venv --ignore=node_modules --ignore=staticfiles --no-location --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts
