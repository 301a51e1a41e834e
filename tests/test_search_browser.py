"""The search page in real Chromium over a site built from the seeds (plus a hostile report).

Expected results are the substring truth computed from the reports' own text
(``analyzer.matches``, and for plain phrases a raw ``in`` over the text), never
hard-coded lists; report URLs come from ``site/api/reports.json``.
"""

from __future__ import annotations

import json
import shutil
from bisect import bisect_right
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import CORPUS, build_site
from gongwen import corpus as corpus_io
from gongwen.browse.places import bureau_label
from gongwen.pipeline import build_reports
from gongwen.search.analyzer import document, fold, matches, metadata_fields, parse_query, search_key, text_fields

HOSTILE = """某某县科技局2024年法治政府建设工作报告

2024年，我局依法行政，示例代码<script>window.pwned=1</script>照原文显示，参照焦科组〔2024〕5号文件执行。
一、加强领导
全面落实责任与制度，法律顾问参与重大决策合法性审查，运用法治思维和法治方式推动业务工作。
二、存在问题
法治政府建设相关制度有待进一步完善，普法宣传的精准性、渗透力有待提升，需进一步加强。
三、下步打算
下一步，我局将以习近平法治思想为指引，推动法治政府建设与科技创新深度融合、互促共进。
"""

