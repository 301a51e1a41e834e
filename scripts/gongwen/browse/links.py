"""Stable links for 政务公开 pages: addresses that always lead to the right report.

A portal's editor links “本单位法治政府建设年度报告” once and never edits it again:

- ``bureaus/<bureau id>/latest/``: the bureau's newest report (the latest year it reported on);
- ``bureaus/<bureau id>/<year>/``: its report of that year; for a year the archive lacks (from the bureau's
  first year to the archive's newest) a small page says none is held and lists the bureau's reports;
- ``regions/<place>/latest/``: the newest report of the place and the places under it;
- ``years/<year>/latest/``: the newest report of that year; ``years/latest/``: the newest year's listing.

“Newest” is the report of the latest year reported on; of several (a place's), the last issued
(``places.recency``, as the feed: a report without a date counts as issued at the end of its year).
Each is a static HTML file beside the pages (MkDocs copies it as it is): a redirect whose target is relative, so the site works under
any path.  They are made from every report on every build, like the listings, so an incremental build that
adds a newer report rewrites exactly the ones that change.  None of them is a page of the sitemap
(``noindex``): the page they lead to is.
"""

from __future__ import annotations

import html
from collections import defaultdict

from ..model import Report
from .listing import crumbs, href_to_page, page_url
from .places import (bureau_label, bureau_page, recency, region_chain, region_page, region_trail, report_page,
                     year_page)

#: The note that a year is not held: readable on a phone, breadcrumbs in a row (the site's own styles are not loaded).
NOTE_STYLE = ("body{margin:0 auto;max-width:48rem;padding:1rem;font:16px/1.7 system-ui,\"PingFang SC\",\"Microsoft YaHei\","
              "\"Noto Sans CJK SC\",sans-serif;color:#222}a{color:#b71c1c}h1{font-size:1.4rem}"
              ".gw-crumbs ol{list-style:none;padding:0;margin:0;font-size:.85rem}.gw-crumbs li{display:inline}"
              ".gw-crumbs li+li::before{content:\" › \"}")


def redirect_html(target: str, title: str, text: str) -> str:
    """A page that leads at once to ``target`` (relative to the page); ``text`` (HTML) says where, for the
    reader whose browser does not follow a refresh."""
    t = html.escape(target)
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="robots" content="noindex"><link rel="canonical" href="{t}">'
            f'<meta http-equiv="refresh" content="0; url={t}"></head>\n'
            f'<body><h1>{html.escape(title)}</h1><p>{text}<a href="{t}">{t}</a>。</p></body></html>\n')


def _folder(page: str, leaf: str) -> str:
    """``bureaus/henan/jiaozuo/kjj.md``, ``latest`` → ``bureaus/henan/jiaozuo/kjj/latest/index.html``."""
    return f"{page_url(page)}{leaf}/index.html"


def _to_report(source: str, report: Report) -> tuple[str, str]:
    return href_to_page(source, report_page(report)), f"{bureau_label(report)}《{report.title}》："


def stable_link_pages(reports: list[Report], province_texts: bool = True) -> dict[str, str]:
    """Every stable link's file: ``{path inside docs/: HTML}``; ``province_texts`` False: the years' only (the
    bureaus' and places' are a province's files, which no page links to by path)."""
    pages: dict[str, str] = {}
    if not reports:
        return pages
    last_year = max(r.year for r in reports)
    by_bureau, by_place, by_year = defaultdict(list), defaultdict(list), defaultdict(list)
    for report in reports:
        by_bureau[report.bureau_id].append(report)
        by_year[report.year].append(report)
        chain = region_chain(report)
        for depth in range(1 if chain else 0, len(chain) + 1):
            by_place[chain[:depth]].append(report)
    for bureau_id, own in sorted(by_bureau.items()) if province_texts else ():
        pages |= _bureau_links(bureau_id, own, last_year)
    for chain, own in sorted(by_place.items()) if province_texts else ():
        pages |= _latest(_folder(region_page(chain), "latest"), newest(own), " ".join(chain) or "地区不明")
    for year, own in sorted(by_year.items()):
        pages |= _latest(_folder(year_page(year), "latest"), newest(own), f"{year}年度")
    latest_year = "years/latest/index.html"
    pages[latest_year] = redirect_html(href_to_page(latest_year, year_page(last_year)), f"最新年度：{last_year}年度",
                                  f"本库收录报告的最新年度是{last_year}年度：")
    return pages


def _latest(path: str, report: Report, whose: str) -> dict[str, str]:
    target, name = _to_report(path, report)
    return {path: redirect_html(target, f"{whose}最新报告", html.escape(f"{whose}最新报告是{name}"))}


def newest(own: list[Report]) -> Report:
    """The report of the latest year reported on; of several, the last issued (``places.recency``)."""
    return min(own, key=lambda r: (-r.year, recency(r)))


def newest_of_bureau(own: list[Report]) -> Report:
    """The bureau's report of its latest year (two of one year: the one that keeps the plain id, else by id)."""
    year = max(r.year for r in own)
    return min((r for r in own if r.year == year), key=lambda r: (r.id != f"{r.bureau_id}/{year}", r.id))


def _bureau_links(bureau_id: str, own: list[Report], last_year: int) -> dict[str, str]:
    page = bureau_page(bureau_id)
    name = bureau_label(own[0])
    latest = _folder(page, "latest")
    target, label = _to_report(latest, newest_of_bureau(own))
    pages = {latest: redirect_html(target, f"{name}最新报告", html.escape(f"本部门最新报告是{label}"))}
    held = {r.year for r in own}
    for year in range(min(held), last_year + 1):
        path = _folder(page, str(year))
        if year in held:
            target, label = _to_report(path, newest_of_bureau([r for r in own if r.year == year]))
            pages[path] = redirect_html(target, f"{name}{year}年度报告", html.escape(f"本部门{year}年度报告是{label}"))
        else:
            pages[path] = _none_held(path, page, name, year, own)
    return pages


def _none_held(path: str, page: str, name: str, year: int, own: list[Report]) -> str:
    """The page of a year the archive holds no report of the bureau for: says so, and lists those it holds;
    breadcrumbs as on the bureau's page."""
    e = html.escape
    items = "".join(f'<li><a href="{e(href_to_page(path, report_page(r)))}">{r.year}年度：{e(r.title)}</a></li>'
                    for r in sorted(own, key=lambda r: (-r.year, r.id)))
    title = f"{name}{year}年度报告"
    here = path.removesuffix("/index.html") + ".md"  # the page it stands for, for the breadcrumbs' relative links
    trail = crumbs([*region_trail(region_chain(own[0])), (name, page), (f"{year}年度", "")], here)
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(title)}（本库未收录）</title>'
            f'<meta name="robots" content="noindex"><style>{NOTE_STYLE}</style></head>\n'
            f'<body><article>{trail}<h1>{e(title)}</h1>'
            f'<p>本库尚未收录{e(name)}{year}年度的法治政府建设年度报告。收录后，本地址会直接打开该报告。</p>'
            f'<p>本库收录的该部门报告：</p><ul>{items}</ul>'
            f'<p><a href="{e(href_to_page(path, page))}">{e(name)}历年报告</a></p></article></body></html>\n')
