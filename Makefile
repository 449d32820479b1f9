# Two commands for a newcomer: `make run` and `make test` (see README.md).
# PYTHON: the interpreter that makes .venv (3.11 or newer), e.g. `PYTHON=python3.12 make test`.
# PORT (and HOST): where `make run` serves; e-mail links follow (SITE_URL) unless SITE_URL is set.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SITE_URL ?= http://$(HOST):$(PORT)
# `make run` shows the site as its users see it: the site's own translated error pages, not
# Django's debug page (static files are still served, by WhiteNoise). DEBUG=true make run for it.
DEBUG ?= false
# The browser tests' Chromium: the one on PATH, else where Debian's package puts it.
CHROMIUM ?= $(or $(shell command -v chromium 2>/dev/null),/usr/bin/chromium)
PYTEST_ARGS ?=
VERSION_CHECK := import sys; sys.exit(sys.version_info < (3, 11))
APPS := platform_site credentials members working_groups knowledge_bank advocacy network news events corrections api notifications search scripts bench

.PHONY: run test browser lint format messages check-messages install install-dev clean bench restore-check screenshots

$(BIN)/python:
	@$(PYTHON) -c '$(VERSION_CHECK)' 2>/dev/null || { \
	  echo "Python 3.11 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)."; \
	  echo "Choose another interpreter with PYTHON=, for example: PYTHON=python3.12 make $(MAKECMDGOALS)"; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	@$(BIN)/python -c '$(VERSION_CHECK)' || { \
	  echo "$(VENV) was made with Python older than 3.11. Remove it (make clean), then run"; \
	  echo "make again, choosing the interpreter with PYTHON= if needed (PYTHON=python3.12)."; \
	  exit 1; }
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	@$(BIN)/python -c '$(VERSION_CHECK)' || { \
	  echo "$(VENV) was made with Python older than 3.11. Remove it (make clean), then run"; \
	  echo "make again, choosing the interpreter with PYTHON= if needed (PYTHON=python3.12)."; \
	  exit 1; }
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo ""
	@echo "  The site runs at http://$(HOST):$(PORT)/  (Arabic: /ar/, English: /en/)"
	@echo "  Demo logins: coordinator@demo.example.org and member@demo.example.org,"
	@echo "  password demo-password-2026 (e-mails are printed here, in the console)."
	@echo "  The coordinator sets up two-factor authentication from a link e-mailed here."
	@echo "  A worker sends the e-mails; Ctrl-C stops the site and the worker."
	@echo ""
	DEBUG=$(DEBUG) SITE_URL=$(SITE_URL) $(BIN)/python scripts/run_dev.py $(HOST):$(PORT)

# The whole suite, browser tests included: Chromium is installed first if it is missing and we
# may (root on Debian/Ubuntu); otherwise `browser` stops with the command to run.
test: browser install-dev
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest $(PYTEST_ARGS)

browser:
	@scripts/ensure_chromium.sh "$(CHROMIUM)"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check $(APPS) tests

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format $(APPS) tests

# Update the catalogs from the code, then compile them (needs GNU gettext).
messages: install-dev
	$(BIN)/python manage.py makemessages -l ar -l en --no-location --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Fails when a committed .mo file does not match its .po file.
check-messages: install-dev
	$(BIN)/python scripts/check_messages.py

# PNGs of every page (Arabic and English, phone and desktop, each kind of visitor) with demo
# data, and var/screenshots/index.html to flip through them; runs the layout tests.
screenshots: install-dev
	rm -rf var/screenshots
	LAYOUT_SCREENSHOTS=$(CURDIR)/var/screenshots LAYOUT_DEMO_DATA=1 $(BIN)/pytest tests/browser/test_layout.py -q; \
	status=$$?; echo "Screenshots: $(CURDIR)/var/screenshots/index.html"; exit $$status

# Measure the key pages at 10,000 organisations under gunicorn (PostgreSQL + Redis); writes
# bench/results.md. BENCH_DATABASE_URL and BENCH_REDIS_URL override the local defaults.
bench: install-dev
	$(BIN)/python bench/run.py

# Dump the database, restore it into a scratch database, check it (see docs/deploy.md).
restore-check: install
	deploy/restore-check.sh

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
