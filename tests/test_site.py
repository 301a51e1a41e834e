"""``gongwen build`` on the seeds (plus a hostile report) in a scratch project, checked with BeautifulSoup.

The build runs ``mkdocs build --strict``; any MkDocs warning fails it.
"""

from __future__ import annotations

import filecmp
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from gongwen.buildpaths import generated_docs
from conftest import CORPUS, ROOT, build_site

HOSTILE = """某某县科技局2024年法治政府建设工作报告<script>alert(1)</script>

2024年，我局依法行政<img src=x onerror=alert(2)>，详见[链接](javascript:alert(3))。
一、<b>加强</b>领导&amp;监督
全面落实 *责任* 与 `制度`，<a href="javascript:alert(4)">点此</a>。
123. abc这一段以数字开头
- abc这一段以连字符开头
二、存在问题
法治政府建设相关制度有待进一步完善，运用法治思维和法治方式推动业务工作能力需进一步加强，普法宣传的精准性、渗透力有待提升。
三、下步打算
下一步，我局将以习近平法治思想为指引，推动法治政府建设与科技创新深度融合、互促共进，持续释放政策红利，营造尊法崇创的良好环境。
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("project")
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (corpus / "hostile.meta.yml").write_text('issuer: <script>alert("issuer")</script>\ndoc_number: 某科〔2025〕1号\n',
                                             encoding="utf-8")
    built, done = build_site(tmp, corpus)
    assert "共 6 个文件：发布 6 个页面，未发布 0 个" in done.stdout
    return built


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def heading(element) -> str:
    """A heading's text without its ¶ permalink."""
    return element.get_text(strip=True).removesuffix("¶")


def test_report_page_has_title_metadata_box_and_toc(site):
    soup = page(site, "reports/henan/jiaozuo/kjj/2023")
    assert soup.html["lang"].startswith("zh")
    assert [heading(h) for h in soup.select("article h1")] == ["中共焦作市科学技术局党组关于2023年法治政府建设工作的报告"]
    box = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in soup.select(".gw-meta dt")}
    assert box["发文字号"] == "焦科组〔2024〕5号"
    assert box["报告年度"] == "2023年度"
    assert box["地区"] == "河南省 焦作市（市级）"
    assert box["印发日期"] == "2024年3月18日（焦作市科技局办公室）"  # dates for people; ISO only in data files
    assert box["主送"] == "市委、市政府"
    toc = [a.get_text(strip=True) for a in soup.select("nav.md-nav--secondary a.md-nav__link")]
    assert "一、加强党对法治政府建设的领导" in toc and "（一）强化习近平法治思想理论学习" in toc


def test_report_parts_are_in_their_place_not_body_text(site):
    soup = page(site, "reports/henan/xinyang/kjj/2024")
    article = soup.select_one("article")
    head = [el.name if el.name == "h1" else el["class"][0] for el in article.find_all(["nav", "h1", "p", "details", "div"], recursive=False)]
    assert head[:5] == ["gw-crumbs", "h1", "gw-facts", "gw-details", "gw-document"]  # title first, then the box
    document = article.select_one(".gw-document")
    order = [el for el in document.find_all(["p", "div"]) if el.get("class") and el["class"][0].startswith("gw-")]
    names = [el["class"][0] for el in order]
    assert names[:4] == ["gw-masthead", "gw-doc-number", "gw-doc-title", "gw-recipients"]  # the 版头 as printed
    assert names[-2:] == ["gw-colophon", "gw-colophon__issue"]
    assert soup.select_one(".gw-masthead").get_text() == "信阳市科学技术局文件"
    colophon = [p.get_text() for p in soup.select(".gw-colophon p")]
    assert colophon == ["抄送：信阳市司法局依法行政指导科", "信阳市科学技术局办公室 2025年2月20日印发"]  # 版记 as printed
    assert [s.get_text() for s in soup.select(".gw-colophon__issue span")] == ["信阳市科学技术局办公室", "2025年2月20日印发"]
    body = " ".join(p.get_text() for p in article.select("p:not([class])"))
    assert "截至目前" in body and "满意度为100%" in body


def test_headings_follow_the_documents_levels(site):
    soup = page(site, "reports/henan/luoyang/xigong/kjj/2024")
    h2 = [heading(h) for h in soup.select("article h2")]
    assert h2 == ["一、主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
                  "二、主要举措和成效", "二、存在问题", "三、2025年工作安排"]
    assert len(soup.select("article h3")) == 12


