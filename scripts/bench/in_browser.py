"""The benchmark's runs in headless Chromium: this archive's search page, Pagefind's API and
Material's search box, each on a local static server; bytes are what a static host serving gzip
sends for the files a query fetched.  Used by ``bench.py``."""

from __future__ import annotations

import functools
import gzip
import http.server
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path) -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def served_bytes(site: Path, urls: list[str]) -> int:
    total = 0
    for url in urls:
        path = site / unquote(urlparse(url).path).lstrip("/")
        data = path.read_bytes() if path.is_file() else b""
        total += len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 6))
    return total


def watch(page, prefixes: tuple[str, ...]) -> list[str]:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url)
            if any(p in request.url for p in prefixes) else None)
    return fetched


OURS_QUERY = """async q => {
  const box = document.getElementById('gw-search'), form = box.querySelector('form');
  const t0 = performance.now();
  form.elements.q.value = q; form.requestSubmit();
  while (box.dataset.state !== 'done') await new Promise(r => setTimeout(r, 1));
  return performance.now() - t0; }"""

#: A person's pause between the input method committing the phrase and pressing Enter (the
#: keystroke-level model's average keystroke is 0.28 s); the "typed" later queries wait this long.
TYPING_PAUSE_MS = 300

OURS_TYPED = """async ([q, pause]) => {
  const box = document.getElementById('gw-search'), input = box.querySelector('form').elements.q;
  input.value = q; input.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertText', data: q}));
  await new Promise(r => setTimeout(r, pause));
  const t0 = performance.now();
  input.form.requestSubmit();
  while (box.dataset.state !== 'done') await new Promise(r => setTimeout(r, 1));
  return performance.now() - t0; }"""

PAGEFIND_TYPED = """async ([q, pause]) => {
  window.pf.preload(q);  // Pagefind's own API for loading a query's index chunks while typing
  await new Promise(r => setTimeout(r, pause));
  const t0 = performance.now();
  const found = await window.pf.search(q);
  await Promise.all(found.results.slice(0, 10).map(r => r.data()));
  return performance.now() - t0; }"""

#: Chromium's floor for showing results: ten result files not yet cached, fetched in parallel.
FETCH_FLOOR = """async docs => { const GW = gongwenSearch, meta = await GW.loadMeta(); const t0 = performance.now();
  await Promise.all(docs.map(d => fetch('/search/' + GW.textFile(meta, d)).then(r => r.text())));
  return performance.now() - t0; }"""

PAGEFIND_QUERY = """async q => {
  const t0 = performance.now();
  if (!window.pf) { window.pf = await import('/pagefind/pagefind.js'); await window.pf.init(); }
  const found = await window.pf.search(q);
  await Promise.all(found.results.slice(0, 10).map(r => r.data()));
  return performance.now() - t0; }"""

PAGEFIND_URLS = """async q => { const found = await window.pf.search(q);
  return Promise.all(found.results.map(r => r.data().then(d => d.url))); }"""

MATERIAL_URLS = """async q => {
  const input = document.querySelector('.md-search__input'), meta = document.querySelector('.md-search-result__meta');
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const type = async text => { input.value = text; input.dispatchEvent(new Event('input', {bubbles: true}));
                               input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true})); };
  await type(''); while (!/键入/.test(meta.textContent)) await sleep(10);
  const t0 = performance.now();
  await type(q);
  while (!/个符合条件|没有找到/.test(meta.textContent)) await sleep(10);
  const ms = performance.now() - t0, total = parseInt((meta.textContent.match(/[0-9]+/) || ['0'])[0]);
  const list = document.querySelector('.md-search-result__list'), wrap = document.querySelector('.md-search__scrollwrap');
  // Material renders results a batch per scroll; its count is of pages and sections, so the list may never reach it:
  // scroll until the list stops growing for half a second
  for (let i = 0, still = 0, seen = -1; i < 400 && list.children.length < total && still < 25; i++) {
    still = list.children.length === seen ? still + 1 : 0; seen = list.children.length;
    wrap.scrollTop = wrap.scrollHeight; await sleep(20); }
  const urls = Array.from(list.children).map(li => new URL(li.querySelector('a').href).pathname);
  return [ms, urls]; }"""


#: What our search page fetches, counted from page load on: everything search-related.
OURS_FILES = ("/search/meta.json", "/search/filters.json", "/search/g/", "/search/b/", "/search/d/", "/search/t/", "/search/w/", "/search/v/",
              "/search/s/", "/search/sc/", "/assets/search/")
