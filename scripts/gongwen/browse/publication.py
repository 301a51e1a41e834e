"""The 公开情况 (publication) section: who published, on time, with the required contents.

Counts are of bureau-years held by this archive (a bureau's report for a year; when a bureau has
several for one year, the one whose id sorts first counts, and the list says so).  Every number
links to the list of the bureau-years behind it, so a reader can check each count; zero is not
linked.  Pure: reports in, ``{path inside docs/: text}`` out.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from ..compliance.charts import Series, share_bars, year_bars
from ..compliance.contents import load_rules
from ..compliance.deadline import load_deadlines
from ..issuers import issuer_kinds
from ..compliance.repeats import MAX_BUCKET, NEARLY_VERBATIM, TEMPLATE_SHARE, templated_reports
from ..model import REQUIRED_ITEMS, Report
from ..render import markdown_text
from ..slug import UNPLACED, place_slug
from .pages import UNKNOWN_TYPE
from .listing import MAX_ENTRIES, Entry, crumbs, entry_lines, front, link, paged
from .places import bureau_label, bureau_page, chinese_date, issue_date, report_page

ROOT = "publication"
INDEX = f"{ROOT}/index.md"
RULES = f"{ROOT}/rules.md"
TEMPLATED = f"{ROOT}/templated.md"
#: What is counted, in table order: key, column heading.
KINDS = (("published", "已公开部门"), ("on_time", "按期"), ("late", "逾期"), ("undated", "未标注日期"),
         ("complete", "四项齐全"))
LABELS = dict(KINDS)
NO_PROVINCE = "地区不明"
ALL = "all"
INTRO = ("本栏统计本库收录的报告：每个部门每个年度计一次（“已公开部门”）。“按期”“逾期”按报告在网上公开的日期"
         "（网页所载发布日期；网页未载时按报告所印印发日期，没有则按成文日期）与次年公开期限比较；"
         "两者都没有的计为“未标注日期”，不算逾期。"
         "“四项齐全”指按[核对规则]({rules})在报告中找到了规定要求的四项内容。本库未收录的报告不在统计之内，"
         "因此“缺”只表示本库没有，不一定表示该部门未公开。每个数字都链接到它所统计的报告清单。")


@dataclass(frozen=True)
class BureauYear:
    """One bureau's report(s) for one year; ``report`` is the one counted."""

    report: Report
    others: tuple[Report, ...]

    @cached_property  # asked once per list the bureau-year could be in (340,000 times at 10,000 reports)
    def kinds(self) -> set[str]:
        r = self.report
        timing = {True: "on_time", False: "late", None: "undated"}[r.on_time]
        complete = r.required_items is not None and all(getattr(r.required_items, k) for k in REQUIRED_ITEMS)
        return {"published", timing} | ({"complete"} if complete else set())

    @cached_property
    def entry(self) -> Entry:
        """Its line in every list it is in (all years and its year; the country, its province and its city)."""
        return Entry(f"{bureau_label(self.report)} {self.report.year}年度", report_page(self.report), _status(self))


def bureau_years(reports: list[Report]) -> list[BureauYear]:
    """Reports grouped by (bureau, year), ordered by province, bureau and year."""
    groups: dict[tuple[str, int], list[Report]] = defaultdict(list)
    for report in sorted(reports, key=lambda r: r.id):
        groups[report.bureau_id, report.year].append(report)
    found = [BureauYear(own[0], tuple(own[1:])) for own in groups.values()]
    return sorted(found, key=lambda b: (province_slug(b.report), bureau_label(b.report), b.report.bureau_id, b.report.year))


def province_slug(report: Report) -> str:
    return place_slug(report.province) if report.province else UNPLACED


def list_page(scope: str, year: int | None, kind: str) -> str:
    return f"{ROOT}/lists/{scope}/{year or ALL}-{kind}.md"


#: Where each number of a scope's tables links: (scope, year or None, kind) → a list page, with its section's anchor.
Targets = dict[tuple[str, int | None, str], str]


def scope_page(scope: str) -> str:
    return INDEX if scope == ALL else f"{ROOT}/{scope}.md"


def series_page(scope: str) -> str:
    return f"{ROOT}/series/{scope}.md"


