"""Listing pages: entries grouped under headings, split into pages when long.

A listing of at most :data:`MAX_ENTRIES` entries is one page.  A longer one
becomes an index of its groups, one page per group (``<dir>/<group>.md``),
and a group longer than that is paged (``<dir>/<group>/2.md``…), each page
with links to the others.  The rule depends only on the entries, so the same
corpus always gives the same pages.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ..render import markdown_text

#: Most entries a listing page may hold (the issue's bar: ~200 entries, ~500 KB).
MAX_ENTRIES = 200


@dataclass(frozen=True)
class Entry:
    """One line of a listing: a link and a note after it, both plain text."""

    label: str
    target: str  # source path of the linked page inside docs/ (…/x.md)
    note: str = ""

    @cached_property  # an entry is on several lists (a report's on ~24): made once, without hashing the entry
    def digest_bytes(self) -> bytes:
        """The entry as ``RememberedLines`` digests it (separators that no label, path or note holds)."""
        return f"{self.label}\x1f{self.target}\x1f{self.note}\x1e".encode("utf-8")


@dataclass(frozen=True)
class Group:
    heading: str
    slug: str  # ASCII file name of the group's page when the listing is split
    entries: tuple[Entry, ...]


def link(label: str, target: str, page: str) -> str:
    """A Markdown link from ``page`` to ``target`` (both paths inside docs/), label escaped."""
    return f"[{markdown_text(label)}]({relative(target, page)})"


def relative(target: str, page: str) -> str:
    """``target``'s path relative to ``page``'s folder (both normalised paths inside docs/: ``str.rpartition``
    splits them as ``posixpath.split`` would, without its generality: 2.7 million links at 100,000 reports)."""
    here = page.rpartition("/")[0]
    if not here:
        return target
    if target.partition("/")[0] != here.partition("/")[0]:  # no folder in common (a listing's reports: 1.1 million
        return "../" * (here.count("/") + 1) + target  # pairs of folders at 100,000 reports, too many to remember)
    folder, _, name = target.rpartition("/")
    base = _relative_folder(folder, here)
    return name if base == "." else f"{base}/{name}"


@lru_cache(maxsize=1 << 16)
def _relative_folder(folder: str, start: str) -> str:
    """``posixpath.relpath`` for two normalised folders inside docs/ ("" is docs/ itself), without its
    ``abspath`` calls (it took a quarter of planning the pages at 10,000 reports: 270,000 links); remembered,
    since a listing's pages link to the same folders (a bureau's reports, the listing's other pages)."""
    to, here = folder.split("/") if folder else [], start.split("/") if start else []
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def page_url(source: str) -> str:
    """The URL directory of a page inside docs/: ``bureaus/index.md`` → ``bureaus/``, ``years/2024.md`` → ``years/2024/``."""
    stem = source.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


def href_to_page(source: str, target: str) -> str:
    """The URL of the page ``target`` (inside docs/) relative to the file ``source`` (a static file's path, as
    ``bureaus/henan/jiaozuo/kjj/latest/index.html``): ``../../../../../reports/henan/jiaozuo/kjj/2023/``."""
    href = _relative_folder(page_url(target).rstrip("/"), posixpath.dirname(source))
    return "./" if href == "." else href + "/"


def crumbs(trail: list[tuple[str, str]], page: str) -> str:
    """当前位置: 首页 › … › this page, as an HTML block; ``trail``: (label, source path) of the pages above this one
    and last (label, "") for this page.  Links are relative to ``page``'s URL, so the site works under any path."""
    items = []
    here = page_url(page).rstrip("/")
    for label, target in [("首页", "index.md"), *trail]:
        text = html.escape(label)
        if target:
            href = _relative_folder(page_url(target).rstrip("/"), here)
            items.append(f'<li><a href="{html.escape("./" if href == "." else href + "/")}">{text}</a></li>')
        else:
            items.append(f'<li aria-current="page">{text}</li>')
    return f'<nav class="gw-crumbs" aria-label="当前位置"><ol>{"".join(items)}</ol></nav>'


#: A 文号 in escaped listing text (焦科组〔2024〕5号): kept on one line.
DOC_NUMBER_TEXT = re.compile(r"[^\s·—，、（）〔\[\]()]*〔\d{4}〕第?\d+号")


def nowrap_doc_numbers(markdown: str) -> str:
    """Wrap each 文号 of already escaped Markdown in a span that never breaks (``信科〔2025〕`` / ``6号`` no more)."""
    if "〔" not in markdown:  # most lines have none, and the pattern's open prefix makes a search slow
        return markdown
    return DOC_NUMBER_TEXT.sub(lambda m: f'<span class="gw-nowrap">{m.group(0)}</span>', markdown)


def entry_lines(entries: tuple[Entry, ...], page: str) -> list[str]:
    """The lines of ``entries`` on ``page`` as one block (none when there are none); remembered across builds
    while a :class:`RememberedLines` is in use (``remembering``)."""
    if not entries:
        return []
    if _REMEMBERED:
        return [_REMEMBERED[-1].block(entries, page)]
    return ["\n".join([entry_line(entry, page) for entry in entries])]


