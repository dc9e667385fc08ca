# One entry point for every check; CI runs `make test` (see .ci/run).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_WS ?= demo-ws

.PHONY: install demo test lint bench clean

$(BIN)/strategistatus: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

install: $(BIN)/strategistatus

## demo: a workspace with the shipped strategy and the sample exports of examples/
demo: install
	$(BIN)/python examples/run_demo.py $(DEMO_WS)

## test: lint and the whole test suite
test: install lint
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests benchmarks examples

bench: install
	$(BIN)/python benchmarks/import_speed.py

clean:
	rm -rf $(VENV) $(DEMO_WS) benchmarks/_work
