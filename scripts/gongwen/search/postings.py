"""Every report's grams (``packed.compact`` strings) → the postings files ``g/…``, with numpy.

A gram's postings are ``count, per document: delta of its number, payload`` (``builder.py`` documents the
format).  The reports' entries are merged a range of packed keys at a time, so that the arrays of one range,
not of the whole archive, are in memory at once; every gram falls in exactly one range, so the ranges do
not change the bytes.  The merge is external: a first pass expands the reports a chunk at a time and
puts each range's part of them into a ``spill`` (kept in memory, or on disk by the build:
``memos.SpillFolder``); a second pass merges each range from its pieces.  So no report's entries are
held expanded beyond its chunk (at 100,000 reports they were 6 GB of the 12 GB the index took).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .packed import PHRASE_SLOT, SLOT, entry_count, expand, gather, is_phrase, pack, runs, varints

#: Entries merged at a time (each takes about 150 bytes of arrays while merged).
RANGE_ENTRIES = 1 << 19
#: Reports expanded at a time in the first pass.
CHUNK_DOCS = 64
#: Reports whose keys choose the ranges' bounds (the bounds change no byte, only how even the ranges are).
SAMPLE_DOCS = 256


class MemorySpill:
    """Where the first pass puts each range's pieces: in memory (a build puts them on disk, same methods)."""

    def __init__(self):
        self.pieces: dict[int, list[bytes]] = defaultdict(list)

    def add(self, number: int, piece: bytes) -> None:
        self.pieces[number].append(piece)

    def take(self, number: int) -> list[bytes]:
        return self.pieces.pop(number, [])


@dataclass(frozen=True)
class Postings:
    """Every gram's encoded postings: ``keys`` ascending (packed), ``data[starts[i]:starts[i] + sizes[i]]``.  A
    gram cut into pieces (``pieces.py``) has a row per piece, with its first report in ``first`` (else -1)."""

    keys: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray
    data: np.ndarray
    first: np.ndarray | None = None

    def firsts(self) -> np.ndarray:
        return self.first if self.first is not None else np.full(len(self.keys), -1, dtype=np.int64)


