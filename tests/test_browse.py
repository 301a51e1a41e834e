"""The browse pages, links that last and the data outputs, on a site built from the seeds
(plus the two reports described in conftest's ``browse_site``)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import CORPUS, build_site
from gongwen.model import OVERRIDABLE

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
    raw = (folder / text_link["href"]).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: readable even when a server sends no charset
    text = raw.decode("utf-8-sig")
    assert text.startswith("中共焦作市科学技术局党组文件\n\n焦科组〔2024〕5号\n\n中共焦作市科学技术局党组关于2023年法治政府建设工作的报告")
    assert "一、加强党对法治政府建设的领导" in text and "---" not in text and "<" not in text


def test_tag_pages_list_their_reports_and_explain_topics(site):
    report = soup_of(site, "reports/henan/jiaozuo/kjj/2023")
    chips = {a.get_text(strip=True): a["href"] for a in report.select(".md-tags a")}
    assert {"焦作市科学技术局", "2023年度", "河南省", "焦作市", "市级", "法律顾问"} <= set(chips)
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
    assert (absolute["2023年度"], absolute["焦作市"], absolute["焦作市科学技术局"]) == \
        ("years/2023/", "regions/henan/jiaozuo/", "bureaus/henan/jiaozuo/kjj/")


def test_old_urls_redirect_to_the_current_ones(site):
    old = site / "reports" / "henan" / "jiaozuo" / "kxjsj" / "2023" / "index.html"
    soup = BeautifulSoup(old.read_text(encoding="utf-8"), "html.parser")
    refresh = soup.select_one('meta[http-equiv="refresh"]')["content"]
    target = urljoin("http://x/reports/henan/jiaozuo/kxjsj/2023/", refresh.split("url=", 1)[1]).removeprefix("http://x/")
    assert target == "reports/henan/jiaozuo/kjj/2023/" and (site / target / "index.html").is_file()
    assert soup.select_one('link[rel="canonical"]')["href"] == refresh.split("url=", 1)[1]


def test_sitemap_has_every_page_with_corpus_dates(site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemaps = [s.find("s:loc", ns).text for s in ET.parse(site / "sitemap.xml").getroot().findall("s:sitemap", ns)]
    entries = {u.find("s:loc", ns).text: u.find("s:lastmod", ns).text  # a sitemap index: national, then by province
               for name in sitemaps for u in ET.parse(site / name.lstrip("/")).getroot().findall("s:url", ns)}
    # every page but those kept out of search engines' indexes: redirects (old ids, latest/ and year links), the
    # embeds and the notes that a bureau's year is not held (browse/links.py, browse/embed.py)
    pages = {"/" + p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
             if '<meta name="robots" content="noindex">' not in p.read_text(encoding="utf-8")} - {"/./"}
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
            path = path.partition("?")[0]  # a prepared search (search/?q=…) is the search page
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


#: Latin-letter words a visitor may meet outside report text, 文号, file names, URLs and code: names of
#: file formats and the checksum, units, the standard cited in 关于本库.
LATIN_ALLOWED = {"txt", "docx", "html", "pdf", "PDF", "Word", "JSON", "CSV", "Atom", "SHA-256", "KB", "MB", "GB/T",
                 "BibTeX", "RIS", "EB/OL", "JavaScript", "bib", "ris"}
#: Developers' design notes published for the record under design/ (docs/search.md, scale.md, benchmarks*.md), in English.
DESIGN_NOTES = ("design/",)
#: The maintainers' guide: Chinese, but it has to name the corpus folder and the sidecar files.
MAINTAINER_PAGES = ("maintaining/",)
#: What the guide may name besides: encodings and formats a file comes in, the folder, sidecar field keys.
MAINTAINER_WORDS = {"GB18030", "UTF-8", "UTF-16", "OCR", "WPS", "OFD", "corpus/", "slug", "id", "ICP",  # ICP备案号
                    *OVERRIDABLE, *(f"{name}:" for name in OVERRIDABLE)}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_./:\-]*")


def latin_words(html_text: str) -> set[str]:
    """Latin-letter words in what a visitor reads or hears on a page: its text, titles, labels and placeholders;
    not report text (.gw-document, the title and key facts come from the report), code, file names or URLs."""
    soup = BeautifulSoup(html_text, "html.parser")
    for element in soup.select("script, style, svg, code, .gw-document, .gw-embed__code"):
        element.decompose()
    texts = [soup.get_text(" ")]
    texts += [el.get(name, "") for el in soup.select("[title], [aria-label], [placeholder], [alt]")
              for name in ("title", "aria-label", "placeholder", "alt")]
    words = set(LATIN_WORD.findall(" ".join(texts)))
    return {w for w in words if w not in LATIN_ALLOWED and "/" not in w.strip("/") and "." not in w.rstrip(".")}


@pytest.fixture(scope="module")
def seeds_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("seeds-site")
    shutil.copytree(CORPUS, tmp / "corpus")
    built, _ = build_site(tmp, tmp / "corpus")
    return built


def test_no_english_on_public_pages(seeds_site):
    """Every page a visitor meets is Chinese: no “Made with”, no “Permanent link”, no raw field or type names."""
    pages = [p for p in sorted(seeds_site.rglob("*.html"))
             if not p.relative_to(seeds_site).as_posix().startswith(DESIGN_NOTES)]
    assert len(pages) > 30 and (seeds_site / "404.html") in pages
    found = {}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "Made with" not in text and "Permanent link" not in text, page
        for_maintainers = page.relative_to(seeds_site).as_posix().startswith(MAINTAINER_PAGES)
        if not for_maintainers:
            assert not re.search(r"scripts/|corpus/|\.py\b|\.yml\b", BeautifulSoup(text, "html.parser").get_text()), page
        words = latin_words(text) - (MAINTAINER_WORDS if for_maintainers else set())
        if words:
            found[page.relative_to(seeds_site).as_posix()] = sorted(words)
    assert found == {}


def test_latin_scan_catches_english():
    assert latin_words('<p>下载 <a title="Permanent link">¶</a> Made with Material</p>') == {"Permanent", "link", "Made", "with", "Material"}
    assert latin_words("<p>纯文本（.txt） <code>str | None</code> 见 https://example.org/x 与 SHA-256</p>") == set()


def test_one_name_per_bureau_and_dates_for_people(site):
    """Listings name a bureau canonically (a county's with its city), never as printed (马村区科学科技局 is a
    misprint in the report); dates read 2024年3月18日; a 文号 never breaks inside."""
    macun = "reports/henan/jiaozuo/macun/kjj/2025/"
    for url in ("years/2025", "bureaus", "regions/henan/jiaozuo/macun", "bureaus/kinds/kjj"):
        article = soup_of(site, url).select_one("article")
        for a in article.select("a"):
            if a.get_text() == "马村区科学科技局2025年度法治政府建设工作报告":
                a.decompose()  # the title is printed so; only the names around it are the site's
        text = article.get_text()
        assert "焦作市马村区科学技术局" in text, url
        assert "科学科技局" not in text and "-03-" not in text, url
    report = soup_of(site, macun)
    box = {dt.get_text(): dt.find_next_sibling("dd") for dt in report.select(".gw-meta dt")}
    assert box["报告部门"].get_text() == "焦作市马村区科学技术局（文中作“马村区科学科技局”）"
    for url, number in (("doc-numbers", "信科〔2025〕6号"), ("years/2024", "信科〔2025〕6号"),
                        ("reports/henan/jiaozuo/kjj/2023", "焦科组〔2024〕5号")):
        assert number in [s.get_text() for s in soup_of(site, url).select("article .gw-nowrap")], url


def test_report_page_reads_title_first(site):
    soup = soup_of(site, "reports/henan/jiaozuo/kjj/2023")
    article = soup.select_one("article")
    order = [el.name if el.name in ("h1", "details") else el["class"][0] for el in article.find_all(recursive=False)
             if el.name != "script"]
    assert order == ["gw-crumbs", "h1", "gw-facts", "details", "gw-document"]
    assert [li.get_text() for li in article.select(".gw-crumbs li")] == ["首页", "河南省", "焦作市", "焦作市科学技术局", "2023年度"]
    assert article.select_one(".gw-facts").get_text() == "中共焦作市科学技术局党组\u00a0· 焦科组〔2024〕5号\u00a0· 2023年度\u00a0· 2024年3月18日印发"
    details = article.select_one("details.gw-details")
    assert details.has_attr("open") and details.select_one(".gw-meta") and details.select_one(".md-tags") \
        and details.select_one(".gw-extras")
    assert article.select_one(".gw-document > .gw-masthead").get_text() == "中共焦作市科学技术局党组文件"


def test_breadcrumbs_on_every_listing_and_report_page(site):
    missing = []
    for page in sorted(site.rglob("index.html")):
        url = page.parent.relative_to(site).as_posix()
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if url in (".", "search") or soup.select_one('meta[http-equiv="refresh"]') or url.endswith("/embed"):
            continue  # the home page, the search page, redirects and embeds (made for a portal's frame: no navigation)
        crumbs = soup.select("article nav.gw-crumbs li")
        if not crumbs or crumbs[0].get_text() != "首页" or not crumbs[-1].has_attr("aria-current"):
            missing.append(url)
    assert missing == []
    trail = [li.get_text() for li in soup_of(site, "bureaus/henan/jiaozuo/macun/kjj").select(".gw-crumbs li")]
    assert trail == ["首页", "河南省", "焦作市", "马村区", "焦作市马村区科学技术局"]


def test_citation_in_gbt7714_and_reference_manager_files(site):
    from urllib.parse import unquote as unquote_data
    soup = soup_of(site, "reports/henan/jiaozuo/kjj/2023")
    gbt = soup.select_one("#gw-gbt-text")
    assert gbt.get_text() == ("中共焦作市科学技术局党组. 中共焦作市科学技术局党组关于2023年法治政府建设工作的报告: 焦科组〔2024〕5号"
                              "[EB/OL]. (2024-03-18)[引用日期]. reports/henan/jiaozuo/kjj/2023/.")
    assert "{{url}}" in gbt["data-cite-template"] and "{{accessed}}" in gbt["data-cite-template"]
    files = {a["download"]: unquote_data(a["href"].split(",", 1)[1]) for a in soup.select("a.gw-cite-file")}
    bib, ris = files["henan-jiaozuo-kjj-2023.bib"], files["henan-jiaozuo-kjj-2023.ris"]
    assert bib.startswith("@misc{gongwen-henan-jiaozuo-kjj-2023,\n") and "  number = {焦科组〔2024〕5号}," in bib
    assert "  url = {reports/henan/jiaozuo/kjj/2023/}," in bib and bib.count("{") == bib.count("}")
    assert ris.startswith("TY  - GOVDOC\r\n") and "DA  - 2024/03/18\r\n" in ris and ris.endswith("ER  - \r\n")
    hostile = next(p for p in (site / "reports" / "other").rglob("index.html"))
    hostile_bib = BeautifulSoup(hostile.read_text(encoding="utf-8"), "html.parser").select_one("a[download$='.bib']")
    text = unquote_data(hostile_bib["href"].split(",", 1)[1])
    assert "\\{" not in text or text.count("{") - text.count("\\{") == text.count("}") - text.count("\\}")
