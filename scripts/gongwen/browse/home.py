"""The home page as a portal: what the archive covers in one sentence, a search box with example
queries, entry points with counts (by region, by year, by kind of bureau) and the newest reports.

The page is HTML blocks inside Markdown (so the search form and the entry-point grid can be laid
out), every value escaped; links are relative to the site root, where the home page is, and the
browse tests check that none is broken.
"""

from __future__ import annotations

import html
from collections import Counter
from urllib.parse import quote

from ..model import Report
from .listing import front, page_url
from .pages import bureau_kinds, issuer_types
from .places import bureau_label, chinese_date, issue_date, recency, region_chain, region_page, report_page, year_page

#: Reports shown as 最新报告 on the home page.
NEWEST = 10
#: Most entries in one entry-point box (the rest are one click away on the full listing).
BOX_ENTRIES = 12


def _a(label: str, target: str) -> str:
    """A link from the home page (at the site root) to a page inside docs/."""
    return f'<a href="{html.escape(page_url(target) or "./")}">{html.escape(label)}</a>'


def coverage(reports: list[Report]) -> str:
    """收录 … in one sentence: how many reports, from how many bureaus and places, for which years."""
    if not reports:
        return "本库暂未收录报告。"
    years = sorted({r.year for r in reports})
    span = f"{years[0]}年度" if len(years) == 1 else f"{years[0]}—{years[-1]}年度"
    provinces = sorted({r.province for r in reports if r.province})
    cities = {region_chain(r)[:2] for r in reports if r.city}
    bureaus = len({r.bureau_id for r in reports})
    named = "、".join(provinces[:3]) + ("等" if len(provinces) > 3 else "")
    count = f"{len(provinces)}个省份、" if len(provinces) > 1 else ""
    where = f"{named}{count}{len(cities)}个市的" if provinces else ""
    return f"本库收录{where}{bureaus}个政府部门{span}的法治政府建设年度报告，共{len(reports)}篇，逐篇保留原文，可检索、可下载。"


def search_box(reports: list[Report]) -> list[str]:
    """The search form and up to four example queries taken from the archive itself (each finds something)."""
    newest = sorted(reports, key=recency)
    topics = Counter(t for r in reports for t in r.topics)
    examples = [t for t, _ in topics.most_common(2)]
    examples += [r.doc_number for r in newest if r.doc_number][:1]
    examples += [r.bureau_name for r in newest if r.bureau_name and r.bureau_name == r.bureau][:1]  # printed so: found
    links = " ".join(f'<a href="search/?q={quote(q)}">{html.escape(q)}</a>' for q in dict.fromkeys(examples))
    return ['<form class="gw-portal-search" role="search" action="search/" method="get">',
            '<label for="gw-home-q">检索报告</label>',
            '<input id="gw-home-q" type="search" name="q" placeholder="标题、部门、文号或正文中的词语">',
            '<button type="submit" class="md-button md-button--primary">检索</button>',
            "</form>", f'<p class="gw-examples">例如：{links}</p>' if links else ""]


def _box(heading: str, items: list[tuple[str, str, int]], more: tuple[str, str], box_id: str = "") -> str:
    """One entry-point box: a heading, links with counts, and a link to the full listing."""
    box_id = box_id or more[1].split("/")[0]
    lines = [f'<section class="gw-entry" aria-labelledby="gw-entry-{box_id}">',
             f'<h3 id="gw-entry-{box_id}">{html.escape(heading)}</h3>', '<ul>']
    lines += [f"<li>{_a(label, target)}<span class=\"gw-count\">{count}篇</span></li>"
              for label, target, count in items[:BOX_ENTRIES]]
    lines += ["</ul>", f'<p class="gw-more-link">{_a(more[0], more[1])}</p>', "</section>"]
    return "\n".join(lines)


def entry_points(reports: list[Report]) -> list[str]:
    by_province = Counter(region_chain(r)[:1] for r in reports)
    regions = [(chain[0] if chain else "地区不明", region_page(chain), n)
               for chain, n in sorted(by_province.items(), key=lambda kv: -kv[1])]
    years = [(f"{year}年度", year_page(year), n) for year, n in sorted(Counter(r.year for r in reports).items(), reverse=True)]
    by_kind = sorted(((name, f"bureaus/kinds/{slug}.md", len(own)) for slug, (name, own) in bureau_kinds(reports).items()),
                     key=lambda entry: -entry[2])
    by_type = [(name, f"bureaus/types/{slug}.md", len(own)) for slug, (name, own) in issuer_types(reports).items()]
    return ['<div class="gw-entries">',
            _box("按地区", regions, ("全部地区 ›", "regions/index.md")),
            _box("按年度", years, ("全部年度 ›", "years/index.md")),
            _box("按发文机关类型", by_type, ("全部发文机关 ›", "bureaus/index.md"), "types"),
            _box("按部门类别", by_kind, ("全部部门 ›", "bureaus/index.md")),
            "</div>"]


def newest_list(reports: list[Report]) -> list[str]:
    lines = ['<ol class="gw-newest">']
    for report in sorted(reports, key=recency)[:NEWEST]:
        when = issue_date(report)
        facts = [bureau_label(report), report.doc_number, chinese_date(when) if when else f"{report.year}年度"]
        spans = "".join(f"<span>{html.escape(fact)}</span>" for fact in facts if fact)
        lines.append(f'<li>{_a(report.title, report_page(report))}<p class="gw-newest__facts">{spans}</p></li>')
    return lines + ["</ol>"] if reports else ["<p>暂无报告。</p>"]


def home_page(reports: list[Report]) -> str:
    lines = ["---", 'title: "首页"', "hide:", "  - toc", "---", "", "# 法治政府建设年度报告库", "", f'<p class="gw-coverage">{html.escape(coverage(reports))}</p>', ""]
    lines += ["\n".join(search_box(reports)), "", "## 浏览", "", "\n".join(entry_points(reports)), "",
              "## 最新报告", "", "\n".join(newest_list(reports)), "",
              "## 订阅与数据", "",
              "- [报告订阅（Atom）](feed.xml)：按印发、成文日期排列的最新报告",
              "- [数据下载](api/index.md)：全部文件信息，每个省（区、市）一个 JSON 文件和一个 CSV 文件（可用电子表格软件打开），"
              "字段含义见[数据说明](schema.md)", ""]
    return "\n".join(lines)