@dataclass
class RememberedLines:
    """Each block of entry lines by a digest of its page and its entries (labels, targets, notes): a report added
    to 100,000 changes a few hundred of the national step's 10,000 blocks, whose 1.56 million lines took a third
    of its pages' time.  The lines depend on nothing else but the program, and a new program starts an empty
    memo (``memos.load_memo``); ``used`` is what the next build keeps."""

    stored: dict[str, str] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)

    def block(self, entries: tuple[Entry, ...], page: str) -> str:
        key = hashlib.blake2b(b"".join([page.encode("utf-8"), *(entry.digest_bytes for entry in entries)]),
                              digest_size=16).hexdigest()
        text = self.stored.get(key)
        if text is None:
            text = self.stored[key] = "\n".join([entry_line(entry, page) for entry in entries])
        self.used[key] = text
        return text


#: The memo in use (``remembering``), if any.
_REMEMBERED: list[RememberedLines] = []


@contextmanager
def remembering(memo: RememberedLines):
    """Within this block, lists' lines are taken from ``memo`` when their page and entries are those it holds."""
    _REMEMBERED.append(memo)
    try:
        yield memo
    finally:
        _REMEMBERED.pop()


def entry_line(entry: Entry, page: str) -> str:
    label, note = _escaped(entry)
    return f"- [{label}]({relative(entry.target, page)}){note}"


@lru_cache(maxsize=1 << 18)
def _escaped(entry: Entry) -> tuple[str, str]:
    """An entry's label and note as its lines show them, 文号 kept whole: a report's entry is on ~24 list
    pages (its bureau, year, places, tags, 公开情况 lists), escaped once (256,000 entries at 100,000 reports: a
    cache of 65,536 missed 1.08 million of 1.56 million lines).  (A 文号 never spans the link's
    brackets and parentheses, so each part is wrapped as the whole line would be.)"""
    note = f" — {nowrap_doc_numbers(markdown_text(entry.note))}" if entry.note else ""
    return nowrap_doc_numbers(markdown_text(entry.label)), note


def front(title: str) -> list[str]:
    """Front matter of a generated page (the title is escaped by the MkDocs hook)."""
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    return ["---", f'title: "{quoted}"', "---", ""]


def listing_pages(path: str, title: str, intro: list[str], groups: list[Group],
                  trail: list[tuple[str, str]] = (), render: bool = True) -> dict[str, str]:
    """The page(s) of one listing; ``path`` is the first page's source path (``x/index.md`` or ``x.md``);
    ``trail``: the breadcrumb steps above it (首页 is implied).  ``render`` False: the pages' paths only, their
    texts empty (the national step links to a province's pages, which the province's own job writes)."""
    total = sum(len(g.entries) for g in groups)
    if total <= MAX_ENTRIES and not render:
        return {path: ""}
    head = [*front(title), crumbs([*trail, (title, "")], path), "", f"# {markdown_text(title)}", "", *intro]
    if total <= MAX_ENTRIES:
        body = []
        for group in groups:
            body += [f"## {markdown_text(group.heading)}（{len(group.entries)}）", ""]
            body += [*entry_lines(group.entries, path), ""]
        return {path: "\n".join(head + (body or ["暂无。", ""]))}
    folder = path.removesuffix("index.md").removesuffix(".md").rstrip("/")
    pages = {}
    index = [*head, f"共 {total} 篇，按下列分组浏览：", ""]
    for group, slug in zip(groups, unique_slugs([g.slug for g in groups])):
        first = f"{folder}/{slug}.md"
        index.append(f"- {link(group.heading, first, path)}（{len(group.entries)}）")
        pages |= paged(first, f"{title} · {group.heading}", group.entries, up=(title, path), trail=trail, render=render)
    pages[path] = "\n".join(index) + "\n" if render else ""
    return pages


def unique_slugs(slugs: list[str]) -> list[str]:
    """The slugs in order, a repeated one suffixed -2, -3… (two groups never share a page)."""
    seen: dict[str, int] = {}
    out = []
    for slug in slugs:
        seen[slug] = seen.get(slug, 0) + 1
        out.append(slug if seen[slug] == 1 else f"{slug}-{seen[slug]}")
    return out


def paged(path: str, title: str, entries: tuple[Entry, ...], up: tuple[str, str] | None = None,
          trail: list[tuple[str, str]] = (), render: bool = True) -> dict[str, str]:
    """``entries`` on pages of :data:`MAX_ENTRIES`: ``x.md``, ``x/2.md``, ``x/3.md``…; ``up``: (title, page) of the
    listing these pages belong to, ``trail``: the breadcrumb steps above that; ``render`` False: the paths only."""
    chunks = [entries[i:i + MAX_ENTRIES] for i in range(0, len(entries), MAX_ENTRIES)] or [()]
    paths = [path] + [f"{path.removesuffix('.md')}/{n}.md" for n in range(2, len(chunks) + 1)]
    if not render:
        return dict.fromkeys(paths, "")
    above = [*trail, *([up] if up else [])]
    pages = {}
    for number, (page, chunk) in enumerate(zip(paths, chunks), 1):
        heading = title if len(chunks) == 1 else f"{title}（第 {number} 页）"
        lines = [*front(heading), crumbs([*above, (heading, "")], page), "", f"# {markdown_text(heading)}", ""]
        lines += [*entry_lines(chunk, page), ""]
        if len(chunks) > 1:
            lines += [pager(paths, number, page), ""]
        pages[page] = "\n".join(lines)
    return pages


def pager(paths: list[str], number: int, page: str) -> str:
    """第 n 页 with links to every page of a paged listing (the current one unlinked)."""
    parts = [f"**{n}**" if n == number else f"[{n}]({relative(p, page)})" for n, p in enumerate(paths, 1)]  # a number needs no escaping
    return f"页码：{' '.join(parts)}"
