"""Machine-readable outputs: ``api/reports.json``, ``api/reports.csv`` and the Atom feed.

Values from reports are escaped for their context: the feed is built with
``xml.sax.saxutils`` escaping, the CSV guards cells that a spreadsheet would
run as a formula.  Dates come from the corpus, never the clock, so the same
corpus gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from xml.sax.saxutils import escape, quoteattr

from ..model import REQUIRED_ITEMS, FrontMatter, Report
from .places import bureau_label, citation, issue_date, recency, report_url

#: Cells starting with these are formulas to Excel and LibreOffice; they get a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Front-matter fields that are not flat values and stay out of the CSV (``api/reports.json`` has them).
CSV_SKIP = {"sections", "required_items_where"}
#: Object fields whose keys become columns of their own (``required_items.measures``).
CSV_FLATTEN = {"required_items": REQUIRED_ITEMS}
#: Reports in the feed: the newest by 印发/成文 date.
FEED_SIZE = 100
SITE_TITLE = "法治政府建设年度报告库"


def json_rows(reports: list[Report]) -> list[tuple[str, str]]:
    """Each report's line of ``reports_json``, with its id (by which the lines are sorted)."""
    # each encoded by json's C encoder (``indent`` takes the pure-Python one, 9 s at 10,000)
    return [(report.id, json.dumps(report.front_matter() | {"url": report_url(report)}, ensure_ascii=False))
            for report in reports]


def json_text(rows: list[tuple[str, str]]) -> str:
    """The JSON file of these lines, sorted by id: one report a line."""
    return "[\n" + ",\n".join(line for _, line in sorted(rows)) + "\n]\n"


def reports_json(reports: list[Report]) -> str:
    """Every report's front matter plus its ``url``, sorted by id."""
    return json_text(json_rows(reports))


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as in the JSON
    if isinstance(value, list):
        value = "；".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_columns() -> list[str]:
    return ["url"] + [column for name in FrontMatter.model_fields if name not in CSV_SKIP
                      for column in ([f"{name}.{key}" for key in CSV_FLATTEN[name]] if name in CSV_FLATTEN else [name])]


def _csv_lines(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def csv_rows(reports: list[Report]) -> list[tuple[str, str]]:
    """Each report's row of ``reports_csv`` (a cell may hold a line break), with its id."""
    columns, found = _csv_columns(), []
    for report in reports:
        row = report.front_matter() | {"url": report_url(report)}
        for name, keys in CSV_FLATTEN.items():
            row |= {f"{name}.{key}": (row[name] or {}).get(key) for key in keys}
        found.append((report.id, _csv_lines([[csv_cell(row[name]) for name in columns]])))
    return found


def csv_text(rows: list[tuple[str, str]]) -> str:
    """The CSV file of these rows, sorted by id: UTF-8 with BOM (so Excel reads it as UTF-8), CRLF lines."""
    return "\ufeff" + _csv_lines([_csv_columns()]) + "".join(line for _, line in sorted(rows))


def reports_csv(reports: list[Report]) -> str:
    """All metadata, one row per report, UTF-8 with BOM (so Excel reads it as UTF-8), CRLF lines."""
    return csv_text(csv_rows(reports))


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(reports: list[Report]) -> str:
    """An Atom feed of the newest reports by 印发/成文 date (a report without one: the end of its year).

    Links are relative to the feed (``feed.xml`` is at the site root), so the feed works on any host."""
    newest = sorted(reports, key=recency)[:FEED_SIZE]
    updated = _stamp(_when(newest[0])) if newest else "2000-01-01T00:00:00Z"
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
             f"  <title>{escape(SITE_TITLE)}</title>", "  <id>urn:gongwen-archive:feed</id>",
             f"  <updated>{updated}</updated>", '  <link rel="self" href="feed.xml"/>', '  <link href="./"/>']
    for report in newest:
        lines += ["  <entry>", f"    <title>{escape(report.title)}</title>",
                  f"    <id>urn:gongwen-archive:report:{escape(report.id)}</id>",
                  f"    <link href={quoteattr(report_url(report))}/>",
                  f"    <updated>{_stamp(_when(report))}</updated>",
                  f"    <author><name>{escape(bureau_label(report))}</name></author>",
                  f"    <summary>{escape(citation(report))}</summary>", "  </entry>"]
    return "\n".join(lines + ["</feed>", ""])


def _when(report: Report) -> dt.date:
    return issue_date(report) or dt.date(report.year, 12, 31)
