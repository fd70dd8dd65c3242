# The front door. `make` or `make help` lists the targets.
# Every target that needs Python creates the virtual environment first if it is missing.

PYTHON   ?= python3
VENV     ?= .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
DATA     ?= data_samples
OUT      ?= reports
JOBS     ?=
PERIOD   ?=
REALDATA ?= ../shared/realdata

.DEFAULT_GOAL := help
.PHONY: help venv reports test test-fast lint notebooks format validate sample-data lab benchmark benchmark-needs benchmark-unit-cost benchmark-rest-time examples clean plotly-bundle benchmark-report-size benchmark-region

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@# The toolkit's own byte code, written once (an editable install is not compiled, and with
	@# PYTHONDONTWRITEBYTECODE every process of a run would compile it again).
	$(BIN)/python -m compileall -q src >/dev/null
	touch $(STAMP)

venv: $(STAMP) ## Create the virtual environment (.venv) with pinned dependencies

reports: $(STAMP) ## Produce every report for every sample unit for the latest month in the data
	$(BIN)/toolkit run --all-units --data $(DATA) --out $(OUT) $(if $(PERIOD),--period $(PERIOD)) $(if $(JOBS),--jobs $(JOBS))

test: $(STAMP) ## Run every test (lint, layers, types, unit, notebooks, runner, browser rendering)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/pytest

test-fast: $(STAMP) ## Run the tests that do not execute notebooks or open a browser
	$(BIN)/pytest -m "not slow and not browser"

lint: $(STAMP) ## Lint (ruff), check the layers (import-linter) and the types (mypy)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

notebooks: $(STAMP) ## Sync each notebook with its paired py:percent script (edit either, then run this)
	$(BIN)/jupytext --sync notebooks/*.ipynb

format: $(STAMP) ## Format and fix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

validate: $(STAMP) ## Validate the input data folder (DATA=dir)
	$(BIN)/toolkit validate --data $(DATA)

sample-data: $(STAMP) ## Regenerate the committed sample data (seed 42)
	$(BIN)/toolkit sample-data --out $(DATA) --seed 42 --scale 1

lab: $(STAMP) ## Open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks/

benchmark: $(STAMP) ## Time toolkit run against plain papermill + nbconvert calls
	$(BIN)/python benchmarks/bench_runner.py

benchmark-needs: $(STAMP) ## Time the need assessment at scale (SCALE=10 hospitals)
	$(BIN)/python benchmarks/bench_needs.py --scale $(or $(SCALE),10)
benchmark-unit-cost: $(STAMP) ## Cost 5 million generated patient contacts (time and peak memory)
	$(BIN)/python benchmarks/bench_unit_cost.py
benchmark-rest-time: $(STAMP) ## Time the rest-time check on 10 million generated shifts (SHIFTS=; time, peak memory)
	$(BIN)/python benchmarks/bench_rest_time.py --verify --shifts $(or $(SHIFTS),10000000)

benchmark-report-size: $(STAMP) ## Size and draw time (headless Chromium) of every sample report
	$(BIN)/python benchmarks/report_size.py --compare-full
benchmark-region: $(STAMP) ## A 20-hospital region: one unit's report, every report on the pool, on Dask, --changed-only (SCALE=, PART=, KEEP=DIR)
	$(BIN)/python benchmarks/region.py --scale $(or $(SCALE),20) --part $(or $(PART),all) --json benchmarks/results/region.json $(if $(KEEP),--keep $(KEEP))

$(VENV)/.examples: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev,examples]'
	touch $@

examples: $(VENV)/.examples ## Convert the public data (REALDATA=dir) with examples/ and make their reports in examples/out/
	$(BIN)/python examples/make_examples.py --realdata $(REALDATA) --out examples/out

plotly-bundle: ## Rebuild the reports' partial plotly.js (needs node and npm; the built bundle is committed)
	sh src/toolkit/report/plotly/build/build.sh

clean: ## Remove generated reports and caches (keeps .venv)
	rm -rf $(OUT) .pytest_cache .ruff_cache .hypothesis
