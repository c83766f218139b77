# Lantern: `make run` sets up and serves the demo; `make test` sets up and runs every test.
# Both work on a fresh machine with nothing installed by hand.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LANTERN := $(BIN)/lantern
PYTEST_WORKERS ?= 2
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= lantern.settings.dev

.PHONY: run test test-sqlite test-postgres lint scan format install system-deps browser-deps spark-deps messages makemessages demo-data clean fuzz bench

## Set-up ---------------------------------------------------------------------------------------------

$(BIN)/activate: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench]'
	touch $@

install: $(BIN)/activate

# GNU gettext compiles translations; Debian's Chromium runs the browser tests; nginx checks deploy/nginx.conf.
# Installed when missing.
system-deps:
	@command -v msgfmt >/dev/null || $(MAKE) --no-print-directory apt-install PKGS="gettext"
	@# nginx runs deploy/nginx.conf for real in a test; the package would start a default site: stop it.
	@[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || { $(MAKE) --no-print-directory apt-install PKGS="nginx-light" && \
	  (service nginx stop >/dev/null 2>&1 || true); }

browser-deps:
	@command -v chromium >/dev/null || $(MAKE) --no-print-directory apt-install PKGS="chromium fonts-noto-core fonts-dejavu-core"
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --loglevel=error

# `lantern link --engine spark` (Splink on Apache Spark): pyspark, the optional extra `spark`, and Java 17 from
# Debian, installed when missing. Only the test run that includes the Spark tests needs them.
spark-deps: install
	@$(BIN)/python -c "import pyspark" 2>/dev/null || $(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench,spark]'
	@java -version >/dev/null 2>&1 || $(MAKE) --no-print-directory apt-install PKGS="openjdk-17-jre-headless"

apt-install:
	@if [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(PKGS) >/dev/null; \
	elif command -v sudo >/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(PKGS) >/dev/null; \
	else echo "Please install: $(PKGS)"; exit 1; fi

messages: install system-deps
	cd src/lantern && ../../$(LANTERN) compilemessages --ignore=.venv -v 0

# Regenerate the .po catalogues from the source (for translators): one set per app that has a locale/
# directory. Run from inside each app and without Django settings, so that the strings land in that app's
# locale/ rather than in LOCALE_PATHS (with settings, makemessages files everything under the first one).
makemessages: install system-deps
	@set -e; for locale in src/lantern/*/locale; do \
	  [ -d "$$locale" ] || continue; \
	  echo "makemessages: $$(dirname $$locale)"; \
	  ( cd "$$(dirname $$locale)" && env -u DJANGO_SETTINGS_MODULE "$(CURDIR)/$(BIN)/django-admin" makemessages \
	      -l fr -l el -l ar -l es -l uk -l fa -l ti --no-obsolete --ignore='tests/*' -v 0 ); \
	done

# Always run: `create` keeps an existing keyring and only adds what it lacks (the audit key of older keyrings).
var/keyring.json: FORCE | install
	mkdir -p var
	$(BIN)/python -m lantern.crypto.keyring create var/keyring.json

.PHONY: FORCE
FORCE:

var/secret_key.txt:
	mkdir -p var
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

demo-data: install var/keyring.json var/secret_key.txt
	$(LANTERN) migrate --no-input -v 0
	$(LANTERN) demo
	$(LANTERN) seed --cases 200 --if-empty

## The two commands ------------------------------------------------------------------------------------

run: install var/keyring.json var/secret_key.txt messages demo-data
	@# DEBUG is off, as in production (DJANGO_DEBUG=true make run turns it on): static files are collected
	@# and served by WhiteNoise, errors show Lantern's own pages.
	$(LANTERN) collectstatic --no-input -v 0
	@echo "Lantern is starting on http://$(HOST):$(PORT)/ — sign in with a demo login above (Ctrl-C to stop)."
	$(LANTERN) runserver $(HOST):$(PORT)

test: install system-deps browser-deps spark-deps messages lint scan test-sqlite test-postgres
	@echo "All tests passed on SQLite and PostgreSQL."

test-sqlite: install spark-deps
	DJANGO_SETTINGS_MODULE=lantern.settings.test $(BIN)/pytest -n $(PYTEST_WORKERS) -q

# The same suite (less the browser and Spark tests, which ran above and use no database) on a throwaway
# PostgreSQL 15 cluster.
test-postgres: install
	DJANGO_SETTINGS_MODULE=lantern.settings.test scripts/with-postgres $(BIN)/pytest -n $(PYTEST_WORKERS) -q -m "not browser and not spark"

lint: install
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	$(BIN)/lint-imports

# Security scanning: bandit on the code (any medium or high finding fails; accepted ones carry `# nosec` and
# why), pip-audit on every pinned dependency (says how many it could check when offline).
scan: install
	$(BIN)/bandit -c pyproject.toml -q -r src bench -x '*/tests/*,*/migrations/*' --severity-level medium 2>/dev/null
	scripts/audit-deps

format: install
	$(BIN)/ruff format src bench
	$(BIN)/ruff check --fix src bench

# Longer fuzzing, on SQLite (about 15-20 minutes): the property-based tests of the input parsers
# (test_fuzz_*.py) with the "fuzz" Hypothesis profile, and the API fuzzing with FUZZ_EXAMPLES per operation.
FUZZ_EXAMPLES ?= 50
fuzz: install
	DJANGO_SETTINGS_MODULE=lantern.settings.test HYPOTHESIS_PROFILE=fuzz LANTERN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	  $(BIN)/pytest -n $(PYTEST_WORKERS) -q -p no:cacheprovider --hypothesis-show-statistics \
	  $(wildcard src/lantern/*/tests/test_fuzz_*.py) src/lantern/authz/tests/test_api_fuzz.py

clean:
	rm -rf $(VENV) node_modules var/static .pytest_cache
