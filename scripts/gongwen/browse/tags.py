"""Tag pages for mkdocs-material's tags plugin: one per tag, with the rule that applies it.

Each report carries its tags in front matter (bureau, year, province, city,
county, level, topics).  Each tag gets a page ``tags/<family>/<slug>.md``
with a Material listing (``<!-- material/tags {include: [tag]} -->``), so the
tag chips on report pages link to it.  A tag on more than
:data:`listing.MAX_ENTRIES` reports is split by year (a year tag by province):
one listing per part, ``include`` the tag and ``exclude`` the other parts'
tags, so every part lists only its own reports.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from markupsafe import escape

from ..model import Report
from ..pipeline import county_tag
from ..render import markdown_text
from ..slug import initials, place_slug
from ..vocabulary import Topic
from .listing import MAX_ENTRIES, front, link
from .places import bureau_page, region_chain, region_page, year_page

FAMILIES = (("topic", "主题"), ("year", "年度"), ("level", "层级"), ("province", "省份"), ("city", "市"),
            ("county", "县区"), ("bureau", "部门"), ("other", "其他"))
LEVEL_SLUGS = {"省级": "province", "市级": "city", "县级": "county"}


@dataclass(frozen=True)
class TagInfo:
    name: str
    family: str
    slug: str
    about: str        # Markdown: what the tag means
    browse: str       # source path of the matching browse page, or ""
    reports: tuple[Report, ...]

    @property
    def page(self) -> str:
        return f"tags/{self.family}/{self.slug}.md"


def tag_families(report: Report, topics: dict[str, Topic]) -> dict[str, tuple[str, str, str]]:
    """tag → (family, slug, browse page) for the tags this report's fields produce."""
    chain = region_chain(report)
    known = {f"{report.year}年度": ("year", str(report.year), year_page(report.year))}
    if report.level:
        known[report.level] = ("level", LEVEL_SLUGS[report.level], "regions/index.md")
    county = county_tag({"county": report.county, "city": report.city})
    for family, value, place in (("province", report.province, report.province), ("city", report.city, report.city),
                                 ("county", county, report.county)):
        if value and place in chain:
            upto = chain[:chain.index(place) + 1]
            known.setdefault(value, (family, "-".join(place_slug(p) for p in upto), region_page(upto)))
    for name in (report.bureau_name, report.bureau):
        if name:
            known.setdefault(name, ("bureau", report.bureau_id.replace("/", "-"), bureau_page(report.bureau_id)))
    for name in report.topics:
        if name in topics:
            known[name] = ("topic", topics[name].slug, "")
    return known


def collect_tags(reports: list[Report], topics: tuple[Topic, ...]) -> list[TagInfo]:
    by_name = {t.tag: t for t in topics}
    members: dict[str, list[Report]] = defaultdict(list)
    kinds: dict[str, tuple[str, str, str]] = {}
    for report in sorted(reports, key=lambda r: r.id):
        families = tag_families(report, by_name)
        for tag in report.tags:
            members[tag].append(report)
            kinds.setdefault(tag, families.get(tag) or ("other", initials(tag)[:30] or "x", ""))
    infos, used = [], set()
    for tag in sorted(members, key=lambda t: (kinds[t][0], kinds[t][1], t)):
        family, slug, browse = kinds[tag]
        while (family, slug) in used:  # two tags with one slug: the later one (by name) gets a suffix
            slug += "-x"
        used.add((family, slug))
        infos.append(TagInfo(tag, family, slug, _about(tag, family, by_name), browse, tuple(members[tag])))
    return infos


