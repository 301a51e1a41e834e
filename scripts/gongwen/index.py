"""Index stage: the set of reports → home page and machine-readable data.

Pure functions returning text; ``corpus.write_docs`` puts them on disk.  The
JSON is written into ``docs/api/`` so any static site generator copies it to
``site/api/reports.json``.
"""

from __future__ import annotations

import json
from itertools import groupby

from .model import Report
from .render import markdown_text

HOME_INTRO = (
    "本站收录各级政府部门依《法治政府建设与责任落实督察工作规定》第二十四条公开的"
    "法治政府建设年度报告，逐篇保留原文，并标注发文机关、地区、年度、文号等信息。"
)


def report_path(report: Report) -> str:
    """Path of a report's page inside ``docs/`` (its URL is ``reports/<id>/``)."""
    return f"reports/{report.id}.md"


def report_url(report: Report) -> str:
    """URL of a report's page, relative to the site root."""
    return f"reports/{report.id}/"


def sorted_for_listing(reports: list[Report]) -> list[Report]:
    """Newest report year first, then by region and title: a stable order."""
    return sorted(reports, key=lambda r: (-r.year, r.province or "", r.city or "", r.county or "", r.title, r.id))


def home_page(reports: list[Report]) -> str:
    """The generated home page: what the archive holds and every report by year."""
    bureaus = {r.bureau for r in reports if r.bureau}
    years = {r.year for r in reports}
    lines = ["---", "title: 首页", "---", "", "# 法治政府建设年度报告库", "", HOME_INTRO, "",
             f"现收录报告 {len(reports)} 篇，涉及部门 {len(bureaus)} 个、年度 {len(years)} 个。", ""]
    for year, group in groupby(sorted_for_listing(reports), key=lambda r: r.year):
        lines += [f"## {year}年", ""]
        lines += [_listing_line(report) for report in group]
        lines.append("")
    if not reports:
        lines += ["暂无报告。", ""]
    return "\n".join(lines)


def _listing_line(report: Report) -> str:
    details = [part for part in (report.issuer, report.doc_number) if part]
    suffix = f" — {markdown_text(' · '.join(details))}" if details else ""
    return f"- [{markdown_text(report.title)}]({report_path(report)}){suffix}"


def reports_json(reports: list[Report]) -> str:
    """Every report's front matter plus its ``url``, sorted by id."""
    rows = [report.front_matter() | {"url": report_url(report)} for report in sorted(reports, key=lambda r: r.id)]
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
