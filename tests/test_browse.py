"""The browse pages, links that last and the data outputs, on a site built from the seeds
(plus the two reports described in conftest's ``browse_site``)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import CORPUS

JIAOZUO_2023 = CORPUS / "002_e9196ebf62140957.txt"

@pytest.fixture(scope="module")
def site(browse_site) -> Path:
    return browse_site


def soup_of(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def rows(site: Path) -> dict[str, dict]:
    return {row["source"]: row for row in json.loads((site / "api" / "reports.json").read_text(encoding="utf-8"))}


def links_from(site: Path, url: str, selector: str = "article a[href]") -> dict[str, str]:
    """Link text → site-relative URL of the target, for the links on one page."""
    soup = soup_of(site, url)
    base = f"http://x/{url.strip('/')}/" if url.strip("/") else "http://x/"
    return {a.get_text(" ", strip=True): urljoin(base, a["href"]).removeprefix("http://x/") for a in soup.select(selector)}


def test_seed_ids_and_urls_are_the_documented_scheme(site):
    urls = {source: row["url"] for source, row in rows(site).items()}
    assert urls["002_e9196ebf62140957.txt"] == "reports/henan/jiaozuo/kjj/2023/"
    assert urls["005_jiaozuo_2022.txt"] == "reports/henan/jiaozuo/kjj/2022/"
    assert urls["000_acc9ae5d28c10407.txt"] == "reports/henan/jiaozuo/macun/kjj/2025/"
    assert urls["003_0f6a7d55f317c3d7.txt"] == "reports/henan/luoyang/xigong/kjj/2024/"
    assert all(url.isascii() for url in urls.values())


def test_bureau_page_is_a_timeline_across_printed_names(site):
    soup = soup_of(site, "bureaus/henan/jiaozuo/kjj")
    assert soup.select_one("article h1").get_text(strip=True).removesuffix("¶") == "焦作市科学技术局"
    assert [h.get_text(strip=True).removesuffix("¶") for h in soup.select("article h2")] == ["2023年度（1）", "2022年度（1）"]
    links = links_from(site, "bureaus/henan/jiaozuo/kjj")
    assert links["中共焦作市科学技术局党组关于2023年法治政府建设工作的报告"] == "reports/henan/jiaozuo/kjj/2023/"
    assert links["焦作市科技局关于2022年法治政府建设工作的报告"] == "reports/henan/jiaozuo/kjj/2022/"
    assert "焦科组〔2024〕5号" in soup.select_one("article").get_text()
    index = links_from(site, "bureaus")
    assert index["焦作市科学技术局"] == "bureaus/henan/jiaozuo/kjj/"
    assert "2 篇（2023、2022）" in soup_of(site, "bureaus").select_one("article").get_text()


def test_year_page_lists_reports_by_their_report_year(site):
    by_source = rows(site)
    listed = set(links_from(site, "years/2024").values())
    expected = {by_source[s]["url"] for s in ("001_bfb220357d947980.txt", "003_0f6a7d55f317c3d7.txt", "004_a3d568ff32f023b9.txt")}
    assert expected <= listed
    assert by_source["002_e9196ebf62140957.txt"]["url"] not in listed  # a 2023 report, though issued in 2024
    years = links_from(site, "years")
    assert years["2024年度"] == "years/2024/" and "（4 篇）" in soup_of(site, "years").get_text()


def test_doc_number_page_links_each_number_to_its_report(site):
    links = links_from(site, "doc-numbers")
    assert links["焦科组〔2024〕5号"] == rows(site)["002_e9196ebf62140957.txt"]["url"]
    assert links["信科〔2025〕6号"] == rows(site)["004_a3d568ff32f023b9.txt"]["url"]
    assert links["焦科〔2023〕9号"] == "reports/henan/jiaozuo/kjj/2022/"
    assert not any("001_" in url for url in links.values())


def test_region_tree_has_counts_and_a_page_per_place(site):
    soup = soup_of(site, "regions")
    henan = soup.select_one("article > ul > li")
    assert henan.find("a").get_text() == "河南省" and "（6）" in henan.get_text()
    assert "地区不明（1）" in soup.select_one("article").get_text()  # the hostile report's 某某县 is no place
    cities = {li.find("a").get_text(): li for li in henan.find("ul").find_all("li", recursive=False)}
    assert "（3）" in cities["焦作市"].get_text()
    assert [a.get_text() for a in cities["焦作市"].select(":scope > ul a")] == ["马村区"]
    jiaozuo = links_from(site, "regions/henan/jiaozuo")
    assert jiaozuo["焦作市科学技术局"] == "bureaus/henan/jiaozuo/kjj/"
    assert jiaozuo["马村区"] == "regions/henan/jiaozuo/macun/"


def test_report_page_extras(site):
    url = "reports/henan/jiaozuo/kjj/2023"
    soup = soup_of(site, url)
    extras = links_from(site, url, ".gw-extras a[href]")
    assert extras["← 2022年度"] == "reports/henan/jiaozuo/kjj/2022/"
    assert extras["焦作市科学技术局历年报告"] == "bureaus/henan/jiaozuo/kjj/"
    assert not any(text.endswith("→") for text in extras)  # no later year
    assert soup.select_one("#gw-citation-text").get_text() == \
        "中共焦作市科学技术局党组《中共焦作市科学技术局党组关于2023年法治政府建设工作的报告》（焦科组〔2024〕5号），2024年3月18日"
    assert soup.select_one("#gw-permalink-input")["data-permalink"] == "reports/henan/jiaozuo/kjj/2023/"
    box = {dt.get_text(): dt.find_next_sibling("dd") for dt in soup.select(".gw-meta dt")}
    assert "法律顾问" in box["主题"].get_text() and box["报告部门"].a.get_text() == "焦作市科学技术局"
    assert links_from(site, "reports/henan/jiaozuo/kjj/2022", ".gw-extras a[href]")["2023年度 →"] == url + "/"


def test_downloads_are_the_original_bytes_and_the_clean_text(site):
    folder = site / "reports" / "henan" / "jiaozuo" / "kjj" / "2023"
    soup = soup_of(site, "reports/henan/jiaozuo/kjj/2023")
    original = soup.select_one(".gw-downloads a[href^=original]")
    data = (folder / original["href"]).read_bytes()
    assert data == JIAOZUO_2023.read_bytes()
    assert soup.select_one(".gw-sha256").get_text() == hashlib.sha256(data).hexdigest()
    text_link = [a for a in soup.select(".gw-downloads a") if a is not original][0]
    text = (folder / text_link["href"]).read_text(encoding="utf-8")
    assert text.startswith("中共焦作市科学技术局党组文件\n\n焦科组〔2024〕5号\n\n中共焦作市科学技术局党组关于2023年法治政府建设工作的报告")
    assert "一、加强党对法治政府建设的领导" in text and "---" not in text and "<" not in text


def test_tag_pages_list_their_reports_and_explain_topics(site):
    report = soup_of(site, "reports/henan/jiaozuo/kjj/2023")
    chips = {a.get_text(strip=True): a["href"] for a in report.select(".md-tags a")}
    assert {"焦作市科学技术局", "2023年", "河南省", "焦作市", "市级", "法律顾问"} <= set(chips)
    tag_url = urljoin("http://x/reports/henan/jiaozuo/kjj/2023/", chips["法律顾问"]).removeprefix("http://x/").split("#")[0]
    assert tag_url == "tags/topic/legal-adviser/"
    tag = soup_of(site, tag_url)
    assert "标注规则" in tag.get_text() and "“法律顾问”、“公职律师”合计不少于 2 次" in tag.get_text()
    listed = set(links_from(site, tag_url).values())
    assert {"reports/henan/jiaozuo/kjj/2023/", "reports/henan/xinyang/kjj/2024/"} <= listed
    assert "reports/henan/luoyang/xigong/kjj/2024/" not in listed
    index = links_from(site, "tags")
    assert index["法律顾问"] == "tags/topic/legal-adviser/" and index["按年度浏览"] == "years/"
    # a bureau, year or place tag leads to its browse page, not to a copy of it
    absolute = {name: urljoin("http://x/reports/henan/jiaozuo/kjj/2023/", href).removeprefix("http://x/") for name, href in chips.items()}
    assert (absolute["2023年"], absolute["焦作市"], absolute["焦作市科学技术局"]) == \
        ("years/2023/", "regions/henan/jiaozuo/", "bureaus/henan/jiaozuo/kjj/")


def test_old_urls_redirect_to_the_current_ones(site):
    old = site / "reports" / "henan" / "jiaozuo" / "kxjsj" / "2023" / "index.html"
    soup = BeautifulSoup(old.read_text(encoding="utf-8"), "html.parser")
    refresh = soup.select_one('meta[http-equiv="refresh"]')["content"]
    target = urljoin("http://x/reports/henan/jiaozuo/kxjsj/2023/", refresh.split("url=", 1)[1]).removeprefix("http://x/")
    assert target == "reports/henan/jiaozuo/kjj/2023/" and (site / target / "index.html").is_file()
    assert soup.select_one('link[rel="canonical"]')["href"] == refresh.split("url=", 1)[1]


def test_sitemap_has_every_page_with_corpus_dates(site):
    tree = ET.parse(site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {u.find("s:loc", ns).text: u.find("s:lastmod", ns).text for u in tree.getroot().findall("s:url", ns)}
    pages = {"/" + p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
             if "本页已迁移" not in p.read_text(encoding="utf-8")} - {"/./"}
    pages = {p.replace("/./", "/") for p in pages} | {"/"}
    assert set(entries) == pages
    assert entries["/reports/henan/jiaozuo/kjj/2023/"] == "2024-03-18"


def test_feed_is_atom_in_date_order_with_escaped_text(site):
    root = ET.parse(site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = root.findall(f"{atom}entry")
    assert len(entries) == 7
    dates = [e.find(f"{atom}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    by_link = {e.find(f"{atom}link").get("href"): e for e in entries}
    jiaozuo = by_link["reports/henan/jiaozuo/kjj/2023/"]
    assert jiaozuo.find(f"{atom}updated").text == "2024-03-18T00:00:00Z"
    titles = [e.find(f"{atom}title").text for e in entries]
    assert '=HYPERLINK("http://evil")某某县科技局2024年<b>法治</b>政府建设工作报告' in titles
    for link in by_link:
        assert (site / link / "index.html").is_file()


def test_csv_opens_in_excel_and_defuses_formulas(site):
    raw = (site / "api" / "reports.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(table) == 7
    by_source = {row["source"]: row for row in table}
    assert by_source["002_e9196ebf62140957.txt"]["doc_number"] == "焦科组〔2024〕5号"
    assert by_source["002_e9196ebf62140957.txt"]["recipients"] == "市委；市政府"
    hostile = by_source["zz_hostile.txt"]
    assert hostile["title"].startswith("'=HYPERLINK(") and hostile["doc_number"] == "'+某〔2025〕1号"
    for row in table:
        assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())


def test_hostile_metadata_is_text_in_every_listing(site):
    pages = [p for p in site.rglob("*.html")]
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not soup.select("[onerror]"), page
        assert not soup.select("article b"), page
    bureau = next((site / "bureaus").rglob("index.html"), None)
    texts = " ".join(BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text() for p in (site / "bureaus").rglob("index.html"))
    assert bureau and "<img src=x onerror=alert(9)>局" in texts
    tags = " ".join(BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text() for p in (site / "tags").rglob("index.html"))
    assert "<b>法治</b>" in tags  # the hostile title, listed on its topic tags' pages
    chips = [BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select(".md-tags .md-tag")
             for p in (site / "reports").rglob("index.html")]
    assert "<img src=x onerror=alert(9)>局" in {chip.get_text() for page in chips for chip in page}


def test_no_broken_internal_links(site):
    """Every href/src in every HTML page resolves to a file of the site, and every #fragment to an id there."""
    broken = []
    ids: dict[Path, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        ids[page] = {el["id"] for el in soup.select("[id]")}
    checked = 0
    for page in sorted(ids):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.select("a[href], link[href], script[src], img[src]"):
            ref = element.get("href") or element.get("src")
            if ref.startswith(("http:", "https:", "mailto:", "data:", "urn:")) or not ref:
                continue
            path, _, fragment = ref.partition("#")
            target = (page.parent / unquote(path)).resolve() if path else page
            if path.startswith("/"):
                target = (site / unquote(path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {ref}")
            elif fragment and target.suffix == ".html" and unquote(fragment) not in ids.get(target, set()) \
                    and fragment not in ("", "__skip"):
                broken.append(f"{page.relative_to(site)}: {ref} (no id “{unquote(fragment)}”)")
    assert checked > 500
    assert broken == []
