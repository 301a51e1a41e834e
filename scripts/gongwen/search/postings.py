"""Every report's grams (``packed.DocGrams``) → the postings files ``g/…``, with numpy.

A gram's postings are ``count, per document: delta of its number, payload`` (``builder.py`` documents the
format).  The reports' entries are merged a range of packed keys at a time, so that the arrays of one range,
not of the whole archive, are in memory at once; every gram falls in exactly one range, so the ranges do
not change the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .packed import PHRASE_SLOT, SLOT, DocGrams, gather, is_phrase, pack, runs, varints

#: Entries merged at a time (each takes about 150 bytes of arrays while merged).
RANGE_ENTRIES = 1 << 20


@dataclass(frozen=True)
class Postings:
    """Every gram's encoded postings: ``keys`` ascending (packed), ``data[starts[i]:starts[i] + sizes[i]]``."""

    keys: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray
    data: np.ndarray


def key_ranges(docs: list[DocGrams]) -> list[int]:
    """Bounds of the ranges of packed keys merged at a time, ascending, ending past the largest key."""
    total = sum(len(d.keys) for d in docs)
    count = max(1, -(-total // RANGE_ENTRIES))
    sample = np.sort(np.concatenate([d.keys[::64] for d in docs] or [np.zeros(0, dtype=np.uint64)]))
    bounds = [int(sample[len(sample) * i // count]) for i in range(1, count)] if len(sample) else []
    return sorted(set(bounds)) + [END]


#: Past every packed key.
END = 1 << 64


def ranges_merged(docs: list[DocGrams]):
    """The postings of the grams of each key range in turn (``key_ranges``); documents are numbered by their
    place in ``docs``.  Where each range starts in each document is found once, one call per document."""
    if not docs:  # an archive with no report yet
        return
    bounds = key_ranges(docs)
    cuts = np.array([np.searchsorted(doc.keys, bounds[:-1]) for doc in docs], dtype=np.int64).reshape(len(docs), -1)
    cuts = np.concatenate([np.zeros((len(docs), 1), np.int64), cuts, [[len(d.keys)] for d in docs]], axis=1)
    payload_cuts = np.array([np.concatenate([[0], np.cumsum(doc.sizes, dtype=np.int64)])[row]
                             for doc, row in zip(docs, cuts)], dtype=np.int64).reshape(cuts.shape)
    for at in range(len(bounds)):
        counts = cuts[:, at + 1] - cuts[:, at]
        present = np.flatnonzero(counts).tolist()
        if not present:
            continue
        first, last = cuts[:, at].tolist(), cuts[:, at + 1].tolist()
        begin, end = payload_cuts[:, at].tolist(), payload_cuts[:, at + 1].tolist()
        yield encode(np.concatenate([docs[n].keys[first[n]:last[n]] for n in present]),
                     np.repeat(np.arange(len(docs), dtype=np.int32), counts),
                     np.concatenate([docs[n].sizes[first[n]:last[n]] for n in present]).astype(np.int64),
                     np.concatenate([docs[n].payload[begin[n]:end[n]] for n in present]))


def encode(keys: np.ndarray, numbers: np.ndarray, sizes: np.ndarray, payload: np.ndarray) -> Postings:
    """Entries in document order (each document's keys unique) → each gram's ``count, delta, payload, …``."""
    order, keys, deltas, gram_at, counts = runs(keys, numbers)  # documents stay in order within a gram
    payload_at = (np.cumsum(sizes) - sizes)[order]
    sizes = sizes[order]
    count_bytes, count_sizes = varints(counts)
    delta_bytes, delta_sizes = varints(deltas)
    # three sources end to end, then gathered in order: per gram its count, then per entry delta and payload
    source = np.concatenate([count_bytes, delta_bytes, payload])
    count_at = np.cumsum(count_sizes) - count_sizes
    delta_at = len(count_bytes) + np.cumsum(delta_sizes) - delta_sizes
    segments = np.empty((len(keys) * 2,), dtype=np.int64)
    segments[0::2], segments[1::2] = delta_at, len(count_bytes) + len(delta_bytes) + payload_at
    lengths = np.empty_like(segments)
    lengths[0::2], lengths[1::2] = delta_sizes, sizes
    where = gram_at * 2
    segments = np.insert(segments, where, count_at)
    lengths = np.insert(lengths, where, count_sizes)
    data = gather(source, segments, lengths)
    gram_sizes = count_sizes + np.add.reduceat(delta_sizes + sizes, gram_at) if len(gram_at) else count_sizes
    return Postings(keys[gram_at], np.cumsum(gram_sizes) - gram_sizes, gram_sizes, data)


def all_postings(docs: list[DocGrams]) -> Postings:
    """The postings of every gram of the reports, range by range, joined."""
    parts = list(ranges_merged(docs))
    if not parts:
        return Postings(*(np.zeros(0, dtype=t) for t in (np.uint64, np.int64, np.int64, np.uint8)))
    shift = np.cumsum([0] + [len(p.data) for p in parts[:-1]])
    return Postings(np.concatenate([p.keys for p in parts]), np.concatenate([p.starts + s for p, s in zip(parts, shift)]),
                    np.concatenate([p.sizes for p in parts]), np.concatenate([p.data for p in parts]))


def code_table(keys: np.ndarray, phrases: list[str]) -> np.ndarray:
    """Each packed key's gram as a row of code points, -1 after its end (a phrase list: 1, then its gram's)."""
    width = max([3] + [len(p) + 1 for p in phrases])
    table = np.full((len(keys), width), -1, dtype=np.int64)
    for column, shift in enumerate((2 * SLOT, SLOT, 0)):
        table[:, column] = ((keys >> np.uint64(shift)) & np.uint64((1 << SLOT) - 1)).astype(np.int64) - 1
    phrase = is_phrase(keys)
    if phrase.any():
        rows = np.full((len(phrases), width), -1, dtype=np.int64)
        for rank, gram in enumerate(phrases):
            rows[rank, :len(gram) + 1] = [1, *map(ord, gram)]
        table[phrase] = rows[(keys[phrase] & np.uint64((1 << 2 * SLOT) - 1)).astype(np.int64)]
    return table


def bucket_numbers(table: np.ndarray, buckets: int) -> np.ndarray:
    """``builder.bucket_of`` of every gram, vectorised over the grams (the browser computes the same)."""
    present = table >= 0
    value = present.sum(axis=1) % buckets
    for column in range(table.shape[1]):
        value = np.where(present[:, column], (value * 7919 + table[:, column]) % buckets, value)
    return value


def headers(table: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A bucket entry's header for every gram: ``n, n code points, length``; bytes end to end, and each one's size."""
    present = table >= 0
    values = np.concatenate([present.sum(axis=1, keepdims=True), table, sizes[:, None]], axis=1)
    keep = np.concatenate([np.ones((len(table), 1), bool), present, np.ones((len(table), 1), bool)], axis=1)
    data, each = varints(values[keep])  # row by row: a gram's values in order
    group = np.repeat(np.arange(len(table)), keep.sum(axis=1))
    return data, np.bincount(group, weights=each, minlength=len(table)).astype(np.int64)


class PackedGrams:
    """The archive's characters, bigrams and trigrams (not names grams, not phrase lists), for ``in``."""

    def __init__(self, keys: np.ndarray):
        self.keys = set(keys[(keys >> np.uint64(2 * SLOT)) > PHRASE_SLOT].tolist())

    def __contains__(self, gram: str) -> bool:
        return 0 < len(gram) <= 3 and pack(gram) in self.keys
