"""The search index builder alone at N synthetic reports (issue 12's simulation for 100,000 reports).

    .venv/bin/python scripts/bench/index_scale.py --count 100000 --write docs/scale.md

Steps: ``synthetic_reports(N)`` parsed in chunks of 5,000 in this process, keeping only what the index is
built from (each report's search key and its fields without the text: ``search.builder.indexed``); the
index built from them (``index_stream``, written to disk as it is made, its merge spilled to disk as in a
build: time, and the process's peak memory, parse and index); a small site (the seeds,
``gongwen build``) whose search index is replaced by the N-report one; then the search benchmark's exact
queries (``bench.query_set``) on fresh pages in headless Chromium (``in_browser.first_queries``): the bytes a
static host serving gzip sends, the time to the first results, and tier 1's precision and recall; then the natural queries (``natural.natural_set``: bytes, time,
whether the first result is one expected).  ``--memo`` keeps every report's entries in a memo while the index
is built, as a build does (for its next build: on disk in the scratch folder, ``memos.EntryFolder``, and
saved at the end); ``--pool`` computes the reports' entries in two worker processes, as a cold build does.
The index step's own figures (wall, CPU of this process and of the pool's workers, peak) are printed as
soon as it ends.  With ``--write``, the figures replace the page's section ``<!-- index N begin/end -->``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "scripts" / "bench"))

from gongwen import corpus as corpus_io, indexfiles, memos  # noqa: E402
from gongwen.pipeline import SourceFile, build_reports  # noqa: E402
from gongwen.search.builder import Indexed, document_order, index_stream, indexed  # noqa: E402
from gongwen.search.memo import SearchMemo  # noqa: E402
from gongwen.synthetic import pool_from_reports, synthetic_reports  # noqa: E402
import natural  # noqa: E402
from bench import quality, query_set, write_section  # noqa: E402
from build_bench import _kb, _tree  # noqa: E402
from gongwen.index import report_url  # noqa: E402
from gongwen.search.analyzer import matches, parse_query  # noqa: E402
from in_browser import (CHROMIUM, CHROMIUM_ARGS, OURS_FILES, OURS_QUERY, OURS_READY, first_queries,  # noqa: E402
                        served_bytes, serve, watch)

SEEDS = ROOT / "tests" / "seeds"
CHUNK = 5000


def index_inputs(count: int) -> tuple[Indexed, float]:
    """The search keys and light reports of ``count`` synthetic reports, in the index's order; parse seconds.

    Parsed in two worker processes, a chunk at a time, which hand back only what the index is built from: as a
    split build's province jobs parse and export it and the national step, which makes the index, loads it
    (``national.ProvinceExport``).  Parsed here, the parse's freed objects pinned this process's heap: 3.0 GB
    held before the index step at 100,000 reports, of which the reports and keys are 1.3 GB."""
    seeds = build_reports([SourceFile(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]).reports
    texts = synthetic_reports(count, pool_from_reports(seeds), seed=0)
    start = time.perf_counter()
    rows = []
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as parsers:
        for found in parsers.map(_parsed, [texts[first:first + CHUNK] for first in range(0, count, CHUNK)]):
            rows += zip(found.reports, found.docs, found.digests)
    rows.sort(key=lambda row: document_order(row[0]))
    return Indexed(*(list(column) for column in zip(*rows))), time.perf_counter() - start


def _parsed(texts: list[tuple[str, str]]) -> Indexed:
    """One chunk's reports parsed (``build_reports``, as a build reads a corpus), as the index takes them."""
    return indexed(build_reports([SourceFile(n, t.encode("utf-8")) for n, t in texts]).reports, SearchMemo())


def exact_set(found: Indexed) -> dict[str, set[str]]:
    """The benchmark's exact queries (``bench.query_set``: phrases, a 文号 in four forms, years, bureaus, a place,
    AND), each with the report URLs that hold every phrase (``analyzer.matches``, the definition)."""
    queries = query_set(found.reports)
    return {q: {report_url(r) for r, doc in zip(found.reports, found.docs) if matches(doc, parse_query(q))}
            for q in queries}


