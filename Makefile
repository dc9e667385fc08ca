# One entry point for every check; CI runs `make test` (see .ci/run).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_WS ?= demo-ws

.PHONY: install system-packages demo examples test lint bench clean

$(BIN)/strategistatus: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

install: $(BIN)/strategistatus

## demo: the demo municipality (exports written, imported, status printed)
demo: install
	$(BIN)/strategistatus demo --out $(DEMO_WS)

## examples: a workspace with the small sample exports of examples/
examples: install
	$(BIN)/python examples/run_demo.py examples-ws

## system-packages: what the tests need from Debian (poppler, Pango, fonts, Chromium, PostgreSQL) and npm
system-packages:
	scripts/install-test-system-packages

## test: the system packages, lint (ruff, mypy) and the whole test suite on each engine:
## DuckDB, then PostgreSQL (every test whose workspace follows the suite's engine), each
## spread over the machine's cores (pytest-xdist; a test file stays on one worker; the
## longest files first, as tests/conftest.py orders them, not xdist's largest-count first)
PYTEST_PARALLEL ?= -n logical --dist loadfile --no-loadscope-reorder --durations=15
test: install system-packages lint
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)
	STRATEGISTATUS_TEST_ENGINE=postgres $(BIN)/python -m pytest $(PYTEST_PARALLEL)

lint: install
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/mypy src

bench: install
	$(BIN)/python benchmarks/import_speed.py
	$(BIN)/python benchmarks/status_speed.py
	$(BIN)/python benchmarks/hostile_workbooks.py

clean:
	rm -rf $(VENV) $(DEMO_WS) $(DEMO_WS)-exports examples-ws benchmarks/_work
