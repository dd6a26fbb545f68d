# mamori — `make run` starts a local demo, `make test` runs everything CI runs.
#
# Needs only Python 3.11, Node.js with npm, and the package registries. Every step
# leaves a stamp file, so a second `make run` reinstalls nothing and starts in seconds:
#   .venv/.installed                      Python packages   (remade when pyproject.toml changes)
#   node_modules/.installed               npm packages      (remade when package-lock.json changes)
#   src/mamori/web/static/vendor/.built   front-end files   (remade after npm ci or a build-script change)
#   src/mamori/locale/*/LC_MESSAGES/*.mo  translations      (remade when the .po changes)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3.11
HOST ?= 127.0.0.1
PORT ?= 8000
# Two pytest processes on the two cores; each gets its own test database and live server.
PYTEST_ARGS ?= -n 2

VENV := .venv
BIN := $(VENV)/bin
MAMORI := $(BIN)/mamori
VENDOR_STAMP := src/mamori/web/static/vendor/.built
PO_FILES := $(wildcard src/mamori/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
# Commands that only load the settings (no database, no real secret) run as a local
# instance: MAMORI_DEBUG=1 makes the settings generate a per-machine key in var/.
LOCAL := MAMORI_DEBUG=1

.PHONY: help deps run test bench lint static i18n messages clean

help:
	@echo "make run     install what is missing, migrate, load the demo, serve http://$(HOST):$(PORT)/"
	@echo "make test    the whole test suite, browser tests included (MAMORI_DATABASE_URL picks the database)"
	@echo "make lint    ruff check, ruff format --check, mypy on src/mamori/rules"
	@echo "make bench   every bench/*.py but _helpers (installs the peers they compare with first)"
	@echo "make static  build the front-end files and collect static files into STATIC_ROOT (production)"
	@echo "make i18n    compile the translations (.po -> .mo)"
	@echo "make clean   remove installs and build output (keeps var/: the demo database and keys)"

deps: $(VENV)/.installed $(VENDOR_STAMP) $(MO_FILES)

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found; mamori needs Python 3.11" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(VENDOR_STAMP): node_modules/.installed scripts/build-static.mjs
	npm run build
	touch $@

$(MO_FILES): %.mo: %.po | $(VENV)/.installed
	$(LOCAL) $(MAMORI) i18n

run: export MAMORI_DEBUG = 1
run: deps
	$(MAMORI) migrate --noinput
	$(MAMORI) demo
	$(MAMORI) run --host $(HOST) --port $(PORT)

test: deps
	bash scripts/ensure-test-deps.sh
	@status=0; $(BIN)/pytest $(PYTEST_ARGS) $(ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests; that is a failure" >&2; exit 1; fi; \
	exit $$status

# The benchmarks also need the peers they measure against (the `bench` extra: Presidio).
$(VENV)/.bench-installed: pyproject.toml | $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.installed $(VENV)/.bench-installed
	@shopt -s nullglob; scripts=(bench/[!_]*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "make bench: no bench/*.py" >&2; exit 1; fi; \
	for script in "$${scripts[@]}"; do echo "== $$script"; $(BIN)/python "$$script"; done

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src/mamori/rules

# For a production install: run with the production MAMORI_* environment set.
static: $(VENV)/.installed $(VENDOR_STAMP) $(MO_FILES)
	$(MAMORI) collectstatic --noinput

i18n: $(VENV)/.installed
	$(LOCAL) $(MAMORI) i18n

# Re-extract the messages into the English .po file (ja is the source language, so it needs
# no catalogue). Needs GNU gettext: apt-get install gettext.
messages: $(VENV)/.installed
	cd src/mamori && MAMORI_DATA_DIR=$(CURDIR)/var $(LOCAL) $(CURDIR)/$(MAMORI) makemessages \
	  -l en --no-obsolete -i 'static/*' -i 'locale/*'

clean:
	rm -rf $(VENV) node_modules src/mamori/web/static/vendor .pytest_cache .ruff_cache .mypy_cache \
	  .hypothesis test-results src/*.egg-info
	find src -name '*.mo' -delete
	find src tests bench -name __pycache__ -prune -exec rm -rf {} +
