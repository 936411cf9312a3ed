# tdi — the targets a newcomer looks for. `make run` and `make test` do all the set-up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed

export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export TDI_WAREHOUSE ?= $(CURDIR)/warehouse/tdi.duckdb
export TDI_RAW_DIR ?= $(CURDIR)/raw

.PHONY: help install run test test-unit lint format dev docs docs-serve bench crash lock clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

# --compile-bytecode: the libraries' .pyc files are written once at install, not by each process that imports them.
# `tdi prepare` is `dbt parse`, as dagster-dbt's `project prepare-and-package`: the manifest the definitions read.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "tdi needs Python 3.11, found " + sys.version'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/tdi prepare
	touch $@

install: $(STAMP)  ## Create .venv and install the locked dependencies

run: $(STAMP)  ## Run the whole pipeline on the committed corpus and print where the results are
	$(BIN)/tdi run

test: $(STAMP)  ## Run every test: tests/unit (parsers, extraction, capture, helpers) and tests/e2e (pipeline runs)
	$(BIN)/python -m pytest

test-unit: $(STAMP)  ## Run the unit tests only (no pipeline run)
	$(BIN)/python -m pytest tests/unit

lint: $(STAMP)  ## ruff on the Python code, sqlfluff on the dbt models
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models

format: $(STAMP)  ## Format the Python code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

dev: $(STAMP)  ## Open the Dagster UI (http://127.0.0.1:3000) on this project
	$(BIN)/tdi dev

docs: $(STAMP)  ## Build the dbt docs (catalog from the warehouse: run `make run` first)
	cd dbt_project && ../$(BIN)/dbt docs generate --profiles-dir .

docs-serve: docs  ## Serve the dbt docs on http://127.0.0.1:8080
	cd dbt_project && ../$(BIN)/dbt docs serve --profiles-dir . --host 127.0.0.1 --port 8080

bench: $(STAMP)  ## Time the runs against floors measured in the same bench, up to 10,000 synthetic documents (BENCH_SIZES=1000 for less)
	$(BIN)/python -m bench.run

crash: $(STAMP)  ## Kill `tdi run` at 10 random points; check the published warehouse each time (not a test)
	$(BIN)/python -m bench.crash

lock:  ## Re-resolve requirements.lock from pyproject.toml (needs the registry)
	test -x $(BIN)/uv || (test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)) && $(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:  ## Remove the environment, the warehouse and build artefacts
	rm -rf $(VENV) warehouse .dagster_home dbt_project/target dbt_project/logs .pytest_cache .ruff_cache
