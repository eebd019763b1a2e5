# make book: create .venv, install, build the HTML into _build/html
# make test: install the dev requirements, build the book with -W -n, run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: book test install install-dev clean

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

clean:
	rm -rf _build