#: Every query form of the issue; the expectations are computed, not listed.
QUERIES = ["法律顾问", "科技类校外培训", "2024年", "信阳市科技局", "焦作市科学技术局", "法律顾问 科技类校外培训",
           "焦科组〔2024〕5号", "焦科组[2024]5号", "焦科组（2024）5号", "焦科组2024 5号", "２０２４年", "法",
           "依法 行政", "不存在的短语甲乙丙", "<script>"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("search")
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    site, _ = build_site(tmp, corpus)
    reports = build_reports(corpus_io.scan_corpus(corpus)[0]).reports
    urls = {row["source"]: row["url"] for row in json.loads((site / "api" / "reports.json").read_text(encoding="utf-8"))}
    return site, reports, urls


@pytest.fixture(scope="module")
def base(seeded, serve):
    return serve(seeded[0])


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


def results(page, base, query: str = "", **filters) -> list[str]:
    params = "&".join(f"{k}={quote(v)}" for k, v in {"q": query, **filters}.items() if v)
    page.goto(f"{base}search/?{params}")
    return shown(page)


def shown(page) -> list[str]:
    """URLs of every result (pressing 显示更多 until all are shown), in order, for the URL's query."""
    page.wait_for_function("() => { const box = document.getElementById('gw-search');"
                           " return box.dataset.state === 'done' && box.dataset.shown === location.search; }")
    for _ in range(100):
        if not page.is_visible(".gw-more"):
            break
        page.click(".gw-more")
        page.wait_for_selector("#gw-search[data-state=done]")
    else:
        raise AssertionError("显示更多 never ran out")
    return page.eval_on_selector_all(".gw-result", "items => items.map(i => i.dataset.url)")


def exact(page) -> list[str]:
    """The results shown of tier 1 (the exact phrases); they come before every other tier."""
    tiers = page.eval_on_selector_all(".gw-result", "items => items.map(i => i.dataset.tier)")
    assert tiers == sorted(tiers), tiers
    return page.eval_on_selector_all(".gw-result[data-tier='1']", "items => items.map(i => i.dataset.url)")


def expected(seeded, query: str) -> set[str]:
    _, reports, urls = seeded
    return {urls[r.source] for r in reports if matches(document(r), parse_query(query))}


@pytest.mark.parametrize("query", QUERIES)
def test_each_query_returns_exactly_the_reports_containing_it(seeded, base, page, query):
    """Tier 1 is the exact answer, unchanged by the word tiers shown after it."""
    everything = results(page, base, query)
    got = exact(page)
    assert len(everything) == len(set(everything))
    assert set(got) == expected(seeded, query)
    assert page.get_attribute("#gw-search", "data-exact") == str(len(got))
    assert page.get_attribute("#gw-search", "data-count") == str(len(everything))


def test_truth_is_plain_substring_for_plain_phrases(seeded):
    """The semantics used as truth is the plain substring test on the report's own text."""
    _, reports, urls = seeded
    for phrase in ("法律顾问", "科技类校外培训", "2024年", "焦作市科学技术局"):
        raw = {urls[r.source] for r in reports if phrase in "\n".join(metadata_fields(r) + text_fields(r))}
        assert raw and raw == expected(seeded, phrase)


def test_seed_expectations_are_not_trivial(seeded):
    counts = {q: len(expected(seeded, q)) for q in QUERIES}
    assert counts["法律顾问"] == 3 and counts["不存在的短语甲乙丙"] == 0   # 2 seeds + the hostile report
    assert counts["信阳市科技局"] >= 1 and counts["焦科组〔2024〕5号"] == 2  # its own report, and the hostile one citing it


@pytest.mark.parametrize("query", ["焦科组〔2024〕5号", "焦科组[2024]5号", "焦科组（2024）5号", "焦科组2024 5号",
                                   "法治政府 焦科组（2024）5号"])
def test_doc_number_in_any_form_puts_that_report_first(seeded, base, page, query):
    _, reports, urls = seeded
    target = next(r for r in reports if r.doc_number == "焦科组〔2024〕5号")
    assert results(page, base, query)[0] == urls[target.source]


def test_filters_narrow_the_results(seeded, base, page):
    _, reports, urls = seeded
    everything = set(results(page, base, "法治"))
    for name, value, keep in (("year", "2024", lambda r: r.year == 2024), ("level", "市级", lambda r: r.level == "市级"),
                              ("region", "焦作市", lambda r: "焦作市" in (r.province, r.city, r.county)),
                              ("bureau", "信阳市科学技术局", lambda r: bureau_label(r) == "信阳市科学技术局")):
        narrowed = set(results(page, base, "法治", **{name: value}))
        assert narrowed == {u for u in everything if keep(next(r for r in reports if urls[r.source] == u))}
        assert narrowed and narrowed < everything, name
        assert page.input_value(f"#gw-search [name={name}]") == value


def test_region_is_chosen_province_then_city_then_county(seeded, base, page):
    _, reports, urls = seeded
    results(page, base, "法治")
    assert not page.is_visible("#gw-search select[name=city]")
    page.focus("#gw-search select[name=province]")  # opening a filter fetches its values
    page.wait_for_function("() => document.querySelectorAll('#gw-search select[name=province] option').length > 1")
    page.select_option("#gw-search select[name=province]", "河南省")
    page.wait_for_url("**region=*")
    cities = page.eval_on_selector_all("#gw-search select[name=city] option", "os => os.map(o => o.value)")
    assert cities == ["", *sorted({r.city for r in reports if r.province == "河南省" and r.city})]
    page.select_option("#gw-search select[name=city]", "焦作市")
    page.wait_for_url("**region=%E7%84%A6%E4%BD%9C%E5%B8%82*")
    narrowed = set(shown(page))
    assert narrowed == {urls[r.source] for r in reports if r.city == "焦作市" and "法治" in document(r).key}
    counties = page.eval_on_selector_all("#gw-search select[name=county] option", "os => os.map(o => o.value)")
    assert counties == ["", *sorted({r.county for r in reports if r.city == "焦作市" and r.county})]
    page.reload()  # the URL alone restores the three choices
    shown(page)
    assert page.input_value("#gw-search select[name=province]") == "河南省"
    assert page.input_value("#gw-search select[name=city]") == "焦作市"


def test_bureau_is_typed_to_filter_from_a_list(seeded, base, page):
    _, reports, urls = seeded
    results(page, base, "法治")
    page.focus("#gw-search input[name=bureau]")
    page.wait_for_function("() => document.querySelectorAll('#gw-bureau-list option').length > 0")
    options = page.eval_on_selector_all("#gw-bureau-list option", "os => os.map(o => o.value)")
    assert options == sorted({bureau_label(r) for r in reports})  # the bureau's one name on the site (issue 14)
    assert "马村区科学科技局" not in options and "焦作市马村区科学技术局" in options  # not the printed typo
    page.fill("#gw-search input[name=bureau]", "信阳市科学技术局")
    page.dispatch_event("#gw-search input[name=bureau]", "change")
    page.wait_for_url("**bureau=*")
    assert set(shown(page)) == {urls[r.source] for r in reports if bureau_label(r) == "信阳市科学技术局"}


def tier(doc, phrases) -> int:
    """The documented relevance tier: 0 the 文号 asked for is the report's own, 1 every phrase in the title,
    2 in the metadata, 3 only in the text (phrases under three characters have no position: text)."""
    firsts = [doc.key.find(p.text) if len(p.text) >= 3 else len(doc.key) for p in phrases]
    if any(p.doc_number and f < doc.meta_end for p, f in zip(phrases, firsts)):
        return 0
    for number, end in ((1, doc.title_end), (2, doc.meta_end)):
        if all(f < end for f in firsts):
            return number
    return 3


@pytest.mark.parametrize("query", ["科技局", "2024年", "焦科组（2024）5号 法治"])
def test_results_come_title_and_metadata_first_or_newest_first(seeded, base, page, query):
    _, reports, urls = seeded
    by_url = {urls[r.source]: r for r in reports}
    phrases = parse_query(query)
    results(page, base, query)
    relevance = exact(page)
    tiers = [tier(document(by_url[u]), phrases) for u in relevance]
    assert tiers == sorted(tiers) and len(set(tiers)) > 1, tiers
    results(page, base, query, sort="year")
    newest = exact(page)
    assert set(newest) == set(relevance)
    years = [by_url[u].year or 0 for u in newest]
    assert years == sorted(years, reverse=True) and len(set(years)) > 1, years


def test_url_round_trips_with_back_and_forward(base, page):
    page.goto(f"{base}search/")
    page.fill("#gw-search input[name=q]", "法律顾问")
    page.press("#gw-search input[name=q]", "Enter")
    first = shown(page)
    assert "q=%E6%B3%95%E5%BE%8B%E9%A1%BE%E9%97%AE" in page.url
    page.select_option("#gw-search select[name=year]", "2024")
    second = shown(page)
    assert "year=2024" in page.url and set(second) < set(first)
    page.go_back()
    assert shown(page) == first and page.input_value("#gw-search select[name=year]") == ""
    page.go_forward()
    assert shown(page) == second and page.input_value("#gw-search input[name=q]") == "法律顾问"


def test_typing_shows_the_results_and_enter_needs_nothing_new(seeded, base, page):
    """A pause in typing searches the query so far and shows it (the URL is replaced, history gets no
    entry); Enter then needs no new file and shows the same exact answer."""
    page.goto(f"{base}search/")
    assert page.evaluate("() => document.activeElement.name") == "q"  # the box has the focus on load
    assert not page.is_visible(".gw-header-search")  # no second, empty box in the header
    history = page.evaluate("() => history.length")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url) if "/search/" in request.url else None)
    page.fill("#gw-search input[name=q]", "法律顾问")  # one input event, as an input method commits a phrase
    page.wait_for_url("**/search/?q=*")
    typed = set(shown(page))
    assert typed == expected(seeded, "法律顾问") and "共找到 3 篇" in page.text_content(".gw-status")
    assert "q=%E6%B3%95" in page.url and page.evaluate("() => history.length") == history
    prepared = len(requested)
    page.press("#gw-search input[name=q]", "Enter")
    assert set(shown(page)) == typed
    assert len(requested) == prepared  # everything Enter showed was fetched while typing