def publication_pages(reports: list[Report], sentences: dict[str, dict[int, int]] | None = None,
                      province_texts: bool = True) -> dict[str, str]:
    """The section: overview, a page per province, the lists behind every number, series, rules, templates.
    ``sentences``: each report's sentence hashes by id when the reports come without their text;
    ``province_texts`` False: a province's pages by path only, their texts empty (the national step)."""
    items = bureau_years(reports)
    provinces: dict[str, list[BureauYear]] = defaultdict(list)
    names: dict[str, str] = {}
    for item in items:
        slug = province_slug(item.report)
        provinces[slug].append(item)
        names[slug] = item.report.province or NO_PROVINCE
    pages, targets = _lists(ALL, "全部地区", items)
    pages |= {RULES: rules_page(), TEMPLATED: templated_page(reports, sentences)}
    for slug, own in sorted(provinces.items()):
        subregions = _subregions(slug, own)
        more, more_targets = _lists(slug, names[slug], own, render=province_texts)
        for sub, (sub_name, sub_items) in subregions.items():
            sub_pages, sub_targets = _lists(sub, f"{names[slug]} {sub_name}", sub_items, by_year=False,
                                            up=(names[slug], slug), render=province_texts)
            more, more_targets = more | sub_pages, more_targets | sub_targets
        pages |= more | {scope_page(slug): _province_page(slug, names[slug], own, subregions, more_targets)
                         if province_texts else ""}
        targets |= more_targets
        # to the province's latest year: a province's pages depend on its own reports only (one build per province)
        pages |= _series(slug, names[slug], own, max(item.report.year for item in own), province_texts)
    types = issuer_type_items(items)
    for scope, (name, own) in types.items():
        more, more_targets = _lists(scope, name, own, by_year=False, up=("全部地区", ALL))
        pages, targets = pages | more, targets | more_targets
    pages[INDEX] = _overview(items, provinces, names, targets, types)
    return pages


def issuer_type_items(items: list[BureauYear]) -> dict[str, tuple[str, list[BureauYear]]]:
    """scope → (kind of issuer, its bureau-years): governments counted apart from departments, zones, 街道…"""
    by_name: dict[str, list[BureauYear]] = defaultdict(list)
    for item in items:
        by_name[item.report.issuer_kind or UNKNOWN_TYPE[1]].append(item)
    known = [(kind.slug, kind.name) for kind in issuer_kinds()] + [UNKNOWN_TYPE]
    return {f"type-{slug}": (name, by_name[name]) for slug, name in known if by_name[name]}


def _count(items: list[BureauYear]) -> dict[str, int]:
    counts = dict.fromkeys(LABELS, 0)
    for item in items:
        for kind in item.kinds:
            counts[kind] += 1
    return counts


def _by_year(items: list[BureauYear]) -> dict[int, list[BureauYear]]:
    years: dict[int, list[BureauYear]] = defaultdict(list)
    for item in items:
        years[item.report.year].append(item)
    return dict(sorted(years.items()))


def _row(first: str, counts: dict[str, int], targets: Targets, scope: str, year: int | None, page: str) -> str:
    cells = [link(str(counts[k]), targets[scope, year, k], page) if counts[k] else "0" for k, _ in KINDS]
    return f"| {first} | " + " | ".join(cells) + " |"


def _table(first: str) -> list[str]:
    return [f"| {first} | " + " | ".join(label for _, label in KINDS) + " |", "|---" * (len(KINDS) + 1) + "|"]


def _year_table(scope: str, items: list[BureauYear], targets: Targets, page: str) -> list[str]:
    lines = _table("年度")
    for year, own in sorted(_by_year(items).items(), reverse=True):
        lines.append(_row(f"{year}", _count(own), targets, scope, year, page))
    lines.append(_row("合计", _count(items), targets, scope, None, page))
    return lines + [""]


def _year_chart(items: list[BureauYear], ident: str) -> list[str]:
    rows = [(year, _count(own)) for year, own in _by_year(items).items()]
    series = [Series("published", "已公开部门"), Series("on_time", "按期"), Series("complete", "四项齐全")]
    return ['<figure class="gw-chart">', year_bars(rows, series, ident),
            "<figcaption>各年度已公开部门数、按期公开数和四项齐全数（数字见下表）。</figcaption>", "</figure>", ""]


