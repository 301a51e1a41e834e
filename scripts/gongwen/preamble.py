"""Preamble stage: what a saved web page puts above a document's own first line, read apart from it.

A report copied or saved from a portal often starts with the page rather than
the document: the page heading (which repeats the title), a 政府信息公开 block
(索引号, 发布机构, 发文字号, 成文日期…), a news line (来源, 发布时间, 浏览次数),
buttons (字号 大 中 小, 打印, 分享, 扫一扫), a bare date or index number, and
web-list labels on the title (``【2022年】``, ``[原文]``, ``[天政发〔2026〕7号]``).
None of it is the document's text.  This stage reads those lines off the head
(only before the first line of prose: the body is never touched), keeps what
the block says in ``source_*`` fields as the HTML reader does for a page's
metadata table, and hands the layout stage the document's own lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .issuers import issuer_from_title
from .textdata import (DOC_NUMBER, HAN, HEADING_MARKERS, LIST_LABELS, MONTH_LINE, PAGE_FURNITURE, SITE_META_LABELS,
                       SITE_META_NOTED, TABLE_MARK, organ_name)

#: How many non-blank lines a page puts above the document at most.
MAX_HEAD_LINES = 24
#: A label of the site's block, spaced out or not (发 布 机 构), at the start of a line or after a space, then a
#: colon, or a space before its value (索引号 /2025-00251 生成日期 2025-01-16).
_LABELS = sorted([*SITE_META_LABELS, *SITE_META_NOTED], key=len, reverse=True)
_LABEL = "|".join(r"\s*".join(map(re.escape, label)) for label in _LABELS)
LABEL = re.compile(rf"(?:^|(?<=[\s\-|｜]))(?P<label>{_LABEL})\s*(?:[：:]|(?=\s|$))")
LABEL_START = re.compile(rf"^(?P<label>{_LABEL})\s*(?:[：:]|(?=\s|$))")
#: Bullets and table rules a saved page leaves before a line (- 索引号…, • 来源…, | 文件编号 | …), and after it.
LINE_BULLETS = "-•·*>|｜ "
LINE_END_RULES = "|｜ "
#: A line that is only a date, a time or an index number (2025-02-28, 2025年03月10日 09时07分, (2024-02-26),
#: 11120102000144717R/2023-00004).  A date in brackets as a document prints it (（2024年1月31日）) is its own.
BARE_STAMP = re.compile(
    r"^(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}[:：时]\d{2}(?:[:：分]\d{2})?分?)?"
    r"|[（(]\d{4}-\d{1,2}-\d{1,2}[）)]|[0-9A-Za-z]{6,30}[/-]\d{4}-\d{3,10})$")
#: The same stamp after a title on its line: 上海市司法局2023年法治政府建设情况报告 (2024-02-26).
TRAILING_STAMP = re.compile(r"\s*[（(]\d{4}-\d{1,2}-\d{1,2}[）)]$")
#: A news line of a publisher and a date (市司法局 2020年03月30日).
PUBLISHER_STAMP = re.compile(rf"^(?P<organ>[{HAN}]{{2,30}}?)\s*(?P<date>\d{{4}}[-/.年]\d{{1,2}}[-/.月]\d{{1,2}}日?)$")
#: A division of an organ that posts a page (政策法规科 2023-12-29).
OFFICE_SUFFIXES = ("科", "处", "股", "室")
#: A web-list label before a title: 【2022年】, [原文], [天政发〔2026〕7号].
LEADING_LABEL = re.compile(r"^[【\[［](?P<label>[^】\]］]{1,24}?)[】\]］]\s*")
#: A breadcrumb or a site menu: 当前位置：首页 > 信息公开 > …, 首页 新闻中心 信息公开…, a chain of > steps.
BREADCRUMB = re.compile(r"^(?:(?:您|你)?(?:现在|当前)?所?在?的?位置\s*[:：]|(?:网站)?首\s*页|[>»›]|今天是)"
                        r"|(?:[^<>»›()（）]{1,24}(?:-?>{1,2}|»|›)){2,}")
#: Longest first, so that 取消收藏 goes whole before 收藏 is looked for.
FURNITURE_LONGEST_FIRST = sorted(PAGE_FURNITURE, key=len, reverse=True)
#: Sentence punctuation that marks prose: the head ends at the first such line.
PROSE = re.compile(r"[。；]|[，,].{20,}")


@dataclass(frozen=True)
class Preamble:
    """The document's lines without the page's, what the page's block said (``source_meta``, keys as the
    HTML reader's), and a 文号 a list label carried (``[天政发〔2026〕7号]标题``)."""

    lines: list[str]
    source_meta: dict[str, str] = field(default_factory=dict)
    label_doc_number: str | None = None


