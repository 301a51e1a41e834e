"""Search benchmark: the archive's search, mkdocs-material's default search and Pagefind
extended, side by side on the same synthetic corpus, in headless Chromium on localhost.

    .venv/bin/python scripts/bench/bench.py --count 1000 --write docs/benchmarks.md   (make bench)

Prints the figures and, with ``--write``, writes them as Markdown.  Steps: ``gongwen synth``
→ ``gongwen build`` (our index) → the same project with Material's ``search`` plugin
(``lang: zh``) → ``pagefind`` over our built site → queries in Chromium.  Bytes are the
gzip-compressed sizes (what a static host serving gzip sends) of the files each query
fetched, read from disk by URL; Pagefind's files are gzip already and count as stored.
Quality is precision and recall against the substring truth of ``analyzer.matches``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from gongwen import corpus as corpus_io, indexfiles  # noqa: E402
from gongwen.browse.scripts import ship_scripts  # noqa: E402
from gongwen.index import report_url  # noqa: E402
from gongwen.pipeline import build_reports  # noqa: E402
from gongwen.search.analyzer import document, matches, parse_query, short_forms  # noqa: E402
from gongwen.search.builder import search_files  # noqa: E402
from in_browser import (CHROMIUM, CHROMIUM_ARGS, MATERIAL_READY_LIMIT_S, TYPING_PAUSE_MS,  # noqa: E402
                        measure_material, measure_ours, measure_pagefind, serve)
from lunr_split import lunr_paragraphs, lunr_sizes  # noqa: E402
import natural  # noqa: E402

#: Phrases from the seeds' text (common and rare), always in the query set.
PHRASES = ["法律顾问", "科技类校外培训", "法治政府建设", "习近平法治思想", "行政执法", "合法性审查", "普法",
           "法治", "双随机、一公开", "满意度为100%"]


def gongwen(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "gongwen.cli", *args], check=True, capture_output=True)


def project(where: Path, material_search: bool) -> Path:
    """A scratch copy of the site configuration; optionally with Material's search plugin instead of ours."""
    config_file = corpus_io.copy_site_config(ROOT, where)
    if material_search:
        config = config_file.read_text(encoding="utf-8")
        assert config.count("\nplugins:\n") == 1, "mkdocs.yml has no plugins list to add Material's search to"
        config_file.write_text(config.replace("\nplugins:\n", "\nplugins:\n  - search:\n      lang: zh\n"), encoding="utf-8")
        (where / "overrides/partials/header.html").unlink()  # Material's own header, with its search box
    return config_file


def timed(step, *args):
    start = time.perf_counter()
    step(*args)
    return time.perf_counter() - start


def folder_bytes(folder: Path, compressed: bool) -> int:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(len(gzip.compress(p.read_bytes(), 6)) if compressed else p.stat().st_size for p in files)


def query_set(reports) -> list[str]:
    """≥20 queries: phrases, 文号 in four forms, years, bureaus and a short form, places, AND."""
    numbered = next(r for r in reports if r.doc_number)
    prefix, rest = numbered.doc_number.split("〔")
    year, number = rest.split("〕")
    shortened = next(r for r in reports if short_forms(r.bureau))
    county = next(r for r in reports if r.county)
    return [*PHRASES, numbered.doc_number, f"{prefix}[{year}]{number}", f"{prefix}（{year}）{number}",
            f"{prefix}{year} {number}", "2021年", "2024年", reports[0].bureau, short_forms(shortened.bureau)[0],
            county.county, "法律顾问 2023年", f"{county.city or county.province} 行政执法"]


def quality(got: dict[str, list[str]], truth: dict[str, set[str]]) -> tuple[float, float, list[str]]:
    """Mean precision and recall over the queries (empty sets count as 1.0), and the queries not exact."""
    precisions, recalls, wrong = [], [], []
    for query, expected in truth.items():
        found = {u.lstrip("/").removeprefix("./") for u in got.get(query, [])}
        found = {u for u in found if u.startswith("reports/")}
        hit = len(found & expected)
        precisions.append(hit / len(found) if found else 1.0)
        recalls.append(hit / len(expected) if expected else 1.0)
        if found != expected:
            wrong.append(query)
    return statistics.mean(precisions), statistics.mean(recalls), wrong


