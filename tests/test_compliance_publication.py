"""The 公开情况 pages at 1,000 synthetic reports: every number equals the count of reports behind its
link, and both equal the count computed here, independently, from the reports' fields."""

from __future__ import annotations

from gongwen.issuers import issuer_kinds

import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest

from conftest import SEEDS
from gongwen.browse.listing import MAX_ENTRIES
from gongwen.browse.publication import publication_pages
from gongwen.pipeline import SourceFile, build_reports
from gongwen.slug import place_slug
from gongwen.synthetic import pool_from_reports, synthetic_reports

NUMBER_LINK = re.compile(r"\[(\d+)\]\(([^)]+)\)")
ENTRY = re.compile(r"^- \[[^\]]*\]\(([^)]+)\)", re.M)
#: The 已公开部门 link of a table row, in the three layouts of a list (a page per scope, per year, per year and kind).
PUBLISHED_LINK = re.compile(r"lists/(?:(?P<s1>[a-z0-9-]+)\.md#(?P<y1>all|\d{4})-published|(?P<s2>[a-z0-9-]+)/"
                            r"(?P<y2>all|\d{4})\.md#published|(?P<s3>[a-z0-9-]+)/(?P<y3>all|\d{4})-published\.md)\)")
#: A list page's path: the scope's page, a year's page or one kind's paged list.
LIST_PAGE = re.compile(r"publication/lists/(?:[a-z0-9-]+\.md|[a-z0-9-]+/(?P<year>all|\d{4})(?:-(?P<kind>[a-z_]+)(?:/\d+)?)?\.md)$")
SECTION = re.compile(r'^<h2 id="(?P<anchor>[a-z0-9_-]+)">', re.M)
SVG = re.compile(r"<svg .*?</svg>", re.S)
KINDS = ("published", "on_time", "late", "undated", "complete")


def late_sidecar(number: int, text: str) -> dict | None:
    """Every seventh report printed after the deadline (synthetic reports are all printed in 1–3月)."""
    if number % 7:
        return None
    year = int(re.search(r"(\d{4})年", text).group(1))  # the title's year comes first
    return {"date_printed": dt.date(year + 1, 4, 2 + number % 25)}


@pytest.fixture(scope="module")
def scale():
    pool = pool_from_reports(build_reports([SourceFile(p.name, p.read_bytes()) for p in SEEDS]).reports)
    sources = [SourceFile(n, t.encode("utf-8"), late_sidecar(i, t), "x.meta.yml")
               for i, (n, t) in enumerate(synthetic_reports(1000, pool, seed=3))]
    reports = build_reports(sources).reports
    assert len(reports) == 1000
    assert 100 < sum(r.on_time is False for r in reports) and 100 < sum(r.on_time is None for r in reports)
    return reports, publication_pages(reports)


#: Kind of issuer → the slug of its scope, from the data file that defines the kinds.
TYPE_SLUGS = {kind.name: kind.slug for kind in issuer_kinds()}


def expected_counts(reports) -> dict[tuple[str, str, str], int]:
    """(scope: 'all', a province's or a city's slug; year or 'all'; kind) → bureau-years, each bureau-year counted
    once by its first id.  Cities are counted over all years only."""
    counted = {}
    for report in sorted(reports, key=lambda r: r.id, reverse=True):
        counted[report.bureau_id, report.year] = report
    counts: dict = defaultdict(int)
    for report in counted.values():
        items = report.required_items
        kinds = {"published", {True: "on_time", False: "late", None: "undated"}[report.on_time]}
        if items.measures and items.shortcomings and items.leaders_duty and items.next_year:
            kinds.add("complete")
        province = place_slug(report.province) if report.province else "other"
        city = report.city if report.city and report.city != report.province else report.county
        subregion = f"{province}-{place_slug(city) if city else 'benji'}"
        issuer_type = "type-" + TYPE_SLUGS.get(report.issuer_kind, "unknown")  # governments apart from departments
        for scope, year in [("all", "all"), ("all", str(report.year)), (province, "all"), (province, str(report.year)),
                            (subregion, "all"), (issuer_type, "all")]:
            for kind in kinds:
                counts[scope, year, kind] += 1
    return counts


def sections(text: str) -> dict[str, str]:
    """A list page's sections by the anchor of their heading (a page of one list: the whole page under "")."""
    parts = SECTION.split(text)
    return {"": text} if len(parts) == 1 else dict(zip(parts[1::2], parts[2::2]))


