"""Natural queries in real Chromium, as the public types them, on a site built from the seeds plus the
焦作 bureau's 2022 report printed under its short name (so that a year has to decide between two reports).

The table is public (README, docs/search.md): each query with the report expected first, or the set of
reports expected.  Python and JavaScript must cut every query into the same words (Pagefind#1237).
"""

from __future__ import annotations

import json
import shutil
from urllib.parse import quote

import pytest

from conftest import CORPUS, build_site, jiaozuo_2022
from gongwen.search.lexicon import read_lexicon
from gongwen.search.words import analyse

MACUN, YIMA, JIAOZUO_2023, JIAOZUO_2022 = ("henan/jiaozuo/macun/kjj/2025", "henan/sanmenxia/yima/kjj/2024",
                                           "henan/jiaozuo/kjj/2023", "henan/jiaozuo/kjj/2022")
XIGONG, XINYANG = "henan/luoyang/xigong/kjj/2024", "henan/xinyang/kjj/2024"
EVERY = {MACUN, YIMA, JIAOZUO_2023, JIAOZUO_2022, XIGONG, XINYANG}

#: query → the report expected first.
FIRST = {
    "马村区科技局": MACUN, "洛阳市西工区科技局": XIGONG, "焦作市马村区科技局": MACUN,
    "信阳市科学技术局2024年": XINYANG, "2024年信阳市科技局": XINYANG, "西工区科技局2024年度报告": XIGONG,
    "焦作市科技局2023年法治政府建设报告": JIAOZUO_2023, "焦作科技局2022年": JIAOZUO_2022, "焦作市2023年报告": JIAOZUO_2023,
    "义马科技局": YIMA, "义马市科技局": YIMA, "三门峡义马科技局": YIMA, "信阳科技局": XINYANG, "西工科技局": XIGONG,
    "洛阳西工区": XIGONG, "科技局 马村": MACUN, "義馬科技局": YIMA, "馬村區科技局": MACUN,
    "焦科组〔2024〕5号 法治政府": JIAOZUO_2023, "信阳市政府 报告": XINYANG,
}
#: query → the set of reports expected (every tier).
SETS = {
    "法治政府建设年度报告": EVERY, "年度报告 法治政府建设": EVERY, "建设法治政府": EVERY,
    '"法治政府建设年度报告"': set(),  # quotes: the exact phrase only, which no report has
}
#: Traditional characters: tier 1 is exactly the reports containing the simplified phrase.
TRADITIONAL = {"法律顧問": "法律顾问", "行政執法": "行政执法", "規範性文件": "规范性文件"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("natural")
    corpus = tmp / "corpus"
    corpus.mkdir()
    for path in sorted(CORPUS.glob("*.txt")):
        shutil.copy(path, corpus / path.name)
    (corpus / "005_jiaozuo_2022.txt").write_text(jiaozuo_2022(), encoding="utf-8")
    built, _ = build_site(tmp, corpus)
    return built


@pytest.fixture(scope="module")
def base(site, serve):
    return serve(site)


@pytest.fixture(scope="module")
def tab(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def ids(urls: list[str]) -> list[str]:
    return [url.removeprefix("reports/").rstrip("/") for url in urls]


def search(tab, base, query: str) -> list[tuple[str, str]]:
    """(tier, report id) of every result, in order."""
    tab.goto(f"{base}search/?q={quote(query)}")
    tab.wait_for_function("() => { const box = document.getElementById('gw-search');"
                          " return box.dataset.state === 'done' && box.dataset.shown === location.search; }")
    while tab.is_visible(".gw-more"):
        tab.click(".gw-more")
        tab.wait_for_selector("#gw-search[data-state=done]")
    rows = tab.eval_on_selector_all(".gw-result", "items => items.map(i => [i.dataset.tier, i.dataset.url])")
    return [(tier, ids([url])[0]) for tier, url in rows]


def test_the_table_is_large_enough():
    assert len(FIRST) + len(SETS) + len(TRADITIONAL) >= 20


@pytest.mark.parametrize("query, first", FIRST.items())
def test_natural_query_puts_the_meant_report_first(tab, base, query, first):
    got = search(tab, base, query)
    assert got and got[0][1] == first, got


@pytest.mark.parametrize("query, expected", SETS.items())
def test_natural_query_finds_the_expected_set(tab, base, query, expected):
    got = search(tab, base, query)
    assert {doc for _, doc in got} == expected, got


@pytest.mark.parametrize("query, simplified", TRADITIONAL.items())
def test_traditional_characters_find_the_simplified_text(tab, base, site, query, simplified):
    exact = {doc for tier, doc in search(tab, base, simplified) if tier == "1"}
    assert exact
    assert {doc for tier, doc in search(tab, base, query) if tier == "1"} == exact


def test_tiers_are_labelled_with_their_counts(tab, base):
    got = search(tab, base, "法治政府建设年度报告")
    status = tab.text_content(".gw-status")
    counts = {tier: sum(1 for t, _ in got if t == tier) for tier in "123"}
    assert counts["1"] == 0 and counts["2"] and counts["3"]
    assert f"包含全部词语 {counts['2']} 篇" in status and f"部分匹配 {counts['3']} 篇" in status
    heads = tab.eval_on_selector_all(".gw-tier", "hs => hs.map(h => h.dataset.tier)")
    assert heads == ["2", "3"]


def test_zero_results_say_what_was_searched_and_what_to_try(tab, base):
    assert search(tab, base, "马村区科技局 甲乙丙丁") == []
    hints = tab.text_content(".gw-hints")
    assert "甲乙丙丁" in hints and "试试" in hints
    browse = tab.eval_on_selector_all(".gw-hints__browse a", "as => as.map(a => a.href)")
    assert any("/bureaus/henan/jiaozuo/macun/" in href for href in browse), browse
    tab.click(".gw-hints__try a")
    tab.wait_for_function("() => document.getElementById('gw-search').dataset.count !== '0'")
    assert "马村区科技局" in tab.input_value("#gw-search input[name=q]")
    assert tab.goto(browse[0]).ok


PARITY = [*FIRST, *SETS, *TRADITIONAL, "依法行政 2024年", "关于2023年法治政府建设工作的报告", "规范性文件备案审查",
          "科技类校外培训", "法治", "焦科组2024 5号", "ＡＢＣ１２３ 法律", "<script>", "郑州金水区科技局", "苏州科技局",
          # phrases of the seeds where the max-probability route and the longest word disagree (组织学|习)
          "组织学习", "常态化开展监督检查", "科技创新奖励资金", "下步打算", "党组理论学习中心组",
          # a pasted sentence: only its first twelve words are searched as words
          "全面贯彻落实党的二十大和二十届二中、三中全会精神，全面贯彻落实市委、市政府决策部署，紧紧围绕法治政府建设工作任务"]


def test_python_and_javascript_cut_every_query_the_same(site, base, tab):
    """The browser's words (and their forms) are Python's words over the same lexicon files."""
    files = {f"{folder}/{p.name}": p.read_bytes() for folder in ("w", "v") for p in (site / "search" / folder).iterdir()}
    meta = json.loads((site / "search" / "meta.json").read_text(encoding="utf-8"))
    lexicon = read_lexicon(files, meta["words"]["unknown"])
    tab.goto(f"{base}search/")
    assert len(PARITY) >= 20
    for query in PARITY:
        js = tab.evaluate("q => gongwenSearch.loadMeta().then(m => gongwenSearch.analyseQuery(m, q))", query)
        py = analyse(lexicon, query)
        assert [(w["text"], w["forms"]) for w in js["words"]] == [(w.text, list(w.forms)) for w in py.words], query
        assert [p["text"] for p in js["phrases"]] == [p.text for p in py.phrases] and js["exactOnly"] == py.exact_only


@pytest.mark.parametrize("query", ["法治政府建设年度报告", "马村区科技局 甲乙丙丁"])
def test_search_page_with_tiers_or_hints_has_no_serious_accessibility_violation(browser, base, query):
    from axe_playwright_python.sync_playwright import Axe
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(f"{base}search/?q={quote(query)}")
    page.wait_for_selector("#gw-search[data-state=done]")
    page.focus("#gw-search select[name=province]")  # the filters filled in
    page.wait_for_function("() => document.querySelectorAll('#gw-search select[name=province] option').length > 1")
    violations = Axe().run(page).response["violations"]
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")]
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.close()
    assert serious == [], serious


def test_words_in_the_names_outrank_words_repeated_in_the_text(base, tab):
    """The ranking keys of tiers 2–3 in the browser's own code: a report naming the word (title, bureau,
    place, year) comes before one repeating it ten times in its text; then BM25, then newest."""
    tab.goto(f"{base}search/")
    order = tab.evaluate("""() => {
      const meta = {count: 3, parts: [32, 40, 50], year: [2023, 2023, 2024]};  // names below 40, text from 50
      const stats = {length: [1000, 1000, 1000], average: 1000};
      const words = [{text: '马村区', docNumber: false}];
      const hits = [new gongwenSearch.Hits(3)];
      hits[0].add(0, 10, 300); hits[0].add(1, 1, 5); hits[0].add(2, 10, 300); hits[0].names = new Uint8Array(3);
      const table = gongwenSearch.coarseTable(meta, words, hits, gongwenSearch.matchedWords(meta, hits));
      const keys = gongwenSearch.scorer(meta, stats, hits, table);
      return gongwenSearch.sortBy(meta, [0, 1, 2], d => keys(d, false), false); }""")
    assert order == [1, 2, 0]  # named first; then the same score, newer (year 1) before older


@pytest.mark.parametrize("by_year", [False, True])
def test_the_coarse_order_of_many_reports_is_sort_bys(base, tab, by_year):
    """Tiers 2–3 are first ordered without the score (a natural query's tier 3 holds nearly every report): the
    counting sort over keys folded into one number gives exactly sortBy's order, ties by newest year, then ascending,
    or by year first.  Reports are numbered by year; they are given out of order, as the words' hits give them."""
    tab.goto(f"{base}search/")
    same = tab.evaluate("""(byYear) => {
      let seed = 7; const random = n => (seed = (seed * 16807) % 2147483647) % n;
      const count = 3000, year = new Int32Array(count);
      for (let doc = 0; doc < count; doc++) year[doc] = 2019 + Math.floor(doc * 7 / count);
      const meta = {count: count, year: year}, docs = [];
      for (let doc = 0; doc < count; doc++) if (random(3)) docs.push(doc);
      for (let i = docs.length - 1; i > 0; i--) { const j = random(i + 1); [docs[i], docs[j]] = [docs[j], docs[i]]; }
      const keys = doc => [doc % 2, (doc * 7) % 5, (doc * 13) % 4], code = doc => keys(doc).reduce((c, k) => c * 6 + k, 0);
      const fast = gongwenSearch.coarseOrder(meta, docs, code, byYear, 6 ** 3), slow = gongwenSearch.sortBy(meta, docs, keys, byYear);
      return [fast.length === slow.length && fast.every((doc, i) => doc === slow[i]), fast.slice(0, 5), slow.slice(0, 5)]; }""", by_year)
    assert same[0], same
