"""Where a report's page, its bureau's page and its region's page are, and how they are named."""

from __future__ import annotations

import datetime as dt

from ..model import Report
from ..slug import UNPLACED, place_slug


def report_page(report: Report) -> str:
    """Source path of a report's page inside docs/ (its URL is ``reports/<id>/``)."""
    return f"reports/{report.id}.md"


def report_url(report: Report) -> str:
    return f"reports/{report.id}/"


def bureau_page(bureau_id: str) -> str:
    return f"bureaus/{bureau_id}.md"


def year_page(year: int) -> str:
    return f"years/{year}.md"


def region_chain(report: Report) -> tuple[str, ...]:
    """Province, city, county as far as known, without repeats (直辖市 are province and city)."""
    return tuple(dict.fromkeys(p for p in (report.province, report.city, report.county) if p))


def region_page(chain: tuple[str, ...]) -> str:
    """``regions/henan/jiaozuo.md``; reports with no known place are under ``regions/other.md``."""
    return "regions/" + ("/".join(place_slug(p) for p in chain) or UNPLACED) + ".md"


def bureau_label(report: Report) -> str:
    """The one name a bureau goes by on the site: its canonical name, a county's bureau with its city
    (焦作市马村区科学技术局: county names repeat across China).  The printed form is on the report page."""
    name = report.bureau_name or report.bureau or report.issuer or "发文机关不明"
    county, city = report.county, report.city
    if county and city and county != city and name.startswith(county):
        return city + name
    return name


def bureau_kind(report: Report) -> tuple[str, str]:
    """(slug, department) of a report's bureau: 焦作市科学技术局 → (kjj, 科学技术局).  The slug is the last part
    of the bureau id, so every bureau of one kind (the alias file's department) shares it."""
    name = report.bureau_name or report.bureau or ""
    for place in (report.province, report.city, report.county):
        if place and name.startswith(place):
            name = name[len(place):]
    return report.bureau_id.rsplit("/", 1)[-1], name or "其他部门"


def region_trail(chain: tuple[str, ...]) -> list[tuple[str, str]]:
    """Breadcrumb steps (label, page) down to a place; reports with no known place sit under 地区不明."""
    if not chain:
        return [("地区不明", region_page(()))]
    return [(place, region_page(chain[:depth])) for depth, place in enumerate(chain, 1)]


def report_trail(report: Report) -> list[tuple[str, str]]:
    """首页 › 河南省 › 焦作市 › 焦作市科学技术局 › 2023年 (without 首页, which every trail starts with)."""
    return [*region_trail(region_chain(report)), (bureau_label(report), bureau_page(report.bureau_id)),
            (f"{report.year}年度", "")]


def public_date(report: Report) -> tuple[dt.date | None, str]:
    """The date a report reached the public, and what that date is: the web page's publication date where known
    (网页发布), else the 印发, 成文 or congress date printed in the report.  On time is judged by it."""
    if report.source_date_published:
        return report.source_date_published, "网页发布"
    kind = "印发" if report.date_printed else "成文" if report.date_signed else "向人大常委会报告"
    return issue_date(report), kind


def issue_date(report: Report) -> dt.date | None:
    """印发日期, else 成文日期, else the meeting date of a report read to a people's congress: the date a report
    was made, as far as the text says."""
    return report.date_printed or report.date_signed or report.date_delivered


def recency(report: Report) -> tuple:
    """Newest first: by issue date (a report without one counts as issued at the end of its year)."""
    when = issue_date(report) or dt.date(report.year, 12, 31)
    return (-when.toordinal(), -report.year, report.id)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def citation(report: Report) -> str:
    """发文机关《标题》（文号），日期 — the parts the report does not state are left out."""
    text = f"{report.issuer or bureau_label(report)}《{report.title}》"
    if report.doc_number:
        text += f"（{report.doc_number}）"
    when = issue_date(report)
    return text + (f"，{chinese_date(when)}" if when else "")
