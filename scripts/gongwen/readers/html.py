"""Web pages (.html) from 政府信息公开 sites: the report body and the site's metadata table.

A detail page wraps the report in navigation, breadcrumbs, share buttons and a
footer.  Those are dropped by tag and by class/id; the body is the first
element matching a selector the common site platforms use (TRS ``#zoom``,
``.TRS_Editor``…), else the element holding most of the page's Han text in
paragraphs.  The metadata table (索引号, 发布机构, 成文日期…) is read as the
site states it, into ``source_*`` fields beside what the document itself says.
Only text leaves this module: no tag, attribute, script or style.  A date is
never taken from the URL.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from ..layout import is_doc_number_line
from .decode import han_reads_as_chinese
from ..messages import fail
from ..textdata import HAN_CHAR, MASTHEAD
from .base import Reading, Table

#: Elements that are never report text.
DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
                "nav", "header", "footer", "form", "button", "input", "select", "textarea", "aside", "head")
#: class/id words of page furniture (breadcrumbs, share buttons, footers, print/close links).
FURNITURE = re.compile(r"(?i)(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|crumbs?|position|location|share|bdshare"
                       r"|bdsharebuttonbox|footer|foot|header|sidebar|print|close|fenxiang|dqwz)(?:$|[-_\s\d])")
#: Where the common 政府网站 platforms put the article body, most specific first.
BODY_SELECTORS = ("#zoom", ".TRS_Editor", "#UCAP-CONTENT", ".article-content", ".pages_content", "#Zoom",
                  ".zoom", "#content .content", ".content-text", ".view", "article", "#content", ".content")
#: Elements that start a new line of text.
BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article",
          "blockquote", "pre", "center", "dd", "dt", "table", "ul", "ol", "hr"}
#: The 政府信息公开 metadata labels, by the field they fill.
META_LABELS = {"索引号": "index_number", "发布机构": "publisher", "成文日期": "date_written",
               "发文日期": "date_written", "发布日期": "date_published", "文号": "doc_number",
               "发文字号": "doc_number", "主题分类": "topic"}
#: A label as printed, spaced out or not (文　　号：), and the value after it in the same string, if any.
META_LABEL = re.compile(
    "^\\s*(" + "|".join("[\\s\u3000]*".join(map(re.escape, label)) for label in sorted(META_LABELS, key=len, reverse=True))
    + ")\\s*([：:]?)\\s*(.*)$", re.S)
#: Where a metadata label is not one: a link (a 主题分类 navigation entry), page furniture.
NOT_METADATA = ("a", "nav", "header", "footer", "script", "style", "option", "button")
#: The 《政府网站发展指引》 meta tags a page states itself by, and the field each fills (the metadata table wins).
META_TAGS = {"pubdate": "date_published", "contentsource": "publisher"}
#: Containers portals put a detail page's title in when it is not an ``<h1>``.
TITLE_SELECTORS = (".article_title", ".article-title", ".articleTitle", "#article_title", ".detail_title",
                   ".detail-title", ".news_title", ".news-title", ".xxgk_title", ".content_title", ".content-title")
#: A table cell with more Han characters than this is page layout, not a data table.
MAX_CELL_HAN = 150
#: A body needs at least this many Han characters to be taken for the report.
MIN_BODY_HAN = 20


def read_html(data: bytes) -> Reading:
    soup = BeautifulSoup(_decoded(data), "html.parser")
    source_meta = meta_tags(soup) | metadata_table(soup)
    title = _page_title(soup)
    for element in soup.find_all(DROPPED_TAGS):
        element.decompose()
    for element in [e for e in soup.find_all(True) if _is_furniture(e)]:
        if not element.decomposed:
            element.decompose()
    body = find_body(soup)
    if body is None:
        raise fail("E-HTML-NO-BODY")
    items = list(element_items(body))
    if title and not _starts_with(items, title):
        items.insert(_title_position(items), title)
    return Reading(format="html", items=tuple(items), source_meta=source_meta)


def _decoded(data: bytes) -> str:
    """Bytes → text: the declared charset if any, else UTF-8, else GB18030 (older sites) when it reads as
    Chinese — an undeclared Big5 page read as GBK is refused, not published garbled."""
    declared = re.search(rb"""charset=["']?([A-Za-z0-9_-]+)""", data[:4096])
    trusted = [declared.group(1).decode("ascii")] if declared else []
    for encoding in trusted + ["utf-8", "gb18030"]:
        try:
            text = data.decode("gb18030" if encoding.lower() in ("gb2312", "gbk") else encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if encoding in trusted or encoding == "utf-8" or han_reads_as_chinese(text):  # a guess must read as Chinese
            return text
    raise fail("E-HTML-ENCODING")


def _is_furniture(element: Tag) -> bool:
    if element.attrs is None or element.name in ("html", "body"):
        return False
    words = " ".join([element.get("id") or ""] + list(element.get("class") or []))
    return bool(words) and bool(FURNITURE.search(words)) and not element.select_one(",".join(BODY_SELECTORS[:6]))


def find_body(soup: BeautifulSoup) -> Tag | None:
    """The body container: a known selector with enough Han text, else the densest block."""
    for selector in BODY_SELECTORS:
        for element in soup.select(selector):
            if _han_count(element) >= MIN_BODY_HAN:
                return element
    candidates = [e for e in soup.find_all(["div", "td", "section", "body"]) if _han_count(e) >= MIN_BODY_HAN]
    if not candidates:
        return None
    return max(candidates, key=lambda e: (sum(_han_count(p) for p in e.find_all("p", recursive=False)), -len(list(e.parents))))


def _han_count(element: Tag) -> int:
    return len(HAN_CHAR.findall(element.get_text()))


def element_items(element: Tag):
    """Lines of text in reading order, a ``<table>`` as a :class:`Table`."""
    line: list[str] = []
    for piece in _pieces(element):
        if isinstance(piece, Table) or piece is None:
            if "".join(line).strip():
                yield "".join(line)
            line = []
            if isinstance(piece, Table):
                yield piece
        else:
            line.append(piece)
    if "".join(line).strip():
        yield "".join(line)


def _pieces(element: Tag):
    """Strings, ``None`` for a line break, tables whole."""
    for child in element.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment, CDATA or doctype
                yield re.sub(r"[\r\n\t]+", " ", str(child))
        elif child.name == "table" and child.find("tr") and not _is_layout_table(child):
            yield None
            yield _table(child)
        else:
            block = child.name in BLOCKS
            if block:
                yield None
            yield from _pieces(child)
            if block:
                yield None


def _is_layout_table(table: Tag) -> bool:
    """Old sites set whole pages in tables: a cell holding paragraphs or long text is layout, not data."""
    return any(cell.find(["p", "div", "table"]) or len(HAN_CHAR.findall(cell.get_text())) > MAX_CELL_HAN
               for cell in table.find_all(["td", "th"]))


def _table(table: Tag) -> Table:
    rows = []
    for row in table.find_all("tr"):
        cells = tuple(" ".join(cell.get_text(" ").split()) for cell in row.find_all(["td", "th"]))
        if any(cells):
            rows.append(cells)
    return Table(rows=tuple(rows))


def metadata_table(soup: BeautifulSoup) -> dict[str, str]:
    """索引号, 发布机构 … as the site prints them: a label and its value in the same or the next cell."""
    found: dict[str, str] = {}
    for string in soup.find_all(string=META_LABEL):
        label, colon, value = META_LABEL.match(str(string)).groups()
        if string.find_parent(NOT_METADATA) is not None or not (colon or string.find_parent(["td", "th", "dt"])):
            continue
        if not value.strip():
            value = _next_value(string)
        field = META_LABELS["".join(label.split())]
        if value.strip() and field not in found:
            found[field] = " ".join(value.split())
    return found


def _next_value(string: NavigableString) -> str:
    """The text right after a label: the next cell, or the next string in the same cell."""
    cell = string.find_parent(["td", "th", "dt", "span", "label", "b", "strong", "li", "div", "p"])
    sibling = cell.find_next_sibling() if cell is not None else None
    if sibling is not None and not META_LABEL.match(sibling.get_text()):
        return sibling.get_text(" ")
    following = string.find_next(string=True)
    return str(following) if following is not None and not META_LABEL.match(str(following)) else ""


def meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    """``<meta name="PubDate">`` and ``<meta name="ContentSource">`` (《政府网站发展指引》) as fields."""
    found = {}
    for tag in soup.find_all("meta", attrs={"name": True, "content": True}):
        field = META_TAGS.get(tag["name"].strip().lower())
        value = " ".join(tag["content"].split())
        if field and value and field not in found:
            found[field] = value
    return found


def _page_title(soup: BeautifulSoup) -> str | None:
    """The title a page gives its report: its ``ArticleTitle`` meta tag, else a title container, else ``<h1>``
    (read before page furniture is dropped, never from inside navigation, header or footer)."""
    tag = soup.find("meta", attrs={"name": re.compile("^articletitle$", re.I), "content": True})
    if tag is not None and HAN_CHAR.search(tag["content"]):
        return " ".join(tag["content"].split())
    for element in [*soup.select(",".join(TITLE_SELECTORS)), *soup.find_all("h1")]:
        text = " ".join(element.get_text(" ").split())
        if text and element.find_parent(["nav", "header", "footer", "a"]) is None and not any(
                _is_furniture(e) for e in [element, *element.parents] if isinstance(e, Tag)):
            return text
    return None


def _title_position(items: list) -> int:
    """Where a title missing from the body goes: after a 版头 and 文号 the body starts with."""
    position = 0
    while position < len(items) and isinstance(items[position], str) and (
            MASTHEAD.match(items[position].strip()) or is_doc_number_line(items[position].strip())):
        position += 1
    return position


def _starts_with(items: list, title: str) -> bool:
    """Whether the body already prints the title in its first lines (spaces and line breaks aside)."""
    head = "".join("".join(item.split()) for item in items[:8] if isinstance(item, str))
    return "".join(title.split()) in head
