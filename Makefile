# govsim: two commands on a fresh machine.
#   make run   set up .venv (Python 3.12) and run the main job
#   make test  set up .venv and run the test suite
#   (make test-ray adds the ray extra and runs the tests on a local Ray cluster)
VENV := .venv
BIN := $(VENV)/bin
# Python 3.12: on PATH, or any pyenv-installed 3.12.
PYTHON312 ?= $(shell for p in python3.12 $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
STAMP := $(VENV)/.installed
# The event engine compiled into .venv once, so no run compiles it (govsim.experiments.warmup);
# done again after any change to the sources (a changed engine is a new version to compile).
WARMED := $(VENV)/.warmed
SOURCES := $(shell find src/govsim -name '*.py')

.PHONY: run test test-quick test-ray test-browser app lint format bench clean setup system-packages

setup: $(WARMED) system-packages

# Reports and figures need a Chinese font and WeasyPrint's Pango (PDF); install them if missing.
SYSTEM_PACKAGES := fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0
system-packages:
	@fc-list :lang=zh 2>/dev/null | grep -q . && ldconfig -p | grep -q libpangoft2 || { \
		echo "installing $(SYSTEM_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; }

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON312)" || { echo "govsim needs Python 3.12 (python3.12 not found)" >&2; exit 1; }
	@test -x $(BIN)/python || "$(PYTHON312)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

$(WARMED): $(STAMP) $(SOURCES)
	$(BIN)/python -m govsim.experiments.warmup
	@touch $(WARMED)

run: $(WARMED) system-packages
	$(BIN)/govsim

test: $(WARMED) system-packages
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/pytest -n 2 -m "not browser and not ray"

# The quick tier: the model, its measures and the command line's contract, for every change
# (tests/conftest.py's SLOW_MODULES are left to make test).
test-quick: $(WARMED) system-packages
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/pytest -n 2 -m "not browser and not slow and not ray"

# The ray extra (Ray and Hydra's Ray launcher, pinned in the lock) installed into .venv, and
# the tests that start a Ray cluster of their own: one head node, two CPUs, 127.0.0.1 only.
RAY := $(VENV)/.ray
$(RAY): $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev,ray]'
	@touch $(RAY)

test-ray: $(WARMED) $(RAY) system-packages
	$(BIN)/pytest -p no:xdist -m ray

app: $(WARMED) system-packages
	$(BIN)/govsim app

# The browser test needs Debian's chromium, its driver and a CJK font; install them if missing.
BROWSER_PACKAGES := chromium chromium-driver fonts-wqy-microhei
test-browser: $(STAMP) system-packages
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list | grep -qi wqy || { \
		echo "installing $(BROWSER_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; }
	$(BIN)/pytest -m browser -p no:xdist tests/browser

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

# Lay the code out as the formatter does (make test checks it).
format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/scale.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
