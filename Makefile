# Two commands on a fresh machine: `make local` and `make test`.
# Both create or refresh .venv and node_modules from the pinned files; the stamps
# make a second run instant when nothing changed.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CDK_DISABLE_CLI_TELEMETRY := true

.PHONY: setup local test lint bench synth clean

setup: $(VENV)/.stamp node_modules/.stamp

$(VENV)/.stamp: requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

local: setup
	$(VENV)/bin/valine local $(if $(SITE),--site "$(SITE)")

# -X no_debug_ranges: CPython 3.11's ast module keeps its recursion depth in interpreter-wide
# state (see python/cpython gh-106905), and 3.11's traceback formatting calls ast.parse for
# its carets. A traceback logged by a local stack's thread while a test parses source then
# fails that test with "AST constructor recursion depth mismatch". Without column ranges
# no traceback parses anything; the tracebacks keep their lines.
test: setup lint
	$(PY) -X no_debug_ranges -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: setup
	$(VENV)/bin/valine bench

synth: setup
	npx cdk synth --no-notices -q -c phase=$${PHASE:-1} -c stage=$${STAGE:-dev}

clean:
	rm -rf $(VENV) node_modules cdk.out .bench .pytest_cache .mypy_cache .ruff_cache
