# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
APPS := platform_site members working_groups knowledge_bank advocacy scripts bench

.PHONY: run test lint format messages check-messages install install-dev clean bench restore-check screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
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
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/pytest

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
