# `make site` builds the archive from corpus/, `make serve` builds and serves it,
# `make test` runs every test.  Each sets up what it needs on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site serve test setup browser office clean bench

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

site: $(STAMP) office
	$(VENV)/bin/gongwen build --corpus corpus --site site

serve: site
	@echo "Serving the archive on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(PY) -m http.server 8000 --bind 127.0.0.1 --directory site

# Debian's Chromium (the tests drive it with Playwright) and a CJK font, installed when missing.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! (command -v fc-list >/dev/null && fc-list :lang=zh | grep -q .); then \
		echo "Installing Chromium and CJK fonts with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig >/dev/null; \
	fi

# LibreOffice (Debian's Writer without GUI) converts .doc and .wps reports; installed when missing.
office:
	@if [ ! -x /usr/bin/soffice ]; then \
		echo "Installing LibreOffice Writer (no GUI) with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null; \
	fi

# Test files are spread over one worker per core (pytest-xdist); a file's tests stay on one worker, so a
# file's built site is built once.
test: $(STAMP) browser office
	$(PY) -m pytest -n auto --dist loadfile --no-loadscope-reorder

# Search benchmark at 1,000 synthetic reports: this archive vs mkdocs-material search vs
# Pagefind extended, in headless Chromium; rewrites its section of docs/benchmarks.md.
# BENCH_COUNT=10000 for the large run (recorded by hand, see docs/benchmarks.md).
# Then OCR of scanned seeds (character error rate, time per page) and .doc/.ofd reading (ocr_bench.py).
# Not here: the harvest's benchmark (harvest_bench.py, 3–4 minutes, mostly the polite pauses), run by hand
# as docs/benchmarks.md says.
BENCH_COUNT ?= 1000
bench: $(STAMP) browser office
	$(PY) scripts/bench/bench.py --count $(BENCH_COUNT) --write docs/benchmarks.md
	$(PY) scripts/bench/build_bench.py --count $(BENCH_COUNT) --write docs/benchmarks.md
	$(PY) scripts/bench/ocr_bench.py --write docs/benchmarks.md

# The site, its build's work folder (scripts/gongwen/buildpaths.py) and scratch files of the benchmarks.
clean: $(STAMP)
	$(VENV)/bin/gongwen clean --site site
	rm -rf .bench
