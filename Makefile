# Basewatch: `make run` serves the map, `make test` runs every test.
# Both create .venv and install what they need; nothing else is required beforehand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
HOST ?= 127.0.0.1
PORT ?= 8000
# The development checkout's settings file, which config/settings.py reads.
ENV_FILE ?= .env

.PHONY: run serve test lint lint-python lint-types lint-js serve-deps test-deps chromium gettext node wrk fixtures bench bench-articles fuzz clean

# Debian's python3 lacks venv until python3-venv is installed; install it when we can.
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  echo "python venv is missing; trying apt-get install python3-venv"; \
	  $(call as_root) apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(PIP) install -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP) install -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

serve-deps: $(VENV)/.installed
test-deps: $(VENV)/.installed-dev chromium gettext node

## run: install, migrate SQLite, load reference data into an empty database, serve
## (development: DEBUG on, no other variable needed)
run: export DJANGO_DEBUG = 1
run: export BASEWATCH_ENV_FILE = $(abspath $(ENV_FILE))
run: serve-deps $(ENV_FILE)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	@echo "Basewatch: http://$(HOST):$(PORT)/  (admin user: $(BIN)/python manage.py createsuperuser)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## .env: mark this checkout as a development one (DJANGO_DEBUG=1), so the README's
## manage.py commands run as written; make run writes it, never over an existing one
$(ENV_FILE):
	@printf '%s\n' \
	  '# Written by make run: this checkout is for development (DEBUG on).' \
	  '# The environment wins over this file; make serve sets DJANGO_DEBUG=0.' \
	  'DJANGO_DEBUG=1' > $@.tmp && mv $@.tmp $@
	@echo "wrote $@ (DJANGO_DEBUG=1: a development checkout)"

## serve: production with gunicorn: migrate, collect static files, serve. Set the
## production variables first (DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, ...: see
## docs/production.md); with DEBUG off and any missing it refuses to start.
serve: export DJANGO_DEBUG ?= 0
serve: serve-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 3

## test: lint, then the whole suite, browser tests included
test: test-deps lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## lint: ruff (lint and format), mypy with django-stubs, ESLint; the pre-commit hook
## (.pre-commit-config.yaml: `.venv/bin/pre-commit install`) runs these same targets
lint: lint-python lint-types lint-js

lint-python: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint-types: $(VENV)/.installed-dev
	$(BIN)/mypy

# ESLint comes from the npm registry, pinned by package-lock.json, into node_modules/
# (the pages themselves load no npm package: their libraries are in static/vendor/).
# Without npm this says so and skips, unless BASEWATCH_REQUIRE_NODE=1 (CI) fails it.
lint-js: node
	@if command -v npm >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory node_modules/.installed && npx --no-install eslint .; \
	elif [ "$$BASEWATCH_REQUIRE_NODE" = 1 ]; then \
	  echo "npm is missing and BASEWATCH_REQUIRE_NODE=1: cannot run ESLint" >&2; exit 1; \
	else echo "!!! npm not installed: ESLint was NOT run !!!" >&2; fi

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# The browser tests drive Debian's Chromium. Install it when apt can; otherwise they
# skip (or fail, with BASEWATCH_REQUIRE_BROWSER=1 as CI sets).
chromium:
	@if command -v chromium >/dev/null 2>&1 || [ -n "$$BASEWATCH_CHROMIUM" ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ -n "$$($(call can_root))" ]; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  $(call as_root) apt-get update -qq && $(call as_root) apt-get install -y -qq chromium; \
	else echo "chromium not installed and apt unavailable: browser tests will be skipped"; fi

# make messages and the catalogue test (tests/project/test_i18n.py) use GNU gettext's tools.
gettext:
	@if command -v xgettext >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ -n "$$($(call can_root))" ]; then \
	  echo "installing Debian's gettext for make messages and the catalogue test"; \
	  $(call as_root) apt-get update -qq && $(call as_root) apt-get install -y -qq gettext; \
	else echo "gettext not installed and apt unavailable: the catalogue test will skip"; fi

