"""The archive on the government web (issue 25): stable links and embeds for 政务公开 pages, the meta tags,
JSON-LD and OpenSearch description that government search and browsers read, the printed QR code, the design
notes apart, and one table of the fields' Chinese names.

The site here is built with its address set (``GONGWEN_SITE_URL``) to the address a test server serves it at,
as a host publishes it, and with the footer's registration numbers set in its ``mkdocs.yml``.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import CORPUS, JIAOZUO_2023, SEEDS, make_project, run_gongwen
from gongwen.cli import FULL_BUILD_MARK
from gongwen.fieldnames import FIELD_NAMES
from gongwen.messages import FIELD_LABELS, field_label
from gongwen.model import FrontMatter

REPORT = "reports/henan/jiaozuo/kjj/2023/"
BUREAU = "bureaus/henan/jiaozuo/kjj/"
#: A title that tries to end every context it is printed in: an attribute, a script element, JSON.
HOSTILE_TITLE = '某某县科技局2024年</script><script>alert(1)</script>"法治"&amp;<b>政府</b>建设工作报告'
RECORDS = {"site_id_code": "4108000001", "icp_record": "豫ICP备00000001号", "police_record": "豫公网安备41080002000001号"}


def jiaozuo_2025() -> str:
    """The 焦作 bureau's report two years on, issued after every other report: the newest of the bureau, of 焦作
    (beside 马村区's undated 2025 report, counted as issued at the end of 2025), of 河南 and of 2025."""
    text = JIAOZUO_2023.read_text(encoding="utf-8")
    return (text.replace("关于2023年法治政府建设工作的报告", "关于2025年法治政府建设工作的报告")
            .replace("焦科组〔2024〕5号", "焦科组〔2026〕2号").replace("2024年3月18日印发", "2026年3月10日印发"))


def build(corpus: Path, site: Path, config: Path, site_url: str = "") -> str:
    env = os.environ | {"GONGWEN_SITE_URL": site_url}
    done = subprocess.run([sys.executable, "-m", "gongwen.cli", "build", "--corpus", str(corpus), "--site", str(site),
                           "--config", str(config)], capture_output=True, text=True, encoding="utf-8", env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def target_of(site: Path, url: str) -> str:
    """Where the redirect page at ``url`` leads (site-relative), checked to be a page of the site."""
    soup = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    refresh = soup.select_one('meta[http-equiv="refresh"]')
    assert refresh is not None, f"{url} is not a redirect"
    target = urljoin("http://x/" + url, refresh["content"].split("url=", 1)[1]).removeprefix("http://x/")
    assert (site / target / "index.html").is_file(), target
    return target


# --- stable links -------------------------------------------------------------------------------------------

def test_latest_and_year_links_follow_a_newer_report_after_an_incremental_build(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, corpus / seed.name)
    config = make_project(tmp_path / "project")
    site = tmp_path / "out" / "site"
    build(corpus, site, config)
    assert target_of(site, f"{BUREAU}latest/") == REPORT
    assert target_of(site, f"{BUREAU}2023/") == REPORT
    none_held = BeautifulSoup((site / BUREAU / "2024" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "本库尚未收录焦作市科学技术局2024年度" in none_held.get_text()
    assert [a["href"] for a in none_held.select("ul li a")] == ["../../../../../" + REPORT]  # the bureau's list
    assert [li.get_text() for li in none_held.select("nav.gw-crumbs li")] == ["首页", "河南省", "焦作市", "焦作市科学技术局", "2024年度"]
    assert urljoin("http://x/" + BUREAU + "2024/", none_held.select("nav.gw-crumbs a")[-1]["href"]) == "http://x/" + BUREAU
    assert not (site / BUREAU / "2022").exists()  # before the bureau's first year: nothing
    macun = "reports/henan/jiaozuo/macun/kjj/2025/"
    assert target_of(site, "regions/henan/jiaozuo/latest/") == macun  # the latest year, 2025
    assert target_of(site, "regions/henan/latest/") == target_of(site, "years/2025/latest/") == macun
    assert target_of(site, "years/2024/latest/") == "reports/henan/xinyang/kjj/2024/"  # issued 2025-02-20
    assert target_of(site, "years/latest/") == "years/2025/"

    (corpus / "006_jiaozuo_2025.txt").write_text(jiaozuo_2025(), encoding="utf-8")
    assert FULL_BUILD_MARK not in build(corpus, site, config)
    newer = "reports/henan/jiaozuo/kjj/2025/"
    assert target_of(site, f"{BUREAU}latest/") == newer
    assert target_of(site, f"{BUREAU}2025/") == newer  # was the page saying none is held
    assert target_of(site, f"{BUREAU}2023/") == REPORT
    assert "本库尚未收录焦作市科学技术局2024年度" in (site / BUREAU / "2024" / "index.html").read_text(encoding="utf-8")
    for place in ("regions/henan/jiaozuo/", "regions/henan/", "years/2025/"):
        assert target_of(site, f"{place}latest/") == newer, place
    assert target_of(site, "regions/henan/jiaozuo/macun/latest/") == macun
    embed = BeautifulSoup((site / BUREAU / "embed" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [h.get_text() for h in embed.select("h2")] == ["2025年度", "2023年度"]
    listed = json.loads((site / BUREAU / "embed" / "reports.json").read_text(encoding="utf-8"))
    assert [r["url"] for r in listed["reports"]] == [newer, REPORT] and listed["total"] == 2


def test_a_new_site_address_rebuilds_every_page(tmp_path):
    """The address is in every page (canonical link, meta tags, JSON-LD, QR code) but not in mkdocs.yml's text:
    a build with another ``GONGWEN_SITE_URL`` is a full one, never a dirty one that keeps the old address."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(JIAOZUO_2023, corpus / JIAOZUO_2023.name)
    config = make_project(tmp_path / "project")
    site = tmp_path / "site"
    build(corpus, site, config, site_url="https://a.example.gov.cn/")
    assert FULL_BUILD_MARK not in build(corpus, site, config, site_url="https://a.example.gov.cn/")
    assert FULL_BUILD_MARK in build(corpus, site, config, site_url="https://b.example.gov.cn/")
    assert meta_of(soup(site, REPORT))["Url"] == "https://b.example.gov.cn/" + REPORT


# --- a site as published: its address set, registration numbers in the footer, a hostile title -------------------

@pytest.fixture(scope="module")
def published(tmp_path_factory, serve) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("govweb")
    corpus = tmp / "corpus"
    shutil.copytree(CORPUS, corpus)
    hostile = (CORPUS / "003_0f6a7d55f317c3d7.txt").read_text(encoding="utf-8").replace("西工区", "某某县")
    (corpus / "zz_hostile.txt").write_text(hostile, encoding="utf-8")
    (corpus / "zz_hostile.txt.meta.yml").write_text(f"title: {json.dumps(HOSTILE_TITLE, ensure_ascii=False)}\n",
                                                   encoding="utf-8")
    config = make_project(tmp / "project")
    text = config.read_text(encoding="utf-8")
    for key, value in RECORDS.items():
        assert f'  {key}: ""\n' in text
        text = text.replace(f'  {key}: ""\n', f"  {key}: {value}\n")
    config.write_text(text, encoding="utf-8")
    site = tmp / "site"
    site.mkdir()
    base = serve(site)  # the server serves the folder the build writes
    build(corpus, site, config, site_url=base)
    return site, base


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def meta_of(page: BeautifulSoup) -> dict[str, str]:
    return {m["name"]: m["content"] for m in page.select("head meta[name]") if m["name"][0].isupper()}


def hostile_url(site: Path) -> str:
    pages = [p for p in (site / "reports").rglob("index.html") if "alert(1)" in p.read_text(encoding="utf-8")]
    assert len(pages) == 1
    return pages[0].parent.relative_to(site).as_posix() + "/"


def test_every_page_has_the_guideline_meta_tags(published):
    site, base = published
    report = meta_of(soup(site, REPORT))
    assert report == {
        "SiteName": "法治政府建设年度报告库", "SiteDomain": "127.0.0.1", "SiteIDCode": RECORDS["site_id_code"],
        "ColumnName": "报告", "ArticleTitle": "中共焦作市科学技术局党组关于2023年法治政府建设工作的报告",
        "PubDate": "2024-03-18", "ContentSource": "中共焦作市科学技术局党组",
        "Keywords": report["Keywords"], "Description": "中共焦作市科学技术局党组《中共焦作市科学技术局党组关于2023年"
        "法治政府建设工作的报告》（焦科组〔2024〕5号），2024年3月18日", "Url": base + REPORT}
    assert report["Keywords"].startswith("焦作市科学技术局,2023年度,河南省,焦作市,市级")
    for url, column in (("", "首页"), (BUREAU, "按部门"), ("years/2024/", "按年度"), ("about/", "关于本库"),
                        ("search/", "检索"), ("publication/", "公开情况")):
        tags = meta_of(soup(site, url))
        assert {"SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ArticleTitle", "ContentSource", "Description",
                "Url"} <= set(tags), url
        assert tags["ColumnName"] == column and tags["Url"] == base + url, url


def test_json_ld_describes_a_report_and_survives_a_hostile_title(published):
    site, base = published
    page = soup(site, REPORT)
    (script,) = page.select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@type"] == "Report" and data["author"] == {"@type": "GovernmentOrganization", "name": "中共焦作市科学技术局党组"}
    assert (data["datePublished"], data["reportNumber"], data["url"]) == ("2024-03-18", "焦科组〔2024〕5号", base + REPORT)
    url = hostile_url(site)
    raw = (site / url / "index.html").read_text(encoding="utf-8")
    hostile = BeautifulSoup(raw, "html.parser")
    (script,) = hostile.select('script[type="application/ld+json"]')
    assert not set("<>&") & set(script.string)  # written \u003c…: the element cannot be ended from inside
    assert json.loads(script.string)["name"] == HOSTILE_TITLE
    assert meta_of(hostile)["ArticleTitle"] == HOSTILE_TITLE  # an attribute value, escaped
    assert "<script>alert(1)" not in raw and "<b>政府</b>" not in raw
    assert [s.get("type") for s in hostile.select("script") if "alert" in (s.string or "")] == ["application/ld+json"]


def test_footer_shows_the_registration_numbers_when_set(published):
    site, _ = published
    records = soup(site, REPORT).select_one(".gw-footer__records")
    assert "网站标识码：4108000001" in records.get_text()
    links = {a.get_text(): a["href"] for a in records.select("a")}
    assert links == {RECORDS["icp_record"]: "https://beian.miit.gov.cn/", RECORDS["police_record"]: "https://beian.mps.gov.cn/"}


def test_footer_has_no_registration_line_when_none_is_set():
    from jinja2 import Environment, FileSystemLoader
    env = Environment(loader=FileSystemLoader(str(Path(__file__).parent.parent / "overrides")))
    html = env.get_template("partials/gw-footer.html").render(base_url=".", config={"extra": {}})
    assert "gw-footer__records" not in html and "备案" not in html
    html = env.get_template("partials/gw-footer.html").render(base_url=".", config={"extra": {"icp_record": "<b>"}})
    assert "&lt;b&gt;" in html and "gw-footer__records" in html


OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def test_opensearch_description_is_valid_and_linked_from_every_page(published):
    site, base = published
    root = ET.parse(site / "opensearch.xml").getroot()  # well-formed
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    short, description = root.findtext(f"{OPENSEARCH}ShortName"), root.findtext(f"{OPENSEARCH}Description")
    assert short and len(short) <= 16 and description and len(description) <= 1024
    (url,) = root.findall(f"{OPENSEARCH}Url")
    assert url.get("type") == "text/html" and url.get("template") == base + "search/?q={searchTerms}"
    for page in ("", REPORT, "about/", "search/"):
        link = soup(site, page).select_one('link[rel="search"]')
        assert link["type"] == "application/opensearchdescription+xml"
        assert urljoin(base + page, link["href"]) == base + "opensearch.xml"


def test_opensearch_template_runs_a_search_in_chromium(published, browser):
    site, base = published
    template = ET.parse(site / "opensearch.xml").getroot().find(f"{OPENSEARCH}Url").get("template")
    page = browser.new_page()
    page.goto(template.replace("{searchTerms}", quote("焦科组〔2024〕5号")))
    page.wait_for_function("() => document.getElementById('gw-search').dataset.state === 'done'")
    urls = page.eval_on_selector_all(".gw-result", "items => items.map(i => i.dataset.url)")
    page.close()
    assert urls and urls[0].rstrip("/").endswith("reports/henan/jiaozuo/kjj/2023")


def test_printed_report_carries_a_qr_code_of_its_address(published, browser, tmp_path):
    import pypdfium2
    import zxingcpp
    site, base = published
    page = browser.new_page()
    page.goto(base + REPORT)
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert page.evaluate("getComputedStyle(document.querySelector('.gw-print-address')).display") == "none"  # screen
    page.close()
    found = []
    document = pypdfium2.PdfDocument(str(pdf))
    for number in range(len(document)):
        image = document[number].render(scale=3).to_pil()
        found += [(number, code.text) for code in zxingcpp.read_barcodes(image)]
    assert found == [(len(document) - 1, base + REPORT)]  # once, on the last page, beside the address
    assert (base + REPORT) in document[len(document) - 1].get_textpage().get_text_range()
    document.close()


# --- the embed --------------------------------------------------------------------------------------------

def test_embed_is_light(published):
    site, _ = published
    for url in (BUREAU, "regions/henan/", "regions/henan/jiaozuo/"):
        html = (site / url / "embed" / "index.html").read_bytes()
        assert len(gzip.compress(html)) <= 30 * 1024, url  # with its styles: they are inline
        page = BeautifulSoup(html, "html.parser")
        assert not page.select("link[rel=stylesheet], script, img, iframe, header, nav"), url
        assert all(a["target"] == "_blank" and "noopener" in a["rel"] for a in page.select("a")), url


def test_embed_in_an_iframe_on_another_origin(published, serve, browser, tmp_path):
    site, base = published
    portal = tmp_path / "portal"
    portal.mkdir()
    (portal / "index.html").write_text(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>政务公开</title></head><body>'
        f'<h1>法治政府建设年度报告</h1><iframe id="gw" src="{base}{BUREAU}embed/" width="320" height="400" '
        'style="border:0" title="报告列表"></iframe></body></html>', encoding="utf-8")
    portal_url = serve(portal)
    assert portal_url.split("/")[2] != base.split("/")[2]  # another origin: another port
    page = browser.new_page(viewport={"width": 360, "height": 640})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(portal_url)
    frame = page.frame_locator("#gw")
    frame.locator("li a").first.wait_for()
    inner = next(f for f in page.frames if f.url.startswith(base))
    assert inner.evaluate("document.documentElement.scrollWidth") <= 320
    assert inner.evaluate("document.documentElement.clientWidth") == 320
    items = inner.eval_on_selector_all("li", "items => items.map(li => li.innerText)")
    assert len(items) == 1 and "2024年3月18日印发" in items[0] and "按期公开" in items[0]
    href = inner.eval_on_selector("li a", "a => a.href")
    assert href == base + REPORT
    assert [u for u in requests if u.startswith(base)] == [f"{base}{BUREAU}embed/"]  # nothing else to load
    page.goto(f"{base}{BUREAU}latest/")  # the stable link, followed by the browser
    page.wait_for_url(base + REPORT)
    page.goto(base + BUREAU)  # the code to copy names the full addresses
    codes = page.eval_on_selector_all(".gw-embed__code", "boxes => boxes.map(box => box.value)")
    assert f'<iframe src="{base}{BUREAU}embed/"' in codes[0] and f'<a href="{base}{BUREAU}latest/"' in codes[1]
    page.close()


def test_bureau_page_offers_the_code_to_copy_with_a_preview(published):
    site, _ = published
    block = soup(site, BUREAU).select_one("details.gw-embed")
    frame = block.select_one("#gw-embed-frame")
    assert frame["data-cite-template"].startswith('<iframe src="{{url}}embed/"')  # the full address in the browser
    assert BeautifulSoup(frame.get_text(), "html.parser").iframe["src"] == "embed/"
    assert BeautifulSoup(block.select_one("#gw-embed-link").get_text(), "html.parser").a["href"] == "latest/"
    assert block.select_one("iframe.gw-embed__preview")["src"] == "embed/" and "复制代码" in block.get_text()


# --- design notes apart, one table of field names ------------------------------------------------------------

def test_design_notes_live_under_design_and_the_old_address_leads_there(published):
    site, _ = published
    for note in ("search", "benchmarks", "scale", "benchmarks-browse"):
        assert (site / "design" / note / "index.html").is_file(), note
    assert target_of(site, "benchmarks-browse/") == "design/benchmarks-browse/"
    assert "本页已迁" in soup(site, "benchmarks-browse/").get_text()


def test_one_table_of_field_names_for_the_schema_page_the_box_and_the_messages(published):
    assert set(FIELD_NAMES) == set(FrontMatter.model_fields)
    assert all(field_label(name) == FIELD_NAMES[name] == FIELD_LABELS[name] for name in FIELD_NAMES)
    schema = (Path(__file__).parent.parent / "docs" / "schema.md").read_text(encoding="utf-8")
    named = {field: name for name, field in re.findall(r"^\| \*\*(.+?)\*\*<br>`(\w+)`", schema, re.M)}
    assert {field: name for field, name in named.items() if field in FIELD_NAMES} == FIELD_NAMES
    site, _ = published
    box = [dt.get_text() for dt in soup(site, REPORT).select(".gw-meta dt")]
    assert box and set(box) <= set(FIELD_LABELS.values())
    assert FIELD_NAMES["bureau_name"] in box and FIELD_NAMES["doc_number"] in box