def build_all(count: int, work: Path, with_material: bool, source: Path, with_pagefind: bool = True) -> dict:
    """synth → our build → Material's build → Pagefind; the build times, also kept in work/times.json."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    corpus, ours, material = work / "corpus", work / "ours", work / "material"
    times = {"synth": timed(gongwen, "synth", "--count", str(count), "--out", str(corpus), "--source", str(source))}
    times["build_ours"] = timed(gongwen, "build", "--corpus", str(corpus), "--site", str(ours / "site"),
                                "--config", str(project(ours, False)))
    if with_material:
        times["build_material"] = timed(gongwen, "build", "--corpus", str(corpus), "--site", str(material / "site"),
                                        "--config", str(project(material, True)))
    if with_pagefind:
        times["pagefind"] = timed(lambda: subprocess.run([sys.executable, "-m", "pagefind", "--site", str(ours / "site")],
                                                         check=True, capture_output=True))
    (work / "times.json").write_text(json.dumps(times), encoding="utf-8")
    return times


def reuse_builds(work: Path) -> dict:
    """Measure again on the sites built by an earlier run (same corpus), with the current search script."""
    scripts, page = ROOT / "docs/assets/search", (work / "ours/site/search/index.html").read_text(encoding="utf-8")
    unloaded = [script.name for script in sorted(scripts.glob("*.js")) if f"assets/search/{script.name}" not in page]
    if unloaded:  # the pages of the earlier run do not load it: only a build makes them
        raise SystemExit(f"--reuse: the site of the earlier run does not load {', '.join(unloaded)}; run without --reuse")
    ship_scripts(scripts, work / "ours/site")
    return json.loads((work / "times.json").read_text(encoding="utf-8"))


def reindex(site: Path, reports) -> float:
    """Rewrite only the search index of a built site with the current builder (``--reindex``); its seconds."""
    start = time.perf_counter()
    indexfiles.write_search_index(site, search_files(reports))
    return time.perf_counter() - start


def in_chromium(work: Path, queries: list[str], natural_queries: dict, with_material: bool,
                with_pagefind: bool = True) -> tuple[dict, dict, dict | None]:
    """Every system on the exact queries, then the natural ones (Material answers both in one session)."""
    ours, material = work / "ours", work / "material"
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        results = {"ours": measure_ours(browser, serve(ours / "site"), ours / "site", queries)}
        if with_pagefind:
            results["pagefind"] = measure_pagefind(browser, serve(ours / "site"), ours / "site", queries)
        asked = queries + [q for q in natural_queries if q not in queries]
        if with_material:  # the natural queries in the same session: Material loads its whole index once
            results["material"] = measure_material(browser, serve(material / "site"), material / "site", asked)
        natural_figures = natural.measure(browser, serve(ours / "site"), ours / "site", natural_queries, with_pagefind)
        browser.close()
    natural_material = natural.material_answers(results.get("material"), asked, natural_queries)
    if "material" in results:
        results["material"]["urls"] = {q: results["material"]["urls"][q] for q in queries if q in results["material"]["urls"]}
        results["material"]["later_ms"] = results["material"]["later_ms"][:len(queries)]
    return results, natural_figures, natural_material


def run(count: int, work: Path, material: bool = True, reuse: bool = False, source: Path = ROOT / "corpus",
        rebuild_index: bool = False, pagefind: bool = True) -> dict:
    with_material = material and (not reuse or (work / "material/site").is_dir())
    times = reuse_builds(work) if reuse else build_all(count, work, with_material, source, pagefind)
    corpus, ours, material = work / "corpus", work / "ours", work / "material"
    reports = build_reports(corpus_io.scan_corpus(corpus)[0]).reports
    if reuse and rebuild_index:
        times["search_index_only"] = reindex(ours / "site", reports)
    queries = query_set(reports)
    docs = [(report_url(r), document(r)) for r in reports]
    natural_queries = natural.natural_set(reports, [doc for _, doc in docs])  # each key made once (100,000: minutes)
    truth = {q: {url for url, doc in docs if matches(doc, parse_query(q))} for q in queries}
    results, natural_figures, natural_material = in_chromium(work, queries, natural_queries, with_material, pagefind)
    sizes = {"corpus_raw": folder_bytes(corpus, False),
             "ours_raw": folder_bytes(ours / "site/search", False) - (ours / "site/search/index.html").stat().st_size,
             "ours_gz": folder_bytes(ours / "site/search", True),
             "ours_files": sum(1 for p in (ours / "site/search").rglob("*") if p.is_file()),
             }
    if pagefind:
        sizes["pagefind_raw"] = folder_bytes(ours / "site/pagefind", False)
    if with_material:
        index = (material / "site/search/search_index.json").read_bytes()
        sizes |= {"material_raw": len(index), "material_gz": len(gzip.compress(index, 6))}
    sizes["lunr"] = lunr_sizes(reports, queries)
    for name, result in results.items():
        urls = result.pop("urls")
        if result.get("setup_ms", 0) is not None:  # Material's box never became ready: no answers to judge
            result["precision"], result["recall"], result["wrong"] = quality(urls, truth)
    return {"count": count, "queries": queries, "truth_sizes": {q: len(t) for q, t in truth.items()},
            "times": times, "sizes": sizes, "results": results, "natural_queries": natural_queries,
            "natural": natural_figures, "natural_material": natural_material}


def kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"


def ms(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} / {max(values):.0f} ms"


def _material_cells(figures: dict) -> dict[str, str]:
    """Material's column; "not run" when the benchmark skipped it (--no-material)."""
    mat, sizes = figures["results"].get("material"), figures["sizes"]
    if mat is None:
        return dict.fromkeys(("index", "bytes", "first", "later", "quality", "wrong"), "not run")
    if mat["setup_ms"] is None:
        never = f"search box not ready after {MATERIAL_READY_LIMIT_S} s"
        return {"index": f"{kb(sizes['material_raw'])} ({kb(sizes['material_gz'])} gzip), all fetched before the first result",
                "bytes": kb(sizes["material_gz"]), "first": never, "later": never, "quality": "no answers", "wrong": "—"}
    return {"index": f"{kb(sizes['material_raw'])} ({kb(sizes['material_gz'])} gzip), all fetched before the first result",
            "bytes": kb(sizes["material_gz"]), "first": f"search box ready after {mat['setup_ms']:.0f} ms (page + whole index)",
            "later": ms(mat["later_ms"]), "quality": f"{mat['precision']:.2f} / {mat['recall']:.2f}", "wrong": str(len(mat["wrong"]))}


