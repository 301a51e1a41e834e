"""The report page's compliance block: required contents, on time, and the comparison with last year.

One HTML block, every value from the report escaped, links relative to the page.  It says how
each line was determined (which rule, which wording); "not found" is said as "the rules did not
find it", never as "the report lacks it".  ``index.report_pages`` appends it to the page's extras.
"""

from __future__ import annotations

import html
import posixpath

from markdown.extensions.toc import unique
from pymdownx.slugs import slugify

from ..browse.places import chinese_date, issue_date, public_date, report_url
from ..model import Report
from .contents import load_rules
from .deadline import timeliness
from .repeats import compare

#: The same slug function as mkdocs.yml's ``toc`` (``pymdownx.slugs.slugify``, lower case).
SLUGIFY = slugify(case="lower")
#: The rules page of the 公开情况 section (published by ``browse/publication.py``).
RULES_PAGE = "publication/rules/"
METHOD = {"heading": "按标题", "position": "按位置：列在“不足”“下一年度”之前的工作部分",
          "paragraph": "按段落用语"}
#: Characters of a repeated paragraph quoted in the list.
SNIPPET = 60


def heading_anchors(report: Report) -> list[str]:
    """The ``id`` MkDocs gives each body heading (the page's h1, the title, comes first and takes its id)."""
    used: set[str] = set()
    unique(SLUGIFY(report.title, "-"), used)
    return [unique(SLUGIFY(block.text, "-"), used) for block in report.body if block.kind == "heading"]


def _link(report: Report, target: str) -> str:
    return html.escape(posixpath.relpath(target, report_url(report)) + ("/" if target.endswith("/") else ""))


def _item_line(report: Report, key: str, label: str, anchors: list[str]) -> str:
    e = html.escape
    where = report.required_items_where.get(key)
    if where is None:
        state = "未单列" if key == "other" else "未找到"
        return f'<li class="gw-item gw-item-missing"><span class="gw-item-state">{state}</span> {e(label)}</li>'
    place = e(where.section or "正文开头")
    if where.heading_index is not None:
        place = f'<a href="#{e(anchors[where.heading_index])}">{place}</a>'
    if where.method == "paragraph":
        place += f" 第 {where.paragraph} 段：“{e(where.wording)}”"
    return (f'<li class="gw-item gw-item-found"><span class="gw-item-state">已找到</span> {e(label)}：{place}'
            f'<span class="gw-item-how">（{METHOD[where.method]}）</span></li>')


def checklist_html(report: Report, anchors: list[str]) -> str:
    lines = [_item_line(report, rule.key, rule.label, anchors) for rule in load_rules()]
    return (f'<p class="gw-compliance-title"><strong>法定内容核对</strong>（《法治政府建设与责任落实督察工作规定》'
            f'第二十五条；按<a href="{_link(report, RULES_PAGE)}">公开的核对规则</a>在标题和段落中查找，'
            f'结果仅供参考，“未找到”指规则未找到，不等于报告未写）</p>\n<ul class="gw-checklist">\n'
            + "\n".join(lines) + "\n</ul>")


def on_time_html(report: Report) -> str:
    when, kind = public_date(report)  # the web page's publication date where known, else the report's own
    due = timeliness(report.year, report.province, when)
    if due.issued is None:
        text = f"报告未标注印发或成文日期，网页也未载发布日期，无法判断是否按期公开（不计为逾期）；期限为{chinese_date(due.deadline)}。"
    elif due.on_time:
        text = f"{chinese_date(due.issued)}{kind}，不晚于期限{chinese_date(due.deadline)}，按期。"
    else:
        text = f"{chinese_date(due.issued)}{kind}，晚于期限{chinese_date(due.deadline)} {due.days_late} 天。"
    if kind == "网页发布" and issue_date(report):
        text += f"报告所印日期：{chinese_date(issue_date(report))}。"
    return f'<p class="gw-on-time"><strong>公开时间</strong> {html.escape(text)}</p>'


def comparison_html(report: Report, previous: Report, anchors: list[str]) -> str:
    e = html.escape
    result = compare(report, previous)
    lines = [f'<p class="gw-yoy"><strong>与上年报告比较</strong> 与本部门<a href="{_link(report, report_url(previous))}">'
             f'{previous.year}年度报告</a>重复约 {round(result.share * 100)}%（与上年文字基本相同的段落占正文字数的比例；'
             f'数字不同、个别字词改动仍算重复）。']
    if result.new_sections:
        titles = "、".join(f'<a href="#{e(anchors[s.heading_index])}">{e(s.title)}</a>' for s in result.new_sections)
        lines[0] += f"新增小节：{titles}。"
    lines[0] += "</p>"
    if result.repeated:
        items = []
        for item in result.repeated:
            where = f'<a href="#{e(anchors[item.heading_index])}">第 {item.paragraph} 段</a>' \
                if item.heading_index is not None else f"第 {item.paragraph} 段"
            snippet = item.text[:SNIPPET] + ("…" if len(item.text) > SNIPPET else "")
            items.append(f"<li>{where}：<mark>{e(snippet)}</mark></li>")
        lines.append(f'<details class="gw-repeated"><summary>与上年重复的段落（{len(items)} 段）</summary>\n'
                     f'<ol>\n{chr(10).join(items)}\n</ol>\n</details>')
    return "\n".join(lines)


def compliance_html(report: Report, previous: Report | None) -> str:
    """The whole block for one report page; ``previous``: the same bureau's previous report, if any."""
    anchors = heading_anchors(report)
    parts = [checklist_html(report, anchors), on_time_html(report)]
    if previous is not None:
        parts.append(comparison_html(report, previous, anchors))
    return ('<div class="gw-compliance" role="region" aria-label="法定内容与公开时间核对">\n'
            + "\n".join(parts) + "\n</div>")
