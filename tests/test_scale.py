"""1,000 synthetic reports: every listing stays within MAX_ENTRIES and nothing is lost by grouping.

The corpus is ``gongwen synth``'s: bureaus that report year after year, a few to a place.

The pages are generated in-process (the same pure functions ``gongwen build`` uses); the full
MkDocs build of 1,000 reports and its HTML sizes are measured by ``scripts/scale_check.py``
(figures in docs/benchmarks-browse.md), not in a timed test.
"""

from __future__ import annotations

import posixpath
import re

import pytest

from conftest import SEEDS
from gongwen.browse import listing, publication, tags
from gongwen.browse import pages as pages_module
from gongwen.browse.listing import MAX_ENTRIES, Entry, RememberedLines, paged, remembering
from gongwen.browse.places import region_chain
from gongwen.browse.tags import tag_links
from gongwen.datafiles import load_vocabulary
from gongwen.index import site_pages
from gongwen.browse.data import reports_csv, reports_json
from gongwen.partition import (MAX_FILE_BYTES, NATIONAL_DATA, by_partition, data_files, national_bytes, oversized,
                               partition_of)
from gongwen.pipeline import SourceFile, build_reports
from gongwen.synthetic import pool_from_reports, synthetic_reports

ENTRY = re.compile(r"^\s*- \[", re.M)
LINK = re.compile(r"\]\(([^)]+)\)")


@pytest.fixture(scope="module")
def scale():
    pool = pool_from_reports(build_reports([SourceFile(p.name, p.read_bytes()) for p in SEEDS]).reports)
    result = build_reports([SourceFile(name, text.encode("utf-8")) for name, text in synthetic_reports(1000, pool, seed=3)])
    assert len(result.reports) == 1000
    pages, _ = site_pages(result.reports, load_vocabulary(), {})
    return result.reports, pages


def test_no_listing_page_exceeds_the_limit(scale):
    reports, pages = scale
    markdown = {path: text for path, text in pages.items() if path.endswith(".md")}
    assert len(markdown) > len(reports) / 2
    counts = {path: len(ENTRY.findall(text)) for path, text in markdown.items()}
    assert max(counts.values()) <= MAX_ENTRIES, max(counts.items(), key=lambda kv: kv[1])
    assert max(len(text.encode("utf-8")) for text in markdown.values()) < 200_000
    # the long listings were split: the bureau index is by province, the 文号 index by year
    assert "bureaus/henan.md" in pages and "doc-numbers/2024.md" in pages


@pytest.mark.parametrize("limit", [MAX_ENTRIES, 12])  # 12: a province's lists are paged too
def test_the_national_steps_pages_are_the_whole_builds_and_name_every_province_page(scale, limit, monkeypatch):
    """The national step makes its pages without a province's texts (each province's job writes those): the
    same national pages byte for byte, and every province page by path (its listings link to them)."""
    for module in (listing, pages_module, publication, tags):
        monkeypatch.setattr(module, "MAX_ENTRIES", limit)
    reports, _ = scale
    whole, _ = site_pages(reports, load_vocabulary(), {})
    memo = RememberedLines()  # as the national step makes them: its lists' lines remembered, then taken from the memo
    for _ in range(2):
        with remembering(memo):
            national, _ = site_pages(reports, load_vocabulary(), {}, province_texts=False)
        memo = RememberedLines(memo.used)
    assert len(memo.stored) > 100
    assert {p for p in national if p.endswith(".md")} == {p for p in whole if p.endswith(".md")}
    assert {p: t for p, t in national.items() if partition_of(p) is None} == \
        {p: t for p, t in whole.items() if partition_of(p) is None}
    written = {path for path, text in national.items() if partition_of(path) is not None and text}
    assert all(re.fullmatch(r"bureaus/[a-z]+(/[0-9]+)?\.md", path) for path in written), written  # the bureau
    # index's parts by province, a line a bureau, are the only ones still written (and left out)
    assert any(partition_of(path) and re.search(r"/[2-9]\.md$", path) for path in national) == (limit < MAX_ENTRIES)