#: The search page is ready when its (empty) first run is done.
OURS_READY = "#gw-search[data-state=done]"


def first_queries(browser, url: str, site: Path, files: tuple[str, ...], query_js: str, queries: list[str],
                  ready: str | None = None, fetched_by: dict | None = None) -> tuple[list[float], list[int]]:
    """Each query on a fresh page: its time and the gzip bytes of the files it fetched (``fetched_by``, when
    given: query → those files' URLs)."""
    times, sizes = [], []
    for query in queries:
        context = browser.new_context()
        page = context.new_page()
        fetched = watch(page, files)
        page.goto(url)
        if ready:
            page.wait_for_selector(ready, state="attached")
        times.append(page.evaluate(query_js, query))
        sizes.append(served_bytes(site, fetched))
        if fetched_by is not None:
            fetched_by[query] = list(fetched)
        context.close()
    return times, sizes


def later_queries(browser, url: str, query_js: str, urls_js: str, queries: list[str],
                  ready: str | None = None) -> tuple[list[float], dict[str, list[str]]]:
    """The queries one after another on one page after a first query (法治), and every result's URL."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    if ready:
        page.wait_for_selector(ready, state="attached")
    page.evaluate(query_js, "法治")
    times = [page.evaluate(query_js, query) for query in queries]
    urls = {query: page.evaluate(urls_js, query) for query in queries}
    context.close()
    return times, urls


def measure_ours(browser, base: str, site: Path, queries: list[str]) -> dict:
    url = f"{base}search/"
    first_ms, first_bytes = first_queries(browser, url, site, OURS_FILES, OURS_QUERY, queries, OURS_READY)
    later, urls = later_queries(browser, url, OURS_QUERY, "q => gongwenSearch.resultUrls(q)", queries, OURS_READY)
    return {"first_ms": first_ms, "first_bytes": first_bytes, "later_ms": later, "urls": urls,
            "typed_ms": later_typed(browser, url, OURS_QUERY, OURS_TYPED, queries),
            "floor_ms": fetch_floor(browser, base, site)}


def later_typed(browser, url: str, query_js: str, typed_js: str, queries: list[str]) -> list[float]:
    """Later queries as a person makes them: the phrase typed, a pause, then Enter (a fresh page, first query 法治)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.evaluate(query_js, "法治")
    times = [page.evaluate(typed_js, [query, TYPING_PAUSE_MS]) for query in queries]
    context.close()
    return times


def fetch_floor(browser, base: str, site: Path, tries: int = 5) -> list[float]:
    """Time to fetch ten result files in parallel (distinct, uncached): what showing a page of results costs at least."""
    count = sum(1 for _ in (site / "search/t").iterdir())
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}about/")
    times = [page.evaluate(FETCH_FLOOR, [(t * 10 + k) % count for k in range(10)]) for t in range(tries)]
    context.close()
    return times


def measure_pagefind(browser, base: str, site: Path, queries: list[str]) -> dict:
    url = f"{base}about/"
    first_ms, first_bytes = first_queries(browser, url, site, ("/pagefind/",), PAGEFIND_QUERY, queries)
    later, urls = later_queries(browser, url, PAGEFIND_QUERY, PAGEFIND_URLS, queries)
    return {"first_ms": first_ms, "first_bytes": first_bytes, "later_ms": later, "urls": urls,
            "typed_ms": later_typed(browser, url, PAGEFIND_QUERY, PAGEFIND_TYPED, queries)}


#: How long Material's search box may take to load its whole index before it counts as never ready.
MATERIAL_READY_LIMIT_S = 600


def measure_material(browser, base: str, site: Path, queries: list[str]) -> dict:
    """Material's own search box, as a visitor uses it (its first query waits for the whole index)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(0)
    start = time.perf_counter()
    page.goto(f"{base}about/")
    page.click(".md-search__input")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    try:
        page.wait_for_function("() => /键入/.test(document.querySelector('.md-search-result__meta').textContent)",
                               timeout=MATERIAL_READY_LIMIT_S * 1000)
    except PlaywrightTimeout:  # a visitor would have given up long before: record that, not a figure
        context.close()
        return {"setup_ms": None, "later_ms": [], "urls": {}}
    setup = (time.perf_counter() - start) * 1000
    times, urls = [], {}
    for query in queries:
        elapsed, urls[query] = page.evaluate(MATERIAL_URLS, query)
        times.append(elapsed)
    context.close()
    return {"setup_ms": setup, "later_ms": times, "urls": urls}
