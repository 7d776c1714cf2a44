# The two commands of the README: `make demo` and `make check`.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo check test lint types contracts setup setup-system screenshots bench

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

test:
	$(BIN)/pytest -q

screenshots: setup
	$(BIN)/python scripts/screenshots.py

bench: setup-system
	$(BIN)/python bench/poll/run.py
