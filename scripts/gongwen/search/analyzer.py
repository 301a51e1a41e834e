"""The search semantics, shared by the index builder and (mirrored) the browser.

A report matches a query when its *search key* contains every phrase of the
query.  The key is the report's metadata and text with spaces and invisible
characters dropped, full-width letters and digits made half-width, ASCII
punctuation made full-width and 文号 brackets made 〔〕.  The query is cut
into phrases by the same rules (a 文号 in any form is one phrase), so the
truth of a query is a plain substring test, and the index has to reproduce
exactly that.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cached_property

import jieba

from ..model import Report
from .searchdata import (ASCII_TO_FULL, BUREAU_SHORT_FORMS, DROPPED, KEY_DOC_NUMBER, KEY_DOC_NUMBER_WORD,
                         QUERY_DOC_NUMBER, QUOTES)


def _char(ch: str) -> str:
    code = ord(ch)
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        ch = chr(code - 0xFEE0)
    if "A" <= ch <= "Z":
        return ch.lower()
    return ASCII_TO_FULL.get(ch, ch)


def fold(text: str) -> str:
    """Width and case folding of each character; spaces are kept (they cut a query)."""
    return "".join(" " if ch in DROPPED else _char(ch) for ch in text)


def search_key(text: str) -> str:
    """The text as search sees it: folded, without spaces, 文号 brackets as 〔〕."""
    folded = "".join(_char(ch) for ch in text if ch not in DROPPED)
    return KEY_DOC_NUMBER.sub(r"〔\1〕", folded)


@dataclass(frozen=True)
class Phrase:
    """One phrase of a query, as a search key; ``doc_number`` when it was typed as a 文号."""

    text: str
    doc_number: bool = False


def parse_query(query: str) -> list[Phrase]:
    """A query → its phrases (AND): 文号 forms first, then the space-separated rest."""
    folded = "".join(" " if ch in QUOTES else ch for ch in fold(query))
    phrases = []
    for match in QUERY_DOC_NUMBER.finditer(folded):
        prefix, year, number = match.groups()
        phrases.append(Phrase(f"{prefix}〔{year}〕{number}号", True))
    rest = QUERY_DOC_NUMBER.sub(" ", folded)
    phrases += [Phrase(search_key(part)) for part in rest.split() if search_key(part)]
    return list(dict.fromkeys(phrases))


def exact_only(query: str) -> bool:
    """Quotes (``"法治政府"``) ask for the exact phrases only, no word tiers."""
    return any(ch in QUOTES for ch in query)


def short_forms(name: str | None) -> list[str]:
    """Everyday short forms of a department's name (信阳市科学技术局 → 信阳市科技局)."""
    if not name:
        return []
    return [name.replace(full, short) for full, short in BUREAU_SHORT_FORMS if full in name]


def name_fields(report: Report) -> list[str]:
    """Title, bureau, place and year: what a report is named by (ranked above the rest), title first."""
    names = [report.title, report.bureau, *short_forms(report.bureau), report.bureau_name, report.issuer,
             report.doc_number, report.province, report.city, report.county, report.level,
             f"{report.year}年" if report.year else None]
    return [name for name in names if name]


def metadata_fields(report: Report) -> list[str]:
    """The metadata a query is matched against: the names (title first, it ranks highest), then the tags."""
    return name_fields(report) + [tag for tag in report.tags if tag]


def text_fields(report: Report) -> list[str]:
    """The report's own text in reading order, one string per paragraph or line."""
    parts = [report.masthead, report.recipients_line, *(b.text for b in report.body), *report.closing,
             *report.colophon]
    return [part for part in parts if part]


@dataclass(frozen=True)
class Document:
    """A report's search key and where its title, its names and its metadata end inside it."""

    key: str
    title_end: int
    meta_end: int
    names_end: int = 0

    @cached_property
    def checksum(self) -> int:
        """The key's CRC-32, which chooses the phrase lists' sample (``frequent.sample``).  Kept with the document
        once computed (a pickle carries it): the national step of a split build gets it from the provinces'
        exports instead of encoding every key again (4 s of a one-report rebuild at 100,000 reports)."""
        return zlib.crc32(self.key.encode("utf-8"))

    def __reduce__(self):
        # The key goes into a pickle as UTF-8 encoded here: pickling a str itself leaves its UTF-8 form cached
        # inside it for as long as it lives (CPython keeps what ``PyUnicode_AsUTF8AndSize`` made), 2.5 times the
        # key's own size for Chinese.  Every key sent to the entries' pool grew so: 0.9 GB at 100,000 reports.
        return _unpickled_document, (self.key.encode("utf-8"), self.title_end, self.meta_end, self.names_end,
                                     self.__dict__.get("checksum"))


def _unpickled_document(key: bytes, title_end: int, meta_end: int, names_end: int, checksum: int | None) -> Document:
    found = Document(key.decode("utf-8"), title_end, meta_end, names_end)
    if checksum is not None:
        found.__dict__["checksum"] = checksum  # as ``cached_property`` keeps it
    return found


def document(report: Report) -> Document:
    """The search key of a report: metadata fields, then text, one per line."""
    meta = [search_key(field) for field in metadata_fields(report)]
    text = [search_key(part) for part in text_fields(report)]
    key = "\n".join(meta + text)
    names = len(name_fields(report))
    return Document(key, len(meta[0]), len("\n".join(meta)), len("\n".join(meta[:names])))


def matches(doc: Document, phrases: list[Phrase]) -> bool:
    """The truth of a query: every phrase is a substring of the key (the definition, not the index)."""
    return bool(phrases) and all(p.text in doc.key for p in phrases)


def user_dictionary(reports: list[Report]) -> list[str]:
    """jieba user-dictionary words from the archive itself: bureaus, their short forms, places, 文号."""
    words = set()
    for report in reports:
        for name in (report.bureau, report.issuer, report.province, report.city, report.county, report.doc_number):
            if name:
                words.add(search_key(name))
        words.update(search_key(s) for s in short_forms(report.bureau))
    return sorted(words)


@dataclass(frozen=True)
class Segmenter:
    """jieba with the archive's names as a user dictionary, and 文号 kept whole."""

    tokenizer: jieba.Tokenizer
    doc_numbers: re.Pattern


def segmenter(dictionary: list[str]) -> Segmenter:
    """A segmenter that keeps the archive's bureau and place names and its 文号 whole."""
    tokenizer = jieba.Tokenizer()
    for word in dictionary:
        tokenizer.add_word(word, freq=10**6)
    known = sorted((w for w in dictionary if KEY_DOC_NUMBER_WORD.search(w)), key=len, reverse=True)
    pattern = "|".join([*map(re.escape, known), KEY_DOC_NUMBER_WORD.pattern])
    return Segmenter(tokenizer, re.compile(f"({pattern})"))


def words(segmenter: Segmenter, text: str) -> list[str]:
    """jieba words of a text's search key; a 文号 is one word (jieba alone cuts it at 〔〕)."""
    result = []
    for index, piece in enumerate(segmenter.doc_numbers.split(search_key(text))):
        if index % 2:
            result.append(piece)
        else:
            result += [w for w in segmenter.tokenizer.lcut(piece, HMM=False) if w.strip()]
    return result
