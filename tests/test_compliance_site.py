"""The compliance block and the 公开情况 pages in the built site (BeautifulSoup) and in real Chromium:
phone and desktop screenshots to tests/artifacts/, no horizontal scrolling, headings in order, axe clean."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SEEDS, assert_fits_with_headings_in_order
from gongwen.compliance.checklist import on_time_html
from gongwen.pipeline import report_from_text

ARTIFACTS = Path(__file__).parent / "artifacts"
VIEWPORTS = [(375, 812), (1280, 800)]
PAGES = {
    "publication": "publication/",
    "publication-province": "publication/henan/",
    "publication-list": "publication/lists/all/",
    "publication-series": "publication/series/henan/",
    "publication-rules": "publication/rules/",
    "publication-templated": "publication/templated/",
    "report-compliance": "reports/henan/jiaozuo/kjj/2023/",
}


def soup_of(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_report_page_checklist_links_to_sections_and_says_how(browse_site):
    page = soup_of(browse_site, "reports/henan/jiaozuo/kjj/2023/")
    block = page.select_one(".gw-compliance")
    ids = {tag["id"] for tag in page.find_all(id=True)}
    items = [li.get_text(" ", strip=True) for li in block.select(".gw-checklist li")]
    assert items[0].startswith("已找到 主要举措和成效") and "按位置" in items[0]
    assert "还有一定差距" in items[1] and "按段落用语" in items[1]
    assert items[2].startswith("未找到 党政主要负责人")
    assert items[4].startswith("未单列 其他需要报告的情况")
    assert all(a["href"][1:] in ids for a in block.select("a[href^='#']"))
    assert "2024年3月18日印发，不晚于期限2024年4月1日，按期" in block.select_one(".gw-on-time").get_text()
    yoy = block.select_one(".gw-yoy")
    assert "重复约 100%" in yoy.get_text() and yoy.a["href"] == "../2022/"
    assert len(block.select(".gw-repeated mark")) > 10


def test_undated_report_is_not_called_late(browse_site):
    text = soup_of(browse_site, "reports/henan/jiaozuo/macun/kjj/2025/").select_one(".gw-on-time").get_text()
    assert "未标注印发或成文日期" in text and "不计为逾期" in text and "晚于" not in text
    assert soup_of(browse_site, "reports/henan/jiaozuo/macun/kjj/2025/").select_one(".gw-yoy") is None


def test_hostile_report_stays_text_in_the_block(browse_site):
    page = soup_of(browse_site, "reports/henan/luoyang/xigong/kjj/2024/")
    assert page.select_one(".gw-compliance script") is None
    for path in (browse_site / "publication").rglob("*.html"):
        assert "<img src=x" not in path.read_text(encoding="utf-8"), path


def test_data_files_carry_the_fields(browse_site):
    rows = {r["id"]: r for r in json.loads((browse_site / "api" / "reports.json").read_text(encoding="utf-8"))}
    jiaozuo = rows["henan/jiaozuo/kjj/2023"]
    assert jiaozuo["required_items"] == {"measures": True, "shortcomings": True, "leaders_duty": False, "next_year": True}
    assert jiaozuo["required_items_where"]["shortcomings"]["method"] == "paragraph"
    assert (jiaozuo["on_time"], jiaozuo["days_late"], jiaozuo["repeat_share_prev_year"]) == (True, 0, 1.0)
    assert rows["henan/jiaozuo/macun/kjj/2025"]["on_time"] is None
    raw = (browse_site / "api" / "reports.csv").read_bytes().decode("utf-8-sig")
    table = {r["id"]: r for r in csv.DictReader(io.StringIO(raw, newline=""))}
    assert table["henan/jiaozuo/kjj/2023"]["required_items.leaders_duty"] == "false"
    assert table["henan/jiaozuo/kjj/2023"]["on_time"] == "true"
    assert table["henan/jiaozuo/macun/kjj/2025"]["on_time"] == ""


def test_publication_overview_counts_the_built_site(browse_site):
    page = soup_of(browse_site, "publication/")
    rows = {tr.find("td").get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")[1:]]
            for tr in page.select("article table")[0].select("tbody tr")}
    # 2024: 义马, 信阳, 西工区 and the hostile 某某县 copy; 信阳 printed 2025-02-20, the others no date
    assert rows["2024"] == ["4", "1", "0", "3", "4"]
    assert rows["合计"][0] == "7"
    assert page.select_one("figure.gw-chart svg title").get_text() == "各年度公开情况（部门数）"


def test_templated_page_lists_the_copy_under_another_name(browse_site):
    """The hostile report is the 西工区 text under 某某县's name: the maintainers' list pairs them."""
    items = soup_of(browse_site, "publication/templated/").select("article li:not(nav.gw-crumbs li)")
    assert len(items) == 1 and int(items[0].get_text().rsplit("约 ", 1)[1].rstrip("%")) >= 90
    assert {a["href"] for a in items[0].find_all("a")} == {"../../reports/henan/luoyang/xigong/kjj/2024/",
                                                          "../../reports/other/imgsrcxonerroralert9j/2024/"}
    assert items[0].find("b") is None  # the hostile title's <b> is text


@pytest.fixture(scope="module")
def base(browse_site, serve) -> str:
    return serve(browse_site)


@pytest.mark.parametrize("width, height", VIEWPORTS, ids=lambda v: str(v))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_and_passes_axe(browser, base, name, width, height):
    from axe_playwright_python.sync_playwright import Axe
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(base + PAGES[name])
    page.wait_for_load_state("networkidle")
    assert_fits_with_headings_in_order(page, width)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"), full_page=True)
    violations = Axe().run(page).response["violations"]
    page.close()
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_on_time_line_says_late_and_shows_the_web_page_date():
    xinyang = next(p for p in SEEDS if p.name == "004_a3d568ff32f023b9.txt")
    report = report_from_text(xinyang.read_text(encoding="utf-8"), "x.txt", "0" * 64,
                              sidecar={"date_printed": dt.date(2025, 4, 11)}, sidecar_name="x")
    report = report.model_copy(update={"source_date_published": dt.date(2025, 4, 15)})
    line = BeautifulSoup(on_time_html(report), "html.parser").get_text()
    # judged by the date it reached the public, the web page's (issue 22); the printed date is still said
    assert "2025年4月15日网页发布，晚于期限2025年4月1日 14 天。" in line and "报告所印日期：2025年4月11日" in line
