"""A harvested corpus builds (``gongwen build``) into pages that show where each report came from: 原文链接,
网页发布日期 and 采集时间 from the harvest's provenance.yml, and a report changed after publication lists
both versions, each downloadable.  The pages are the seeds' text in the tests' own portal template, with
the title only in ``div.article_title`` and the ``ArticleTitle`` meta tag (no ``<h1>``)."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import build_site
from formats import seed_lines
from gongwen.harvest.crawl import Harvest, Source
from gongwen.harvest.fetch import Politeness
from harvest_portal import Portal, listing_page, report_page

SEEDS = Path(__file__).parent / "seeds"
POLITE_TO_LOOPBACK = Politeness(delay=0, timeout=5, retries=0, backoff=0)


def seed_page(name: str, title_lines: int, extra: list[str] = (), pubdate: str = "2025-03-20 10:00") -> tuple[str, str]:
    lines = seed_lines((SEEDS / name).read_text(encoding="utf-8"))
    title = "".join(lines[:title_lines])
    meta = {"ArticleTitle": title, "PubDate": pubdate, "ContentSource": "义马市科学技术局" if "义马" in title else "马村区科学技术局"}
    return title, report_page(title, lines[title_lines:] + list(extra), meta=meta)


def test_harvested_reports_build_with_their_provenance_and_versions(tmp_path):
    portal = Portal()
    base = portal.start()
    first_title, first = seed_page("000_acc9ae5d28c10407.txt", 2)
    second_title, second = seed_page("001_bfb220357d947980.txt", 2)
    portal.add("/col/index.html", listing_page("法治政府建设年度报告", [(first_title, "art/r1.html"), (second_title, "art/r2.html"),
                                                                      ("关于做好2025年政务公开工作的通知", "art/n1.html")]))
    portal.add("/col/art/r1.html", first)
    portal.add("/col/art/r2.html", second)
    corpus = tmp_path / "corpus"
    try:
        Harvest(corpus, tmp_path / "work", POLITE_TO_LOOPBACK, now=lambda: "2025-04-01T02:00:00Z").run([Source(base + "/col/index.html")])
        _, changed = seed_page("001_bfb220357d947980.txt", 2, ["（本文于2025年4月8日更正一处文字。）"], "2025-04-08 16:00")
        portal.add("/col/art/r2.html", changed)
        Harvest(corpus, tmp_path / "work", POLITE_TO_LOOPBACK, now=lambda: "2025-04-10T03:30:00Z").run([Source(base + "/col/index.html")])
    finally:
        portal.stop()
    site, done = build_site(tmp_path / "project", corpus)
    assert "W-PROVENANCE" not in done.stdout
    data = json.loads((site / "api" / "reports.json").read_text(encoding="utf-8"))
    reports = {Path(r["source"]).parent.name: r for r in (data["reports"] if isinstance(data, dict) else data)}
    assert set(reports) == {"r1", "r2"}, done.stdout  # one page for the two versions of r2
    assert reports["r1"]["title"] == first_title and reports["r1"]["year"] == 2025
    assert reports["r1"]["source_url"] == base + "/col/art/r1.html"
    assert reports["r1"]["source_date_published"] == "2025-03-20"
    page = BeautifulSoup((site / "reports" / reports["r1"]["id"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = page.select_one("a.gw-source-url")
    assert link["href"] == base + "/col/art/r1.html"
    provenance = page.select_one(".gw-provenance").get_text()
    assert "网页发布日期：2025年3月20日" in provenance and "采集时间：2025年4月1日 02:00" in provenance
    assert page.select_one("h1").get_text(strip=True).rstrip("¶") == first_title  # from ArticleTitle: no <h1> in the page

    assert reports["r2"]["source"].endswith("page.v2.html") and reports["r2"]["version"] == 2
    assert [v["version"] for v in reports["r2"]["versions"]] == [1]
    page = BeautifulSoup((site / "reports" / reports["r2"]["id"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = [li.get_text(" ", strip=True) for li in page.select(".gw-versions li")]
    assert len(rows) == 2
    assert rows[0].startswith("第2版（本页所示）") and "2025年4月10日" in rows[0] and "网页发布日期2025年4月8日" in rows[0]
    assert rows[1].startswith("第1版") and "2025年4月1日" in rows[1] and "网页发布日期2025年3月20日" in rows[1]
    for link in page.select(".gw-versions a[download]"):
        published = site / "reports" / reports["r2"]["id"] / link["href"]
        assert published.is_file()
    older = page.select(".gw-versions a[download]")[1]["href"]
    assert (site / "reports" / reports["r2"]["id"] / older).read_bytes() == second.encode("utf-8")
