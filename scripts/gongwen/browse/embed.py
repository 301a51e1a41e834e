"""A list to embed in a 政务公开 page: each bureau's and each place's reports, by year.

``bureaus/<id>/embed/index.html`` (and ``regions/<place>/embed/``) is a page made to sit in an ``<iframe>``
on a portal: no header or navigation, its styles inline, system fonts, no script, a few kilobytes, so that it
loads on a 2G phone and takes the portal's width.  Each report: its year, title, 印发 (else 成文) date and
whether it was published on time, linked into the archive in a new window (a portal's frame stays the
portal's).  ``…/embed/reports.json`` holds the same list for a portal that draws its own (each ``url``
relative to the archive's root, as in ``api/reports.json``).  A place lists its :data:`EMBED_MAX` newest
reports and links to its page for the rest.

The bureau's page shows the code to copy (:func:`embed_code_html`) with a preview.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from itertools import groupby

from ..model import Report
from .listing import href_to_page, page_url
from .places import bureau_label, bureau_page, chinese_date, recency, region_chain, region_page, report_page

#: Most reports a place's embed lists (the newest); its page lists the rest.
EMBED_MAX = 40
SITE_NAME = "法治政府建设年度报告库"

#: The embed's whole style: the portal's width, readable on a phone, links the archive's red.
STYLE = ("body{margin:0;padding:8px;font:14px/1.6 system-ui,-apple-system,\"PingFang SC\",\"Microsoft YaHei\","
         "\"Noto Sans CJK SC\",sans-serif;color:#222;background:#fff;overflow-wrap:anywhere}"
         "h1{font-size:15px;margin:0 0 4px}h2{font-size:14px;margin:10px 0 2px;color:#555}"
         "ul{list-style:none;margin:0;padding:0}li{padding:4px 0;border-bottom:1px solid #eee}"
         "a{color:#b71c1c}small{display:block;color:#555;font-size:12px}.late{color:#8e0000}p{margin:8px 0 0;font-size:12px}")


def on_time_mark(report: Report) -> str:
    """按期公开, 逾期N天, or 未注明日期 (unknown is not late)."""
    if report.on_time is None:
        return "未注明日期"
    return "按期公开" if report.on_time else f"逾期{report.days_late}天公开" if report.days_late else "逾期公开"


def date_line(report: Report) -> str:
    if report.date_printed:
        return f"{chinese_date(report.date_printed)}印发"
    return f"{chinese_date(report.date_signed)}成文" if report.date_signed else ""


def _item(report: Report, path: str, with_bureau: bool) -> str:
    e = html.escape
    mark = on_time_mark(report)
    facts = " · ".join(f for f in (bureau_label(report) if with_bureau else "", date_line(report)) if f)
    late = ' class="late"' if report.on_time is False else ""
    return (f'<li><a href="{e(href_to_page(path, report_page(report)))}" target="_blank" rel="noopener">{e(report.title)}</a>'
            f'<small>{e(facts)}{" · " if facts else ""}<span{late}>{mark}</span></small></li>')


def embed_html(path: str, heading: str, own: list[Report], listing: str, with_bureau: bool) -> str:
    """The embed page at ``path``: ``own`` newest first, by year; ``listing``: the page with all of them."""
    e = html.escape
    shown = own[:EMBED_MAX]
    body = []
    for year, group in groupby(shown, key=lambda r: r.year):
        body.append(f"<h2>{year}年度</h2><ul>{''.join(_item(r, path, with_bureau) for r in group)}</ul>")
    more = f"共 {len(own)} 篇，此处列出最新的 {len(shown)} 篇。" if len(own) > len(shown) else ""
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{e(heading)}法治政府建设年度报告</title><meta name="robots" content="noindex">'
            f'<style>{STYLE}</style></head>\n<body><h1>{e(heading)}法治政府建设年度报告</h1>\n{"".join(body)}\n'
            f'<p>{more}<a href="{e(href_to_page(path, listing))}" target="_blank" rel="noopener">查看全部</a>'
            f'　来源：<a href="{e(href_to_page(path, "index.md"))}" target="_blank" rel="noopener">{SITE_NAME}</a></p>'
            f'</body></html>\n')


def embed_json(heading: str, own: list[Report], listing: str) -> str:
    rows = [{"year": r.year, "title": r.title, "bureau": bureau_label(r), "doc_number": r.doc_number,
             "date_printed": r.date_printed.isoformat() if r.date_printed else None,
             "date_signed": r.date_signed.isoformat() if r.date_signed else None,
             "on_time": r.on_time, "days_late": r.days_late, "on_time_text": on_time_mark(r),
             "url": page_url(report_page(r))} for r in own[:EMBED_MAX]]
    data = {"name": heading, "url": page_url(listing), "total": len(own), "reports": rows}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _by_year(own: list[Report]) -> list[Report]:
    """Newest year first; within a year, newest issue date first."""
    return sorted(own, key=lambda r: (-r.year, recency(r)))


def embed_pages(reports: list[Report], province_texts: bool = True) -> dict[str, str]:
    """Every bureau's and every place's embed page and JSON file (``province_texts`` False: none, all of them
    being a province's files)."""
    if not province_texts:
        return {}
    by_bureau, by_place = defaultdict(list), defaultdict(list)
    for report in reports:
        by_bureau[report.bureau_id].append(report)
        chain = region_chain(report)
        for depth in range(1 if chain else 0, len(chain) + 1):
            by_place[chain[:depth]].append(report)
    pages = {}
    for key, own, listing, heading, with_bureau in (
            *((b, o, bureau_page(b), bureau_label(o[0]), False) for b, o in sorted(by_bureau.items())),
            *((c, o, region_page(c), "".join(c) or "地区不明", True) for c, o in sorted(by_place.items()))):
        folder = page_url(listing) + "embed/"
        ordered = _by_year(own)
        pages[folder + "index.html"] = embed_html(folder + "index.html", heading, ordered, listing, with_bureau)
        pages[folder + "reports.json"] = embed_json(heading, ordered, listing)
    return pages


def embed_code_html(name: str, years: bool) -> str:
    """The block of a bureau's or place's page: the code a portal's editor copies (an iframe of ``embed/``, a link
    to ``latest/``), filled with the page's full address by ``gongwen.js`` (``data-cite-template``), and a preview;
    ``years``: a bureau's page, whose ``<year>/`` links are named too.  One raw HTML block: no blank line inside."""
    e = html.escape
    frame = (f'<iframe src="{{{{url}}}}embed/" title="{e(name)}法治政府建设年度报告" width="100%" height="360" '
             f'style="border:0" loading="lazy"></iframe>')
    link = f'<a href="{{{{url}}}}latest/" target="_blank">{e(name)}法治政府建设年度报告</a>'
    fields = []
    for key, label, template in (("frame", "嵌入报告列表的代码", frame), ("link", "链接到最新报告的代码", link)):
        shown = template.replace("{{url}}", "")
        fields.append(f'<p><label for="gw-embed-{key}">{label}</label></p>'
                      f'<textarea id="gw-embed-{key}" class="gw-embed__code" readonly rows="3" '
                      f'data-cite-template="{e(template)}">{e(shown)}</textarea>'
                      f'<button type="button" class="gw-copy md-button" data-copy="gw-embed-{key}">复制代码</button>')
    return ('<details class="gw-embed"><summary>在政务公开栏目中引用</summary>'
            '<p>把下面的代码粘贴到本单位网站的页面中：列表显示本库收录的历年报告，收录新报告后自动更新，不必再改页面；'
            '链接 <code>latest/</code> 总是打开最新一篇报告'
            + ('，<code>年份/</code>（如 <code>2024/</code>）打开该年度的报告。' if years else '。') +
            '同样的列表也有数据文件 <a href="embed/reports.json">reports.json</a>。</p>'
            + "".join(fields) +
            f'<p>预览：</p><iframe class="gw-embed__preview" src="embed/" title="{e(name)}报告列表预览" loading="lazy"></iframe>'
            '</details>')
