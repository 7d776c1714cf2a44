# The two commands of the README: `make demo` and `make check`.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo check test test-fast lint types contracts setup setup-system screenshots bench bench-cli

demo: setup
	$(BIN)/dutyroom demo --state .state/demo

setup:
	bash scripts/setup.sh

setup-system:
	bash scripts/setup.sh --system

check: setup-system lint types contracts test

lint:
	$(BIN)/ruff check .

types:
	$(BIN)/mypy

contracts:
	$(BIN)/lint-imports

# The whole suite (unit, console, integration, e2e), on four xdist workers, whole files each (see pyproject's addopts).
test:
	$(BIN)/pytest -q

# The in-process tests only (unit + console: no subprocess, no agent, no tmpfs): the loop while editing.
test-fast:
	$(BIN)/pytest -q tests/unit tests/console

screenshots: setup
	$(BIN)/python scripts/screenshots.py

bench:
	bash scripts/setup.sh --bench
	$(BIN)/python bench/poll/run.py

bench-cli:
	$(BIN)/python bench/cli.py
