# Everything a fresh machine needs: `make demo` runs the app, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test test-fast test-any-hour bench fuzz system-deps screenshots clean

# Debian packages the tests and the offscreen Qt platform need (no-op where present or not Debian).
system-deps:
	@bash packaging/system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: system-deps $(STAMP)
	$(BIN)/fieldapp demo

# Most tests wait on real server processes and key derivation, so three workers beat two cores.
TEST_WORKERS ?= 3

test: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n $(TEST_WORKERS)

# The fast suite again with the clock moved (libfaketime) to instants where this machine's date is not
# Shanghai's, across DST, New Year and 29 February, in four zones. ANY_HOUR='--random' picks one;
# ANY_HOUR='--only NAME' replays one (packaging/any_hour.py --list names them).
ANY_HOUR ?=
test-any-hour: system-deps $(STAMP)
	$(BIN)/python packaging/any_hour.py $(ANY_HOUR) -- -n $(TEST_WORKERS)

test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not gui and not e2e and not slow"

bench: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -s tests/bench -p no:cacheprovider -o addopts=""

# The server's API fuzzed long (make test runs 12 examples per operation and caller).
FUZZ_EXAMPLES ?= 400
fuzz: system-deps $(STAMP)
	FIELDAPP_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -s -p no:cacheprovider tests/unit/server/test_api_fuzz.py

screenshots: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/screenshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
