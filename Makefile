# govsim: two commands on a fresh machine.
#   make run   set up .venv (Python 3.12) and run the main job
#   make test  set up .venv and run the test suite
VENV := .venv
BIN := $(VENV)/bin
# Python 3.12: on PATH, or any pyenv-installed 3.12.
PYTHON312 ?= $(shell for p in python3.12 $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean setup

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON312)" || { echo "govsim needs Python 3.12 (python3.12 not found)" >&2; exit 1; }
	@test -x $(BIN)/python || "$(PYTHON312)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/govsim

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/scale.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
