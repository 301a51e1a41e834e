"""Document lists of frequent phrases, so that a common phrase needs no positions.

A phrase of three or more characters is verified from the positions of its trigrams; a common
phrase (法治政府建设, 2021年, 科技局) then fetches every position of trigrams that occur dozens of
times in many reports (``202`` is in every date) — hundreds of KB at 10,000 reports.  So the grams
of ``LENGTHS`` characters whose verifying trigrams' positions would be large, and whose own list
would be much smaller, get a *phrase list* as well: per report only how often the gram occurs and
in which part of the key it first occurs (title, names, metadata, text: what ranking needs).  A
phrase that is such a gram is answered exactly from that one list.

The grams are chosen on a sample of the reports (by their keys' checksums), which is fast and
deterministic; their lists are exact (every report is counted).  Only runs of whole words can be chosen
(``ALIGNED_SHARE``): what a visitor types (法律顾问, 行政执法), not the fragments of a stock sentence that
the same bytes would otherwise buy (律顾问制, 治政府建设年, 202).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick
import jieba
import numpy as np

from .analyzer import Document

#: Lengths of the grams that may get a phrase list.
LENGTHS = range(3, 9)
#: A gram gets a phrase list when the positions of the trigrams that verify it would take at least
#: this many bytes (estimated on the sample, scaled to the archive)…
COVER_BYTES = 49152
#: …its phrase list would take at most this share of those bytes (a trigram then occurs at least twice in the
#: reports that hold it: at 100,000 reports 教育局, 2.7 times in 26,000 reports, was 85 KB of positions, the most
#: of a natural query's bytes, and is 22 KB as a list; a quarter kept it out)…
LIST_SHARE = 1 / 3
#: …and at least this share of the sampled reports contain it (rarer grams have small positions).
MIN_SHARE = 0.02
#: About this many reports are sampled to choose the grams.
SAMPLE = 500
#: At most this many grams get a phrase list: single words first (``is_one_word``), then those that save the most
#: bytes.  Without a cap the count grows
#: with the archive (117 grams at 1,000 synthetic reports, 19,304 at 10,000: as many phrase-list entries as
#: postings, and twice the build time), so that building the index would no longer be linear in the reports.
#: 4,096 (was 1,024): at 100,000 reports 行政执法 and 合法性审查 rank 2,156 and 3,606 among whole words; the index
#: step took 24 % longer (303 → 375 s) and the first query's worst case fell from 1,155 to 345 KB.
MAX_GRAMS = 4096
#: A gram can get a phrase list only when, in at least this share of the sampled reports that hold it, it holds
#: whole words (its edges are boundaries of jieba's cut of the line) and no punctuation.  At 100,000 synthetic
#: reports 61,869 grams passed the bars above, most of them overlapping fragments of stock sentences, and the cap
#: kept 法律顾问 and 行政执法 out (ranks 8,703 and 21,339); whole words leave 8,565 (issue 24).
ALIGNED_SHARE = 0.5
#: Marks a phrase list among the postings (code point 1 never occurs in a key; 0 marks the names grams).
PHRASE = "\x01"


def grams_of(line: str) -> set[str]:
    return {line[i:i + n] for n in LENGTHS for i in range(len(line) - n + 1)}


def cover(length: int) -> list[int]:
    """Offsets of the trigrams that verify a phrase of ``length`` characters (as ``index.js`` chooses them)."""
    offsets = list(range(0, length - 2, 3))
    return offsets + [length - 3] if offsets[-1] + 3 < length else offsets


def sample_stride(reports: int) -> int:
    """One report in how many is sampled: a power of two, so that the sample (``SAMPLE`` to twice as many reports)
    changes with the archive's size only when that doubles (with ``reports // SAMPLE`` it changed whenever the
    count crossed a multiple of ``SAMPLE``, one added or deleted report in 500, and with it the phrase lists)."""
    return 1 << max(0, (reports // SAMPLE).bit_length() - 1)


def sample(docs: list[Document]) -> list[Document]:
    """About ``SAMPLE`` of the reports, chosen by their keys' checksums: a report added or changed leaves the
    sample as it was unless it is in it (so that a rebuild can reuse the sample's counts, ``SampleCounts``)."""
    every = sample_stride(len(docs))
    return [doc for doc in docs if doc.checksum % every == 0] or docs[:1]


@dataclass(frozen=True)
class SampleCounts:
    """Per gram of the sample, in how many of its reports it is, and (trigrams) how often it occurs; only the
    grams in at least ``need`` reports (the others cannot get a phrase list, nor verify one that can).
    ``words``: those of them that hold whole words (``ALIGNED_SHARE``), the only ones that may get a list."""

    reports: int
    need: int
    in_reports: dict[str, int]
    occurrences: dict[str, int]
    words: frozenset[str] = frozenset()


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


@cache
def _tokenizer() -> jieba.Tokenizer:
    """jieba's own dictionary: the words of the language, not the archive's names (a place or bureau is a
    run of such words, or one word of its own)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def word_edges(key: str) -> tuple[np.ndarray, np.ndarray]:
    """Per position of the key: whether a run of whole words may start there (a boundary of jieba's cut of the
    line), and before it how many characters are neither letters, digits nor Han (punctuation, spaces)."""
    boundary = np.zeros(len(key) + 1, dtype=bool)
    at = 0
    for line in key.split("\n"):
        for _, start, end in _tokenizer().tokenize(line, HMM=False):
            boundary[at + start] = boundary[at + end] = True
        at += len(line) + 1
    others = np.fromiter((not ch.isalnum() for ch in key), dtype=np.int64, count=len(key))
    return boundary, np.concatenate([[0], np.cumsum(others)])


def _aligned(windows: list[tuple[int, np.ndarray, np.ndarray]], key: str) -> np.ndarray:
    """The hashes of a key's windows that are runs of whole words, without punctuation (each once)."""
    boundary, others = word_edges(key)
    return np.unique(np.concatenate([value[boundary[starts] & boundary[starts + n] & (others[starts + n] == others[starts])]
                                     for n, value, starts in windows]))


def sample_counts(docs: list[Document]) -> SampleCounts:
    """The counts of the sampled reports' grams, with numpy: hashed grams are counted, then the text of the
    common ones is read back from their first report (two passes, so that only hashes are held for all)."""
    hashes, trigrams, times, aligned = [], [], [], []
    for doc in docs:
        windows = _doc_windows(doc)
        aligned.append(_aligned(windows, doc.key))
        for n, value, _ in windows:
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
    as_words, in_words = np.unique(np.concatenate(aligned), return_counts=True)
    keep = np.isin(as_words, common)
    words = {key for key, count in zip(as_words[keep].tolist(), in_words[keep].tolist())
             if count >= ALIGNED_SHARE * reports[key]}
    trigrams, times = np.concatenate(trigrams), np.concatenate(times)
    order = np.argsort(trigrams, kind="stable")
    trigrams, times = trigrams[order], times[order]
    first = np.flatnonzero(np.concatenate([[True], trigrams[1:] != trigrams[:-1]]))
    keep = np.isin(trigrams[first], common)
    occurrences = dict(zip(trigrams[first][keep].tolist(), np.add.reduceat(times, first)[keep].tolist()))
    return SampleCounts(len(docs), need, *_named(docs, common, reports, occurrences, words))


def _named(docs: list[Document], common: np.ndarray, reports: dict[int, int], occurrences: dict[int, int],
           words: set[int]) -> tuple[dict[str, int], dict[str, int], frozenset[str]]:
    """The counts by hash → by gram: each hash's text from the first report that has it."""
    in_reports, trigrams, named_words = {}, {}, set()
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
                if key in words:
                    named_words.add(gram)
            common = common[~np.isin(common, hashed[found])]
    return in_reports, trigrams, frozenset(named_words)


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

    def positions_bytes(trigram: str) -> int:
        return 2 * (counts.in_reports[trigram] + counts.occurrences[trigram])
    # Bytes of the sample, in integers: scaled to the archive only for the threshold.  Ranked by scaled floats,
    # two grams that save the same bytes were ordered by the rounding of the scale: at 100,000 synthetic reports
    # one report added outside the sample swapped two grams at the cap, which changed every report's entries.
    saved = {}
    for gram in counts.words:
        count = counts.in_reports[gram]
        verify = sum(positions_bytes(gram[o:o + 3]) for o in cover(len(gram)))
        if scale * verify >= cover_bytes and 2 * count <= LIST_SHARE * verify:
            saved[gram] = verify - 2 * count
    words_first = sorted(saved, key=lambda gram: (not is_one_word(gram), -saved[gram], gram))
    return frozenset(words_first[:MAX_GRAMS])


def is_one_word(gram: str) -> bool:
    """Whether jieba cuts the gram as one word of its dictionary.  Such grams get their lists before the runs of
    several words under ``MAX_GRAMS``: a natural query is cut into words, and each word's postings are fetched
    whole.  Ranked by bytes alone, the runs of a stock sentence came first (at 100,000 synthetic reports 教育局
    ranked 5,738 of 8,602, behind 3项往年市级科技); only 242 single words qualify, 14 MB of lists."""
    return _tokenizer().lcut(gram, HMM=False) == [gram]


def line_parts(doc: Document) -> list[tuple[str, int]]:
    """Each line of the key with its part: 0 title, 1 names, 2 the rest of the metadata, 3 text."""
    out, at = [], 0
    for line in doc.key.split("\n"):
        part = 0 if at < doc.title_end else 1 if at < doc.names_end else 2 if at < doc.meta_end else 3
        out.append((line, part))
        at += len(line) + 1
    return out


@lru_cache(maxsize=4)
def _automaton(frequent: frozenset[str]) -> ahocorasick.Automaton:
    """The frequent grams in one Aho–Corasick automaton: every occurrence of every gram in one pass of C, 2.4
    times faster than testing each position's trigram in Python (9 s → 4 s of CPU per 10,000 reports, with the
    4,096 grams of issue 24).  Built once per process and set of grams (a pool's worker builds its own)."""
    automaton = ahocorasick.Automaton()
    for gram in frequent:
        automaton.add_word(gram, gram)
    automaton.make_automaton()
    return automaton


def phrase_counts(doc: Document, frequent: frozenset[str]) -> dict[str, int]:
    """Frequent gram → ``occurrences << 2 | part of its first occurrence``, for one report (overlapping
    occurrences count, as positions would count them)."""
    if not frequent:
        return {}
    automaton = _automaton(frequent)
    count: Counter[str] = Counter()
    part_of: dict[str, int] = {}
    for line, part in line_parts(doc):
        for _, gram in automaton.iter(line):
            count[gram] += 1
            part_of.setdefault(gram, part)
    return {gram: occurrences << 2 | part_of[gram] for gram, occurrences in count.items()}