def test_highlights_are_the_matched_text_and_copy_clean(base, page):
    results(page, base, "法律顾问 科技类校外培训")
    marks = page.eval_on_selector_all(".gw-result[data-tier='1'] mark", "ms => ms.map(m => m.textContent)")
    assert marks and set(marks) <= {"法律顾问", "科技类校外培训"}
    snippets = page.eval_on_selector_all(".gw-result__snippet", "ps => ps.map(p => p.textContent)")
    for text in snippets:
        assert not any(ch in text for ch in "\u200b\u200c\u200d\u2060\ufeff")
    page.evaluate("""() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('.gw-result__snippet'));
                      getSelection().removeAllRanges(); getSelection().addRange(r); }""")
    copied = page.evaluate("() => getSelection().toString()")
    assert copied == snippets[0] and ("法律顾问" in copied or "科技类校外培训" in copied)


def test_script_in_a_report_is_shown_as_text(base, page):
    got = results(page, base, "<script>")
    assert len(got) == 1
    snippet = page.text_content(".gw-result__snippet")
    assert "<script>window.pwned=1</script>" in snippet
    assert page.evaluate("() => window.pwned") is None
    assert page.eval_on_selector_all(".gw-results script", "s => s.length") == 0


def test_header_box_leads_to_the_search_page(base, page):
    page.goto(base)
    page.fill(".gw-header-search input", "法律顾问")
    page.press(".gw-header-search input", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert len(shown(page)) == 3


def test_without_javascript_the_page_points_to_browse_pages(browser, base):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{base}search/?q=法律顾问")
    notice = tab.text_content(".gw-noscript")
    links = [a.get_attribute("href") for a in tab.query_selector_all(".gw-noscript a")]
    loaded = {}
    for link in links:
        response = tab.goto(f"{base}search/{link}")
        loaded[link] = response.ok and tab.query_selector("article h1") is not None if link.endswith("/") else response.ok
    context.close()
    assert "JavaScript" in notice
    assert links == ["../bureaus/", "../years/", "../regions/", "../doc-numbers/", "../api/"]
    assert all(loaded.values()), loaded


PARITY = ["焦科组〔2024〕5号", "焦科组[2024]5号", "焦科组（2024）5号", "焦科组【2024】5号", "焦科组［2024］5号",
          "焦科组2024 5号", "焦科组 2024 5 号", "ＡＢＣ１２３ｘｙｚ", "2024年 法律顾问", "  法律\u3000顾问  ",
          "a,b;c:d(e)f!g?", "零\u200b宽\ufeff字符", "〔2023〕12号", "豫科(2019)7号 信阳市科技局", "x\u00a0y\ty",
          "𠀀𠀁 扩展B", "Hello World", "第（二）项", "2024年度", "<script>alert(1)</script>"]


def test_browser_and_python_analyse_strings_the_same(base, page):
    page.goto(f"{base}search/")
    for text in PARITY:
        js = page.evaluate("t => [gongwenSearch.fold(t), gongwenSearch.searchKey(t), gongwenSearch.parseQuery(t)]", text)
        assert js[0] == fold(text), text
        assert js[1] == search_key(text), text
        assert [(p["text"], p["docNumber"]) for p in js[2]] == [(p.text, p.doc_number) for p in parse_query(text)], text


@pytest.mark.parametrize("query", ["2024年法律顾问", "焦科组〔2024〕5号", "abc12 法治政府建设 2023年度", "第5批 法治", "x"])
def test_the_lexicon_shards_of_a_query_with_a_year_or_a_doc_number_come_in_its_first_round(base, page, query):
    """A year, an ASCII run or a 文号 is looked up whatever the lexicon says: the shards of those grams (by their
    first two characters, not both Han) come with the analysis' own, so that no shard is fetched after it."""
    page.goto(f"{base}search/")
    late = page.evaluate(r"""async q => {
      const meta = await gongwenSearch.loadMeta();
      await gongwenSearch.analyseQuery(meta, q);
      const shards = () => performance.getEntriesByType('resource').map(e => e.name).filter(n => /\/search\/[vw]\//.test(n));
      const analysed = shards();
      await gongwenSearch.searchOnce(meta, {q: q});
      return [analysed.length, shards().filter(n => !analysed.includes(n))]; }""", query)
    assert late[0] > 0 and late[1] == [], late


def test_site_has_the_search_page_the_design_notes_and_no_material_search(seeded):
    from bs4 import BeautifulSoup
    site = seeded[0]
    page_html = BeautifulSoup((site / "search" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page_html.select_one("#gw-search form input[name=q]") is not None
    about = BeautifulSoup((site / "about" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert about.select_one("form.gw-header-search")["action"] == "../search/"
    design = BeautifulSoup((site / "design" / "search" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "design of the archive's search" in design.h1.get_text()
    assert (site / "design" / "benchmarks" / "index.html").is_file()
    assert (site / "search" / "meta.json").is_file() and not (site / "search" / "search_index.json").exists()
    meta = json.loads((site / "search" / "meta.json").read_text(encoding="utf-8"))
    assert meta["count"] == len(seeded[1]) == len(list((site / "search" / "t").glob("*/*.txt")))


@pytest.fixture(scope="module")
def listed_base(seeded, serve, tmp_path_factory):
    """The same site with phrase lists for every gram that has any (builder ``cover_bytes`` lowered):
    at the seeds' size the default gives none."""
    from gongwen.search.builder import search_files
    site = tmp_path_factory.mktemp("listed") / "site"
    shutil.copytree(seeded[0], site)
    for path in (site / "search").iterdir():
        if path.name != "index.html":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    files = search_files(seeded[1], cover_bytes=100)
    assert sum(name.startswith("g/1-") or name.startswith("b/") and b"\x01" in data for name, data in files.items())
    for name, data in files.items():
        (site / "search" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "search" / name).write_bytes(data)
    return serve(site)


@pytest.mark.parametrize("query", [*QUERIES, "法治政府建设", "法治政府建设年度报告", "习近平法治思想 2024年", "科技局 2025年"])
def test_phrase_lists_give_the_same_results_in_the_same_order_as_positions(seeded, base, listed_base, page, query):
    """A phrase answered from its phrase list (counts and the part of the first occurrence) ranks
    exactly as when it is verified from its trigrams' positions, in every tier, in both orders."""
    for sort in ("", "year"):
        assert results(page, listed_base, query, sort=sort) == results(page, base, query, sort=sort), (query, sort)


def _index_site(seeded, tmp: Path, files: dict[str, bytes]) -> Path:
    """The seeded site with ``files`` as its search index (result links need not resolve: only rows are read)."""
    site = tmp / "site"
    shutil.copytree(seeded[0], site)
    for path in (site / "search").iterdir():
        if path.name != "index.html":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    for name, data in files.items():
        (site / "search" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "search" / name).write_bytes(data)
    return site


@pytest.fixture(scope="module")
def pieced(seeded, serve, tmp_path_factory):
    """Issue 24: 150 synthetic reports of many provinces and years indexed twice, whole and with every gram over
    600 bytes in pieces (``pieces.py``) and the lengths 8 reports a file; the served bases, the pieced index's
    files and the reports."""
    from gongwen.search import builder, pieces
    from test_search_pieces import synthetic
    found = builder.indexed(synthetic(150))
    whole = builder.index_files(found)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pieces, "SPLIT_BYTES", 600)
        patch.setattr(pieces, "PIECE_BYTES", 300)
        patch.setattr(builder, "STATS_REPORTS", 8)  # the lengths in 19 files, as 100,000 reports' are in 25
        cut = builder.index_files(found)
    assert sum(name.count(".") == 2 for name in cut) > 100 and not any(name.count(".") == 2 for name in whole)
    bases = [serve(_index_site(seeded, tmp_path_factory.mktemp(kind), files)) for kind, files in (("whole", whole), ("cut", cut))]
    return bases, cut, found.reports, found.docs


def _fetched_while(page, base: str, query: str, filters: dict) -> tuple[list[str], list[str]]:
    """A query's every result URL (all tiers) on a fresh page, and the index files fetched for it."""
    page.goto(f"{base}search/")
    page.wait_for_selector("#gw-search[data-state=done]")
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url.split("/search/", 1)[-1]))
    urls = page.evaluate("([q, f]) => gongwenSearch.resultUrls(q, f, true)", [query, filters])
    return urls, fetched


def _piece_file(meta: dict, stem: str, first: int) -> str:
    """A piece's file, named as index.js names it from meta.json: by the block of its first report (its year and
    its province's number)."""
    starts = meta["blocks"][0::2]
    block = bisect_right(starts, first) - 1
    year = max(year for year, start in meta["years"] if start <= first)
    return f"g/{stem}.{year}-{meta['blocks'][2 * block + 1]}.bin"


def _allowed_pieces(files: dict[str, bytes], meta: dict, year: int | None, province: str | None) -> set[str]:
    """The piece files whose reports a year and province filter may need, computed from meta.json and the shards."""
    starts = meta["blocks"][0::2] + [meta["count"]]
    years = {start: year_ for year_, start in meta["years"]}
    ranges, year_now = [], None
    for n, (start, end) in enumerate(zip(starts, starts[1:])):
        year_now = years.get(start, year_now)
        if (year is None or year_now == year) and (province is None or meta["provinces"][meta["blocks"][2 * n + 1]] == province):
            ranges.append((start, end))
    allowed = set()
    for name, data in files.items():
        for gram, own in json.loads(data)["o"].items() if name.startswith(("w/", "v/")) else ():
            if isinstance(own, list):
                firsts = own[0::2] + [meta["count"]]
                stem = "-".join(f"{ord(c):x}" for c in gram)
                allowed |= {_piece_file(meta, stem, a) for a, b in zip(firsts, firsts[1:]) if any(s < b and a < e for s, e in ranges)}
    return allowed


@pytest.mark.parametrize("query", ["法治政府建设", "法律顾问", "科技局 2024年", "习近平法治思想 依法"])
def test_a_filtered_query_fetches_only_its_pieces_and_finds_what_the_whole_index_finds(pieced, page, query):
    """Issue 24: a query limited to a year, a province, a city or both fetches only the pieces that may hold
    those reports (and not filters.json, but for a city), finds exactly what the unpieced index finds with the
    same filters, and fetches fewer piece bytes than the same query unfiltered."""
    bases, cut, reports, _ = pieced
    meta = json.loads(cut["meta.json"])
    biggest = max(meta["provinces"], key=lambda p: sum(r.province == p for r in reports))
    city = next(r.city for r in reports if r.province == biggest and r.city)
    year = max(r.year for r in reports)
    unfiltered = {f for f in _fetched_while(page, bases[1], query, {})[1] if f.startswith("g/") and f.count(".") == 2}
    assert unfiltered  # the query needs pieces at all
    for filters, (limit_year, limit_province) in (({"year": str(year)}, (year, None)), ({"region": biggest}, (None, biggest)),
                                                  ({"region": city}, (None, biggest)),
                                                  ({"year": str(year), "region": biggest}, (year, biggest))):
        want, _ = _fetched_while(page, bases[0], query, filters)
        got, fetched = _fetched_while(page, bases[1], query, filters)
        assert got == want, (query, filters)
        assert want, (query, filters)  # the queries find something in these reports
        pieces_fetched = {f for f in fetched if f.startswith("g/") and f.count(".") == 2}
        assert pieces_fetched <= _allowed_pieces(cut, meta, limit_year, limit_province), filters
        # a year or a province is a range of report numbers: filters.json is needed only below a province
        assert ("filters.json" in fetched) == (filters.get("region") == city), filters
        assert sum(len(cut[f]) for f in pieces_fetched) < sum(len(cut[f]) for f in unfiltered)


def _cover_grams(phrase: str) -> list[str]:
    """The trigrams index.js verifies a phrase with (frequent.cover)."""
    from gongwen.search.frequent import cover
    return [phrase[o:o + 3] for o in cover(len(phrase))]


def test_big_trigrams_are_fetched_only_in_the_pieces_of_reports_the_small_ones_allow(pieced, page):
    """Issue 24: a bureau's full name (a rare place, then 科学技术局, in every report) fetches the pieces of the
    common trigrams only where a report holds the rare ones (at 100,000 reports a 文号 fetched 2 MB for one
    report), and finds exactly what the whole index finds."""
    bases, cut, reports, docs = pieced
    meta, own = json.loads(cut["meta.json"]), {g: o for n, d in cut.items() if n.startswith(("w/", "v/")) for g, o in json.loads(d)["o"].items()}
    queries = [r.bureau for r in reports if r.bureau and len(r.bureau) >= 7
               and any(not isinstance(own.get(g), list) for g in _cover_grams(r.bureau))
               and any(isinstance(own.get(g), list) for g in _cover_grams(r.bureau))]
    assert len(set(queries)) >= 3
    firsts = {g: o[0::2] + [meta["count"]] for g, o in own.items() if isinstance(o, list)}
    for query in sorted(set(queries))[:3]:
        small = [g for g in _cover_grams(query) if not isinstance(own.get(g), list)]
        allowed = [n for n, doc in enumerate(docs) if all(g in doc.key for g in small)]
        got, fetched = _fetched_while(page, bases[1], query, {})
        assert got == _fetched_while(page, bases[0], query, {})[0] and got, query
        big_pieces = 0
        for gram in (g for g in _cover_grams(query) if g in firsts):
            stem = "-".join(f"{ord(c):x}" for c in gram)
            starts = firsts[gram]
            taken = [k for k, start in enumerate(starts[:-1]) if _piece_file(meta, stem, start) in fetched]
            assert taken, (query, gram)
            assert all(any(starts[k] <= n < starts[k + 1] for n in allowed) for k in taken), (query, gram)
            big_pieces += len(starts) - 1 - len(taken)
        assert big_pieces > 0, query  # some pieces were left alone


SEARCH_WITH_BUDGET = """async ([q, kb]) => { const GW = gongwenSearch; if (kb !== null) GW.WORDS_AT_ONCE_KB = kb;
  const r = await GW.searchOnce(await GW.loadMeta(), {q: q}); return [r.counts.slice(), !!r.deferred]; }"""


def _search_with_budget(page, base: str, query: str, kb: int | None) -> tuple[list[int], bool, list[str]]:
    """A query's tier counts and whether tiers 2–3 wait, on a fresh page whose words budget is ``kb`` KB
    (None: the page's own), and the index files it fetched."""
    page.goto(f"{base}search/")
    page.wait_for_selector("#gw-search[data-state=done]")
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url.split("/search/", 1)[-1]))
    counts, deferred = page.evaluate(SEARCH_WITH_BUDGET, [query, kb])
    return counts, deferred, fetched


def test_costly_words_wait_until_the_visitor_pages_past_a_full_first_page(pieced, page):
    """Issue 24: when tier 1 fills the first page, words whose postings pass the budget (WORDS_AT_ONCE_KB) are
    not fetched with the phrase (at 100,000 reports `习近平` was 919 KB of a 1.1 MB first query); the status
    says so, and paging past tier 1 gives tiers 2–3 exactly as when they are fetched at once."""
    base = pieced[0][0]
    for query in ("法治政府建设工作", "依法行政工作", "法律顾问制度", "习近平法治思想", "法治政府建设"):
        counts, deferred, fetched_at_once = _search_with_budget(page, base, query, None)
        if counts[0] >= 10 and counts[1] + counts[2] and not deferred:
            break
    else:
        pytest.fail("no query fills a page with exact results and has word tiers too")
    later_counts, deferred, fetched = _search_with_budget(page, base, query, -1)
    assert deferred and later_counts == [counts[0], 0, 0]
    assert set(fetched) < set(fetched_at_once)  # the words' postings were left for later
    page.evaluate("kb => { gongwenSearch.WORDS_AT_ONCE_KB = kb; }", -1)
    deferred_urls = page.evaluate("q => gongwenSearch.resultUrls(q, null, true)", query)
    page.goto(f"{base}search/?q={quote(query)}")
    page.wait_for_selector("#gw-search[data-state=done]")
    at_once_urls = page.evaluate("q => gongwenSearch.resultUrls(q, null, true)", query)
    assert deferred_urls == at_once_urls and len(at_once_urls) == sum(counts)
    page.goto(f"{base}search/")
    page.wait_for_selector("#gw-search[data-state=done]")
    page.evaluate("kb => { gongwenSearch.WORDS_AT_ONCE_KB = kb; }", -1)
    page.evaluate("q => { const form = document.querySelector('#gw-search form'); form.elements.q.value = q; form.requestSubmit(); }", query)
    page.wait_for_function("() => /完全匹配/.test(document.querySelector('#gw-search .gw-status').textContent)")
    page.wait_for_selector("#gw-search[data-state=done]")
    assert f"完全匹配 {counts[0]} 篇报告；" in page.text_content("#gw-search .gw-status")
    for _ in range(sum(counts) // 10 + 1):  # 显示更多 down to the end: tiers 2–3 come after tier 1
        if page.is_hidden("#gw-search .gw-more"):
            break
        page.click("#gw-search .gw-more")
        page.wait_for_selector("#gw-search[data-state=done]")
    assert page.locator("#gw-search li.gw-tier[data-tier='2']").count() == 1
    assert page.locator("#gw-search .gw-results > li:not(.gw-tier)").count() == sum(counts)


def test_a_big_phrase_is_fetched_only_in_the_pieces_of_reports_the_small_phrases_allow(pieced, page):
    """Issue 24: every phrase must be in a tier-1 report, so a query of a rare place and a common phrase fetches
    the common phrase's pieces only where a report holds the place (`三门峡市 行政执法` at 100,000 reports: 430 →
    237 KB), and finds exactly what the whole index finds."""
    bases, cut, reports, docs = pieced
    meta = json.loads(cut["meta.json"])
    firsts = {g: o[0::2] + [meta["count"]] for n, d in cut.items() if n.startswith(("w/", "v/"))
              for g, o in json.loads(d)["o"].items() if isinstance(o, list)}
    common = "法治政府建设"
    places = sorted({r.city for r in reports if r.city and 1 <= sum(r.city in doc.key for doc in docs) <= 6})
    assert len(places) >= 2
    for place in places[:2]:
        query = f"“{place}” “{common}”"  # quoted: tier 1 alone, no word postings
        allowed = [n for n, doc in enumerate(docs) if place in doc.key]
        page.goto(f"{bases[1]}search/")
        page.wait_for_selector("#gw-search[data-state=done]")
        budget = page.evaluate("async p => gongwenSearch.hitsKb(await gongwenSearch.loadMeta(), [p], null)", place)
        assert page.evaluate("async p => gongwenSearch.hitsKb(await gongwenSearch.loadMeta(), [p], null)", common) > budget
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url.split("/search/", 1)[-1]))
        got = page.evaluate("([q, kb]) => { gongwenSearch.WORDS_AT_ONCE_KB = kb; return gongwenSearch.resultUrls(q, null, true); }", [query, budget])
        assert got == _fetched_while(page, bases[0], query, {})[0] and got, query
        common_pieces = [(gram, name) for gram in {common[o:o + 3] for o in (0, 3)} & set(firsts)
                         for name in fetched if name.startswith("g/" + "-".join(f"{ord(c):x}" for c in gram) + ".")]
        assert common_pieces, query
        for gram, name in common_pieces:
            stem = "-".join(f"{ord(c):x}" for c in gram)
            start = next(first for first in firsts[gram][:-1] if _piece_file(meta, stem, first) == name)
            end = firsts[gram][firsts[gram].index(start) + 1]
            assert any(start <= n < end for n in allowed), (query, name)
        assert len(common_pieces) < sum(len(firsts[g]) - 1 for g in {common[o:o + 3] for o in (0, 3)} & set(firsts))


def _shown(page) -> list[str]:
    return page.eval_on_selector_all("#gw-search .gw-results > li:not(.gw-tier)", "items => items.map(i => i.dataset.url)")


def test_a_first_page_of_word_tiers_fetches_only_the_lengths_of_its_groups(pieced, page):
    """Issue 24: ordering tiers 2–3 needs each report's length (BM25), 61 KB for 100,000 reports.  The first page
    needs only the reports of the groups (same 文号, words, words in names) that hold its ten: their files of
    lengths are fetched, not every one, and the page shows what ordering every report gives, page after page."""
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts" / "bench"))
    import natural
    from gongwen.index import report_url
    bases, cut, reports, docs = pieced
    every = {n for n in cut if n.startswith("s/")}
    number = {report_url(r): n for n, r in enumerate(reports)}  # the index numbers reports in this order
    fewer = coarsened = 0
    for query in natural.natural_set(reports, docs):
        page.goto(f"{bases[1]}search/")
        page.wait_for_selector("#gw-search[data-state=done]")
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url.split("/search/", 1)[-1]))
        page.evaluate("q => { const form = document.querySelector('#gw-search form'); form.elements.q.value = q; form.requestSubmit(); }", query)
        page.wait_for_function("q => document.querySelector('#gw-search').dataset.shown === '?' + new URLSearchParams({q: q})", arg=query)
        page.wait_for_selector("#gw-search[data-state=done]")
        first_page, fine = _shown(page), {f for f in fetched if f.startswith("s/")}
        coarse = [int(f[3:-4]) for f in fetched if f.startswith("sc/")]
        if not page.is_hidden("#gw-search .gw-more"):
            page.click("#gw-search .gw-more")
            page.wait_for_selector("#gw-search[data-state=done]")
        two_pages = _shown(page)
        ranked = page.evaluate("q => gongwenSearch.resultUrls(q, null, true)", query)  # every report ordered
        assert first_page == ranked[:10] and two_pages == ranked[:20], query
        exact = set(page.evaluate("q => gongwenSearch.resultUrls(q)", query))
        ordering_all = {f"s/{number[url] // 8}.bin" for url in ranked if url not in exact}
        assert fine <= ordering_all <= every, query
        for c in coarse:  # a coarse file (8 fine ones) only where half of them or more are needed, and never beside them
            held = {f"s/{k}.bin" for k in range(8 * c, 8 * c + 8)}
            assert 2 * len(held & ordering_all & every) >= len(held & every) and not held & fine, query
        coarsened += bool(coarse)
        lengths = fine | {f"s/{k}.bin" for c in coarse for k in range(8 * c, 8 * c + 8)}
        fewer += bool(set(two_pages) - exact) and len(lengths & every) < len(ordering_all)  # word tiers shown
    assert fewer >= 3  # first pages that needed fewer files of lengths than ordering every word result
    assert coarsened  # some first pages fetched a coarse file instead of its fine ones
