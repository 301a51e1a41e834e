"""Year over year: what a report repeats from its bureau's previous report, and templated reports across bureaus.

Pure and linear in the corpus: a report is compared only with its own bureau's previous report;
across bureaus, sentences are hashed into buckets and only reports sharing a bucket are counted
together (never all pairs).  Text is compared after dropping punctuation and spaces and writing
every number as 0, so "全年开展集中学习5次" repeats "全年开展集中学习4次".
"""

from __future__ import annotations

import functools
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Callable

from ..browse.extras import neighbours
from ..model import Report

#: Characters per shingle: long enough that two reports on the same subject rarely share one by chance.
SHINGLE = 8
#: A paragraph repeats last year's when this share of its shingles occurs in last year's report.
NEARLY_VERBATIM = 0.8
#: Sentences shorter than this (normalised characters) are boilerplate, not evidence of a template.
MIN_SENTENCE = 20
#: A sentence in more reports than this is a stock phrase; it is left out of the template count.  This also
#: bounds the work: pairs are counted only inside a bucket, at most MAX_BUCKET² / 2 per sentence.
MAX_BUCKET = 100
#: Two reports of different bureaus are listed as templated when each has this share of its text in common.
TEMPLATE_SHARE = 0.5

_NOISE = re.compile(r"[^\w]|_", re.UNICODE)
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"(?<=[。；！？])")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、])")


def normalized(text: str) -> str:
    """Han characters, letters and numbers only; every number written 0."""
    return _DIGITS.sub("0", _NOISE.sub("", text))


@functools.lru_cache(maxsize=1 << 16)  # a paragraph is compared as this year's and as next year's previous
def shingles(text: str) -> frozenset[int]:
    """CRC-32 of every SHINGLE-character window of the normalised text (deterministic across runs)."""
    plain = normalized(text)
    return frozenset({zlib.crc32(plain[i:i + SHINGLE].encode("utf-8")) for i in range(len(plain) - SHINGLE + 1)})


@dataclass(frozen=True)
class Repeated:
    paragraph: int  # 1-based number of the paragraph in the body
    heading_index: int | None  # the heading it is under
    text: str


@dataclass(frozen=True)
class NewSection:
    heading_index: int
    title: str


@dataclass(frozen=True)
class Comparison:
    """This report against its bureau's previous one."""

    previous: Report
    share: float  # of the body's characters, in repeated paragraphs
    repeated: tuple[Repeated, ...]
    new_sections: tuple[NewSection, ...]


def _paragraphs(report: Report) -> list[tuple[int, int | None, str]]:
    """(paragraph number, heading index it is under, text) for each body paragraph."""
    out, heading, number = [], None, 0
    for block in report.body:
        if block.kind == "heading":
            heading = 0 if heading is None else heading + 1
        elif block.kind == "paragraph":
            number += 1
            out.append((number, heading, block.text))
    return out


def _heading_key(title: str) -> str:
    return normalized(_NUMBERING.sub("", title))


def compare(report: Report, previous: Report) -> Comparison:
    """Which paragraphs of ``report`` repeat ``previous`` nearly verbatim, their share, and its new sections."""
    before = set().union(*(shingles(text) for _, _, text in _paragraphs(previous)))
    repeated, total, same = [], 0, 0
    for number, heading, text in _paragraphs(report):
        own = shingles(text)
        size = len(normalized(text))
        total += size
        if own and len(own & before) >= NEARLY_VERBATIM * len(own):
            same += size
            repeated.append(Repeated(number, heading, text))
    old_titles = {_heading_key(b.text) for b in previous.body if b.kind == "heading"}
    titles = [b.text for b in report.body if b.kind == "heading"]
    new = [NewSection(i, t) for i, t in enumerate(titles) if _heading_key(t) not in old_titles]
    return Comparison(previous, round(same / total, 2) if total else 0.0, tuple(repeated), tuple(new))


def repeat_share(report: Report, previous: Report) -> float:
    return compare(report, previous).share


def with_repeat_shares(reports: list[Report], share: Callable[[Report, Report], float] = repeat_share) -> list[Report]:
    """Every report with ``repeat_share_prev_year`` set (null where its bureau has no earlier report);
    ``share``: :func:`repeat_share` or a memo of it (``reportcache.py``)."""
    previous = {report_id: before for report_id, (before, _) in neighbours(reports).items() if before}
    return [r.model_copy(update={"repeat_share_prev_year": share(r, previous[r.id])})
            if r.id in previous else r for r in reports]


@dataclass(frozen=True)
class Templated:
    """Two reports of different bureaus that share most of their text."""

    first: Report
    second: Report
    share: float  # the smaller of the two reports' shares of text in common


def sentence_hashes(report: Report) -> dict[int, int]:
    """sentence hash → its normalised length, for the report's sentences of MIN_SENTENCE or more."""
    found = {}
    for _, _, text in _paragraphs(report):
        for sentence in _SENTENCE_END.split(text):
            plain = normalized(sentence)
            if len(plain) >= MIN_SENTENCE:
                found[zlib.crc32(plain.encode("utf-8"))] = len(plain)
    return found


def templated_reports(reports: list[Report], known: dict[str, dict[int, int]] | None = None) -> list[Templated]:
    """Pairs of different bureaus' reports with TEMPLATE_SHARE or more of their sentences in common;
    ``known``: :func:`sentence_hashes` by report id, for reports that come without their text."""
    sentences = [known[r.id] if known is not None else sentence_hashes(r) for r in reports]
    totals = [sum(s.values()) for s in sentences]
    buckets: dict[int, list[int]] = defaultdict(list)
    for index, own in enumerate(sentences):
        for digest in own:
            buckets[digest].append(index)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for digest, members in buckets.items():
        if len(members) > MAX_BUCKET:
            continue
        for a, b in combinations(members, 2):
            if reports[a].bureau_id != reports[b].bureau_id:
                shared[a, b] += sentences[a][digest]
    pairs = []
    for (a, b), size in shared.items():
        share = min(size / totals[a], size / totals[b])
        if share >= TEMPLATE_SHARE:
            pairs.append(Templated(reports[a], reports[b], round(share, 2)))
    return sorted(pairs, key=lambda t: (-t.share, t.first.id, t.second.id))
