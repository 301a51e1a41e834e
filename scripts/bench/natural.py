"""Natural queries for the benchmark: what a visitor types for a report, made from the synthetic reports'
own names (a bureau by its short form, a county without its suffix, a city in front, a year with 年度报告),
with the reports expected first: the same bureau (and the same year, when the query names one).

Measured for this archive (first-query bytes and time on a fresh page, and the first result of every
tier) and for Pagefind (its first result); mkdocs-material's box is not run on them.
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


def natural_set(reports) -> dict[str, set[str]]:
    """query → the report URLs that may come first."""
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
        queries[query] = {report_url(r) for r in reports if matches(document(r), parse_query(simplified))}
    return queries


def measure(browser, base: str, site, queries: dict[str, set[str]], pagefind: bool) -> dict:
    """First-query bytes and time (ours), and for each system whether its first result is one expected."""
    url = f"{base}search/"
    first_ms, first_bytes = first_queries(browser, url, site, OURS_FILES, OURS_QUERY, list(queries), OURS_READY)
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

    def first_ok(urls: list[str], expected: set[str]) -> bool:
        return bool(urls) and urls[0].lstrip("/").removeprefix("./") in expected
    return {"first_ms": first_ms, "first_bytes": first_bytes,
            "ours": [first_ok(ours[q], e) for q, e in queries.items()],
            "pagefind": [first_ok(theirs[q], e) for q, e in queries.items()] if pagefind else None}


def markdown(figures: dict, kb, ms) -> list[str]:
    queries, result = figures["natural_queries"], figures["natural"]
    n, ours = len(queries), sum(result["ours"])
    pagefind = f"{sum(result['pagefind'])} of {n}" if result["pagefind"] is not None else "not run"
    lines = ["Natural queries (issue 11; made from the reports' own names: a short bureau form, a county without",
             "its suffix, a city in front, a year with 年度报告, traditional characters; expected first: that bureau, and that year",
             "when named; for traditional characters a report containing the simplified phrase).",
             f"This archive puts an expected report first on {ours} of {n}, Pagefind on {pagefind}. First query,",
             f"median / worst: {kb(statistics.median(result['first_bytes']))} / {kb(max(result['first_bytes']))}, "
             f"{ms(result['first_ms'])} (lexicon shards, word postings and `stats.bin` included).", "",
             "| natural query | expected first | this archive: first query | first result as expected: this archive / Pagefind |",
             "| --- | --- | --- | --- |"]
    for i, (query, expected) in enumerate(queries.items()):
        theirs = "—" if result["pagefind"] is None else ("yes" if result["pagefind"][i] else "no")
        lines.append(f"| {i + 1}. `{query}` | {len(expected)} | {kb(result['first_bytes'][i])}, {result['first_ms'][i]:.0f} ms "
                     f"| {'yes' if result['ours'][i] else 'no'} / {theirs} |")
    return lines