def first_query_figures(files, queries: dict[str, set[str]], natural_queries: dict[str, set[str]], browser=None,
                        keep: Path | None = None) -> dict:
    """Each query, then each natural query, on a fresh page of a small site holding ``files`` (``(name, bytes)``
    pairs) as its index: times, bytes, the files fetched, and whether each natural query's first result is one
    expected.  ``browser``: a Playwright Chromium already launched (the tests'), else one is launched here.
    ``queries``: the exact queries with their answers.  ``keep``: the folder where the small site is made and left,
    with the queries' answers, for ``--reuse`` (else a scratch folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = keep or Path(tmp)
        site = work / "site"
        small_site(work, site)
        indexfiles.write_search_index(site, files)
        if keep:
            for name, answers in (("exact", queries), ("natural", natural_queries)):
                (keep / f"{name}.json").write_text(json.dumps({q: sorted(ids) for q, ids in answers.items()},
                                                              ensure_ascii=False), encoding="utf-8")
        return site_figures(site, queries, natural_queries, browser)


def site_figures(site: Path, queries: dict[str, set[str]], natural_queries: dict[str, set[str]], browser=None) -> dict:
    """``first_query_figures`` on a site already made."""
    if browser is not None:
        return _in_browser(browser, site, queries, natural_queries)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        own = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        figures = _in_browser(own, site, queries, natural_queries)
        own.close()
    return figures


def small_site(work: Path, site: Path) -> None:
    """The site of the seeds, built by the current program into ``site``: the pages and scripts around an index."""
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.glob("*.txt"):
        (corpus / seed.name).write_bytes(seed.read_bytes())
    config = corpus_io.copy_site_config(ROOT, work / "project")
    from gongwen.cli import main as gongwen
    gongwen(["build", "--corpus", str(corpus), "--site", str(site), "--config", str(config)])


def reuse(keep: Path, browser=None) -> dict:
    """The queries again on the site that ``--keep`` left, with the program's current pages and search scripts:
    the index of a 100,000-report run is measured again in a few minutes, not made again.  The small site is built
    again (a new script needs the pages that load it) and the kept index moved into it, beside the new search page
    (``search/index.html``, the one page in the index's folder)."""
    site, fresh, old = keep / "site", keep / "site.new", keep / "site.old"
    if not (site / "search").is_dir() and (fresh / "search").is_dir():  # a run stopped while the index was moved
        shutil.rmtree(site, ignore_errors=True)
        fresh.rename(site)
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    small_site(keep, fresh)
    page = (fresh / "search" / "index.html").read_bytes()
    shutil.rmtree(fresh / "search")
    (site / "search").rename(fresh / "search")
    (fresh / "search" / "index.html").write_bytes(page)
    site.rename(old)
    fresh.rename(site)
    shutil.rmtree(old)
    exact, natural_queries = ({q: set(ids) for q, ids in json.loads((keep / f"{name}.json").read_text(encoding="utf-8")).items()}
                              for name in ("exact", "natural"))
    return site_figures(site, exact, natural_queries, browser)


def _in_browser(browser, site: Path, exact: dict[str, set[str]], natural_queries: dict[str, set[str]]) -> dict:
    base, fetched, queries = serve(site), {}, list(exact)
    times, sizes = first_queries(browser, f"{base}search/", site, OURS_FILES, OURS_QUERY, queries, OURS_READY, fetched)
    found = natural.measure(browser, base, site, natural_queries, False)
    precision, recall, wrong = quality(tier_one(browser, base, queries), exact)
    return {"times": times, "sizes": sizes, "natural": found, "kinds": kinds(site, fetched), "queries": queries,
            "quality": (precision, recall, wrong),
            "requests": [len(urls) for urls in fetched.values()],
            "limited": filtered_figures(browser, base, site, queries)}


def tier_one(browser, base: str, queries: list[str]) -> dict[str, list[str]]:
    """Each query's tier-1 result URLs, on one page."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}search/")
    page.wait_for_selector(OURS_READY, state="attached")
    urls = {q: page.evaluate("q => gongwenSearch.resultUrls(q)", q) for q in queries}
    context.close()
    return urls


#: What a first query fetches, by kind (the prefix of its path under the site).
KINDS = {"script": "/assets/search/", "lexicon w/": "/search/w/", "lexicon v/": "/search/v/", "own postings g/": "/search/g/",
         "buckets b/": "/search/b/", "results t/": "/search/t/"}


def kinds(site: Path, fetched: dict[str, list[str]]) -> dict[str, float]:
    """The median over the queries of the gzip bytes of each kind of file (the rest: meta.json and the like)."""
    per_kind = {kind: [] for kind in [*KINDS, "other"]}
    for urls in fetched.values():
        for kind in per_kind:
            chosen = [u for u in urls if (KINDS.get(kind) or "") in u] if kind != "other" else \
                [u for u in urls if not any(prefix in u for prefix in KINDS.values())]
            per_kind[kind].append(served_bytes(site, chosen))
    return {kind: statistics.median(values) for kind, values in per_kind.items()}


#: A query limited by filters, run with the search code alone (no rendering): its time to a result.
FILTERED_QUERY = """async ([q, filters]) => {
  const t0 = performance.now();
  const meta = await gongwenSearch.loadMeta();
  await gongwenSearch.searchOnce(meta, Object.assign({ q: q }, filters));
  return performance.now() - t0; }"""
#: The index files a search reads (not the scripts, not the results' t/ files, which a filter does not change).
INDEX_FILES = ("/search/meta.json", "/search/filters.json", "/search/g/", "/search/b/", "/search/w/", "/search/v/")


def limits(site: Path) -> dict[str, dict[str, str]]:
    """No filter, the newest year, and the province with the most reports (from meta.json's blocks)."""
    meta = json.loads((site / "search" / "meta.json").read_text(encoding="utf-8"))
    starts = meta["blocks"][0::2] + [meta["count"]]
    held: dict[str, int] = {}
    for n, (start, end) in enumerate(zip(starts, starts[1:])):
        province = meta["provinces"][meta["blocks"][2 * n + 1]]
        held[province] = held.get(province, 0) + end - start
    year, province = str(meta["years"][-1][0]), max(sorted(held), key=held.get)
    return {"no filter": {}, f"year {year}": {"year": year}, f"province {province}": {"region": province}}


def filtered_figures(browser, base: str, site: Path, queries: list[str]) -> dict[str, list[int]]:
    """Each query on a fresh page under each limit: the gzip bytes of the index files it fetched."""
    out: dict[str, list[int]] = {}
    for label, filters in limits(site).items():
        out[label] = []
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            fetched = watch(page, INDEX_FILES)
            page.goto(f"{base}search/")
            page.wait_for_selector(OURS_READY, state="attached")
            page.evaluate(FILTERED_QUERY, [query, filters])
            out[label].append(served_bytes(site, fetched))
            context.close()
    return out


def markdown(count: int, figures: dict) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    times, sizes, found = figures["times"], figures["sizes"], figures["natural"]
    by_kind = ", ".join(f"{kind} {value / 1024:.0f}" for kind, value in figures["kinds"].items())
    rows = [("reports", f"{count:,}"), ("parse the synthetic files (in 2 worker processes, which hand back what the index is built from)", f"{figures['parse']:.0f} s"),
            ("build the index from the search keys (`index_stream`, written as made)", f"{figures['index']:.0f} s"),
            ("every report's entries kept in a memo, as in a build", "yes" if figures["memo"] else "no"),
            ("entries computed in a pool of 2 processes, as in a cold build", "yes" if figures["pool"] else "no"),
            ("CPU time of the index step: this process / the pool's workers",
             f"{figures['step']['cpu']:.0f} s / {figures['step']['pool_cpu']:.0f} s"),
            ("peak memory of the process (parse and index; resident, with the pages of files it maps)",
             f"{figures['peak'] / 1024:,.0f} MB"),
            ("peak memory of the index step, sampled every 0.2 s", figures["watched"]),
            ("index files", f"{len(figures['files']):,}"),
            ("index on disk / gzip", f"{figures['bytes'] / 1e6:,.1f} MB / {figures['gzip'] / 1e6:,.1f} MB"),
            ("exact queries: precision / recall (mean), queries not exact",
             f"{figures['quality'][0]:.2f} / {figures['quality'][1]:.2f}, {len(figures['quality'][2])} not exact"
             + (f" ({', '.join(figures['quality'][2])})" if figures["quality"][2] else "")),
            (f"first query on a fresh page, {len(sizes)} exact queries: bytes median / worst",
             f"{statistics.median(sizes) / 1024:.0f} / {max(sizes) / 1024:.0f} KB"),
            ("first query: time to results, median / worst", f"{statistics.median(times):.0f} / {max(times):.0f} ms"),
            ("… its bytes by kind, median of each (KB)", by_kind),
            ("… files it fetched, median / worst", f"{statistics.median(figures['requests']):.0f} / {max(figures['requests'])}"),
            (f"first natural query, {len(found['first_bytes'])} queries: bytes median / worst",
             f"{statistics.median(found['first_bytes']) / 1024:.0f} / {max(found['first_bytes']) / 1024:.0f} KB"),
            ("first natural query: time median / worst",
             f"{statistics.median(found['first_ms']):.0f} / {max(found['first_ms']):.0f} ms"),
            ("natural queries whose first result is one expected", f"{sum(found['ours'])} of {len(found['ours'])}"),
            ("index files a first query fetches (meta, lexicon, postings; no script or results), median / worst",
             "; ".join(f"{label}: {statistics.median(v) / 1024:.0f} / {max(v) / 1024:.0f} KB"
                       for label, v in figures["limited"].items())),
            ("CPU time of this process (parse and index; not the parse's workers)", f"{figures['cpu']:.0f} s")]
    lines = [f"### The search index alone, {count:,} synthetic reports", "",
             f"Measured by `scripts/bench/index_scale.py --count {count}` on {dt.date.today().isoformat()}, "
             f"{platform.system()} {platform.release()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"load average at the end {load}. Queries: {', '.join(f'`{q}`' for q in figures['queries'])}.", "",
             "| figure | value |", "| --- | --- |"] + [f"| {a} | {b} |" for a, b in rows]
    return "\n".join(lines + [""])


def query_lines(figures: dict) -> str:
    """Each query's bytes and time, by kind of file, and the medians: what ``--reuse`` prints."""
    sizes, times, found = figures["sizes"], figures["times"], figures["natural"]
    lines = [f"{q}: {size / 1024:.0f} KB, {ms:.0f} ms" for q, size, ms in zip(figures["queries"], sizes, times)]
    lines.append("precision / recall {:.2f} / {:.2f}, not exact: {}".format(*figures["quality"][:2], figures["quality"][2] or "none"))
    lines.append(f"first query: {statistics.median(sizes) / 1024:.0f} / {max(sizes) / 1024:.0f} KB, "
                 f"{statistics.median(times):.0f} / {max(times):.0f} ms median / worst")
    lines.append("by kind: " + ", ".join(f"{kind} {value / 1024:.0f}" for kind, value in figures["kinds"].items()))
    lines.append(f"natural: {statistics.median(found['first_bytes']) / 1024:.0f} / {max(found['first_bytes']) / 1024:.0f} KB, "
                 f"{statistics.median(found['first_ms']):.0f} ms median; first result expected {sum(found['ours'])} of "
                 f"{len(found['ours'])}")
    return "\n".join(lines)


class MemoryWatch:
    """The peaks, sampled every 0.2 s while the ``with`` block runs: this process's anonymous memory (what it
    holds; its resident set also counts the pages of the files it maps, which the kernel can drop), and the
    proportional sets of it and its pool's workers summed (what they take from the machine, ``build_bench``)."""

    def __init__(self):
        self.anonymous = self.proportional = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while True:
            own = os.getpid()
            self.anonymous = max(self.anonymous, _kb(own, "status", "RssAnon"))
            self.proportional = max(self.proportional, sum(_kb(pid, "smaps_rollup", "Pss") for pid in _tree(own)))
            if self._done.wait(0.2):
                return

    def text(self) -> str:
        return (f"anonymous {self.anonymous / 1024:,.0f} MB in this process; "
                f"proportional {self.proportional / 1024:,.0f} MB with the pool")


def _entry_pool():
    """The build's pool (``buildstep.entry_pool``), or one like it before it was there."""
    try:
        from gongwen.buildstep import entry_pool as pool
    except ImportError:
        return ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"))
    return pool()


def _memo(scratch: Path, memo: bool):
    """A search memo whose entries are on disk, as a build's (``None`` without ``--memo``)."""
    if not memo:
        return None
    return SearchMemo({}, memos.EntryFolder(scratch / "entries", "bench"))


def _step_usage(before: dict | None = None) -> dict:
    """Wall and CPU seconds (this process; the pool's ended workers) since ``before``.  (Not the workers' peak:
    the kernel gives a started process the peak of the one it was forked from.)"""
    own, pool = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    now = {"wall": time.perf_counter(), "cpu": own.ru_utime + own.ru_stime, "pool_cpu": pool.ru_utime + pool.ru_stime}
    return now if before is None else {key: now[key] - before[key] for key in now}


def main(argv: list[str] | None = None, browser=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--write", type=Path, help="Markdown page whose section for this size is replaced")
    parser.add_argument("--memo", action="store_true", help="keep every report's entries in a memo, as a build does")
    parser.add_argument("--pool", action="store_true", help="compute the entries in 2 worker processes, as a cold build does")
    parser.add_argument("--keep", type=Path, help="folder where the site with the index is left, for --reuse")
    parser.add_argument("--reuse", type=Path, help="only measure the queries again on the site --keep left")
    args = parser.parse_args(argv)
    if args.reuse:
        print(query_lines(reuse(args.reuse, browser)))
        return 0
    found, parse_seconds = index_inputs(args.count)
    with tempfile.TemporaryDirectory() as scratch:  # the index written as it is made, as a build does
        folder = Path(scratch) / "index"
        names, step, memo = [], _step_usage(), _memo(Path(scratch), args.memo)
        watch_memory = MemoryWatch()
        with _entry_pool() if args.pool else nullcontext() as pool, watch_memory:
            extra = {"pool": pool} if args.pool else {}
            # the year and block parts on disk, as a build keeps them (``buildstep._index_reports``): in memory they
            # took this script's peak at 100,000 reports from 5.5 to 7.1 GB
            kept = {"years": memos.YearFolder(Path(scratch) / "years"), "kept_blocks": memos.YearFolder(Path(scratch) / "blocks")}
            for name, data in index_stream(found, memo=memo, spill=memos.SpillFolder(Path(scratch) / "spill"), **extra, **kept):
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(data)
                names.append(name)
        if hasattr(getattr(memo, "kept", None), "save"):
            memo.kept.save()  # as a build saves it for the next
        step = _step_usage(step)
        index_seconds = step["wall"]
        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(f"index step, {args.count} reports, memo {args.memo}, pool {args.pool}: {step['wall']:.0f} s wall, "
              f"CPU {step['cpu']:.0f} s here + {step['pool_cpu']:.0f} s in the pool, peak {usage.ru_maxrss / 1024:,.0f} MB "
              f"here; {watch_memory.text()}; load {os.getloadavg()}", file=sys.stderr, flush=True)
        natural_queries, exact = natural.natural_set(found.reports, found.docs), exact_set(found)
        del found
        figures = first_query_figures(((n, (folder / n).read_bytes()) for n in names), exact, natural_queries, browser,
                                      args.keep)
        figures |= {"parse": parse_seconds, "index": index_seconds, "step": step, "watched": watch_memory.text(), "pool": args.pool, "files": names, "peak": usage.ru_maxrss,
                    "cpu": usage.ru_utime + usage.ru_stime, "memo": args.memo,
                    "bytes": sum((folder / n).stat().st_size for n in names),
                    "gzip": sum(len(gzip.compress((folder / n).read_bytes(), 6)) for n in names)}
    text = markdown(args.count, figures)
    print(text)
    if args.write:
        write_section(args.write, args.count, text, "index")
    return 0


if __name__ == "__main__":
    sys.exit(main())