def read_preamble(lines: list[str]) -> Preamble:
    """Read the page's lines off the head of ``lines`` (blank lines are ``""``)."""
    meta: dict[str, str] = {}
    kept: list[str] = []
    pos, seen = _after_banner(lines), 0
    while pos < len(lines) and seen < MAX_HEAD_LINES:
        line = lines[pos]
        if line and _is_prose(line) and not LABEL_START.match(_bare(line)):
            break
        seen += bool(line)
        pos = _read_head_line(lines, pos, meta, kept)
    head, label_number = _strip_title_labels(_drop_repeated_title(kept))
    return Preamble(head + lines[pos:], meta, label_number)


def _after_banner(lines: list[str]) -> int:
    """Where the page starts after a site's banner slogan, saved as a list item (• 高举…伟大旗帜，…).
    A document never starts with a bullet."""
    first = next((index for index, line in enumerate(lines) if line), len(lines))
    if first < len(lines) and lines[first].startswith(("•", "·")) and _is_prose(lines[first]):
        return first + 1
    return 0


def _is_prose(line: str) -> bool:
    return bool(PROSE.search(line)) or any(pattern.match(line) for _, pattern in HEADING_MARKERS) \
        or line.startswith(TABLE_MARK)


def _read_head_line(lines: list[str], pos: int, meta: dict[str, str], kept: list[str]) -> int:
    """Read the line at ``pos`` (and the rest of its block) into ``meta`` or ``kept``, or drop it; the position
    after what was read."""
    bare = _bare(lines[pos])
    if not lines[pos] or not bare:
        kept.append("") if not lines[pos] else None
        return pos + 1
    if LABEL_START.match(bare) or _table_row(bare):
        end = _block_end(lines, pos)
        for label, value in site_meta_pairs(" ".join(_bare(line) for line in lines[pos:end])):
            _note(meta, kept, label, value)
        return end
    stamp = PUBLISHER_STAMP.match(bare)
    if stamp and (organ_name(stamp.group("organ")) or stamp.group("organ").endswith(OFFICE_SUFFIXES)):
        meta.setdefault("date_published", stamp.group("date"))
    elif not _is_page_line(bare) and not BREADCRUMB.match(lines[pos].lstrip()):  # > 政府信息公开 > …: a crumb's tail
        kept.append(TRAILING_STAMP.sub("", bare))
    return pos + 1


def _is_page_line(line: str) -> bool:
    """Furniture, a bare stamp, a breadcrumb, a notice (建议升级浏览器!), a line with no Chinese (X, a site's
    address): nothing of the document."""
    return (is_page_furniture(line) or bool(BARE_STAMP.match(line)) or bool(BREADCRUMB.search(line))
            or bool(MONTH_LINE.match(line))
            or line.endswith(("!", "！")) or not re.search(f"[{HAN}]", line))


def _table_row(line: str) -> bool:
    cells = [cell for cell in re.split(r"\s*[|｜]\s*", line) if cell.strip()]
    return len(cells) >= 2 and bool(LABEL_START.match(cells[0]))


