"""Normalize stage: decoded text → clean lines, conservatively.

What is removed is what layout added: Word residue, page-number lines, the
spaces that typesetting puts between digits and Han characters (``2023 年``)
or after brackets (``(一) 强化``).  Spaces between two Han characters are kept
(they separate co-issuers: ``焦作市科学技术局 焦作市教育局``).  Characters are
never width-folded: NFKC would turn ``，（：`` into ASCII.
"""

from __future__ import annotations

import re

from .textdata import HAN, LAYOUT_SPACES, PAGE_NUMBER_LINE, WORD_ARTIFACT

#: Invisible characters that carry nothing in a report (zero-width, BOM).
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")

#: CJK and ASCII punctuation and brackets: a space next to one is layout.
PUNCTUATION = "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』…·％()［］"

_S = f"[{LAYOUT_SPACES}\t]+"
_P = re.escape(PUNCTUATION)
_LAYOUT_SPACE_RULES = (
    re.compile(rf"(?<=[0-9%.]){_S}(?=[{HAN}{_P}])"),   # 2023 年, 100 %
    re.compile(rf"(?<=[{HAN}{_P}]){_S}(?=[0-9])"),     # 达 53.85
    re.compile(rf"(?<=[{_P}]){_S}"),                    # (一) 强化
    re.compile(rf"{_S}(?=[{_P}])"),                     # 报告 ：
)
_SPACE_RUN = re.compile(_S)


def normalize_lines(text: str) -> list[str]:
    """Split into lines and clean each; blank lines are kept as ``""`` (they mark paragraphs)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [clean_line(line) for line in text.split("\n")]
    lines = ["" if PAGE_NUMBER_LINE.match(line) else line for line in lines]
    return _trim_blank_edges(lines)


def clean_line(line: str) -> str:
    """Remove Word residue, invisible characters and layout spaces from one line."""
    line = INVISIBLE.sub("", WORD_ARTIFACT.sub("", line))
    line = line.strip(LAYOUT_SPACES + "\t\f\v")
    for rule in _LAYOUT_SPACE_RULES:
        line = rule.sub("", line)
    return _SPACE_RUN.sub(" ", line)


def _trim_blank_edges(lines: list[str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    end = len(lines)
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]
