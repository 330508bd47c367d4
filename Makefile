# make demo: set up .venv and build the demo database from examples/
# make test: set up .venv and run the test suite (what .ci/run runs)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean install screenshots

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/statusgraph demo --out demo

# Neo4j's own Cypher front end, for the lint test of every text the Neo4j backend sends
LINT := tools/cypher-lint/node_modules/.package-lock.json
$(LINT): tools/cypher-lint/package.json tools/cypher-lint/package-lock.json
	npm ci --prefix tools/cypher-lint --no-audit --no-fund --loglevel=error
	touch $(LINT)

test: $(STAMP) $(LINT)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# refresh the README's screenshots (docs/img/*.png) from the browser tests
screenshots: $(STAMP)
	STATUSGRAPH_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/views/test_browser.py

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf demo .pytest_cache build *.egg-info