def test_tag_pages_cover_every_tagged_report_and_browse_tags_reuse_browse_pages(scale):
    """A topic or level tag's page (with its parts) links to every report that carries the tag; a bureau,
    year or place tag leads to the browse page that exists already, and no tag page copies one."""
    reports, pages = scale
    topics = load_vocabulary().topics
    own_pages = 0
    for report in reports:
        for tag, target in tag_links(report, topics):
            assert target in pages, (tag, target)
            if target.startswith("tags/"):
                own_pages += 1
                folder = target.removesuffix(".md")
                assert f"reports/{report.id}.md" in _targets({p: t for p, t in pages.items()
                                                              if p == target or p.startswith(folder + "/")}, "tags/"), (tag, report.id)
    assert own_pages > len(reports)  # every report has a level and topics
    assert not any(p.startswith(("tags/year/", "tags/province/", "tags/city/", "tags/county/", "tags/bureau/")) for p in pages)
    assert not any("material/tags" in text for text in pages.values())


def test_pages_per_report_stay_few(scale):
    """Issue 12: no listing or tag page is quadratic in count, and the site makes at most 3 pages a report
    when bureaus report year after year, as the law asks (the synthetic corpus's default)."""
    reports, pages = scale
    assert len({r.bureau_id for r in reports}) < len(reports) / 3  # the corpus is what the bar is about
    markdown = _bounded_pages(reports, pages)
    assert (len(markdown) + len(reports)) / len(reports) <= 3, len(markdown)


def test_pages_stay_bounded_when_every_report_has_its_own_bureau():
    """The worst case for pages per report: nearly every report is the only one of its bureau and of its
    county, so each brings a bureau page and a county page; everything else stays bounded by places and years."""
    pool = pool_from_reports(build_reports([SourceFile(p.name, p.read_bytes()) for p in SEEDS]).reports)
    corpus = synthetic_reports(400, pool, seed=3, yearly=False)
    reports = build_reports([SourceFile(name, text.encode("utf-8")) for name, text in corpus]).reports
    assert len({r.bureau_id for r in reports}) > 0.9 * len(reports)
    _bounded_pages(reports, site_pages(reports, load_vocabulary(), {})[0])  # 3.8 pages a report at 1,000 such


def _bounded_pages(reports: list, pages: dict[str, str]) -> list[str]:
    """The Markdown pages, checked against bounds that grow with bureaus, places and years, never with
    reports squared."""
    markdown = [p for p in pages if p.endswith(".md")]
    bureaus = {r.bureau_id for r in reports}
    places = {region_chain(r)[:depth] for r in reports for depth in range(1, len(region_chain(r)) + 1)}
    provinces = {c for c in places if len(c) == 1}
    by_kind = ("bureaus/kinds/", "bureaus/types/")  # kinds of department and of issuer: bounded like the others
    bureau_pages = [p for p in markdown if p.startswith("bureaus/") and not p.startswith(by_kind)]
    assert len(bureau_pages) <= len(bureaus) + len(provinces) + 2  # + index by province
    assert len([p for p in markdown if p.startswith("regions/")]) <= len(places) + 2
    # 公开情况 (issue 15): the lists behind the numbers of its tables.  A scope (a city, a province, the whole
    # country) whose lists fit on one page has one page; a larger one a page per year, and a year too large for
    # one page a paged list per column: bounded by places × years, not by reports
    publication = [p for p in markdown if p.startswith("publication/")]
    years, cities = {r.year for r in reports}, {c for c in places if len(c) == 2}
    columns = 5
    bound = len(cities) + (len(years) + 1) * (len(provinces) + 1) + 2 * len(provinces) + 10
    assert len(publication) <= bound + columns * 3 * len(reports) / 200, (len(publication), bound)
    kinds = {r.bureau_id.rsplit("/", 1)[-1] for r in reports} | {r.issuer_kind for r in reports}
    kind_pages = [p for p in markdown if p.startswith(by_kind)]  # a kind's list is paged by province at most
    assert len(kind_pages) <= len(kinds) * (len(provinces) + 2), (len(kind_pages), len(kinds))
    others = [p for p in markdown if not p.startswith(("bureaus/", "regions/", "publication/"))]
    assert len(others) <= len(reports) / 4, len(others)
    return markdown


