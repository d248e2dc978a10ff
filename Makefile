# Two commands do all set-up on a fresh machine (prerequisites: Python 3.11+, Java 17+, Maven):
#   make up     install everything, start Kafka + PostgreSQL + the seven services
#   make test   install everything, then lint, type-check and run the whole test suite
.PHONY: up down status test lint typecheck pytest install asyncapi clean

UV_VERSION := 0.13.8
TOOLS := .kasane/tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= python3

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --quiet

up: install
	.venv/bin/kasane up

down:
	.venv/bin/kasane down

status:
	.venv/bin/kasane status

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: install
	.venv/bin/mypy

# The end-to-end story runs in a session of its own: fresh topics and databases, so the
# indicators it checks count that story and nothing else.
pytest: install
	.venv/bin/pytest -q -p no:cacheprovider --ignore=tests/e2e
	.venv/bin/pytest -q -p no:cacheprovider tests/e2e

test: lint typecheck pytest

asyncapi: install
	.venv/bin/kasane asyncapi > docs/asyncapi.json

# Benchmark (not a test): real Kafka + PostgreSQL, prints ratios vs raw baselines.
# More consultations: make bench BENCH_ARGS="--n 2000"
.PHONY: bench
bench: install
	.venv/bin/python -m bench.consultations $(BENCH_ARGS)
