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

from .issuers import issuer_from_title
from .textdata import (COVER_WORDS, DATE, DOC_NUMBER, HEADING_MARKERS, MASTHEAD, MONTH_LINE, NON_TITLE_WORDS,
                       PARTY_SUFFIXES, TABLE_MARK, TITLE_ENDINGS, TITLE_YEAR, organ_name)

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
#: A report read to a people's congress: ——2021年4月29日在…第三十七次会议上 under the title, then the speaker.
MEETING_START = re.compile(rf"^[—\-－]{{0,2}}\s*[（(]?(?P<date>{DATE.pattern})\s*在")
MEETING_LINE = re.compile(rf"{MEETING_START.pattern}.*(?:会议|会)上[）)]?$")
#: The enclosed report a cover letter names: 关于报送《X》的报告.
ENCLOSED_TITLE = re.compile(r"《(?P<title>[^《》]{6,80})》")
#: How many lines a cover letter's text and 落款 take at most before the enclosed report.
MAX_COVER_LINES = 10


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
    #: Under the title: a congress report's meeting line and speaker, or the issuer over a bracketed date.
    delivery: list[str] = field(default_factory=list)
    #: A cover letter above the enclosed report: its title, text and 落款 (the title_lines are the report's).
    cover: Cover | None = None


@dataclass(frozen=True)
class Cover:
    """A cover letter (报送/呈送/请示/函) above the report it encloses, as printed."""

    title_lines: list[str]
    text: list[str]
    closing: list[str]


def split_layout(lines: list[str]) -> Layout:
    """Recognise head, body and tail among the non-blank lines."""
    items = [line for line in lines if line]
    pos, masthead, doc_number_line = _read_masthead(items)
    title_lines, pos = _title_run(items, pos)
    if doc_number_line is None and title_lines and pos < len(items) and is_doc_number_line(items[pos]):
        doc_number_line, pos = items[pos], pos + 1  # a 政府 report may print its 文号 below the title
    delivery, pos = _delivery(items, pos)
    if not delivery and _is_byline(items, pos):
        delivery, pos = items[pos:pos + 2], pos + 2
    recipients_line = None
    if pos < len(items) and is_recipients_line(items[pos]):
        recipients_line = items[pos]
        pos += 1
    cover, pos = _cover_letter(items, pos, title_lines)
    if cover is not None:
        title_lines, pos = _title_run(items, pos)
        title_lines = title_lines or _enclosed_title(cover.title_lines) or cover.title_lines
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
        delivery=delivery,
        cover=cover,
    )


def _title_run(items: list[str], pos: int) -> tuple[list[str], int]:
    """The title's lines from ``pos``.  A page heading printed right above the document's own title is left out
    (…分局关于2023年…的报告 over 重庆市公安局…分局关于2023年度…的报告: of two whole titles the document's is the
    last, unless only the first names its issuer), and so is a column's or a site's name above a title that names
    its own issuer; an issuer and date printed under the title (湖南省农业农村厅 / （2024年1月31日）) end it."""
    run = []
    while pos < len(items) and len(run) < MAX_TITLE_LINES and is_title_line(items[pos]) \
            and not _is_byline(items, pos):
        run.append(items[pos])
        pos += 1
    for split in range(1, len(run)):
        head, rest = "".join(run[:split]), "".join(run[split:])
        if _is_whole_title(rest) and _is_whole_title(head):
            return (run[:split] if issuer_from_title(head) and not issuer_from_title(rest) else run[split:]), pos
        if _is_whole_title(rest) and _is_page_heading(head, rest):
            return run[split:], pos
    return run, pos


def _is_page_heading(head: str, title: str) -> bool:
    """A web column's or site's name saved above a title that names its own issuer (区内新闻 over
    宁夏回族自治区2022年…, 市司法局 over 宜兴市徐舍镇人民政府2025年度…); never a party committee over its government
    (中共某县委 / 某县人民政府关于…, one joint title)."""
    if TITLE_YEAR.search(head) or not issuer_from_title(title) or title.startswith("关于"):
        return False
    return (len(head) <= 8 and not organ_name(head)) or (organ_name(head) and not head.startswith("中共")
                                                         and not head.endswith(PARTY_SUFFIXES))


def _is_byline(items: list[str], pos: int) -> bool:
    """An organ's name over a bracketed date, under a title: who made the report and when."""
    return (pos + 1 < len(items) and is_organ_line(items[pos]) and items[pos + 1][:1] in "（("
            and bool(DATE.fullmatch(items[pos + 1].strip("（）()"))))


def _is_whole_title(text: str) -> bool:
    """A title on its own: it names a year and ends as a title ends (…报告, …情况)."""
    return bool(TITLE_YEAR.search(text)) and text.endswith(TITLE_ENDINGS)


def _delivery(items: list[str], pos: int) -> tuple[list[str], int]:
    """The meeting line under the title of a report read to a people's congress, and the speaker's line."""
    if pos >= len(items) or not MEETING_START.match(items[pos]):
        return [], pos
    size = 1 if MEETING_LINE.match(items[pos]) else 2  # a long meeting line breaks in two
    if size == 2 and not (pos + 1 < len(items) and MEETING_LINE.match(items[pos] + items[pos + 1])):
        return [], pos
    lines = items[pos:pos + size]
    speaker = pos + size
    if speaker < len(items) and is_title_line(items[speaker]) and not is_recipients_line(items[speaker]):
        lines.append(items[speaker])
    return lines, pos + len(lines)


def _cover_letter(items: list[str], pos: int, title_lines: list[str]) -> tuple[Cover | None, int]:
    """A cover letter: a few lines that send a report (现呈送…报告，请审阅), a 落款, then the report itself."""
    for end in range(pos + 1, min(len(items), pos + MAX_COVER_LINES)):
        if not DATE.fullmatch(items[end].strip("（）()")):
            continue
        signature = end
        while signature > pos + 1 and end - signature < 3 and is_organ_line(items[signature - 1]):
            signature -= 1
        text = items[pos:signature]
        if signature == end or not text or not COVER_WORDS.search("".join(text)):
            return None, pos
        if end + 1 < len(items) and (is_title_line(items[end + 1]) or _enclosed_title(title_lines)):
            return Cover(title_lines, text, items[signature:end + 1]), end + 1
        return None, pos
    return None, pos


def _enclosed_title(cover_title: list[str]) -> list[str]:
    """The report a cover's title names in 《》 (关于报送《X》的报告 → X), as one line."""
    match = ENCLOSED_TITLE.search("".join(cover_title))
    return [match.group("title")] if match and TITLE_YEAR.search(match.group("title")) else []


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
        and not line.startswith(("—", "－"))
        and not MEETING_START.match(line)
        and not MONTH_LINE.match(line)
        and "".join(line.split()) not in NON_TITLE_WORDS
        and not DATE.fullmatch(line.strip("（）()"))
        and not line.endswith(("，", "、"))
        and not any(pattern.match(line) for _, pattern in HEADING_MARKERS)
        and not is_doc_number_line(line)
    )


def is_organ_line(line: str) -> bool:
    """A short line naming an organ (焦作市科技局办公室), as in a signature or 版记."""
    return len(line) <= 30 and not any(mark in line for mark in "。，；：:") and organ_name(line)


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
