"""A harvested report's provenance on its page: 原文链接, 网页发布日期, 采集时间, and its versions.

The values come from the folder's ``provenance.yml`` (``harvested.py``), so they are data: every one is
escaped, and only an http(s) address ever becomes a link.  A report that changed after publication (the
same address gave new bytes) lists every version with its dates, each downloadable byte for byte.
"""

from __future__ import annotations

import datetime as dt
import html

from ..model import Report
from .places import chinese_date


def chinese_moment(moment: dt.datetime) -> str:
    """2026年3月1日 08:00（UTC）: the time a file was fetched."""
    utc = moment.astimezone(dt.timezone.utc) if moment.tzinfo else moment
    return f"{chinese_date(utc.date())} {utc:%H:%M}（协调世界时）"


def provenance_html(report: Report, names: dict[str, str]) -> str:
    """The block's lines (empty for a file added by hand); ``names``: corpus path → published file name."""
    if not report.source_url and not report.versions:
        return ""
    e = html.escape
    facts = []
    if report.source_url:
        facts.append(f'原文链接：<a class="gw-source-url" href="{e(report.source_url)}" rel="noopener noreferrer nofollow">'
                     f'{e(report.source_url)}</a>')
    if report.source_file_url:
        facts.append(f'附件地址：<a href="{e(report.source_file_url)}" rel="noopener noreferrer nofollow">'
                     f'{e(report.source_file_url)}</a>')
    if report.source_date_published:
        facts.append(f"网页发布日期：{chinese_date(report.source_date_published)}")
    if report.retrieved_at:
        facts.append(f"采集时间：{chinese_moment(report.retrieved_at)}")
    lines = [f'<p class="gw-provenance">{"<br>".join(facts)}</p>'] if facts else []
    if report.versions:
        rows = [_version_row(v.version, v.retrieved_at, v.source_date_published, names.get(v.source, ""), v.sha256, False)
                for v in report.versions]
        rows.append(_version_row(report.version or len(rows) + 1, report.retrieved_at, report.source_date_published,
                                 names.get(report.source, ""), report.sha256, True))
        lines.append('<div class="gw-versions"><p>版本（网页发布后有变动，各版本都已保存）：</p><ol>'
                     + "".join(reversed(rows)) + "</ol></div>")
    return "\n".join(lines)


def _version_row(number: int, retrieved: dt.datetime | None, published: dt.date | None, name: str, digest: str,
                 current: bool) -> str:
    e = html.escape
    parts = [f"第{number}版{'（本页所示）' if current else ''}"]
    if retrieved:
        parts.append(f"采集于{chinese_moment(retrieved)}")
    if published:
        parts.append(f"网页发布日期{chinese_date(published)}")
    link = f'<a href="{e(name)}" download>下载</a>' if name else ""
    return (f'<li value="{number}">{"，".join(parts)}　{link} SHA-256：<code class="gw-sha256">{e(digest)}</code></li>')