def _block_end(lines: list[str], pos: int) -> int:
    """The end of the site's block that starts at ``pos``: its lines start with a label, or hold the value of a
    label left open at the end of the line before (发文机关： / 双牌县教育局 发文日期：…)."""
    end = pos + 1
    while end < len(lines) and lines[end] and not _is_prose(lines[end]):
        line, before = _bare(lines[end]), _bare(lines[end - 1])
        labels = list(LABEL.finditer(before))
        open_label = bool(labels) and labels[-1].group().rstrip().endswith(("：", ":")) \
            and not before[labels[-1].end():].strip(" -|｜")  # 索引号： with its value on the next line
        if not (LABEL_START.match(line) or _table_row(line) or (open_label and not is_page_furniture(line))):
            break
        end += 1
    return end


def site_meta_pairs(text: str) -> list[tuple[str, str]]:
    """(label, value) pairs of the site's block as one text: ``索引号：X``, ``来源：X 发布时间：Y``, a table row
    ``文件编号 | X``, ``发布机构 县教育局 文号`` (a label with no value gives an empty one)."""
    matches = list(LABEL.finditer(text))
    pairs = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        pairs.append(("".join(match.group("label").split()), text[match.end():end].strip(" -|｜\t")))
    return pairs


def _bare(line: str) -> str:
    return line.lstrip(LINE_BULLETS).rstrip(LINE_END_RULES)


def _note(meta: dict[str, str], kept: list[str], label: str, value: str) -> None:
    """Keep a labelled value: a field of the site's block, or the page's name for the title (kept as a line,
    so that the document's own title, printed below, is read once)."""
    if label in ("名称", "标题") and value:
        kept.append(value)
    elif label in SITE_META_LABELS and value and not value.strip("无-— "):
        return
    elif label in SITE_META_LABELS and value:
        field_name = SITE_META_LABELS[label]
        value = "".join(value.split()) if field_name.startswith("date") else " ".join(value.split())
        meta.setdefault(field_name, value)


def is_page_furniture(line: str) -> bool:
    """Buttons and widgets of a page (字号：大 中 小, 【打印】【关闭】, 扫一扫在手机打开当前页): no word but theirs."""
    rest = line
    for word in FURNITURE_LONGEST_FIRST:
        rest = rest.replace(word, "")
    return not re.search(f"[{HAN}0-9A-Za-z]", rest)


def _drop_repeated_title(head: list[str]) -> list[str]:
    """A page heading that the document repeats as its own title is read once: everything from the heading
    down to the repetition is the page's (its date, publisher, index number)."""
    items = [(index, line) for index, line in enumerate(head) if line]
    for start in range(len(items)):
        for size in range(1, 5):
            first = "".join(line for _, line in items[start:start + size])
            if not _looks_like_title(first):
                continue
            for later in range(start + size, len(items)):
                for other in range(1, 5):
                    if "".join(line for _, line in items[later:later + other]) == first:
                        later -= (later > start + size and organ_name(items[later - 1][1])
                                  and not issuer_from_title(first))  # the issuer printed above a title without it
                        return head[:items[start][0]] + head[items[later][0]:]
    return head


def _looks_like_title(text: str) -> bool:
    return 8 <= len(text) <= 80 and text.endswith(("报告", "情况", "工作", "总结"))


def _strip_title_labels(head: list[str]) -> tuple[list[str], str | None]:
    """The first line of the head without its web-list labels, and a 文号 one of them carried."""
    number = None
    for index, line in enumerate(head):
        if not line:
            continue
        while (match := LEADING_LABEL.match(line)) and len(line) > match.end():
            label = match.group("label")
            if DOC_NUMBER.fullmatch(label.strip()):
                number = label.strip()
            elif not (label.strip() in LIST_LABELS or re.fullmatch(r"(?:19|20)\d\d年?度?", label.strip())):
                break
            line = line[match.end():]
        head = [*head[:index], line, *head[index + 1:]]
        break
    return head, number