def _about(tag: str, family: str, topics: dict[str, Topic]) -> str:
    if family == "topic":
        topic = topics[tag]
        return (f"{markdown_text(topic.description)}\n\n**标注规则**：{markdown_text(topic.rule())}时，报告带有此标签。"
                "规则是确定的：同一文本总是得到同样的标签。")
    what = {"year": "报告所总结的年度为", "level": "发文部门的行政层级为", "province": "发文部门位于",
            "city": "发文部门位于", "county": "发文部门位于", "bureau": "发文部门（按部门别名表归并）为"}.get(family)
    if what is None:
        return "由维护人员在附注文件中设定的标签。"
    return f"{what}“{markdown_text(tag)}”的报告。"


def tag_pages(infos: list[TagInfo]) -> dict[str, str]:
    """Every tag's page (split when long) and ``tags/index.md``."""
    pages = {}
    for info in infos:
        pages |= _tag_page(info, info.browse)
    pages["tags/index.md"] = _tag_index(infos)
    return pages


def _tag_page(info: TagInfo, browse: str | None) -> dict[str, str]:
    title = f"标签：{info.name}"
    lines = [*front(title), f"# {markdown_text(title)}", "", info.about, ""]
    if browse:
        lines += [f"另见：{link('浏览页', browse, info.page)}", ""]
    lines += [f"共 {len(info.reports)} 篇。", ""]
    if len(info.reports) <= MAX_ENTRIES:
        return {info.page: "\n".join(lines + [listing(info.name), ""])}
    parts = _partition(info)
    pages = {}
    folder = info.page.removesuffix(".md")
    for label, part_slug, part_tag, others, count in parts:
        part = f"{folder}/{part_slug}.md"
        lines.append(f"- {link(f'{info.name} · {label}', part, info.page)}（{count}）")
        part_title = f"标签：{info.name} · {label}"
        pages[part] = "\n".join([*front(part_title), f"# {markdown_text(part_title)}", "",
                                 f"上级：{link(title, info.page, part)}", "", listing(info.name, others), ""])
    pages[info.page] = "\n".join(lines + [""])
    return pages


def _partition(info: TagInfo) -> list[tuple[str, str, str, list[str], int]]:
    """(label, slug, part tag, tags to exclude, count) — years for most tags, provinces for a year tag."""
    if info.family == "year":
        key = lambda r: (r.province or "", place_slug(r.province) if r.province else "other")
    else:
        key = lambda r: (f"{r.year}年度", str(r.year))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for report in info.reports:
        counts[key(report)] += 1
    names = [name for name, _ in counts if name]
    return [(name or "地区不明", slug, name, [n for n in names if n != name], count)
            for (name, slug), count in sorted(counts.items(), key=lambda kv: kv[0][1])]


def listing(tag: str, exclude: list[str] = ()) -> str:
    """A Material tags listing of one tag.  Tag names are HTML-escaped as the pages' tags are
    (mkdocs_hooks.py), written as JSON (valid YAML) with ``>`` escaped so a name cannot end the comment."""
    config = {"include": [str(escape(tag))]}
    if exclude:
        config["exclude"] = [str(escape(t)) for t in exclude]
    return f"<!-- material/tags {json.dumps(config, ensure_ascii=False).replace('>', chr(92) + 'u003e')} -->"


def _tag_index(infos: list[TagInfo]) -> str:
    path = "tags/index.md"
    lines = [*front("按标签浏览"), "# 按标签浏览", "",
             "每篇报告带有部门、年度、地区、层级标签，以及按主题词表自动标注的主题标签（规则见各主题标签页）。", ""]
    for family, label in FAMILIES:
        members = [i for i in infos if i.family == family]
        if not members:
            continue
        lines += [f"## {label}（{len(members)}）", ""]
        if len(members) > MAX_ENTRIES // 4:
            lines += [f"共 {len(members)} 个，请从{link('按部门浏览' if family == 'bureau' else '按地区浏览', 'bureaus/index.md' if family == 'bureau' else 'regions/index.md', path)}进入各自的页面。", ""]
            continue
        lines += [f"- {link(i.name, i.page, path)}（{len(i.reports)}）" for i in members] + [""]
    return "\n".join(lines)
