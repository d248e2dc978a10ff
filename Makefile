# Two commands do all set-up on a fresh machine (prerequisites: Python 3.11+, Java 17+, Maven,
# Node.js 20+ for the portal's design tokens):
#   make up     install everything, start Kafka + PostgreSQL + the seven services, load the
#               fictional demo year (skip it with: make up DEMO=0) and print where to look
#   make test   install everything, then lint, type-check and run the whole test suite
.PHONY: up down status test lint typecheck pytest install test-deps asyncapi clean demo where

UV_VERSION := 0.13.8
TOOLS := .kasane/tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= python3

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The staff portal serves the デジタル庁 design tokens from itself (closed networks: no CDN).
# npm installs them from the committed lock file and copies them into the portal's static
# folder, again only when the lock file changes; the browser tests' axe-core comes the same way.
PORTAL_ASSETS := tools/portal-assets
PORTAL_VENDOR := services/portal/portal/static/vendor/dds-tokens.css
$(PORTAL_VENDOR): $(PORTAL_ASSETS)/package-lock.json $(PORTAL_ASSETS)/copy-assets.mjs
	cd $(PORTAL_ASSETS) && npm ci --no-audit --no-fund --silent && node copy-assets.mjs

install: $(UV) $(PORTAL_VENDOR)
	$(UV) sync --frozen --quiet

# The AsyncAPI check (tests/unit/test_asyncapi_parser.py) runs the official parser from npm,
# installed from the committed lock file (again only when that file changes). Only the tests
# need it.
ASYNCAPI_CHECK := tools/asyncapi-check
$(ASYNCAPI_CHECK)/node_modules/.package-lock.json: $(ASYNCAPI_CHECK)/package-lock.json
	cd $(ASYNCAPI_CHECK) && npm ci --no-audit --no-fund --silent

test-deps: install $(ASYNCAPI_CHECK)/node_modules/.package-lock.json

# DEMO=0 skips the demo data; DEMO_ARGS are passed on, e.g. DEMO_ARGS="--seed 7 --scale 0.5".
DEMO ?= 1
DEMO_ARGS ?=

up: install
	.venv/bin/kasane up
	@if [ "$(DEMO)" != "0" ]; then .venv/bin/kasane demo $(DEMO_ARGS); fi
	@$(MAKE) --no-print-directory where

# Load the demo year into a running stack (safe to repeat: it says when it is loaded).
demo: install
	.venv/bin/kasane demo $(DEMO_ARGS)

where:
	@echo ""
	@echo "Where to look:"
	@echo "  Portal     http://127.0.0.1:8100/  (窓口ポータル: staff screens)"
	@echo "             sign in as jiritsu-counselor, houkatsu01-counselor, shakyo-coordinator, city-auditor, ..."
	@echo "             password Kasane-demo-2025 (every demo account: README, Sign-in)"
	@echo "  Dashboard  http://127.0.0.1:8107/dashboard?fiscal_year=2025"
	@echo "             sign in as city-official, password Kasane-demo-2025 (demo accounts: README, Sign-in)"
	@echo "  Keycloak   http://127.0.0.1:38180/admin  (user admin, password in .kasane/keycloak/admin-password)"
	@echo "  API docs   (OpenAPI) intake        http://127.0.0.1:8101/docs"
	@echo "                       referral      http://127.0.0.1:8102/docs"
	@echo "                       participation http://127.0.0.1:8103/docs"
	@echo "                       community     http://127.0.0.1:8104/docs"
	@echo "                       outreach      http://127.0.0.1:8105/docs"
	@echo "                       meetings      http://127.0.0.1:8106/docs"
	@echo "                       indicators    http://127.0.0.1:8107/docs"
	@echo "             every call needs a token: .venv/bin/kasane token --user jiritsu-counselor --password Kasane-demo-2025"
	@echo "             (or minted with the dev key: .venv/bin/kasane token --agency <id> --role <role>)"
	@echo "  Events     docs/asyncapi.json (AsyncAPI 3.0: every topic and event payload)"
	@echo "  Demo data  docs/demo.md (what was loaded; every person in it is fictional)"

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
pytest: test-deps
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

# Portal pages with 20 signed-in staff vs the raw service calls: make bench-portal BENCH_ARGS="--rounds 20"
.PHONY: bench-portal
bench-portal: install
	.venv/bin/python -m bench.portal $(BENCH_ARGS)

# Overload (admission control): capacity, then open-loop arrivals at 2x capacity.
# make bench-overload BENCH_ARGS="--factor 3 --duration 30 --unbounded"
.PHONY: bench-overload
bench-overload: install
	.venv/bin/python -m bench.overload $(BENCH_ARGS)

# Rebuild and consumer throughput vs plain aiokafka consume+parse, in one run.
# make bench-rebuild BENCH_ARGS="--n 50000"
.PHONY: bench-rebuild
bench-rebuild: install
	.venv/bin/python -m bench.rebuild $(BENCH_ARGS)