def _targets(pages: dict[str, str], prefix: str) -> set[str]:
    """Every page linked from the listing pages under ``prefix``, as a path inside docs/."""
    return {posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            for path, text in pages.items() if path.startswith(prefix) for target in LINK.findall(text)}


def test_grouping_loses_no_report_and_no_bureau(scale):
    reports, pages = scale
    assert {f"reports/{r.id}.md" for r in reports} <= _targets(pages, "years/")
    assert {f"reports/{r.id}.md" for r in reports if r.doc_number} <= _targets(pages, "doc-numbers/")
    bureau_listings = {p: t for p, t in pages.items() if p == "bureaus/index.md" or p.count("/") == 1 and p.startswith("bureaus/")}
    assert len(bureau_listings) > 10  # split by province
    assert {f"bureaus/{r.bureau_id}.md" for r in reports} <= _targets(bureau_listings, "bureaus/")
    assert all(f"bureaus/{r.bureau_id}.md" in pages for r in reports)


def test_a_long_group_is_paged_with_links_between_pages():
    entries = tuple(Entry(f"报告{i}", f"reports/x/{i}.md", "说明") for i in range(450))
    pages = paged("years/2024/henan.md", "2024年度报告 · 河南省", entries, up=("2024年度报告", "years/2024.md"))
    assert list(pages) == ["years/2024/henan.md", "years/2024/henan/2.md", "years/2024/henan/3.md"]
    assert [len(ENTRY.findall(text)) for text in pages.values()] == [200, 200, 50]
    second = pages["years/2024/henan/2.md"]
    assert "（第 2 页）" in second and "页码：[1](../henan.md) **2** [3](3.md)" in second
    assert "[报告200](../../../reports/x/200.md)" in second


def test_every_place_has_its_own_region_page(scale):
    """山西 and 陕西 are both “shanxi” in plain pinyin; each place still gets its own page."""
    from gongwen.browse.places import region_chain, region_page
    from gongwen.slug import place_slug
    reports, pages = scale
    chains = {region_chain(r)[:depth] for r in reports for depth in range(1, len(region_chain(r)) + 1)}
    assert len({region_page(c) for c in chains}) == len(chains)
    assert {p for p in pages if p.startswith("regions/") and p != "regions/index.md"} >= {region_page(c) for c in chains}
    assert (place_slug("山西省"), place_slug("陕西省")) == ("shanxi", "shaanxi")


def test_no_file_passes_the_cap_scaled_to_1000_reports(scale):
    """Issue 24: no file of the site may pass 50 MB at 100,000 reports; at 1,000 the same rules keep every
    planned file within a hundredth of the cap: the whole country's data files are left out, each province's
    stay (``partition.data_files``)."""
    reports, pages = scale
    cap = MAX_FILE_BYTES * len(reports) // 100_000
    files = pages | data_files(reports, cap)
    assert not any(path in files for path in NATIONAL_DATA)
    assert sum(path.startswith("api/provinces/") for path in files) == 2 * len(by_partition(reports))
    sizes = {path: len(text.encode("utf-8")) for path, text in files.items()}
    assert oversized(sizes, cap) == [], max(sizes.items(), key=lambda kv: kv[1])


def test_the_whole_country_file_is_measured_from_its_provinces_without_being_made(scale):
    """``data_files`` decides whether the whole country's JSON and CSV stay within the cap from the sizes of the
    provinces' files, without making them (about 300 MB each at 100,000 reports): that size is exact, to the
    byte, so the file is kept at a cap of its size and left out one byte below it."""
    reports, _ = scale
    provinces = by_partition(reports)
    assert len(provinces) > 3
    for kind, (path, make) in enumerate(zip(NATIONAL_DATA, (reports_json, reports_csv))):
        size = len(make(reports).encode("utf-8"))
        assert national_bytes([len(make(own).encode("utf-8")) for own in provinces.values()], make, kind) == size
        assert path in data_files(reports, size) and path not in data_files(reports, size - 1)
    assert national_bytes([], reports_json, 0) == len(reports_json([]).encode("utf-8"))
