# One entry point for people and CI. `make demo` sets up and crawls; `make test` runs the tests.
PYTHON ?= python3

.PHONY: install demo test bench

install:
	$(PYTHON) -m pip install -e '.[test]'

demo: install
	newsbot demo

test: install
	$(PYTHON) -m pytest -q

bench:
	$(PYTHON) bench/extraction.py
