"""Document lists of frequent phrases, so that a common phrase needs no positions.

A phrase of three or more characters is verified from the positions of its trigrams; a common
phrase (法治政府建设, 2021年, 科技局) then fetches every position of trigrams that occur dozens of
times in many reports (``202`` is in every date) — hundreds of KB at 10,000 reports.  So the grams
of ``LENGTHS`` characters whose verifying trigrams' positions would be large, and whose own list
would be much smaller, get a *phrase list* as well: per report only how often the gram occurs and
in which part of the key it first occurs (title, names, metadata, text: what ranking needs).  A
phrase that is such a gram is answered exactly from that one list.

The grams are chosen on a fixed sample of the reports (every k-th), which is fast and
deterministic; their lists are exact (every report is counted).
"""

from __future__ import annotations

import math
from collections import Counter

from .analyzer import Document

#: Lengths of the grams that may get a phrase list.
LENGTHS = range(3, 9)
#: A gram gets a phrase list when the positions of the trigrams that verify it would take at least
#: this many bytes (estimated on the sample, scaled to the archive)…
COVER_BYTES = 49152
#: …its phrase list would take at most this share of those bytes…
LIST_SHARE = 0.25
#: …and at least this share of the sampled reports contain it (rarer grams have small positions).
MIN_SHARE = 0.02
#: At most this many reports are sampled to choose the grams.
SAMPLE = 500
#: At most this many grams get a phrase list, those that save the most bytes.  Without a cap the count grows
#: with the archive (117 grams at 1,000 synthetic reports, 19,304 at 10,000: as many phrase-list entries as
#: postings, and twice the build time), so that building the index would no longer be linear in the reports.
MAX_GRAMS = 1024
#: Marks a phrase list among the postings (code point 1 never occurs in a key; 0 marks the names grams).
PHRASE = "\x01"


def grams_of(line: str) -> set[str]:
    return {line[i:i + n] for n in LENGTHS for i in range(len(line) - n + 1)}


def cover(length: int) -> list[int]:
    """Offsets of the trigrams that verify a phrase of ``length`` characters (as ``index.js`` chooses them)."""
    offsets = list(range(0, length - 2, 3))
    return offsets + [length - 3] if offsets[-1] + 3 < length else offsets


def frequent_grams(docs: list[Document], cover_bytes: int = COVER_BYTES) -> frozenset[str]:
    """The grams that get a phrase list, chosen on a fixed sample of the reports (every k-th).

    Bytes are estimated as two per report in a list, plus two per position for a trigram."""
    sample = docs[::max(1, len(docs) // SAMPLE)]
    scale = len(docs) / max(1, len(sample))
    in_reports: Counter[str] = Counter()
    occurrences: Counter[str] = Counter()
    for doc in sample:
        lines = doc.key.split("\n")
        in_reports.update(set().union(*map(grams_of, lines)))
        occurrences.update(line[i:i + 3] for line in lines for i in range(len(line) - 2))

    def positions_bytes(trigram: str) -> float:
        return scale * 2 * (in_reports[trigram] + occurrences[trigram])
    need = max(2, math.ceil(MIN_SHARE * len(sample)))
    saved = {}
    for gram, count in in_reports.items():
        if count < need:
            continue
        verify = sum(positions_bytes(gram[o:o + 3]) for o in cover(len(gram)))
        if verify >= cover_bytes and scale * 2 * count <= LIST_SHARE * verify:
            saved[gram] = verify - scale * 2 * count
    return frozenset(sorted(saved, key=lambda gram: (-saved[gram], gram))[:MAX_GRAMS])


def line_parts(doc: Document) -> list[tuple[str, int]]:
    """Each line of the key with its part: 0 title, 1 names, 2 the rest of the metadata, 3 text."""
    out, at = [], 0
    for line in doc.key.split("\n"):
        part = 0 if at < doc.title_end else 1 if at < doc.names_end else 2 if at < doc.meta_end else 3
        out.append((line, part))
        at += len(line) + 1
    return out


def phrase_counts(doc: Document, frequent: frozenset[str], starts: frozenset[str]) -> dict[str, int]:
    """Frequent gram → ``occurrences << 2 | part of its first occurrence``, for one report.

    ``starts``: the first three characters of every frequent gram (to skip the other positions fast)."""
    count: Counter[str] = Counter()
    part_of: dict[str, int] = {}
    for line, part in line_parts(doc):
        for i in range(len(line) - 2):
            if line[i:i + 3] not in starts:
                continue
            for n in LENGTHS:
                gram = line[i:i + n]
                if len(gram) == n and gram in frequent:
                    count[gram] += 1
                    part_of.setdefault(gram, part)
    return {gram: occurrences << 2 | part_of[gram] for gram, occurrences in count.items()}
