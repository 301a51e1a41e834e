"""The browse pages: home, by bureau, by year, by region, by 文号."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import groupby

from ..issuers import issuer_kinds
from ..model import Report
from ..render import markdown_text
from ..slug import place_slug
from .embed import embed_code_html
from .listing import MAX_ENTRIES, Entry, Group, crumbs, front, link, listing_pages
from .places import (bureau_kind, bureau_label, bureau_page, chinese_date, issue_date, region_chain, region_page,
                     region_trail, report_page, year_page)

def report_entry(report: Report, note: str | None = None) -> Entry:
    details = [bureau_label(report), report.doc_number, chinese_date(issue_date(report)) if issue_date(report) else None]
    return Entry(report.title, report_page(report), note if note is not None else " · ".join(d for d in details if d))


def bureau_kinds(reports: list[Report]) -> dict[str, tuple[str, list[Report]]]:
    """slug → (the kind's name, its reports): 科学技术局 across every place.  A slug printed under two names
    (a misprint the alias file maps) takes its most common name."""
    names: dict[str, Counter] = defaultdict(Counter)
    members: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        slug, name = bureau_kind(report)
        names[slug][name] += 1
        members[slug].append(report)
    return {slug: (names[slug].most_common(1)[0][0], members[slug]) for slug in sorted(members)}


def bureau_kind_pages(reports: list[Report]) -> dict[str, str]:
    """``bureaus/kinds/<slug>.md``: every bureau of one kind (科学技术局), grouped by province; and
    ``bureaus/types/<slug>.md``: every issuer of one kind of issuer (人民政府, 政府部门…), likewise."""
    pages = {}
    for slug, (name, own) in bureau_kinds(reports).items():
        pages |= _bureaus_by_province(f"bureaus/kinds/{slug}.md", name, own, "部门")
    for slug, (name, own) in issuer_types(reports).items():
        pages |= _bureaus_by_province(f"bureaus/types/{slug}.md", name, own, "发文机关")
    return pages


def issuer_types(reports: list[Report]) -> dict[str, tuple[str, list[Report]]]:
    """slug → (the kind of issuer, its reports), in the order of ``issuer-kinds.yml``; reports whose issuer is
    unknown are under 发文机关不明."""
    members: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        members[report.issuer_kind or UNKNOWN_TYPE[1]].append(report)
    known = [(kind.slug, kind.name) for kind in issuer_kinds()] + [UNKNOWN_TYPE]
    return {slug: (name, members[name]) for slug, name in known if members[name]}


#: The slug and name of the reports whose issuer is unknown, among the kinds of issuer.
UNKNOWN_TYPE = ("unknown", "发文机关不明")


def _bureaus_by_province(path: str, name: str, own: list[Report], unit: str) -> dict[str, str]:
    by_bureau = defaultdict(list)
    for report in own:
        by_bureau[report.bureau_id].append(report)
    groups = defaultdict(list)
    for bureau_id, items in sorted(by_bureau.items()):
        years = "、".join(str(y) for y in sorted({r.year for r in items}, reverse=True))
        groups[items[0].province or "地区不明"].append(
            Entry(bureau_label(items[0]), bureau_page(bureau_id), f"{len(items)} 篇（{years}）"))
    ordered = [Group(province, place_slug(province) if province != "地区不明" else "other", tuple(entries))
               for province, entries in sorted(groups.items(), key=lambda kv: place_slug(kv[0]))]
    return listing_pages(path, name, [f"共 {len(by_bureau)} 个{unit}、{len(own)} 篇报告。", ""],
                         ordered, [("按部门浏览", "bureaus/index.md")])


def bureau_pages(reports: list[Report], province_texts: bool = True) -> dict[str, str]:
    """One page per bureau (a timeline, newest year first) and the index of bureaus by province;
    ``province_texts`` False: the bureaus' pages (a province's) by path only, their texts empty."""
    by_bureau = defaultdict(list)
    for report in reports:
        by_bureau[report.bureau_id].append(report)
    pages = {}
    index_groups = defaultdict(list)
    for bureau_id, own in sorted(by_bureau.items()):
        own.sort(key=lambda r: (-r.year, r.id))
        pages |= _bureau_timeline(bureau_id, own) if province_texts else _bureau_paths(bureau_id, own)
        years = "、".join(str(y) for y in sorted({r.year for r in own}, reverse=True))
        province = own[0].province or "地区不明"
        index_groups[province].append(Entry(bureau_label(own[0]), bureau_page(bureau_id), f"{len(own)} 篇（{years}）"))
    groups = [Group(name, place_slug(name) if name != "地区不明" else "other", tuple(entries))
              for name, entries in sorted(index_groups.items(), key=lambda kv: place_slug(kv[0]))]
    intro = ["同一部门历年报告的名称可能不同（如“科技局”“科学技术局”“中共…党组”），本库按部门别名表归并为一个部门，"
             "使用规范名称；县区部门名称前加所属的市。", ""]
    types = [link(f"{name}（{len(own)}篇）", f"bureaus/types/{slug}.md", "bureaus/index.md")
             for slug, (name, own) in issuer_types(reports).items()]
    intro += [f"按发文机关类型：{'、'.join(types)}", ""] if types else []
    kinds = [link(f"{name}（{len(own)}篇）", f"bureaus/kinds/{slug}.md", "bureaus/index.md")
             for slug, (name, own) in bureau_kinds(reports).items()]
    intro += [f"按部门类别：{'、'.join(kinds)}", ""] if kinds else []
    return pages | listing_pages("bureaus/index.md", "按部门浏览", intro, groups)


def _bureau_timeline(bureau_id: str, own: list[Report]) -> dict[str, str]:
    path = bureau_page(bureau_id)
    name = bureau_label(own[0])
    printed = sorted({r.issuer for r in own if r.issuer} | {r.bureau for r in own if r.bureau} - {name})
    chain = region_chain(own[0])
    intro = [f"地区：{link(' '.join(chain) or '地区不明', region_page(chain), path)}", ""]
    if printed:
        intro += [f"文中写法：{markdown_text('、'.join(printed))}", ""]
    intro += [embed_code_html(name, years=True), ""]
    groups = [Group(f"{year}年度", str(year), tuple(report_entry(r) for r in group))
              for year, group in groupby(own, key=lambda r: r.year)]
    return listing_pages(path, name, intro, groups, region_trail(chain))


def _bureau_paths(bureau_id: str, own: list[Report]) -> dict[str, str]:
    """The paths of a bureau's timeline pages (``_bureau_timeline``'s), their texts empty."""
    groups = [Group(f"{year}年度", str(year), tuple(group)) for year, group in groupby(own, key=lambda r: r.year)]
    return listing_pages(bureau_page(bureau_id), "", [], groups, render=False)


def year_pages(reports: list[Report]) -> dict[str, str]:
    """``years/index.md`` and one page per report year, grouped by province."""
    pages = {}
    by_year = defaultdict(list)
    for report in reports:
        by_year[report.year].append(report)
    lines = [*front("按年度浏览"), crumbs([("按年度浏览", "")], "years/index.md"), "", "# 按年度浏览", "", "年度指报告所总结的年度（标题中的年份），不是印发年份。", ""]
    for year in sorted(by_year, reverse=True):
        lines.append(f"- {link(f'{year}年度', year_page(year), 'years/index.md')}（{len(by_year[year])} 篇）")
        pages |= listing_pages(year_page(year), f"{year}年度报告", [], _by_province(by_year[year]),
                               [("按年度浏览", "years/index.md")])
    pages["years/index.md"] = "\n".join(lines + [""])
    return pages


def _by_province(reports: list[Report]) -> list[Group]:
    groups = defaultdict(list)
    for report in sorted(reports, key=lambda r: (region_chain(r), bureau_label(r), r.id)):
        groups[report.province or "地区不明"].append(report_entry(report))
    return [Group(name, place_slug(name) if name != "地区不明" else "other", tuple(entries))
            for name, entries in sorted(groups.items(), key=lambda kv: place_slug(kv[0]))]


#: 文号 split into code, year and serial for sorting (焦科组〔2024〕5号).
DOC_NUMBER_PARTS = re.compile(r"^(?P<code>.*?)〔(?P<year>\d{4})〕第?(?P<serial>\d+)号$")


def doc_number_pages(reports: list[Report]) -> dict[str, str]:
    """Every report with a 文号, grouped by the 文号's year, each linked to its report."""
    numbered = [r for r in reports if r.doc_number]
    groups = defaultdict(list)
    for report in sorted(numbered, key=_doc_number_key):
        match = DOC_NUMBER_PARTS.match(report.doc_number)
        groups[match.group("year") if match else "其他"].append(
            Entry(report.doc_number, report_page(report), f"{bureau_label(report)} · {report.title}"))
    ordered = [Group(f"{year}年文号" if year != "其他" else "其他", year if year != "其他" else "other", tuple(e))
               for year, e in sorted(groups.items(), reverse=True)]
    intro = [f"共 {len(numbered)} 篇报告有发文字号（文号中的年份是发文年份，通常比报告年度晚一年）。", ""]
    return listing_pages("doc-numbers/index.md", "按文号浏览", intro, ordered)


