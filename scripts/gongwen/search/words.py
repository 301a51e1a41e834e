"""A query cut into words, with jieba's algorithm over the archive's lexicon; twin of ``lexicon.js``.

jieba cuts a run of Han characters by building the DAG of dictionary words that start at each
character and taking the route of highest probability (sum of log frequencies), right to left.
This module does exactly that over the entries of ``lexicon.py`` (the same entries the browser
downloads, with integer costs), so Python and JavaScript cut every query identically — the index
and the query must never disagree on words (Pagefind#1237).  Around the Han runs: a 文号 is one
word, a year ``2024年`` / ``2024年度`` is the word ``2024年``, a run of ASCII letters and digits is
one word; other characters (punctuation) only separate words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .analyzer import Phrase, exact_only, parse_query
from .lexicon import Lexicon

#: Words beyond this many are not searched as words (a pasted paragraph would fetch the postings of
#: every word); its phrases are still searched exactly.
MAX_WORDS = 12
#: The pieces of a phrase's key: a year, an ASCII run, a Han run (cut into words), in this order.
PIECE = re.compile(r"([0-9]{4}年)度?|([0-9a-z]+)|([\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+)")


def to_simplified(lexicon: Lexicon, text: str) -> str:
    """Traditional characters of the query → simplified (法律顧問 → 法律顾问), character by character."""
    return "".join(lexicon.t2s.get(ch, ch) for ch in text)


def cut(lexicon: Lexicon, run: str) -> list[str]:
    """jieba's ``cut`` without HMM over one run of Han characters: DAG, then max-probability route.

    The cost of a word is -log of its probability (so the best route has the smallest sum); a
    character that is no word costs ``lexicon.unknown``; on a tie the longer word wins, as in
    jieba (it takes the max of (log probability, end))."""
    length = len(run)
    best: list[tuple[int, int]] = [(0, length)] * (length + 1)
    for start in range(length - 1, -1, -1):
        ends = [end for end in range(start + 1, length + 1) if run[start:end] in lexicon.costs] or [start + 1]
        best[start] = max((-lexicon.costs.get(run[start:end], lexicon.unknown) + best[end][0], end) for end in ends)
    words, at = [], 0
    while at < length:
        end = best[at][1]
        words.append(run[at:end])
        at = end
    return words


def phrase_words(lexicon: Lexicon, key: str) -> list[str]:
    """The words of one phrase's search key."""
    found = []
    for year, ascii_run, han in PIECE.findall(key):
        found += cut(lexicon, han) if han else [year or ascii_run]
    return found


@dataclass(frozen=True)
class Word:
    """A word of the query and the strings that stand for it (any one found = the word found)."""

    text: str
    forms: tuple[str, ...]
    doc_number: bool = False


@dataclass(frozen=True)
class Analysis:
    """What a query asks: exact phrases (tier 1), words (tiers 2 and 3), and whether quotes ask for exact only."""

    phrases: list[Phrase]
    words: list[Word]
    exact_only: bool


def analyse(lexicon: Lexicon, query: str) -> Analysis:
    """The query in simplified characters, as phrases and as words (each with its forms)."""
    phrases = parse_query(to_simplified(lexicon, query))
    words: dict[str, Word] = {}
    for phrase in phrases:
        if phrase.doc_number:
            words.setdefault(phrase.text, Word(phrase.text, (phrase.text,), True))
            continue
        for word in phrase_words(lexicon, phrase.text):
            words.setdefault(word, Word(word, tuple(lexicon.forms.get(word, [word]))))
    return Analysis(phrases, list(words.values())[:MAX_WORDS], exact_only(query))
