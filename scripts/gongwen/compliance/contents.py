"""Required contents: which of Art. 25's items a report covers, where, and in what words.

Pure: a report's body blocks and year in, :class:`ItemWhere` per found item out.  The rules are
data (``data/required-items.yml``, documented there and printed on the 公开情况 page): headings
first, then (for 举措和成效) the sections before 不足/下一年度, then paragraphs.  "Not found"
means the rules found nothing, which the page says in those words.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import yaml

from ..datafiles import data_text
from ..model import ITEM_KEYS, REQUIRED_ITEMS, Block, ItemWhere, RequiredItems

#: Longest wording quoted from a paragraph (characters on each side of the term).
QUOTE_SPAN = 30
#: Characters that end a clause when quoting the wording around a term.
CLAUSE_END = "。；！？"


@dataclass(frozen=True)
class ItemRule:
    """How one item is looked for (one entry of ``required-items.yml``)."""

    key: str
    label: str
    law: str
    heading_terms: tuple[str, ...]
    paragraph_terms: tuple[str, ...] = ()
    paragraph_starts: tuple[str, ...] = ()
    by_position: bool = False
    not_inside: tuple[str, ...] = ()


def parse_rules(data: dict) -> tuple[ItemRule, ...]:
    """The rules file as typed values; a missing or unknown item is a programming error, said plainly."""
    rules = tuple(ItemRule(**{k: tuple(v) if isinstance(v, list) else v for k, v in item.items()})
                  for item in data["items"])
    if tuple(rule.key for rule in rules) != ITEM_KEYS:
        raise ValueError(f"required-items.yml: items must be {', '.join(ITEM_KEYS)} in that order")
    return rules


@functools.cache
def load_rules() -> tuple[ItemRule, ...]:
    return parse_rules(yaml.safe_load(data_text("required-items.yml")))


@dataclass(frozen=True)
class _Heading:
    index: int  # among the body's headings
    block: int  # position in the body
    level: int
    text: str


def find_items(body: list[Block], year: int, rules: tuple[ItemRule, ...] | None = None) -> dict[str, ItemWhere]:
    """item key → where it was found, for every item the rules find (absent keys: not found)."""
    rules = rules or load_rules()
    headings: list[_Heading] = []
    for position, block in enumerate(body):
        if block.kind == "heading":
            headings.append(_Heading(len(headings), position, block.level, block.text))
    found: dict[str, ItemWhere] = {}
    by_heading = {rule.key: _by_heading(rule, headings, year) for rule in rules}
    found |= {key: where for key, where in by_heading.items() if where}
    for rule in rules:
        if rule.key in found:
            continue
        where = _by_position(body, headings, by_heading) if rule.by_position else None
        where = where or _by_paragraph(rule, body, headings, by_heading, year)
        if where:
            found[rule.key] = where
    return {key: found[key] for key in ITEM_KEYS if key in found}


def required_items(found: dict[str, ItemWhere]) -> RequiredItems:
    return RequiredItems(**{key: key in found for key in REQUIRED_ITEMS})


def _terms(terms: tuple[str, ...], year: int) -> tuple[str, ...]:
    return tuple(term.replace("{next_year}", str(year + 1)) for term in terms)


def _by_heading(rule: ItemRule, headings: list[_Heading], year: int) -> ItemWhere | None:
    terms = _terms(rule.heading_terms, year)
    hits = [h for h in headings if any(term in h.text for term in terms)]
    if not hits:
        return None
    best = min(hits, key=lambda h: (h.level, h.index))
    return ItemWhere(method="heading", section=best.text, heading_index=best.index, paragraph=None, wording=best.text)


def _by_position(body: list[Block], headings: list[_Heading], by_heading: dict) -> ItemWhere | None:
    """The first top-level section with text that precedes the 不足/下一年度 sections and is no other item."""
    taken = {where.heading_index for where in by_heading.values() if where}
    stops = [by_heading[key].heading_index for key in ("shortcomings", "next_year") if by_heading.get(key)]
    end = min(stops, default=len(headings))
    top = min((h.level for h in headings), default=0)
    spans = _section_spans(headings, len(body))
    for heading in headings[:end]:
        start, stop = spans[heading.index]
        has_text = any(block.kind == "paragraph" for block in body[start:stop])
        if heading.level == top and heading.index not in taken and has_text:
            return ItemWhere(method="position", section=heading.text, heading_index=heading.index,
                             paragraph=None, wording=heading.text)
    return None


def _section_spans(headings: list[_Heading], body_length: int) -> dict[int, tuple[int, int]]:
    """heading index → (first block, end block) of its section, sub-sections included."""
    spans = {}
    for heading in headings:
        after = [h.block for h in headings if h.index > heading.index and h.level <= heading.level]
        spans[heading.index] = (heading.block, min(after, default=body_length))
    return spans


def _by_paragraph(rule: ItemRule, body: list[Block], headings: list[_Heading], by_heading: dict,
                  year: int) -> ItemWhere | None:
    spans = _section_spans(headings, len(body))
    excluded = [spans[by_heading[key].heading_index] for key in rule.not_inside if by_heading.get(key)]
    anywhere, starts = _terms(rule.paragraph_terms, year), _terms(rule.paragraph_starts, year)
    number = 0
    for position, block in enumerate(body):
        if block.kind != "paragraph":
            continue
        number += 1
        if any(start <= position < end for start, end in excluded):
            continue
        term = next((t for t in starts if block.text.startswith(t)), None) or \
            next((t for t in anywhere if t in block.text), None)
        if term:
            under = next((h for h in reversed(headings) if h.block < position), None)
            return ItemWhere(method="paragraph", section=under.text if under else None,
                             heading_index=under.index if under else None, paragraph=number,
                             wording=quote_around(block.text, block.text.index(term), len(term)))
    return None


def quote_around(text: str, start: int, length: int) -> str:
    """The clause around a match: from the previous clause end to the next, at most QUOTE_SPAN each side."""
    left = max((text.rfind(mark, 0, start) for mark in CLAUSE_END), default=-1) + 1
    left = max(left, start - QUOTE_SPAN)
    ends = [i for i in (text.find(mark, start + length) for mark in CLAUSE_END) if i >= 0]
    right = min(min(ends, default=len(text)), start + length + QUOTE_SPAN)
    return ("…" if left > 0 and text[left - 1] not in CLAUSE_END else "") + text[left:right] + \
        ("…" if right < len(text) and text[right] not in CLAUSE_END else "")
