# make book: create .venv, install, build the HTML into _build/html
# make test: install the dev requirements, build the book with -W -n, run every test
#   (including the Binder check, tests/test_binder.py, and the fresh-reader check,
#   tests/test_fresh_reader.py, a few minutes each; BP_SKIP_BINDER=1 and
#   BP_SKIP_FRESH_READER=1 skip them outside CI)
# make budget: time a cold and a warm build of a copy of the book, page sizes
# make linkcheck: the link tests with external links fetched too (needs the network)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: book test install install-dev clean budget linkcheck

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

book: install
	$(BIN)/jupyter-book build . -W -n --keep-going

test: install-dev
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python -m pytest

budget: install-dev
	$(BIN)/python benchmarks/build_budget.py

linkcheck: install-dev
	$(BIN)/jupyter-book build . -W -n --keep-going
	BP_LINKCHECK_EXTERNAL=1 $(BIN)/python -m pytest tests/test_links.py

clean:
	rm -rf _build
