"""``gongwen build`` on the seeds (plus a hostile report) in a scratch project, checked with BeautifulSoup.

The build runs ``mkdocs build --strict``; any MkDocs warning fails it.
"""

from __future__ import annotations

import filecmp
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from gongwen.buildpaths import generated_docs
from conftest import CORPUS, build_site

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
    (corpus / "hostile.meta.yml").write_text('issuer: <script>alert("issuer")</script>\n', encoding="utf-8")
    built, done = build_site(tmp, corpus)
    assert "6 input files: 6 pages, 0 rejected" in done.stdout
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
    assert box["报告年度"] == "2023年"
    assert box["地区"] == "河南省 焦作市（市级）"
    assert box["印发日期"] == "2024-03-18（焦作市科技局办公室）"
    assert box["主送"] == "市委、市政府"
    toc = [a.get_text(strip=True) for a in soup.select("nav.md-nav--secondary a.md-nav__link")]
    assert "一、加强党对法治政府建设的领导" in toc and "（一）强化习近平法治思想理论学习" in toc


def test_report_parts_are_in_their_place_not_body_text(site):
    soup = page(site, "reports/henan/xinyang/kjj/2024")
    article = soup.select_one("article")
    article.select_one(".gw-extras").decompose()  # the archive's block above the document (test_browse.py)
    order = [el for el in article.find_all(["p", "h1", "div"]) if el.get("class") and el["class"][0].startswith("gw-") or el.name == "h1"]
    names = [el["class"][0] if el.name != "h1" else "h1" for el in order]
    assert names[:4] == ["gw-masthead", "gw-doc-number", "h1", "gw-recipients"]
    assert names[-1] == "gw-colophon"
    assert soup.select_one(".gw-masthead").get_text() == "信阳市科学技术局文件"
    colophon = [p.get_text() for p in soup.select(".gw-colophon p")]
    assert colophon == ["抄送：信阳市司法局依法行政指导科", "信阳市科学技术局办公室", "2025年2月20日印发"]
    body = " ".join(p.get_text() for p in article.select("p:not([class])"))
    assert "截至目前" in body and "满意度为100%" in body


def test_headings_follow_the_documents_levels(site):
    soup = page(site, "reports/henan/luoyang/xigong/kjj/2024")
    h2 = [heading(h) for h in soup.select("article h2")]
    assert h2 == ["一、主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
                  "二、主要举措和成效", "二、存在问题", "三、2025年工作安排"]
    assert len(soup.select("article h3")) == 12


def test_home_page_says_what_the_archive_holds_and_lists_the_newest(site):
    soup = page(site, ".")
    links = {a.get_text(): a["href"] for a in soup.select("article li a")}
    assert links["信阳市科学技术局关于2024年法治政府建设情况的报告"] == "reports/henan/xinyang/kjj/2024/"
    assert len([h for h in links.values() if h.startswith("reports/")]) == 6  # all six are among the newest ten
    assert [heading(h) for h in soup.select("article h2")] == ["本库收录", "浏览入口", "最新报告", "订阅与数据"]
    holds = [li.get_text() for li in soup.select("article h2 + ul")[0].select("li")]
    assert holds[:3] == ["报告：6 篇", "部门：6 个", "年度：3 个"]
    for entry in ("bureaus/", "years/", "regions/", "doc-numbers/", "tags/", "feed.xml", "api/reports.csv"):
        assert entry in links.values()


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
    assert "alert" not in " ".join(s.get_text() for s in soup.find_all("script"))
    assert not soup.select("[onerror]") and not soup.select('a[href^="javascript"]')
    assert not soup.select("article b, article em, article code:not(.gw-sha256), article ol, article ul")
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


def test_sidecar_fields_are_named_on_the_page(site):
    hostile = next(p for p in (site / "reports" / "other").rglob("index.html"))
    soup = BeautifulSoup(hostile.read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one(".gw-manual").get_text().endswith("issuer")


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
    assert page.locator(".gw-meta").inner_text().count("焦科组〔2024〕5号") == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.close()
