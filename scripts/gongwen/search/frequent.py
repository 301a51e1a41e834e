"""Document lists of frequent phrases, so that a common phrase needs no positions.

A phrase of three or more characters is verified from the positions of its trigrams; a common
phrase (法治政府建设, 2021年, 科技局) then fetches every position of trigrams that occur dozens of
times in many reports (``202`` is in every date) — hundreds of KB at 10,000 reports.  So the grams
of ``LENGTHS`` characters whose verifying trigrams' positions would be large, and whose own list
would be much smaller, get a *phrase list* as well: per report only how often the gram occurs and
in which part of the key it first occurs (title, names, metadata, text: what ranking needs).  A
phrase that is such a gram is answered exactly from that one list.

The grams are chosen on a sample of the reports (by their keys' checksums), which is fast and
deterministic; their lists are exact (every report is counted).
"""

from __future__ import annotations

import hashlib
import math
import zlib
from collections import Counter
from dataclasses import dataclass

import numpy as np

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
#: About this many reports are sampled to choose the grams.
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


def sample(docs: list[Document]) -> list[Document]:
    """About ``SAMPLE`` of the reports, chosen by their keys' checksums: a report added or changed leaves the
    sample as it was unless it is in it (so that a rebuild can reuse the sample's counts, ``SampleCounts``)."""
    every = max(1, len(docs) // SAMPLE)
    return [doc for doc in docs if zlib.crc32(doc.key.encode("utf-8")) % every == 0] or docs[:1]


@dataclass(frozen=True)
class SampleCounts:
    """Per gram of the sample, in how many of its reports it is, and (trigrams) how often it occurs; only the
    grams in at least ``need`` reports (the others cannot get a phrase list, nor verify one that can)."""

    reports: int
    need: int
    in_reports: dict[str, int]
    occurrences: dict[str, int]


#: Multiplier of the grams' 64-bit polynomial hashes (odd, so that no code point is lost); two grams of the sample
#: share a hash with a chance of about 1 in 10**11, which would only blur the estimate that chooses the grams.
HASH_BASE = np.uint64(0x9E3779B97F4A7C15)


def _window_hashes(codes: np.ndarray, breaks: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the ``n``-character windows of a key that cross no newline, and where they start."""
    count = len(codes) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    value = np.full(count, n, dtype=np.uint64)
    for offset in range(n):
        value = value * HASH_BASE + codes[offset:offset + count]
    starts = np.flatnonzero(breaks[n:n + count] == breaks[:count])  # no newline inside
    return value[starts], starts


def _doc_windows(doc: Document) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """(n, hashes, starts) of each length's windows of a key."""
    codes = np.frombuffer(doc.key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    breaks = np.concatenate([[0], np.cumsum(codes == ord("\n"))])
    return [(n, *_window_hashes(codes, breaks, n)) for n in LENGTHS]


def sample_counts(docs: list[Document]) -> SampleCounts:
    """The counts of the sampled reports' grams, with numpy: hashed grams are counted, then the text of the
    common ones is read back from their first report (two passes, so that only hashes are held for all)."""
    hashes, trigrams, times = [], [], []
    for doc in docs:
        for n, value, _ in _doc_windows(doc):
            if n == 3:
                unique, counts = np.unique(value, return_counts=True)
                trigrams.append(unique)
                times.append(counts)
            else:
                unique = np.unique(value)
            hashes.append(unique)
    need = max(2, math.ceil(MIN_SHARE * len(docs)))
    if not trigrams:  # no report (a corpus of refused files only) or none with text: nothing is common
        return SampleCounts(len(docs), need, {}, {})
    unique, in_reports = np.unique(np.concatenate(hashes), return_counts=True)
    del hashes
    common = unique[in_reports >= need]
    reports = dict(zip(common.tolist(), in_reports[in_reports >= need].tolist()))
    trigrams, times = np.concatenate(trigrams), np.concatenate(times)
    order = np.argsort(trigrams, kind="stable")
    trigrams, times = trigrams[order], times[order]
    first = np.flatnonzero(np.concatenate([[True], trigrams[1:] != trigrams[:-1]]))
    keep = np.isin(trigrams[first], common)
    occurrences = dict(zip(trigrams[first][keep].tolist(), np.add.reduceat(times, first)[keep].tolist()))
    return SampleCounts(len(docs), need, *_named(docs, common, reports, occurrences))


def _named(docs: list[Document], common: np.ndarray, reports: dict[int, int],
           occurrences: dict[int, int]) -> tuple[dict[str, int], dict[str, int]]:
    """The counts by hash → by gram: each hash's text from the first report that has it."""
    in_reports, trigrams = {}, {}
    for doc in docs:
        if not len(common):
            break
        for n, value, starts in _doc_windows(doc):
            hashed, first = np.unique(value, return_index=True)
            found = np.isin(hashed, common)
            for key, start in zip(hashed[found].tolist(), starts[first[found]].tolist()):
                gram = doc.key[start:start + n]
                in_reports[gram] = reports[key]
                if n == 3:
                    trigrams[gram] = occurrences[key]
            common = common[~np.isin(common, hashed[found])]
    return in_reports, trigrams


def sample_digest(docs: list[Document]) -> str:
    """What the sample's counts depend on: its reports' keys."""
    digest = hashlib.sha256()
    for doc in docs:
        digest.update(doc.key.encode("utf-8") + b"\x00")
    return digest.hexdigest()


def frequent_grams(docs: list[Document], cover_bytes: int = COVER_BYTES, counts: SampleCounts | None = None) -> frozenset[str]:
    """The grams that get a phrase list, chosen on a fixed sample of the reports (``sample``).

    Bytes are estimated as two per report in a list, plus two per position for a trigram.  ``counts``: the
    sample's counts when known (``sample_counts(sample(docs))``)."""
    counts = counts or sample_counts(sample(docs))
    scale = len(docs) / max(1, counts.reports)

    def positions_bytes(trigram: str) -> float:
        return scale * 2 * (counts.in_reports[trigram] + counts.occurrences[trigram])
    saved = {}
    for gram, count in counts.in_reports.items():
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
