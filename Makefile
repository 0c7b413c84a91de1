# Two entry points a new machine needs: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: venv demo test test-unit lint bench eval system-deps runtime-deps clean

$(STAMP): requirements/*.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements/dev.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

# Speech synthesisers (test recitations) and codecs: Debian packages.
system-deps:
	bash scripts/install-system-deps.sh

# WordNet (scoring's word relations) from Debian: the only system package running needs.
runtime-deps:
	bash scripts/install-system-deps.sh runtime

demo: venv runtime-deps
	$(BIN)/recital demo

test: venv system-deps
	bash scripts/run-tests.sh

test-unit: venv
	$(BIN)/pytest -q tests/shared

lint: venv
	$(BIN)/ruff check shared web workers cli tests
	$(BIN)/mypy shared web workers cli

bench: venv system-deps
	$(BIN)/python -m bench

eval: venv system-deps
	$(BIN)/python -m bench.eval

clean:
	rm -rf $(VENV) .recital