def test_home_page_is_a_portal(site):
    """Coverage in one sentence, a search box with example queries, entry points with counts, the newest reports."""
    soup = page(site, ".")
    assert soup.select_one(".gw-coverage").get_text() == \
        "本库收录河南省4个市的6个政府部门2023—2025年度的法治政府建设年度报告，共6篇，逐篇保留原文，可检索、可下载。"
    form = soup.select_one("article form[role=search]")
    assert form["action"] == "search/" and form.select_one("input[name=q]")["id"] == "gw-home-q"
    examples = [a["href"] for a in soup.select(".gw-examples a")]
    assert examples and all(href.startswith("search/?q=") for href in examples)
    boxes = {box.h3.get_text(): [(a.get_text(), a["href"], a.find_next_sibling("span").get_text()) for a in box.select("li a")]
             for box in soup.select(".gw-entry")}
    assert boxes["按地区"][0] == ("河南省", "regions/henan/", "5篇")  # the hostile report's 某某县 is no place
    assert ("2024年度", "years/2024/", "4篇") in boxes["按年度"]
    assert boxes["按部门类别"][0] == ("科学技术局", "bureaus/kinds/kjj/", "5篇")
    links = {a.get_text(): a["href"] for a in soup.select(".gw-newest a")}
    assert links["信阳市科学技术局关于2024年法治政府建设情况的报告"] == "reports/henan/xinyang/kjj/2024/"
    assert len(links) == 6  # all six are among the newest ten
    assert [heading(h) for h in soup.select("article h2")] == ["浏览", "最新报告", "订阅与数据"]
    hrefs = {a["href"] for a in soup.select("article a")}
    for entry in ("bureaus/", "years/", "regions/", "feed.xml", "api/"):
        assert entry in hrefs


def test_reports_json_has_every_report_with_url(site):
    rows = json.loads((site / "api" / "reports.json").read_text(encoding="utf-8"))
    assert len(rows) == 6
    by_source = {row["source"]: row for row in rows}
    row = by_source["002_e9196ebf62140957.txt"]
    assert row["url"] == "reports/henan/jiaozuo/kjj/2023/"
    assert row["doc_number"] == "焦科组〔2024〕5号" and row["year"] == 2023
    for row in rows:
        assert (site / row["url"] / "index.html").is_file()


def test_hostile_text_reaches_the_page_as_text(site):
    hostile = next(p for p in (site / "reports" / "other").rglob("index.html"))
    soup = BeautifulSoup(hostile.read_text(encoding="utf-8"), "html.parser")
    assert "alert" not in " ".join(s.get_text() for s in soup.find_all("script") if s.get("type") != "application/ld+json")
    assert not set("<>&") & set(soup.select_one('script[type="application/ld+json"]').get_text())  # data, \u003c…
    assert not soup.select("[onerror]") and not soup.select('a[href^="javascript"]')
    soup.select_one("article nav.gw-crumbs").decompose()  # the archive's own lists (and the compliance checklist), not report text
    assert not soup.select("article b, article em, article code:not(.gw-sha256), article ol, article ul:not(.gw-checklist)")
    assert heading(soup.select_one("article h1")).endswith("<script>alert(1)</script>")
    text = soup.select_one("article").get_text()
    for visible in ("<img src=x onerror=alert(2)>", "[链接](javascript:alert(3))", "*责任*", "`制度`",
                    "&amp;监督", "123. abc这一段以数字开头", "- abc这一段以连字符开头"):
        assert visible in text
    assert '<script>alert("issuer")</script>' in soup.select_one(".gw-meta").get_text()
    assert "<script>alert" not in soup.select_one("title").decode_contents()
    assert "<script>alert" in soup.select_one("title").get_text()


def test_pages_load_nothing_from_another_host(site):
    """Stylesheets, scripts, fonts and images all come from the archive itself: a host blocked where
    the reader is (Google Fonts in mainland China) would otherwise hold the page blank."""
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        loaded = [tag.get("href") for tag in soup.find_all("link") if tag.get("rel") != ["canonical"]]
        loaded += [tag.get("src") for tag in soup.find_all(["script", "img", "iframe", "source"])]
        foreign = [url for url in loaded if url and (url.startswith("//") or "://" in url)]
        assert not foreign, f"{path.relative_to(site)} loads {foreign}"


