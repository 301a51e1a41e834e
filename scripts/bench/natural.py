"""Natural queries for the benchmark: what a visitor types for a report, made from the synthetic reports'
own names (a bureau by its short form, a county without its suffix, a city in front, a year with 年度报告),
with the reports expected first: the same bureau (and the same year, when the query names one).

Measured for this archive and Pagefind (first-query bytes and time on a fresh page, and whether the first
result is one expected, counting every tier of ours) and for mkdocs-material's box (its first result; its
bytes are its whole index, fetched before any query).
"""

from __future__ import annotations

import statistics

from gongwen.datafiles import load_vocabulary
from gongwen.index import report_url
from gongwen.search.analyzer import document, matches, parse_query
from gongwen.search.names import short_place
from in_browser import OURS_FILES, OURS_QUERY, OURS_READY, PAGEFIND_QUERY, PAGEFIND_URLS, first_queries

#: How many reports the natural queries are made for (two queries each).
REPORTS = 8
#: Traditional-character queries: expected first, a report containing the simplified phrase.
TRADITIONAL = {"法律顧問": "法律顾问", "行政執法": "行政执法"}


def shortest_department(department: str) -> str:
    """The shortest printed form of a department kind (科学技术局 → 科技局), from bureaus.yml."""
    kinds = load_vocabulary().departments
    kind = kinds.get(department)
    if kind is None:
        return department
    return min((alias for alias, k in kinds.items() if k == kind), key=lambda a: (len(a), a))


def natural_set(reports, docs=None) -> dict[str, set[str]]:
    """query → the report URLs that may come first; ``docs``: the reports' search keys, when the reports are
    given without their text (``search.builder.Indexed``)."""
    chosen = [r for r in sorted(reports, key=lambda r: r.id) if r.county and r.city and r.bureau_name
              and r.bureau_name.startswith(r.county)][:REPORTS]
    queries: dict[str, set[str]] = {}
    for report in chosen:
        department = shortest_department(report.bureau_name.removeprefix(report.county))
        county = short_place(report.county) or report.county
        city = short_place(report.city) or report.city
        same_bureau = {report_url(r) for r in reports if r.bureau_id == report.bureau_id}
        same_year = {report_url(r) for r in reports if r.bureau_id == report.bureau_id and r.year == report.year}
        queries.setdefault(f"{city}{report.county}{department}", same_bureau)
        queries.setdefault(f"{county}{department}{report.year}年度报告", same_year)
    for query, simplified in TRADITIONAL.items():
        queries[query] = {report_url(r) for r, doc in zip(reports, docs or map(document, reports))
                          if matches(doc, parse_query(simplified))}
    return queries


def first_ok(urls: list[str], expected: set[str]) -> bool:
    return bool(urls) and urls[0].lstrip("/").removeprefix("./") in expected


def measure(browser, base: str, site, queries: dict[str, set[str]], pagefind: bool) -> dict:
    """First-query bytes and time (ours and Pagefind's), and for each whether its first result is one expected."""
    url = f"{base}search/"
    first_ms, first_bytes = first_queries(browser, url, site, OURS_FILES, OURS_QUERY, list(queries), OURS_READY)
    theirs_first = (first_queries(browser, f"{base}about/", site, ("/pagefind/",), PAGEFIND_QUERY, list(queries))
                    if pagefind else None)
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(OURS_READY, state="attached")
    ours = {q: page.evaluate("q => gongwenSearch.resultUrls(q, null, true)", q) for q in queries}
    theirs = {}
    if pagefind:
        page.goto(f"{base}about/")
        page.evaluate(PAGEFIND_QUERY, "法治")
        theirs = {q: page.evaluate(PAGEFIND_URLS, q) for q in queries}
    context.close()
    return {"first_ms": first_ms, "first_bytes": first_bytes,
            "ours": [first_ok(ours[q], e) for q, e in queries.items()],
            "pagefind": [first_ok(theirs[q], e) for q, e in queries.items()] if pagefind else None,
            "pagefind_ms": theirs_first[0] if pagefind else None, "pagefind_bytes": theirs_first[1] if pagefind else None}


def material_answers(material: dict | None, asked: list[str], queries: dict[str, set[str]]) -> dict | None:
    """Material's first results and times on the natural queries (``asked``: every query of its session, in order)."""
    if material is None or material.get("setup_ms") is None:
        return None
    times = dict(zip(asked, material["later_ms"]))
    return {"ok": [first_ok(material["urls"][q], e) for q, e in queries.items()], "ms": [times[q] for q in queries]}


def _yes(flags: list[bool] | None, i: int) -> str:
    return "—" if flags is None else "yes" if flags[i] else "no"


def markdown(figures: dict, kb, ms) -> list[str]:
    queries, result, material = figures["natural_queries"], figures["natural"], figures.get("natural_material")
    n, ours = len(queries), sum(result["ours"])
    pagefind = f"{sum(result['pagefind'])} of {n}" if result["pagefind"] is not None else "not run"
    mat = f"{sum(material['ok'])} of {n}" if material else "not run"
    lines = ["Natural queries (issue 11; made from the reports' own names: a short bureau form, a county without",
             "its suffix, a city in front, a year with 年度报告, traditional characters; expected first: that bureau, and that year",
             "when named; for traditional characters a report containing the simplified phrase).",
             f"This archive puts an expected report first on {ours} of {n}, Pagefind on {pagefind}, mkdocs-material on {mat}.",
             f"First query, median / worst: this archive {kb(statistics.median(result['first_bytes']))} / "
             f"{kb(max(result['first_bytes']))}, {ms(result['first_ms'])} (lexicon shards, word postings and lengths `s/` included)"]
    if result.get("pagefind_bytes"):
        lines[-1] += (f"; Pagefind {kb(statistics.median(result['pagefind_bytes']))} / {kb(max(result['pagefind_bytes']))}, "
                      f"{ms(result['pagefind_ms'])} ({statistics.median(result['pagefind_bytes']) / statistics.median(result['first_bytes']):.1f}× "
                      f"the bytes, {statistics.median(result['pagefind_ms']) / statistics.median(result['first_ms']):.1f}× the time)")
    if material:
        lines[-1] += f"; mkdocs-material its whole index first, then {ms(material['ms'])} a query"
    lines += [lines.pop() + ".", "",
              "| natural query | expected first | this archive: first query | Pagefind: first query "
              "| first result as expected: this archive / Pagefind / Material |", "| --- | --- | --- | --- | --- |"]
    for i, (query, expected) in enumerate(queries.items()):
        theirs = (f"{kb(result['pagefind_bytes'][i])}, {result['pagefind_ms'][i]:.0f} ms" if result.get("pagefind_bytes")
                  else "not run")
        lines.append(f"| {i + 1}. `{query}` | {len(expected)} | {kb(result['first_bytes'][i])}, {result['first_ms'][i]:.0f} ms "
                     f"| {theirs} | {_yes(result['ours'], i)} / {_yes(result['pagefind'], i)} / "
                     f"{_yes(material['ok'] if material else None, i)} |")
    return lines
