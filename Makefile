# Set-up and the two everyday commands: `make run` (portal with the demo region) and
# `make test` (the whole suite). Both install what they need on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= instance/demo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_REGION = $(shell $(PYTHON) -c 'import json; print(json.load(open("content/demo/region.json"))["name"])')
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run test check lint format demo bench load lighthouse clean

# The query adapter (index/generated/, not in git) is fitted on the labelled sets of
# index/eval with the default model: a few minutes once, then only when a set changes.
# The privacy guard's generated lists (privacy/data/generated/, not in git): the Dutch word
# filter from wdutch, and the extra first names from the wheels of deduce and gender-guesser
# (names of many countries; GNU FDL data). deduce is downloaded,
# never installed (its regex<2025 pin conflicts with transformers), and only when it is not
# there yet, so that `make check` does not need the network; the build runs last, after pip.
setup: /usr/share/dict/dutch $(VENV)/.installed portal/static/vendor/htmx.min.js node_modules/.installed
	ls .cache/wheels/deduce-3.0.6-*.whl >/dev/null 2>&1 || \
		$(BIN)/python -m pip download --quiet --no-deps --only-binary=:all: --dest .cache/wheels deduce==3.0.6
	ls .cache/wheels/gender_guesser-0.4.0-*.whl >/dev/null 2>&1 || \
		$(BIN)/python -m pip download --quiet --no-deps --only-binary=:all: --dest .cache/wheels gender-guesser==0.4.0
	$(BIN)/python -m privacy.lexicon build
	$(BIN)/python -m index adapter

# torch first, from the CPU build on local disk: otherwise sentence-transformers pulls
# a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The npm packages at the exact versions of package-lock.json: htmx (served by the portal
# itself), and for the tests and benchmarks axe-core (injected by the browser tests) and
# Lighthouse (bench/lighthouse.py). Install scripts never run: nothing is downloaded.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

portal/static/vendor/htmx.min.js: node_modules/.installed
	mkdir -p $(@D)
	cp node_modules/htmx.org/dist/htmx.min.js $@

/usr/bin/wrk:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null

/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null

# OpenTaal's word list, which both generated lists of `setup` are built from.
/usr/share/dict/dutch:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wdutch >/dev/null

$(DEMO_DIR)/portal.sqlite3: | $(VENV)/.installed
	PORTAL_DATA_DIR=$(DEMO_DIR) $(BIN)/flask --app wsgi demo create

demo: setup $(DEMO_DIR)/portal.sqlite3

run: setup $(DEMO_DIR)/portal.sqlite3
	PORTAL_DATA_DIR=$(DEMO_DIR) PORTAL_REGION_NAME="$(DEMO_REGION) (demo)" \
		$(BIN)/flask --app wsgi run --host 127.0.0.1 --port 5000

test: setup /usr/bin/chromium
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r portal index -ll
	$(BIN)/pytest -q -n 2 --durations=15

# The fast lane: everything but the slow and browser tests (docs/ARCHITECTURE.md).
check: setup
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n 2 -m "not slow and not browser"

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format:
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python -m bench

# Many teachers at once against gunicorn on loopback (wrk); Lighthouse mobile on the demo.
load: setup /usr/bin/wrk
	$(BIN)/python -m bench.load

lighthouse: setup /usr/bin/chromium
	$(BIN)/python -m bench.lighthouse

clean:
	rm -rf $(VENV) node_modules portal/static/vendor