def _pagefind_cells(figures: dict, first: float) -> dict[str, str]:
    """Pagefind's column and the ratios line; "not run" when the benchmark skipped it (--no-pagefind)."""
    pf = figures["results"].get("pagefind")
    if pf is None:
        return dict.fromkeys(("index", "bytes", "first", "later", "typed", "quality", "wrong"), "not run") | {
            "ratios": "Pagefind not run"}
    ours = figures["results"]["ours"]
    return {"index": kb(figures["sizes"]["pagefind_raw"]),
            "bytes": f"{kb(statistics.median(pf['first_bytes']))} / {kb(max(pf['first_bytes']))}",
            "first": ms(pf["first_ms"]), "later": ms(pf["later_ms"]), "typed": ms(pf["typed_ms"]),
            "quality": f"{pf['precision']:.2f} / {pf['recall']:.2f}", "wrong": str(len(pf["wrong"])),
            "ratios": f"Ratios (median first query): Pagefind fetches {statistics.median(pf['first_bytes']) / first:.1f}× "
                      f"the bytes and takes {statistics.median(pf['first_ms']) / statistics.median(ours['first_ms']):.1f}× "
                      "the time of this archive"}


def report_markdown(figures: dict, command: str) -> str:
    n, sizes, r = figures["count"], figures["sizes"], figures["results"]
    ours, mat = r["ours"], _material_cells(figures)
    first = statistics.median(ours["first_bytes"])
    pf = _pagefind_cells(figures, first)
    lines = [
        f"### {n:,} synthetic reports", "",
        f"Corpus {kb(sizes['corpus_raw'])} of text; {len(figures['queries'])} queries. Build times: "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in figures["times"].items()) + ".", "",
        "| | this archive | Pagefind extended | mkdocs-material search |", "| --- | --- | --- | --- |",
        f"| index on disk | {kb(sizes['ours_raw'])} ({sizes['ours_files']:,} files), {kb(sizes['ours_gz'])} gzip "
        f"| {pf['index']} | {mat['index']} |",
        f"| first query: bytes, median / worst | {kb(first)} / {kb(max(ours['first_bytes']))} "
        f"| {pf['bytes']} | {mat['bytes']} |",
        f"| first query: time, median / worst | {ms(ours['first_ms'])} | {pf['first']} | {mat['first']} |",
        f"| later queries, submitted at once: time, median / worst | {ms(ours['later_ms'])} | {pf['later']} "
        f"| {mat['later']} |",
        f"| later queries, typed, Enter after {TYPING_PAUSE_MS} ms: time, median / worst | {ms(ours['typed_ms'])} "
        f"| {pf['typed']} | as typed (search as you type) |",
        f"| precision / recall (mean over queries) | {ours['precision']:.2f} / {ours['recall']:.2f} "
        f"| {pf['quality']} | {mat['quality']} |",
        f"| queries not answered exactly | {len(ours['wrong'])} | {pf['wrong']} | {mat['wrong']} |", "",
        pf["ratios"] + (f"; Material's index is {sizes['material_gz'] / first:.0f}× the bytes." if "material_gz" in sizes else "."),
        f"Floor, in the same browser: fetching ten uncached result files in parallel took {ms(ours['floor_ms'])}.", "",
        *lunr_paragraphs(sizes["lunr"], kb, sizes["ours_gz"], ours["first_bytes"]), "",
        "Per query (expected = reports containing it; first-query bytes and time):", "",
        "| query | expected | this archive | Pagefind | exact: this archive / Pagefind / Material |",
        "| --- | --- | --- | --- | --- |"]
    for i, q in enumerate(figures["queries"]):
        exact = " / ".join("—" if "wrong" not in r.get(k, {}) else "no" if q in r[k]["wrong"] else "yes"
                           for k in ("ours", "pagefind", "material"))
        theirs = f"{kb(r['pagefind']['first_bytes'][i])}, {r['pagefind']['first_ms'][i]:.0f} ms" if "pagefind" in r else "not run"
        lines.append(f"| `{q}` | {figures['truth_sizes'][q]} | {kb(ours['first_bytes'][i])}, {ours['first_ms'][i]:.0f} ms "
                     f"| {theirs} | {exact} |")
    lines += ["", *natural.markdown(figures, kb, ms)]
    return "\n".join(lines) + f"\n\nCommand: `{command}`\n"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"load average at the end {load} (other jobs shared the machine; times are upper bounds)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="synthetic reports (default 1000)")
    parser.add_argument("--work", type=Path, default=ROOT / ".bench", help="scratch folder (default .bench/)")
    parser.add_argument("--no-material", action="store_true",
                        help="skip mkdocs-material's search (its build and index take very long at 10,000)")
    parser.add_argument("--no-pagefind", action="store_true",
                        help="skip Pagefind (at 100,000 reports its index did not fit this machine's memory)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure again on the sites of an earlier run in --work (skips synth and builds)")
    parser.add_argument("--reindex", action="store_true",
                        help="with --reuse: rewrite only the search index of the built site with the current builder")
    parser.add_argument("--source", type=Path, default=ROOT / "corpus",
                        help="real reports the synthetic ones are made from (default corpus/; the tests give their seeds)")
    parser.add_argument("--write", type=Path, help="write the figures as Markdown into this file's generated section")
    args = parser.parse_args(argv)
    figures = run(args.count, args.work / str(args.count), not args.no_material, args.reuse, args.source, args.reindex,
                  not args.no_pagefind)
    command = (f"python scripts/bench/bench.py --count {args.count}" + (" --no-material" if args.no_material else "")
               + (" --no-pagefind" if args.no_pagefind else "")
               + (" --reuse" if args.reuse else "") + (" --reindex" if args.reindex else "")
               + (f" --write {args.write}" if args.write else ""))
    text = report_markdown(figures, command)
    print(text)
    print(json.dumps({k: v for k, v in figures["results"]["ours"].items() if k != "wrong"}))
    if args.write:
        stamp = f"Measured {dt.date.today().isoformat()} on {machine()}, headless Chromium on localhost.\n\n"
        write_section(args.write, figures["count"], stamp + text)
    return 0


def write_section(path: Path, count: int, text: str, kind: str = "bench") -> None:
    """Replace this size's section of the benchmarks page, keeping the rest (e.g. 10,000 figures run by hand);
    ``kind``: which benchmark's sections (``index_scale.py`` writes its own)."""
    begin, end = f"<!-- {kind} {count} begin -->", f"<!-- {kind} {count} end -->"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{begin}\n{text}{end}"
    if begin in old:
        head, rest = old.split(begin, 1)
        new = head + block + rest.split(end, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
