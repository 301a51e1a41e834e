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

from .textdata import (DOC_NUMBER, HAN, HEADING_MARKERS, LIST_LABELS, PAGE_FURNITURE, SITE_META_LABELS,
                       SITE_META_NOTED, TABLE_MARK)

#: How many non-blank lines a page puts above the document at most.
MAX_HEAD_LINES = 24
#: A label of the site's block, spaced out or not (发 布 机 构), then its value.
_LABELS = sorted([*SITE_META_LABELS, *SITE_META_NOTED], key=len, reverse=True)
_LABEL = "|".join(r"\s*".join(map(re.escape, label)) for label in _LABELS)
LABEL_START = re.compile(rf"^(?P<label>{_LABEL})\s*(?:[：:]\s*|$)")
#: The next label in a line of several (来源：X 发布时间：Y): a space, then a label and a colon.
NEXT_LABEL = re.compile(rf"\s+(?={_LABEL}\s*[：:])")
#: Bullets and table rules a saved page leaves before a line (- 索引号…, • 来源…, | 文件编号 | …), and after it.
LINE_BULLETS = "-•·*>|｜ "
LINE_END_RULES = "|｜ "
#: A line that is only a date, a time or an index number (2025-02-28, 2025年03月10日 09时07分,
#: 11120102000144717R/2023-00004), possibly in brackets.
BARE_STAMP = re.compile(
    r"^[（(]?(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}[:：时]\d{2}(?:[:：分]\d{2})?分?)?"
    r"|[0-9A-Za-z]{6,30}[/-]\d{4}-\d{3,10})[）)]?$")
#: The same stamp after a title on its line: 上海市司法局2023年法治政府建设情况报告 (2024-02-26).
TRAILING_STAMP = re.compile(r"\s*[（(]\d{4}-\d{1,2}-\d{1,2}[）)]$")
#: A web-list label before a title: 【2022年】, [原文], [天政发〔2026〕7号].
LEADING_LABEL = re.compile(r"^[【\[［](?P<label>[^】\]］]{1,24}?)[】\]］]\s*")
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
    pos, seen = 0, 0
    while pos < len(lines) and seen < MAX_HEAD_LINES:
        line = lines[pos]
        if line and _is_prose(line):
            break
        seen += bool(line)
        pos = _read_head_line(lines, pos, meta, kept)
    head, label_number = _strip_title_labels(_drop_repeated_title(kept))
    return Preamble(head + lines[pos:], meta, label_number)


def _is_prose(line: str) -> bool:
    return bool(PROSE.search(line)) or any(pattern.match(line) for _, pattern in HEADING_MARKERS) \
        or line.startswith(TABLE_MARK)


def _read_head_line(lines: list[str], pos: int, meta: dict[str, str], kept: list[str]) -> int:
    """Read the line at ``pos`` into ``meta`` or ``kept`` (or drop it); the position after what was read."""
    line = lines[pos]
    bare = _bare(line)
    if not line or not bare:
        kept.append("") if not line else None
        return pos + 1
    pairs = site_meta_pairs(bare)
    if pairs is not None:
        if len(pairs) == 1 and not pairs[0][1] and pos + 1 < len(lines) and _is_value(lines[pos + 1]):
            pairs, pos = [(pairs[0][0], _bare(lines[pos + 1]))], pos + 1
        for label, value in pairs:
            _note(meta, kept, label, value)
        return pos + 1
    if not is_page_furniture(bare) and not BARE_STAMP.match(bare):
        kept.append(TRAILING_STAMP.sub("", bare))
    return pos + 1


def site_meta_pairs(line: str) -> list[tuple[str, str]] | None:
    """(label, value) pairs of a line of the site's block, or None for any other line.

    ``索引号：X``, ``来源：X 发布时间：Y``, a table row ``文件编号 | X``; a label alone (value on the next line)
    gives one pair with an empty value."""
    cells = [cell.strip() for cell in re.split(r"\s*[|｜]\s*", line) if cell.strip()]
    if len(cells) >= 2 and all(LABEL_START.match(cell) for cell in cells[::2]):
        return [(_label(cell), value) for cell, value in zip(cells[::2], [*cells[1::2], ""])]
    if not LABEL_START.match(line):
        return None
    pairs = []
    for part in NEXT_LABEL.split(line):
        match = LABEL_START.match(part)
        if match is None:
            return pairs or None
        pairs.append((_label(part), part[match.end():].strip()))
    return pairs


def _label(text: str) -> str:
    return "".join(LABEL_START.match(text).group("label").split())


def _bare(line: str) -> str:
    return line.lstrip(LINE_BULLETS).rstrip(LINE_END_RULES)


def _is_value(line: str) -> bool:
    bare = _bare(line)
    return bool(bare) and site_meta_pairs(bare) is None and not _is_prose(bare)


def _note(meta: dict[str, str], kept: list[str], label: str, value: str) -> None:
    """Keep a labelled value: a field of the site's block, or the page's name for the title (kept as a line,
    so that the document's own title, printed below, is read once)."""
    if label in ("名称", "标题") and value:
        kept.append(value)
    elif label in SITE_META_LABELS and value and not value.strip("无-— "):
        return
    elif label in SITE_META_LABELS and value:
        meta.setdefault(SITE_META_LABELS[label], " ".join(value.split()))


def is_page_furniture(line: str) -> bool:
    """Buttons and widgets of a page (字号：大 中 小, 【打印】【关闭】, 扫一扫在手机打开当前页): no word but theirs."""
    rest = line
    for word in PAGE_FURNITURE:
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
