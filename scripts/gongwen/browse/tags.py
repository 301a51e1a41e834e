"""Tag index pages, generated like the other listing pages (no Material tags plugin).

The rules (which tags a report has, what kind each is) are in ``tagrules.py``.  A
tag that names a bureau, a year or a place links to the 按部门/按年度/按地区 page that
already lists its reports; a level, topic or hand-set tag gets its own listing page
``tags/<kind>/<slug>.md`` (grouped by year, split and paged by ``listing.py`` when
long).  ``tags/index.md`` names every tag and where it leads.  The chips on a report
page link to the same pages (``tag_links``, used by the MkDocs hook), so every page
costs the same whatever the number of tags: no page is matched against every listing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from ..model import Report
from ..render import markdown_text
from ..tagrules import OWN_PAGE_KINDS, TagKind, tag_kinds
from ..vocabulary import Topic
from .listing import MAX_ENTRIES, Group, front, link, listing_pages
from .pages import report_entry
from .places import bureau_page, region_page, year_page

TAG_INDEX = "tags/index.md"
#: The kinds whose tags lead to a browse page, as the tag index names them.
BROWSE_ENTRIES = (("部门", "bureaus/index.md", "按部门浏览"), ("年度", "years/index.md", "按年度浏览"),
                  ("地区（省、市、县区）", "regions/index.md", "按地区浏览"))


@dataclass(frozen=True)
class TagInfo:
    """A tag with a page of its own and the reports that carry it."""

    name: str
    kind: TagKind
    reports: tuple[Report, ...]

    @property
    def page(self) -> str:
        return tag_page(self.kind)


def tag_page(kind: TagKind) -> str:
    """Source path inside docs/ of the page a tag of this kind links to."""
    if kind.kind == "bureau":
        return bureau_page(kind.key)
    if kind.kind == "year":
        return year_page(kind.key)
    if kind.kind in ("province", "city", "county"):
        return region_page(kind.key)
    return f"tags/{kind.kind}/{kind.key}.md"


def topic_slugs(topics: tuple[Topic, ...]) -> dict[str, str]:
    return {topic.tag: topic.slug for topic in topics}


def tag_links(report, topics: tuple[Topic, ...]) -> list[tuple[str, str]]:
    """(tag, source path of its page) for each tag of a report, in the report's order."""
    return [(tag, tag_page(kind)) for tag, kind in tag_kinds(report, topic_slugs(topics)).items()]


def collect_tags(reports: list[Report], topics: tuple[Topic, ...]) -> list[TagInfo]:
    """Every tag that gets a page of its own, with its reports (sorted by kind order, then slug)."""
    slugs = topic_slugs(topics)
    members: dict[tuple[str, TagKind], list[Report]] = defaultdict(list)
    for report in sorted(reports, key=lambda r: (-r.year, r.id)):
        for tag, kind in tag_kinds(report, slugs).items():
            if kind.kind in dict(OWN_PAGE_KINDS):
                members[(tag, kind)].append(report)
    order = [kind for kind, _ in OWN_PAGE_KINDS]
    return [TagInfo(tag, kind, tuple(own))
            for (tag, kind), own in sorted(members.items(), key=lambda kv: (order.index(kv[0][1].kind), kv[0][1].key, kv[0][0]))]


def tag_pages(infos: list[TagInfo], topics: tuple[Topic, ...]) -> dict[str, str]:
    """Each own-page tag's listing (by year, newest first) and ``tags/index.md``."""
    by_tag = {t.tag: t for t in topics}
    pages, entries = {}, {}  # a report's entry, made once for all its tags (five or so each)
    for info in infos:
        groups = [Group(f"{year}年度", str(year), tuple(entries.get(r.id) or entries.setdefault(r.id, report_entry(r))
                                                        for r in own))
                  for year, own in groupby(info.reports, key=lambda r: r.year)]
        intro = [_about(info, by_tag), "", f"共 {len(info.reports)} 篇。", ""]
        pages |= listing_pages(info.page, f"标签：{info.name}", intro, groups)
    pages[TAG_INDEX] = _tag_index(infos)
    return pages


def _about(info: TagInfo, topics: dict[str, Topic]) -> str:
    if info.kind.kind == "topic":
        topic = topics[info.name]
        return (f"{markdown_text(topic.description)}\n\n**标注规则**：{markdown_text(topic.rule())}时，报告带有此标签。"
                "规则是确定的：同一文本总是得到同样的标签。")
    if info.kind.kind == "level":
        return f"发文部门的行政层级为“{markdown_text(info.name)}”的报告。另见{link('按地区浏览', 'regions/index.md', info.page)}。"
    return "由维护人员在附注文件中设定的标签。"


def _tag_index(infos: list[TagInfo]) -> str:
    lines = [*front("按标签浏览"), "# 按标签浏览", "",
             "每篇报告带有部门、年度、地区、层级标签，以及按主题词表自动标注的主题标签（规则见各主题标签页）。", "",
             "部门、年度和地区标签指向已有的浏览页：", ""]
    lines += [f"- {what}标签：见{link(label, page, TAG_INDEX)}" for what, page, label in BROWSE_ENTRIES] + [""]
    for kind, label in OWN_PAGE_KINDS:
        members = [i for i in infos if i.kind.kind == kind]
        if len(members) > MAX_ENTRIES:  # hand-set tags could be many: the first MAX_ENTRIES, then a note
            members, rest = members[:MAX_ENTRIES], len(members) - MAX_ENTRIES
        else:
            rest = 0
        if members:
            lines += [f"## {label}（{len(members) + rest}）", ""]
            lines += [f"- {link(i.name, i.page, TAG_INDEX)}（{len(i.reports)}）" for i in members] + [""]
        if rest:
            lines += [f"另有 {rest} 个标签未列出，可在检索页按标签名检索。", ""]
    return "\n".join(lines)
