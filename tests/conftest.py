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

from gongwen.corpus import copy_site_config

ROOT = Path(__file__).resolve().parent.parent
#: The tests' own copies of the five seed reports (byte-identical to ../shared/seeds, test_seeds.py checks).
#: Never the maintainers' ``corpus/``: files added there must not change what the tests read.
SEED_DIR = Path(__file__).resolve().parent / "seeds"
#: The seed corpus the tests build (the name is kept for the tests that import it): ``SEED_DIR``.
CORPUS = SEED_DIR
SEEDS = sorted(SEED_DIR.glob("*.txt"))
GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/*.md from the current output (review the diff before committing)")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def make_project(where: Path) -> Path:
    """A scratch copy of the site configuration (mkdocs.yml, overrides, hand-written docs, hooks)."""
    return copy_site_config(ROOT, where)


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


def assert_fits_with_headings_in_order(page, width: int) -> None:
    """A page in Chromium: no horizontal scrolling at ``width``, one ``h1`` first in the article, and no
    heading level skipped below it."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "horizontal scrolling"
    levels = page.evaluate("[...document.querySelectorAll('article h1, article h2, article h3, article h4, "
                           "article h5, article h6')].map(h => +h.tagName[1])")
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


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


JIAOZUO_2023 = CORPUS / "002_e9196ebf62140957.txt"
HOSTILE_SIDECAR = ('title: "=HYPERLINK(\\"http://evil\\")某某县科技局2024年<b>法治</b>政府建设工作报告"\n'
                   'bureau: "<img src=x onerror=alert(9)>局"\n'
                   'doc_number: "+某〔2025〕1号"\n')


def jiaozuo_2022() -> str:
    text = JIAOZUO_2023.read_text(encoding="utf-8")
    assert "中共焦作市科学技术局党组 关于2023年法治政府建设工作的报告" in text
    return (text.replace("中共焦作市科学技术局党组 关于2023年法治政府建设工作的报告", "焦作市科技局关于2022年法治政府建设工作的报告")
            .replace("中共焦作市科学技术局党组文件", "焦作市科技局文件").replace("焦科组〔2024〕5号", "焦科〔2023〕9号")
            .replace("2024年3月18日印发", "2023年3月1日印发"))


@pytest.fixture(scope="session")
def browse_site(tmp_path_factory) -> Path:
    """The seeds plus two reports: the 焦作 bureau's 2022 report printed under its short name
    (焦作市科技局, an alias in bureaus.yml), so that the bureau has a timeline with a previous and a
    next year; and a hostile report whose metadata is HTML and spreadsheet formulas."""
    tmp = tmp_path_factory.mktemp("browse")
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "005_jiaozuo_2022.txt").write_text(jiaozuo_2022(), encoding="utf-8")
    hostile = (CORPUS / "003_0f6a7d55f317c3d7.txt").read_text(encoding="utf-8").replace("西工区", "某某县")
    (corpus / "zz_hostile.txt").write_text(hostile, encoding="utf-8")
    (corpus / "zz_hostile.txt.meta.yml").write_text(HOSTILE_SIDECAR, encoding="utf-8")
    built, done = build_site(tmp, corpus)
    assert "共 7 个文件：发布 7 个页面，未发布 0 个" in done.stdout
    return built


#: The test files that take longest (``--durations``), run first: ``make test`` hands whole files to its
#: workers in collection order (``--no-loadscope-reorder``: xdist would otherwise hand out the files with the
#: most tests first, and a long file of one test, like the benchmark's, last), so that no long file runs alone
#: at the end.
LONGEST_FIRST = ("test_bench.py", "test_split.py", "test_incremental.py", "test_ocr.py", "test_same_report.py",
                 "test_search_postings.py", "test_fixtures_apart.py", "test_index_scale.py", "test_govweb.py")


def pytest_collection_modifyitems(items):
    rank = {name: number for number, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONGEST_FIRST)))  # stable: the rest keep their order
