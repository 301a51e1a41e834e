"""Body stage: body lines → paragraphs and headings, and the heading tree.

Lines cut by a page break (``经济`` / ``社会发展``) are joined: a body line that
does not end a sentence continues on the next line unless that line starts a
heading.  ``一、`` is ``##``, ``（一）`` ``###``, ``1.`` ``####``, ``（1）``
``#####``; a run-in heading (``（一）强化学习。局党组…``) ends at its first
``。`` and the rest is its paragraph.  The document's own numbering is kept even
where it is wrong, with a warning.  ``一是…二是…`` are not headings.
"""

from __future__ import annotations

from .messages import FieldWarning, warn
from .model import Block, Section
from .textdata import HEADING_MARKERS, MAX_HEADING_CHARS, PARAGRAPH_END, TABLE_LINE, TABLE_MARK, chinese_numeral, number_value


def body_blocks(lines: list[str], tables: list = ()) -> list[Block]:
    """Join broken lines, then cut headings from paragraphs; a table marker line becomes its table."""
    blocks: list[Block] = []
    for line in join_broken_lines(lines):
        table_line = TABLE_LINE.match(line)
        if table_line:
            index = int(table_line.group("index"))
            if index < len(tables) and tables[index].rows:
                blocks.append(Block(kind="table", rows=tables[index].rows))
            continue
        heading = split_heading(line)
        if heading is None:
            blocks.append(Block(kind="paragraph", text=line))
            continue
        level, title, rest = heading
        blocks.append(Block(kind="heading", text=title, level=level))
        if rest:
            blocks.append(Block(kind="paragraph", text=rest))
    return blocks


def join_broken_lines(lines: list[str]) -> list[str]:
    """Rejoin sentences and words that a page or line break cut in two."""
    joined: list[str] = []
    for line in lines:
        if joined and _continues(joined[-1], line):
            joined[-1] += line
        else:
            joined.append(line)
    return joined


def _continues(previous: str, line: str) -> bool:
    if TABLE_MARK in previous[:1] + line[:1]:
        return False  # a table stands alone
    if previous.endswith(tuple(PARAGRAPH_END)) or _starts_heading(line):
        return False
    heading = split_heading(previous)
    return heading is None or bool(heading[2])  # a standalone heading ends its line


def _starts_heading(line: str) -> bool:
    return any(pattern.match(line) for _, pattern in HEADING_MARKERS)


def split_heading(line: str) -> tuple[int, str, str] | None:
    """``(level, heading, rest of the paragraph)`` if the line starts with a heading."""
    for level, pattern in HEADING_MARKERS:
        if pattern.match(line):
            title, stop, rest = line.partition("。")
            if len(title) > MAX_HEADING_CHARS:
                return None
            return level, title, rest.strip() if stop else ""
    return None


def section_tree(blocks: list[Block]) -> list[Section]:
    """Nest the headings by level (a level may be skipped)."""
    roots: list[Section] = []
    stack: list[Section] = []
    for block in blocks:
        if block.kind != "heading":
            continue
        section = Section(title=block.text, level=block.level)
        while stack and stack[-1].level >= section.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(section)
        stack.append(section)
    return roots


def numbering_warnings(blocks: list[Block]) -> list[FieldWarning]:
    """Say where a heading's number does not follow the one before it at its level."""
    warnings: list[FieldWarning] = []
    last: dict[int, int] = {}
    for block in blocks:
        if block.kind != "heading":
            continue
        for deeper in [level for level in last if level > block.level]:
            del last[deeper]  # a new parent restarts the numbering below it
        value = _heading_number(block)
        expected = last.get(block.level, 0) + 1
        if value is not None and value != expected:
            warnings.append(warn("sections", "W-NUMBERING", expected=format_number(block.level, expected),
                                 found=block.text))
        last[block.level] = value if value is not None else expected
    return warnings


def _heading_number(block: Block) -> int | None:
    for level, pattern in HEADING_MARKERS:
        match = pattern.match(block.text)
        if level == block.level and match:
            return number_value(match.group("num"))
    return None


def format_number(level: int, value: int) -> str:
    """The numbering a heading of this level and value would print (三、, （二）, 3.)."""
    return {2: f"{chinese_numeral(value)}、", 3: f"（{chinese_numeral(value)}）",
            4: f"{value}.", 5: f"（{value}）"}.get(level, str(value))
