"""Printed lines back into paragraphs, page furniture dropped: the rules every positioned format shares.

A PDF's text layer, an OFD's text objects and the lines OCR finds on a scan all
come as lines with a left and right edge and a type size.  A 公文 is typeset
with a first-line indent of two characters; centred lines (版头, 文号, title) and
right-aligned ones (落款) stand alone.  So a printed line starts a new paragraph
when it does not start at the left margin, or when the line before it stopped
short of the right margin; otherwise it continues the paragraph (a Chinese line
break carries no space; an English word broken with a hyphen is joined).  Page
numbers (``— 3 —``) and running headers and footers — the same text at the top
or bottom of most pages, or set in small print there — are dropped.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from ..textdata import PAGE_NUMBER_LINE

#: A line ending this many character widths before the right margin ends its paragraph.
SHORT_LINE_CHARS = 1.0
#: A line starting this many character widths right of the margin is indented (new paragraph).
INDENT_CHARS = 0.8
#: Running header/footer: same first/last line on at least this share of pages (and two pages)…
RUNNING_SHARE = 0.5
#: …or a first/last line set smaller than this share of the body text's size (a one-page PDF's header).
SMALL_PRINT = 0.8


@dataclass(frozen=True)
class Line:
    """One printed line: its text, left and right edges and type size (any unit, the same for all lines)."""

    text: str
    x0: float
    x1: float
    size: float


def _shape(text: str) -> str:
    """A line with its numbers blanked, so ``第 3 页`` and ``第 4 页`` look alike."""
    return re.sub(r"\d+", "#", "".join(text.split()))


def drop_furniture(pages: list[list[Line]]) -> list[Line]:
    """All lines in order, without page numbers and running headers/footers."""
    edges: dict[str, int] = {}
    for page in pages:
        for shape in {_shape(line.text) for line in (page[:1] + page[-1:])}:
            edges[shape] = edges.get(shape, 0) + 1
    running = {shape for shape, count in edges.items() if count >= 2 and count >= RUNNING_SHARE * len(pages)}
    body_size = statistics.median([line.size for page in pages for line in page if line.size] or [0.0])
    kept = []
    for page in pages:
        for index, line in enumerate(page):
            at_edge = index in (0, len(page) - 1)
            small = line.size < SMALL_PRINT * body_size
            if PAGE_NUMBER_LINE.match(line.text) or (at_edge and (small or _shape(line.text) in running)):
                continue
            kept.append(line)
    return kept


def paragraphs(lines: list[Line]) -> list[str]:
    """Printed lines joined into paragraphs by indent and short last lines."""
    if not lines:
        return []
    char = statistics.median(line.size for line in lines if line.size) if any(l.size for l in lines) else 10.0
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    result: list[str] = []
    previous: Line | None = None
    for line in lines:
        indented = line.x0 - left > INDENT_CHARS * char
        if previous is None or indented or right - previous.x1 > SHORT_LINE_CHARS * char:
            result.append(line.text)
        else:
            result[-1] = _join(result[-1], line.text)
        previous = line
    return result


def _join(before: str, after: str) -> str:
    """Chinese lines join without a space; ``infor-`` + ``mation`` loses its hyphen; English words keep one."""
    if re.search(r"[A-Za-z]-$", before) and after[:1].islower():
        return before[:-1] + after
    if re.search(r"[A-Za-z,.;:]$", before) and re.match(r"[A-Za-z]", after):
        return before + " " + after
    return before + after