# The JavaScript unit tests (tests/js/, through tests/project/test_js_units.py) run on
# Node's own test runner; install Debian's nodejs the same way (CI sets
# BASEWATCH_REQUIRE_NODE=1, so a missing Node fails there rather than skipping).
node:
	@if { command -v node || command -v nodejs; } >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ -n "$$($(call can_root))" ]; then \
	  echo "installing Debian's nodejs and npm for the JavaScript unit tests and ESLint"; \
	  $(call as_root) apt-get update -qq && $(call as_root) apt-get install -y -qq nodejs npm; \
	else echo "node not installed and apt unavailable: the JavaScript unit tests will skip"; fi

# bench/load.py drives the server with wrk (Debian's package); install it the same way.
wrk:
	@if command -v wrk >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ -n "$$($(call can_root))" ]; then \
	  echo "installing Debian's wrk for bench/load.py"; \
	  $(call as_root) apt-get update -qq && $(call as_root) apt-get install -y -qq wrk; \
	else echo "wrk not installed and apt unavailable: bench/load.py will say so"; fi

## fixtures: rebuild fixtures/*.json from the repository's reference data in data/
## (and data/seed/); nothing outside the checkout is read
fixtures: export DJANGO_DEBUG = 1
fixtures: serve-deps
	$(BIN)/python manage.py build_fixtures

## reference-data: refresh data/ from the project's shared reference folder (the one
## holding data/ and seed/), all or nothing, with data/PROVENANCE.md, then rebuild
## the fixtures: make reference-data FROM=/path/to/shared
.PHONY: reference-data
reference-data: export DJANGO_DEBUG = 1
reference-data: serve-deps
	@if [ -z "$(FROM)" ]; then \
	  echo "usage: make reference-data FROM=/path/to/shared"; exit 2; fi
	$(BIN)/python manage.py import_reference_data --from "$(FROM)"
	$(BIN)/python manage.py build_fixtures

## bench: a quick look at the benchmarks (bench/README.md has the full runs)
bench: test-deps wrk
	$(BIN)/python bench/api.py --count 20000 --repeat 3
	$(BIN)/python bench/map.py --count 20000 --repeat 3
	$(BIN)/python bench/geocode.py --names 2000 --points 100000 --repeat 3
	$(BIN)/python bench/acled_import.py --rows 10000 --orm-rows 1000
	$(BIN)/python bench/generate.py --count 20000 --repeat 3
	$(BIN)/python bench/load.py --duration 10
	$(BIN)/python bench/scale.py --count 50000 --repeat 3
	$(BIN)/python bench/figures.py --count 50000 --repeat 3
	$(BIN)/python bench/articles.py
	$(BIN)/python bench/backup.py --count 10000 --repeat 2

## bench-articles: the article extractor against the measured corpus, every miss listed
bench-articles: test-deps
	$(BIN)/python bench/articles.py --verbose

## fuzz: the property tests and the schemathesis run with 10x the examples
fuzz: test-deps
	BASEWATCH_FUZZ_SCALE=10 $(BIN)/python -m pytest -s tests/properties/ $(PYTEST_ARGS)

## vendor: refresh static/vendor/ from the npm registry (pins in static/vendor/vendor.json),
## then rebuild the offline basemap from it
.PHONY: vendor
vendor: serve-deps
	$(BIN)/python scripts/vendor.py
	$(BIN)/python scripts/build_basemap.py

## screenshots: regenerate the README's pictures in docs/screenshots/ (every reader's
## page, English and Arabic, 1440 px and 390 px, on a throwaway database of the
## reference data, tiles blocked as in the browser tests)
.PHONY: screenshots
screenshots: $(VENV)/.installed-dev chromium
	$(BIN)/python scripts/screenshots.py

## messages: refresh locale/ar/LC_MESSAGES/django.po from the code and templates,
## then compile django.mo (committed: a machine without gettext's msgfmt can run the
## site). Translate any new empty msgstr (and clear "fuzzy") before committing.
.PHONY: messages
messages: export DJANGO_DEBUG = 1
messages: serve-deps
	$(BIN)/python manage.py makemessages -l ar --no-obsolete --add-location=file \
	  --ignore=.venv --ignore=static/vendor --ignore=bench
	$(BIN)/python manage.py compilemessages -l ar --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Root, or passwordless sudo, or nothing.
as_root = $$( [ "$$(id -u)" = 0 ] || echo sudo -n )
can_root = [ "$$(id -u)" = 0 ] && echo yes || (sudo -n true 2>/dev/null && echo yes)
