# Two commands do all the set-up: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCALES := kernel/locales

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

.PHONY: install run test test-fast bench lint messages
install: $(VENV)/.installed

run: install
	$(BIN)/python -m bot

test: install
	$(BIN)/python -m pytest -q

# Unit and storage tests on SQLite: no Application, no PostgreSQL, nothing slow (< 30 s).
test-fast: install
	$(BIN)/python -m pytest -q -m "not e2e and not slow and not postgres"

bench: install
	$(BIN)/python -m bench

# The layers contract (import-linter) and ruff.
lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check .

# Extract every message id (babel.cfg) and update the vi and en catalogs; then translate the
# new vi entries in $(LOCALES)/vi/LC_MESSAGES/messages.po (tests/test_i18n.py checks).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k gettext -k ngettext:1,2 --no-default-keywords \
		--no-location --sort-output --project=child-plan-bot --version=0.1.0 \
		-o $(LOCALES)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) \
		--no-fuzzy-matching --ignore-obsolete --width=100