def key_ranges(docs: list[bytes]) -> list[int]:
    """Bounds of the ranges of packed keys merged at a time, ascending, ending past the largest key (from the
    keys of up to ``SAMPLE_DOCS`` reports spread over the archive; only those are read, so that ``docs`` may
    compute each report's entries when asked: ``entries.Entries``)."""
    chosen = docs[::max(1, len(docs) // SAMPLE_DOCS)]
    total = sum(entry_count(d) for d in chosen) * len(docs) // max(1, len(chosen))  # the sample's, scaled
    count = max(1, -(-total // RANGE_ENTRIES))
    sample = np.sort(np.concatenate([expand(d).keys[::16] for d in chosen] or [np.zeros(0, dtype=np.uint64)]))
    bounds = [int(sample[len(sample) * i // count]) for i in range(1, count)] if len(sample) else []
    return sorted(set(bounds)) + [END]


#: Past every packed key.
END = 1 << 64
#: A spilled piece: its entries' keys, document numbers and sizes (as ``PIECE_TYPES``), then payload.
PIECE_TYPES = ("<u8", "<i4", "<u4")


def ranges_merged(docs: list[bytes], spill=None, encoder=None):
    """The postings of the grams of each key range in turn (``key_ranges``); documents are numbered by their
    place in ``docs``.  First pass: each chunk of reports expanded, its entries put in range order (a
    stable sort: documents stay in order within a range) and each range's piece spilled; second pass: each
    range's pieces, in chunk order, merged.  ``encoder``: what each range's entries become (``encode``: the
    postings; ``years.block_encoder``: a block's part of them)."""
    _, ranges = next(groups_merged(docs, [0], spill, encoder))
    yield from ranges


def groups_merged(docs: list[bytes], starts: list[int], spill=None, encoder=None):
    """:func:`ranges_merged` of each group of consecutive documents apart (``starts``: where each begins,
    ascending from 0), in one first pass over them all: ``(group, its ranges' postings)`` in turn, its documents
    numbered from 0, each group's ranges to be read before the next group's.  The blocks of a year
    (``years.py``) are merged so, the pool computing their reports' entries ahead across blocks."""
    bounds = key_ranges(docs)
    spill = spill if spill is not None else MemorySpill()
    encoder = encoder or encode
    inner = np.array(bounds[:-1], dtype=np.uint64)
    group_starts = np.array(starts, dtype=np.int64)
    for first in range(0, len(docs), CHUNK_DOCS):
        grams = [expand(d) for d in docs[first:first + CHUNK_DOCS]]
        keys = np.concatenate([g.keys for g in grams])
        numbers = np.repeat(np.arange(first, first + len(grams), dtype=np.int64), [len(g.keys) for g in grams])
        sizes = np.concatenate([g.sizes for g in grams]).astype(np.int64)
        group = np.searchsorted(group_starts, numbers, side="right") - 1
        which = group * len(bounds) + np.searchsorted(inner, keys, side="right")
        numbers = numbers - group_starts[group]
        order = np.argsort(which, kind="stable")
        payload = gather(np.concatenate([g.payload for g in grams]), (np.cumsum(sizes) - sizes)[order], sizes[order])
        keys, numbers, sizes = keys[order], numbers[order], sizes[order]
        ends = np.cumsum(np.bincount(which, minlength=len(bounds) * len(starts)))
        payload_ends = np.concatenate([[0], np.cumsum(sizes)])[ends]
        for at in np.flatnonzero(np.diff(ends, prepend=0)).tolist():
            a, b = (int(ends[at - 1]) if at else 0), int(ends[at])
            arrays = [array.astype(kind, copy=False) for array, kind in zip((keys[a:b], numbers[a:b], sizes[a:b]),
                                                                             PIECE_TYPES)]
            body = payload[int(payload_ends[at - 1]) if at else 0:int(payload_ends[at])]
            spill.add(at, b"".join([(b - a).to_bytes(4, "little"), *arrays, body]))  # one copy of each array
    for group in range(len(starts)):
        yield group, _ranges_of(spill, group * len(bounds), len(bounds), encoder)


def _ranges_of(spill, first: int, count: int, encoder):
    """The encoded ranges of one group, from its pieces in the spill (numbered ``first`` on)."""
    for at in range(first, first + count):
        pieces = [_piece(p) for p in spill.take(at)]
        if pieces:
            yield encoder(*(np.concatenate([p[n] for p in pieces]) for n in range(4)))


def _piece(piece: bytes) -> tuple[np.ndarray, ...]:
    """A spilled piece → its keys, document numbers, sizes (int64) and payload."""
    count, data = int.from_bytes(piece[:4], "little"), memoryview(piece)[4:]
    keys = np.frombuffer(data, "<u8", count)
    numbers = np.frombuffer(data, "<i4", count, 8 * count)
    sizes = np.frombuffer(data, "<u4", count, 12 * count).astype(np.int64)
    return keys, numbers, sizes, np.frombuffer(data, np.uint8, -1, 16 * count)


@dataclass(frozen=True)
class SortedEntries:
    """Entries sorted by gram, then report: each entry's gram key, report, delta from the gram's report before
    (the first: its report), payload size and payload offset; where each gram's entries start, and how many."""

    keys: np.ndarray
    docs: np.ndarray
    deltas: np.ndarray
    sizes: np.ndarray
    payload_at: np.ndarray
    gram_at: np.ndarray
    counts: np.ndarray


def sorted_entries(keys: np.ndarray, numbers: np.ndarray, sizes: np.ndarray) -> SortedEntries:
    """Entries in document order (each document's keys unique), sorted by gram (``packed.runs``)."""
    order, keys, deltas, gram_at, counts = runs(keys, numbers)  # documents stay in order within a gram
    return SortedEntries(keys, numbers[order].astype(np.int64), deltas, sizes[order],
                         (np.cumsum(sizes) - sizes)[order], gram_at, counts)


def encode(keys: np.ndarray, numbers: np.ndarray, sizes: np.ndarray, payload: np.ndarray) -> Postings:
    """Entries in document order (each document's keys unique) → each gram's ``count, delta, payload, …``."""
    return lists(sorted_entries(keys, numbers, sizes), payload)


def lists(entries: SortedEntries, payload: np.ndarray) -> Postings:
    """Each gram's postings list, ``count, delta, payload, …``, from its sorted entries."""
    gram_at, counts, sizes = entries.gram_at, entries.counts, entries.sizes
    count_bytes, count_sizes = varints(counts)
    delta_bytes, delta_sizes = varints(entries.deltas)
    # three sources end to end, then gathered in order: per gram its count, then per entry delta and payload
    source = np.concatenate([count_bytes, delta_bytes, payload])
    count_at = np.cumsum(count_sizes) - count_sizes
    delta_at = len(count_bytes) + np.cumsum(delta_sizes) - delta_sizes
    segments = np.empty((len(entries.keys) * 2,), dtype=np.int64)
    segments[0::2], segments[1::2] = delta_at, len(count_bytes) + len(delta_bytes) + entries.payload_at
    lengths = np.empty_like(segments)
    lengths[0::2], lengths[1::2] = delta_sizes, sizes
    where = gram_at * 2
    segments = np.insert(segments, where, count_at)
    lengths = np.insert(lengths, where, count_sizes)
    data = gather(source, segments, lengths)
    gram_sizes = count_sizes + np.add.reduceat(delta_sizes + sizes, gram_at) if len(gram_at) else count_sizes
    return Postings(entries.keys[gram_at], np.cumsum(gram_sizes) - gram_sizes, gram_sizes, data)


def all_postings(docs: list[bytes], spill=None) -> Postings:
    """The postings of every gram of the reports (``packed.compact`` strings), range by range, joined;
    ``spill``: where the merge's first pass puts its pieces (``MemorySpill`` when not given)."""
    return joined(list(ranges_merged(docs, spill)))


def joined(parts: list[Postings]) -> Postings:
    """The postings of consecutive key ranges as one; each range's bytes are copied into place and let go, so
    that they are never held twice."""
    if not parts:
        return Postings(*(np.zeros(0, dtype=t) for t in (np.uint64, np.int64, np.int64, np.uint8)))
    shift = np.cumsum([0] + [len(p.data) for p in parts[:-1]])
    keys, starts, sizes = (np.concatenate([getattr(p, name) for p in parts]) for name in ("keys", "starts", "sizes"))
    starts = starts + np.repeat(shift, [len(p.keys) for p in parts]).astype(np.int64)
    first = np.concatenate([p.firsts() for p in parts]) if any(p.first is not None for p in parts) else None
    data = np.empty(sum(len(p.data) for p in parts), dtype=np.uint8)
    at = 0
    for number in range(len(parts)):
        part, parts[number] = parts[number].data, None
        data[at:at + len(part)] = part
        at += len(part)
    return Postings(keys, starts, sizes, data, first)


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
    """The archive's characters, bigrams and trigrams (not names grams, not phrase lists), for ``in``; held as
    one sorted array (a set of Python integers took about 80 bytes a gram, millions of grams at 100,000 reports)."""

    def __init__(self, keys: np.ndarray):
        self.keys = np.unique(keys[(keys >> np.uint64(2 * SLOT)) > PHRASE_SLOT])

    def __contains__(self, gram: str) -> bool:
        if not 0 < len(gram) <= 3:
            return False
        key = np.uint64(pack(gram))
        at = int(np.searchsorted(self.keys, key))
        return at < len(self.keys) and self.keys[at] == key
