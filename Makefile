# Two commands: `make run` and `make test`. Both create .venv when missing and (re)install the
# project when pyproject.toml changed. Only Python 3.11+ with venv and pip is needed; `make test`
# also installs the Node test dependencies (ical.js, axe-core) when npm is present.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STREAMLIT_ARGS ?=
NODE_DIR := tests/node
# written by `npm ci`: older than package-lock.json (or missing) means install again
NODE_STAMP := $(NODE_DIR)/node_modules/.package-lock.json

.PHONY: run test lint typecheck docs docs-gen node unit bench clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port 8501 \
		--server.headless true --browser.gatherUsageStats false $(STREAMLIT_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy planner

# the documentation site (MkDocs) into site/; --strict fails on a broken link or a missing page
docs: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

# rewrite the generated tables of docs/ (CLI reference, scenario keys, rules) from code and data
docs-gen: $(STAMP)
	$(BIN)/python -m planner.cli.docs

# ical.js and axe-core for the feed and browser tests, pinned by tests/node/package-lock.json
node: $(NODE_STAMP)

$(NODE_STAMP): $(NODE_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --prefix $(NODE_DIR) && touch $@; \
	else \
		echo "npm not found: the ical.js and axe-core tests will be skipped (apt-get install npm)" >&2; \
	fi

unit: $(STAMP) node
	$(BIN)/python -m pytest

test: lint typecheck docs unit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache site