def _overview(items: list[BureauYear], provinces: dict, names: dict[str, str], targets: Targets, types: dict) -> str:
    page = INDEX
    lines = [*front("公开情况"), "# 公开情况", "", INTRO.format(rules="rules.md"), ""]
    lines += ["## 各年度", "", *_year_chart(items, "chart-years"), *_year_table(ALL, items, targets, page)]
    lines += ["## 各类发文机关", "", "人民政府、政府部门、垂直管理和派出机构等分开统计（所有年度合计；类型按"
              "发文机关名称的规则确定）。", "", *_table("发文机关类型")]
    lines += [_row(markdown_text(name), _count(own), targets, scope, None, page) for scope, (name, own) in types.items()]
    lines += [""]
    lines += ["## 各省份", ""]
    rows = [(names[slug], _count(own)) for slug, own in sorted(provinces.items())]
    series = [Series("on_time", "按期"), Series("late", "逾期"), Series("undated", "未标注日期")]
    lines += ['<figure class="gw-chart">', share_bars(rows, series), "<figcaption>各省份按期公开的比例"
              "（按期、逾期、未标注日期占该省已公开部门年度数的比例，所有年度合计；数字见下表）。</figcaption>",
              "</figure>", ""]
    lines += _table("省份")
    for slug, own in sorted(provinces.items()):
        lines.append(_row(link(names[slug], scope_page(slug), page), _count(own), targets, slug, None, page))
    lines += ["", "## 各部门历年公开情况", "", "每个部门从首次收录的年度起逐年列出，本库未收录的年度标为“缺”。", ""]
    lines += [f"- {link(names[slug], series_page(slug), page)}（{len({i.report.bureau_id for i in own})} 个部门）"
              for slug, own in sorted(provinces.items())]
    lines += ["", "## 说明", "", f"- {link('核对规则（法定内容、公开期限、与上年重复）', RULES, page)}",
              f"- {link('疑似模板化报告（供维护人员核查）', TEMPLATED, page)}", ""]
    return "\n".join(lines)


def _subregions(province: str, items: list[BureauYear]) -> dict[str, tuple[str, list[BureauYear]]]:
    """scope slug → (name, bureau-years) for each city of a province (a 直辖市: each district); the
    province's (直辖市's) own bureaus are 本级部门."""
    found: dict[str, tuple[str, list[BureauYear]]] = {}
    for item in items:
        r = item.report
        sub = r.city if r.city and r.city != r.province else r.county
        scope = f"{province}-{place_slug(sub) if sub else 'benji'}"
        found.setdefault(scope, (sub or "本级部门", []))[1].append(item)
    return dict(sorted(found.items()))


def _province_page(slug: str, name: str, items: list[BureauYear], subregions: dict, targets: Targets) -> str:
    page = scope_page(slug)
    lines = [*front(f"公开情况 · {name}"), f"# 公开情况 · {markdown_text(name)}", "",
             f"上级：{link('公开情况', INDEX, page)}　{link('本省各部门历年公开情况', series_page(slug), page)}", "",
             "## 各年度", "", *_year_chart(items, f"chart-{slug}"), *_year_table(slug, items, targets, page),
             "## 各市（所有年度合计）", "", *_table("地区")]
    lines += [_row(markdown_text(sub_name), _count(own), targets, sub, None, page) for sub, (sub_name, own) in subregions.items()]
    return "\n".join(lines + [""])


def _status(item: BureauYear) -> str:
    r = item.report
    when = issue_date(r)
    parts = [chinese_date(when) if when else "未标注日期"]
    parts.append({True: "按期", False: f"逾期 {r.days_late} 天", None: "无法判断是否按期"}[r.on_time])
    missing = [rule.label for rule in load_rules() if rule.key in REQUIRED_ITEMS and not getattr(r.required_items, rule.key)]
    parts.append("四项齐全" if not missing else "未找到：" + "、".join(missing))
    if item.others:
        parts.append(f"同年另有 {len(item.others)} 篇（未计入）")
    return " · ".join(parts)


