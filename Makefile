# `make site` builds the archive from corpus/, `make serve` builds and serves it,
# `make test` runs every test.  Each sets up what it needs on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: site serve test setup clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

site: $(STAMP)
	$(VENV)/bin/gongwen build --corpus corpus --site site

serve: site
	@echo "Serving the archive on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(PY) -m http.server 8000 --bind 127.0.0.1 --directory site

test: $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf site docs/reports docs/api docs/index.md
