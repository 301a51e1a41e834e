"""Shared fixtures: the seed reports, and a site built from them in a scratch project."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = sorted(CORPUS.glob("*.txt"))
GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/*.md from the current output (review the diff before committing)")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def make_project(where: Path) -> Path:
    """A scratch copy of the site configuration (mkdocs.yml, overrides, hand-written docs, hooks)."""
    shutil.copy(ROOT / "mkdocs.yml", where / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", where / "overrides")
    generated = {"reports", "api", "index.md"}  # at the top of docs/ only: docs/search/index.md is hand-written
    shutil.copytree(ROOT / "docs", where / "docs",
                    ignore=lambda folder, names: generated & set(names) if Path(folder) == ROOT / "docs" else set())
    hooks = where / "scripts" / "gongwen"
    hooks.mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "gongwen" / "mkdocs_hooks.py", hooks / "mkdocs_hooks.py")
    return where / "mkdocs.yml"


def run_gongwen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real console command, as a maintainer runs it."""
    return subprocess.run([sys.executable, "-m", "gongwen.cli", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, encoding="utf-8")


def build_site(tmp: Path, corpus: Path) -> tuple[Path, subprocess.CompletedProcess]:
    config = make_project(tmp)
    site = tmp / "site"
    done = run_gongwen("build", "--corpus", str(corpus), "--site", str(site), "--config", str(config))
    assert done.returncode == 0, done.stderr
    return site, done


#: How the tests start Chromium: Debian's build, headless, with no background traffic.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium driven by Playwright (``make test`` installs Chromium when missing)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@pytest.fixture(scope="session")
def serve():
    """``serve(folder) -> base URL``: a static server on 127.0.0.1, as any static host would serve the site."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