def _lists(scope: str, name: str, items: list[BureauYear], by_year: bool = True,
           up: tuple[str, str] | None = None, render: bool = True) -> tuple[dict[str, str], Targets]:
    """The lists behind a scope's numbers (all years, and each year if ``by_year``; each kind with at least one
    bureau-year), laid out by size so that small scopes make one page: the whole scope on one page (a section per
    year and kind) when it holds at most :data:`MAX_ENTRIES` entries, else a page per year (a section per kind)
    when that fits, else a paged list per year and kind.  ``up``: (name, scope) of the page holding the numbers,
    when not this scope's own; ``render`` False: the pages' paths only.  Returns the pages and where each number
    links."""
    up_name, up_scope = up or (name, scope)
    parent = ("公开情况" if up_scope == ALL else f"公开情况 · {up_name}", scope_page(up_scope))
    as_entries = _entries if render else tuple  # for the paths alone only their number matters
    sections = {year: [(kind, label, as_entries(chosen)) for kind, label in KINDS
                       if (chosen := [i for i in own if kind in i.kinds])]
                for year, own in [(None, items), *(_by_year(items).items() if by_year else [])]}
    if sum(len(entries) for kinds in sections.values() for _, _, entries in kinds) <= MAX_ENTRIES:
        path = f"{ROOT}/lists/{scope}.md"
        parts = [(f"{year or ALL}-{kind}", f"{_year_label(year)} · {label}", entries)
                 for year, kinds in sections.items() for kind, label, entries in kinds]
        targets = {(scope, year, kind): f"{path}#{year or ALL}-{kind}" for year, kinds in sections.items() for kind, _, _ in kinds}
        return {path: _sections_page(path, name, parts, parent) if render else ""}, targets
    pages, targets = {}, {}
    for year, kinds in sections.items():
        if sum(len(entries) for _, _, entries in kinds) <= MAX_ENTRIES:
            path = f"{ROOT}/lists/{scope}/{year or ALL}.md"
            pages[path] = _sections_page(path, f"{name} · {_year_label(year)}", kinds, parent) if render else ""
            targets |= {(scope, year, kind): f"{path}#{kind}" for kind, _, _ in kinds}
            continue
        for kind, label, entries in kinds:
            title = f"{name} · {_year_label(year)} · {label}（{len(entries)}）"
            pages |= paged(list_page(scope, year, kind), title, entries, up=parent, render=render)
            targets[scope, year, kind] = list_page(scope, year, kind)
    return pages, targets


def _year_label(year: int | None) -> str:
    return f"{year}年度" if year else "各年度"


def _entries(chosen: list[BureauYear]) -> tuple[Entry, ...]:
    return tuple(i.entry for i in chosen)


def _sections_page(path: str, title: str, parts: list[tuple[str, str, tuple[Entry, ...]]], parent: tuple[str, str]) -> str:
    """One list page of several lists, each under a heading whose ``id`` the numbers link to."""
    lines = [*front(title), crumbs([parent, (title, "")], path), "", f"# {markdown_text(title)}", ""]
    for anchor, heading, entries in parts:
        lines += [f'<h2 id="{anchor}">{html.escape(heading)}（{len(entries)}）</h2>', ""]
        lines += [*entry_lines(entries, path), ""]
    return "\n".join(lines)


def _series(slug: str, name: str, items: list[BureauYear], last_year: int, render: bool = True) -> dict[str, str]:
    """Each bureau's years from its first in the archive to the archive's latest, gaps marked 缺 (``render``
    False: the pages' paths only)."""
    if not render:
        return paged(series_page(slug), name, tuple({item.report.bureau_id for item in items}), render=False)
    by_bureau: dict[str, dict[int, BureauYear]] = defaultdict(dict)
    for item in items:
        by_bureau[item.report.bureau_id][item.report.year] = item
    entries = []
    for bureau_id, years in sorted(by_bureau.items(), key=lambda kv: (bureau_label(next(iter(kv[1].values())).report), kv[0])):
        cells = []
        for year in range(min(years), last_year + 1):
            item = years.get(year)
            cells.append(f"{year} " + ("缺" if item is None else {True: "按期", False: "逾期", None: "未标注日期"}[item.report.on_time]))
        gaps = sum(1 for year in range(min(years), last_year + 1) if year not in years)
        label = bureau_label(next(iter(years.values())).report)
        entries.append(Entry(label, bureau_page(bureau_id), f"缺 {gaps} 年：" + " · ".join(cells) if gaps else " · ".join(cells)))
    return paged(series_page(slug), f"{name} · 各部门历年公开情况", tuple(entries), up=(f"公开情况 · {name}", scope_page(slug)))