def test_search_scripts_are_shipped_without_comments_and_spacing(site):
    """The first query downloads them on a phone: every script the site's pages load from assets/search/ is
    its source without comments (/* … */, // …) and indentation, every token kept (the browser tests run it)."""
    sources = sorted((ROOT / "docs" / "assets" / "search").glob("*.js"))
    soup = page(site, "search/")
    loaded = {Path(tag["src"].split("?")[0]).name for tag in soup.find_all("script") if "assets/search/" in tag.get("src", "")}
    assert loaded == {source.name for source in sources}
    for source in sources:
        text, shipped = source.read_text(encoding="utf-8"), (site / "assets" / "search" / source.name).read_text(encoding="utf-8")
        assert "/*" in text and "/*" not in shipped and "\n  " not in shipped, source.name
        assert len(shipped) < 0.8 * len(text), source.name
        names = {word for word in re.findall(r"function ([A-Za-z]+)", text)}
        assert names and all(f"function {name}(" in shipped for name in names), source.name


def test_sidecar_fields_are_named_on_the_page_and_never_printed_into_the_text(site):
    hostile = next(p for p in (site / "reports" / "other").rglob("index.html"))
    soup = BeautifulSoup(hostile.read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one(".gw-manual").get_text().endswith("人工设定，不是文件本身所载：发文字号、发文机关")
    box = {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in soup.select(".gw-meta dt")}
    assert box["发文字号"] == "某科〔2025〕1号（设置来源：人工）"
    assert box["发文机关"].endswith("（设置来源：人工）") and "设置来源" not in box["报告年度"]
    assert soup.select_one(".gw-doc-number") is None  # the original bears no 文号: none above the title
    # the archive's metadata (key facts, box, citation) may show it; the document as printed never does
    assert "某科〔2025〕1号" not in soup.select_one(".gw-document").get_text()
    clean_text = [p for p in hostile.parent.glob("*.txt") if not p.name.startswith("original")]
    assert len(clean_text) == 1 and "某科〔2025〕1号" not in clean_text[0].read_text(encoding="utf-8")


def test_same_corpus_gives_byte_identical_docs_and_site(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, _ = build_site(tmp_path / "a", CORPUS)
    second, _ = build_site(tmp_path / "b", CORPUS)
    for left, right in ((first, second), (generated_docs(first), generated_docs(second))):
        comparison = filecmp.dircmp(left, right)
        assert _differences(comparison) == []


def _differences(comparison: filecmp.dircmp) -> list[str]:
    _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right, comparison.common_files, shallow=False)
    found = mismatch + errors + comparison.left_only + comparison.right_only
    for sub in comparison.subdirs.values():
        found += _differences(sub)
    return found


@pytest.mark.parametrize("width, height", [(375, 812), (1280, 800)])
def test_report_page_in_chromium(site, serve, browser, width, height):
    """The hostile report as a reader sees it: its markup is visible text, and no script of it ran."""
    base = serve(site)
    hostile = next(p for p in (site / "reports" / "other").rglob("index.html")).parent.relative_to(site)
    page = browser.new_page(viewport={"width": width, "height": height})
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{base}{hostile.as_posix()}/")
    assert page.locator("article h1").inner_text().startswith("某某县科技局2024年法治政府建设工作报告<script>")
    assert "<img src=x onerror=alert(2)>" in page.locator("article").inner_text()
    assert dialogs == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(f"{base}reports/henan/jiaozuo/kjj/2023/")
    is_open = page.evaluate("document.querySelector('.gw-details').open")
    assert is_open == (width > 960)  # the metadata box is open on a desktop, closed on a phone
    if not is_open:
        page.click(".gw-details > summary")
    assert page.locator(".gw-meta").inner_text().count("焦科组〔2024〕5号") == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.close()


def test_the_maintainers_guide_is_published_and_in_the_navigation(site):
    soup = page(site, "maintaining")
    assert heading(soup.select_one("article h1")) == "维护指南"
    assert [heading(h) for h in soup.select("article h2")] == ["添加报告", "纠正元数据", "处理报错", "发布"]
    assert "`E-NO-TITLE`" not in soup.get_text() and soup.find("code", string="E-NO-TITLE") is not None
    assert any(a.get_text(strip=True) == "维护指南" for a in page(site, ".").select("nav a"))