def entries_behind(pages: dict[str, str], page: str, target: str) -> list[str]:
    """Report pages listed behind a link: its section of a page, or every page of a paged list."""
    target, _, anchor = target.partition("#")
    first = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
    assert first in pages, first
    if anchor:
        return [posixpath.normpath(posixpath.join(posixpath.dirname(first), t)) for t in ENTRY.findall(sections(pages[first])[anchor])]
    found, number = [], 1
    path = first
    while path in pages:
        found += [posixpath.normpath(posixpath.join(posixpath.dirname(path), t)) for t in ENTRY.findall(pages[path])]
        number += 1
        path = f"{first.removesuffix('.md')}/{number}.md"
    return found


def test_every_number_equals_the_reports_behind_its_link(scale):
    reports, pages = scale
    by_page = {f"reports/{r.id}.md": r for r in reports}
    checked = 0
    for page, text in pages.items():
        table = "\n".join(line for line in text.splitlines() if line.startswith("| "))  # not the pager's 页码
        for number, target in NUMBER_LINK.findall(table):
            behind = entries_behind(pages, page, target)
            assert len(behind) == int(number), (page, target)
            assert all(path in by_page for path in behind)
            checked += 1
    assert checked > 500


def test_numbers_equal_an_independent_count(scale):
    """Each table row's scope and year are read from its 已公开部门 link; every cell, zero included, must
    equal the count made here from the reports' own fields."""
    reports, pages = scale
    expected = expected_counts(reports)
    seen = set()
    for page, text in pages.items():
        for line in text.splitlines():
            found = PUBLISHED_LINK.search(line) if line.startswith("| ") else None
            if not found:
                continue
            row = {"scope": found["s1"] or found["s2"] or found["s3"], "year": found["y1"] or found["y2"] or found["y3"]}
            cells = line[2:-2].split(" | ")[1:]
            assert len(cells) == len(KINDS), line
            for kind, cell in zip(KINDS, cells):
                number = NUMBER_LINK.match(cell)
                shown = int(number.group(1)) if number else int(cell)
                assert shown == expected.get((row["scope"], row["year"], kind), 0), (page, line, kind)
            seen.add((row["scope"], row["year"]))
    assert {key[:2] for key in expected} == seen  # every scope and year has its row


def test_lists_hold_only_reports_of_their_kind_and_stay_small(scale):
    reports, pages = scale
    by_page = {f"reports/{r.id}.md": r for r in reports}
    lists = 0
    for path, text in pages.items():
        assert len(ENTRY.findall(text)) <= MAX_ENTRIES, path
        match = LIST_PAGE.match(path)
        if not path.startswith("publication/lists/"):
            continue
        assert match, path
        for anchor, section in sections(text).items():
            year, kind = (match["year"], match["kind"]) if match["kind"] else \
                anchor.split("-", 1) if match["year"] is None else (match["year"], anchor)
            lists += 1
            _check_list(by_page, path, section, year, kind)
    assert lists > 300


def _check_list(by_page, path: str, text: str, year: str, kind: str) -> None:
    """Every report listed under (year, kind) is of that year and kind."""
    assert kind in KINDS, (path, kind)
    for target in ENTRY.findall(text):
        report = by_page[posixpath.normpath(posixpath.join(posixpath.dirname(path), target))]
        assert year in ("all", str(report.year))
        if kind in ("on_time", "late", "undated"):
            assert report.on_time is {"on_time": True, "late": False, "undated": None}[kind]
        if kind == "complete":
            assert all(report.required_items.model_dump().values())


def test_series_mark_missing_years(scale):
    reports, pages = scale
    years, last = defaultdict(set), defaultdict(int)  # a series runs to its province's latest year (issue 24)
    for report in reports:
        years[report.bureau_id].add(report.year)
        last[report.province] = max(last[report.province], report.year)
    province = {r.bureau_id: r.province for r in reports}
    gaps = {b: sum(1 for y in range(min(ys), last[province[b]] + 1) if y not in ys) for b, ys in years.items()}
    series = "".join(t for p, t in pages.items() if p.startswith("publication/series/"))
    lines = re.findall(r"\]\(\.\./\.\./bureaus/([^)]+)\.md\) — (缺 (\d+) 年：)?", series)
    assert len(lines) == len(years)
    for bureau, _, gap in lines:
        assert int(gap or 0) == gaps[bureau]


def test_charts_are_well_formed_svg_with_a_title(scale):
    _, pages = scale
    charts = [svg for text in pages.values() for svg in SVG.findall(text)]
    assert len(charts) > 10
    for svg in charts:
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.get("viewBox")
        assert root.find("{http://www.w3.org/2000/svg}title").text
        assert "\n\n" not in svg  # a blank line would end the raw HTML block