def _terms(terms) -> str:
    """Terms as a reader sees them: ``{next_year}`` (the year after the report's) said in words."""
    return markdown_text("、".join(terms).replace("{next_year}", "（报告年度的次年）"))


def rules_page() -> str:
    """The rules as data, printed for readers: what counts as found, the deadlines, what counts as repeated."""
    page = RULES
    lines = [*front("核对规则"), "# 核对规则", "", f"上级：{link('公开情况', INDEX, page)}", "",
             "## 法定内容", "",
             "依《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第二十五条，年度报告应包括下列内容。"
             "本库按下列用语依次查找：先看报告的各级标题；“主要举措和成效”再看“存在问题”“下一年度安排”之前的各节；"
             "最后看段落。找到即在报告页列出所在位置和原文用语；找不到只表示这些规则没有找到，不等于报告没有写。", ""]
    for rule in load_rules():
        lines += [f"### {markdown_text(rule.label)}", "", f"- 规定原文：{markdown_text(rule.law)}",
                  f"- 标题用语：{_terms(rule.heading_terms)}"]
        if rule.paragraph_terms or rule.paragraph_starts:
            starts = f"；段首用语：{_terms(rule.paragraph_starts)}" if rule.paragraph_starts else ""
            lines.append(f"- 段落用语：{_terms(rule.paragraph_terms)}{starts}")
        lines.append("")
    deadlines = load_deadlines()
    lines += ["## 公开期限", "", f"- 各地默认：次年{deadlines.default.month}月{deadlines.default.day}日（含当日），"
              f"依据：{markdown_text(deadlines.default.source)}"]
    lines += [f"- {markdown_text(p)}：次年{d.month}月{d.day}日，依据：{markdown_text(d.source)}"
              for p, d in sorted(deadlines.provinces.items())]
    lines += ["- 比较的日期：报告所印印发日期，没有则用成文日期；都没有的为“未标注日期”，不算逾期。", "",
              "## 与上年重复", "",
              f"同一部门相邻两年的报告逐段比较（去掉标点空格、数字一律视为相同）：一段中至少 {round(NEARLY_VERBATIM * 100)}% 的"
              "八字片段出现在上年报告中，即算“与上年文字基本相同”；重复比例是这些段落占正文字数的比例。", "",
              f"不同部门之间按句子比较：两篇报告各有 {round(TEMPLATE_SHARE * 100)}% 以上的文字相同，列为疑似模板化报告；"
              f"出现在 {MAX_BUCKET} 篇以上报告中的句子视为套话，不计。", ""]
    return "\n".join(lines)


def templated_page(reports: list[Report], sentences: dict[str, dict[int, int]] | None = None) -> str:
    page = TEMPLATED
    pairs = templated_reports(reports, sentences)
    lines = [*front("疑似模板化报告"), "# 疑似模板化报告", "", f"上级：{link('公开情况', INDEX, page)}", "",
             f"不同部门的两篇报告有大量相同文字（规则见{link('核对规则', RULES, page)}），供维护人员核查是否收录有误"
             f"或报告确系套用模板。共 {len(pairs)} 对" + (f"，列出相同比例最高的 {MAX_ENTRIES} 对。" if len(pairs) > MAX_ENTRIES else "。"), ""]
    for pair in pairs[:MAX_ENTRIES]:
        lines.append(f"- {link(pair.first.title, report_page(pair.first), page)} 与 "
                     f"{link(pair.second.title, report_page(pair.second), page)}：相同文字约 {round(pair.share * 100)}%")
    return "\n".join(lines + ([] if pairs else ["暂无。"]) + [""])