def _doc_number_key(report: Report) -> tuple:
    match = DOC_NUMBER_PARTS.match(report.doc_number or "")
    if not match:
        return ("", 0, report.doc_number or "", report.id)
    return (match.group("code"), int(match.group("serial")), report.doc_number, report.id)


def region_pages(reports: list[Report], province_texts: bool = True) -> dict[str, str]:
    """A page per province, city and county (its sub-places with counts, its own bureaus) and the tree;
    ``province_texts`` False: the places' pages (a province's) by path only, their texts empty."""
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    own: dict[tuple[str, ...], list[Report]] = defaultdict(list)
    for report in reports:
        chain = region_chain(report)
        own[chain].append(report)
        for depth in range(1, len(chain) + 1):
            counts[chain[:depth]] += 1
    below = _children(counts)
    unplaced = {(): len(own[()])} if () in own else {}  # 地区不明: a page, not a place of the tree
    pages = {region_page(chain): _region_page(chain, counts | unplaced if not chain else counts, own.get(chain, []),
                                              below.get(chain, [])) if province_texts else ""
             for chain in [*counts, *unplaced]}
    pages["regions/index.md"] = _region_tree(counts, len(own.get((), [])))
    return pages


def _children(counts: dict) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """place → its sub-places in tree order, for every place at once (one pass, not one per place)."""
    below = defaultdict(list)
    for chain in sorted(counts, key=_tree_order):
        below[chain[:-1]].append(chain)
    return below


