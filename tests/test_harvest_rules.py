"""The harvest's pure parts: which titles are annual reports, safe names, listings, and the html reader's
reading of a portal page's ``ArticleTitle``/``PubDate``/``ContentSource`` meta tags."""

from __future__ import annotations

import pytest

from gongwen.harvest.listing import parse_listing
from gongwen.harvest.names import report_folder, safe_file_name
from gongwen.harvest.rules import is_report_title
from gongwen.pipeline import report_from_reading
from gongwen.readers.html import read_html
from harvest_portal import report_page, report_text


@pytest.mark.parametrize("title", [
    "平潭综合实验区2022年法治政府建设情况",
    "福州市司法局关于报送2023年度法治政府建设情况的函",
    "某市人民政府关于2022年法治工作情况暨2023年工作要点的报告",
    "某县2023年法治政府建设年度报告",
    "某局2024年度依法行政工作报告",
    "某区2023年法治建设工作情况报告",
])
def test_annual_report_titles(title):
    assert is_report_title(title)


@pytest.mark.parametrize("title", [
    "某市2023年政府信息公开工作年度报告",
    "关于印发2024年法治政府建设工作要点的通知",
    "某市法治政府建设实施方案",
    "关于某县法治政府建设示范创建的批复",
    "某局2024年工作要点",
    "关于召开全市法治政府建设推进会的通知",
    "某市人民政府2023年法治政府建设年度报告解读",
    "图解：某市2023年法治政府建设年度报告",
    "一图读懂某区2023年度法治政府建设情况报告",
])
def test_other_documents(title):
    assert not is_report_title(title)


@pytest.mark.parametrize("name, expected", [
    ("../../../escape.pdf", "escape.pdf"), ("..\\..\\win.pdf", "win.pdf"), ("/etc/passwd.pdf", "passwd.pdf"),
    (".hidden.pdf", "hidden.pdf"), ("..", "fallback.pdf"), ("", "fallback.pdf"), ("a\x00b:c?.pdf", "a_b_c_.pdf"),
    ("provenance.yml", "file-provenance.yml"), ("报告.pdf", "报告.pdf"),
])
def test_file_names_stay_in_the_folder(name, expected):
    assert safe_file_name(name, "fallback.pdf") == expected


def test_report_folder_is_plain():
    assert report_folder("http://127.0.0.1:8000/col/../a b/art_3.html?id=1").parts[0] == "127.0.0.1_8000"
    assert ".." not in report_folder("http://h/../../x.html").parts


def test_script_pagination_with_numbers_in_variables():
    text = '<script>var countPage = 4;createPageHTML(countPage, 0, "index", "shtml");</script>'
    assert parse_listing(text, "http://h/c/index.shtml").pages == [f"http://h/c/index_{n}.shtml" for n in (1, 2, 3)]


def test_portal_page_title_and_meta_tags_are_read():
    title = "某市司法局关于2023年度法治政府建设情况的报告"
    page = report_page(title, report_text("某市司法局", 2023)[:-2],
                       meta={"ArticleTitle": title, "PubDate": "2024-03-18 09:00", "ContentSource": "某市司法局"}).encode()
    reading = read_html(page)
    assert reading.items[0] == title
    assert reading.source_meta == {"date_published": "2024-03-18 09:00", "publisher": "某市司法局"}
    report = report_from_reading(reading, "x/page.html", "0" * 64)
    assert report.title == title and report.year == 2023
    assert str(report.source_date_published) == "2024-03-18" and report.source_publisher == "某市司法局"


def _seed_report():
    from conftest import SEEDS
    from gongwen.pipeline import SourceFile, report_from_source
    return report_from_source(SourceFile(SEEDS[2].name, SEEDS[2].read_bytes()))


def test_a_harvested_report_is_cited_at_its_original_address_with_the_portals_date():
    import datetime as dt
    from gongwen.browse.cite import gbt7714
    report = _seed_report()
    assert "{{url}}" in gbt7714(report)  # a report saved by hand: the archive's own page
    harvested = report.model_copy(update={"source_url": "http://127.0.0.1/col/t20250320_1.html",
                                          "source_date_published": dt.date(2025, 3, 20)})
    reference = gbt7714(harvested)
    assert reference.endswith("(2025-03-20)[{{accessed}}]. http://127.0.0.1/col/t20250320_1.html.")


def test_on_time_is_judged_by_the_web_publication_date_where_known_and_the_page_says_so():
    import datetime as dt
    from gongwen.compliance.checklist import on_time_html
    from gongwen.compliance.fields import with_compliance
    report = _seed_report()
    printed = report.date_printed or report.date_signed
    assert printed is not None and report.on_time is True
    late = with_compliance(report.model_copy(update={"source_date_published": dt.date(report.year + 1, 6, 1)}))
    assert late.on_time is False and late.days_late > 0
    text = on_time_html(late)
    assert f"{report.year + 1}年6月1日网页发布" in text and "报告所印日期" in text


def test_script_pagination_with_a_container_first_numbers_pages_from_two():
    """The form many ministries' and provinces' portals use: the page bar's element, the page count, the
    current page, the name, the suffix and the record count; the second page is ``name_2``."""
    text = ("<ul><li><a href='./202403/t20240301_1.shtml'>某部2023年法治政府建设年度报告</a></li></ul>"
            "<div id='page_div'></div><script>createPageHTML('page_div', 4, 1, 'fzzfjs', 'shtml', 52);</script>")
    listing = parse_listing(text, "http://h/c/fzzfjs.shtml")
    assert listing.pages == [f"http://h/c/fzzfjs_{n}.shtml" for n in (2, 3, 4)]
    assert listing.entries == [("某部2023年法治政府建设年度报告", "http://h/c/202403/t20240301_1.shtml")]
