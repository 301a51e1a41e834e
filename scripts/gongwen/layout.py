"""Layout stage: clean lines → the parts of a 公文.

A report printed to the national standard (GB/T 9704) has, in order: 版头
(``X文件``), 发文字号, title, 主送, body, 落款 (signature and 成文日期) and
版记 (抄送, 印发机关 and 印发日期).  Only the title and body are certain; each
other part is recognised by its shape and position, never searched for in
the body — a 文号 cited in the text is another document's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .textdata import DATE, DOC_NUMBER, HEADING_MARKERS, MASTHEAD, ORGAN_SUFFIXES, TABLE_MARK

#: A title line is short and has no sentence punctuation.
MAX_TITLE_LINE = 50
MAX_TITLE_LINES = 4
#: 主送 is one short line ending in a colon…
RECIPIENTS_LINE = re.compile(r"^[^。；]{1,60}[：:]$")
#: …that names organs: the body's lead-in (根据有关要求，现将…报告如下：) ends in a colon too.
LEAD_IN = re.compile(r"如下[：:]$|现将|根据|按照|为了|\d{4}\s*年")
#: 签发人 may share the 文号 line in upward reports (上行文).
SIGNER = re.compile(r"签发人[：:]\s*\S+(?:\s+\S+)*")
PRINTED_LINE = re.compile(rf"^(?P<printer>.*?)\s*(?P<date>{DATE.pattern})\s*印发$")
CC_LINE = re.compile(r"^抄\s*送[：:]")
RULE_LINE = re.compile(r"^[─—\-_＿━=]{3,}$")
#: How far above the 印发 line a 抄送 line may start (it can wrap).
MAX_CC_LINES = 4


@dataclass(frozen=True)
class Layout:
    """The recognised parts of a report, each a list of cleaned lines or None."""

    masthead: str | None = None
    doc_number_line: str | None = None
    title_lines: list[str] = field(default_factory=list)
    recipients_line: str | None = None
    body: list[str] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    colophon: list[str] = field(default_factory=list)


def split_layout(lines: list[str]) -> Layout:
    """Recognise head, body and tail among the non-blank lines."""
    items = [line for line in lines if line]
    pos, masthead, doc_number_line = _read_masthead(items)
    title_lines = []
    while pos < len(items) and len(title_lines) < MAX_TITLE_LINES and is_title_line(items[pos]):
        title_lines.append(items[pos])
        pos += 1
    if doc_number_line is None and title_lines and pos < len(items) and is_doc_number_line(items[pos]):
        doc_number_line, pos = items[pos], pos + 1  # a 政府 report may print its 文号 below the title
    recipients_line = None
    if pos < len(items) and is_recipients_line(items[pos]):
        recipients_line = items[pos]
        pos += 1
    colophon_start = _colophon_start(items, pos)
    closing_start = _closing_start(items, pos, colophon_start)
    return Layout(
        masthead=masthead,
        doc_number_line=doc_number_line,
        title_lines=title_lines,
        recipients_line=recipients_line,
        body=items[pos:closing_start],
        closing=items[closing_start:colophon_start],
        colophon=[line for line in items[colophon_start:] if not RULE_LINE.match(line)],
    )


def _read_masthead(items: list[str]) -> tuple[int, str | None, str | None]:
    """版头 and 文号 stand in the first lines, in that order; either may be missing."""
    pos, masthead, doc_number_line = 0, None, None
    if items and MASTHEAD.match(items[0]):
        masthead, pos = items[0], 1
    if pos < len(items) and is_doc_number_line(items[pos]):
        doc_number_line, pos = items[pos], pos + 1
    return pos, masthead, doc_number_line


def is_doc_number_line(line: str) -> bool:
    """A line that holds a 文号 and nothing else but an optional 签发人."""
    match = DOC_NUMBER.search(line)
    if not match:
        return False
    rest = SIGNER.sub("", line[: match.start()] + line[match.end():]).strip()
    return not rest


def is_recipients_line(line: str) -> bool:
    """主送: a short line of organs ending in a colon (市委、市政府：), not the body's lead-in sentence."""
    return bool(RECIPIENTS_LINE.match(line)) and not LEAD_IN.search(line)


def is_title_line(line: str) -> bool:
    """Short, no sentence punctuation, not a heading, not a 文号 or 主送 line."""
    return (
        len(line) <= MAX_TITLE_LINE
        and not any(mark in line for mark in "。；：:" + TABLE_MARK)
        and not line.endswith(("，", "、"))
        and not any(pattern.match(line) for _, pattern in HEADING_MARKERS)
        and not is_doc_number_line(line)
    )


def is_organ_line(line: str) -> bool:
    """A short line naming an organ (焦作市科技局办公室), as in a signature or 版记."""
    return len(line) <= 30 and not any(mark in line for mark in "。，；：:") and line.endswith(ORGAN_SUFFIXES)


def _colophon_start(items: list[str], lower: int) -> int:
    """Index where the 版记 (抄送 … 印发) begins, or ``len(items)`` if there is none."""
    end = len(items)
    while end > lower and RULE_LINE.match(items[end - 1]):
        end -= 1
    start = end
    if start > lower and PRINTED_LINE.match(items[start - 1]):
        start -= 1
        if not PRINTED_LINE.match(items[start]).group("printer") and start > lower and is_organ_line(items[start - 1]):
            start -= 1
    for index in range(start - 1, max(lower, start - MAX_CC_LINES) - 1, -1):
        if CC_LINE.match(items[index]):
            start = index
            break
    return start if start < end else len(items)


def _closing_start(items: list[str], lower: int, upper: int) -> int:
    """Index where the 落款 (signature lines and a date line) begins, or ``upper``."""
    index = upper
    while index > lower and RULE_LINE.match(items[index - 1]):
        index -= 1
    if index <= lower or not DATE.fullmatch(items[index - 1].strip("（）()")):
        return upper
    index -= 1
    while index > lower and upper - index < 4 and is_organ_line(items[index - 1]):
        index -= 1
    return index
