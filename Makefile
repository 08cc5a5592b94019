# One entry point for people and CI. `make demo` sets up and crawls; `make test` runs the tests.
# Both install into the virtual environment .venv (created with $(PYTHON) -m venv, reused when present),
# so they work where the system Python refuses pip (PEP 668, e.g. Debian 12).
PYTHON ?= python3
VENV ?= .venv

.PHONY: install demo test bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) || { echo "make: cannot create $(VENV); on Debian/Ubuntu: apt-get install python3-venv" >&2; rm -rf $(VENV); exit 2; }

# An editable install leaves newsbot's own modules uncompiled, and where PYTHONDONTWRITEBYTECODE is set
# nothing caches them: every crawl would compile them again at start-up (up to 0.06 s of CPU). Compiled
# here once, as a non-editable pip install does.
install: $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e '.[test]'
	$(VENV)/bin/python -m compileall -q newsbot

demo: install
	$(VENV)/bin/newsbot demo

test: install
	$(VENV)/bin/python -m pytest -q

bench: install
	$(VENV)/bin/python bench/extraction.py