def _region_page(chain: tuple[str, ...], counts: dict, own: list[Report], children: list[tuple[str, ...]]) -> str:
    path = region_page(chain)
    title = " ".join(chain) or "地区不明"
    trail = [*region_trail(chain)[:-1], (chain[-1] if chain else "地区不明", "")]
    lines = [*front(title), crumbs(trail, path), "", f"# {markdown_text(title)}", "", f"共 {counts[chain]} 篇报告。", ""]
    lines += [embed_code_html(title, years=False), ""]
    if children:
        lines += ["## 下级地区", ""] + [f"- {link(c[-1], region_page(c), path)}（{counts[c]}）" for c in children] + [""]
    bureaus = defaultdict(list)
    for report in own:
        bureaus[report.bureau_id].append(report)
    if bureaus:
        lines += [f"## 本级部门（{len(bureaus)}）", ""]
    for bureau_id, items in sorted(bureaus.items()):
        years = "、".join(str(y) for y in sorted({r.year for r in items}, reverse=True))
        lines.append(f"- {link(bureau_label(items[0]), bureau_page(bureau_id), path)}：{len(items)} 篇（{years}）")
    return "\n".join(lines + [""])


def _region_tree(counts: dict, unplaced: int) -> str:
    """The province → city → county tree; provinces only when the whole tree would be too long."""
    path = "regions/index.md"
    lines = [*front("按地区浏览"), crumbs([("按地区浏览", "")], path), "", "# 按地区浏览", "", "括号内为该地区（含下级）的报告篇数。", ""]
    full = len(counts) <= MAX_ENTRIES
    for chain in sorted(counts, key=_tree_order):
        if len(chain) == 1 or full:
            lines.append(f"{'    ' * (len(chain) - 1)}- {link(chain[-1], region_page(chain), path)}（{counts[chain]}）")
    if unplaced:
        lines.append(f"- {link('地区不明', region_page(()), path)}（{unplaced}）")
    return "\n".join(lines + [""])


def _tree_order(chain: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(place_slug(p) for p in chain)
