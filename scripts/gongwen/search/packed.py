"""The grams of one report as numpy arrays, and LEB128 varints encoded many at a time.

Building the index one Python call per (gram, report) took 131 s at 10,000 reports (45 million pairs), and
every build re-did every report.  Here a report's grams are computed once, as arrays that a later build reuses
when the report's search key is the same (``postings.py`` merges them), and the work is done by numpy.

A gram (a tuple of code points, ``builder.gram_key``) is *packed* into one integer that sorts like the tuple:
three slots of 21 bits, each a code point plus one (0: no character), first slot highest.  Names grams start
with code point 0 (slot 1); phrase lists (code point 1, slot 2) hold their rank among the phrase-list grams
instead of code points, since those grams are longer than three characters.  Keys never contain code points
0 or 1 (``analyzer.search_key`` drops control characters), so every other gram has a first slot of 3 or more.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

import numpy as np

from .analyzer import Document

#: Bits of a slot: every code point plus one fits (0x10FFFF + 1 < 2**21).
SLOT = 21
#: The first slot of a phrase list's packed key (its code point 1, plus one).
PHRASE_SLOT = 2
#: The first slot of a names gram's packed key (its code point 0, plus one).
NAMES_SLOT = 1
NEWLINE = ord("\n")


def varint_sizes(values: np.ndarray) -> np.ndarray:
    """How many bytes the LEB128 of each value takes."""
    values = values.astype(np.uint64, copy=False)
    sizes = np.ones(len(values), dtype=np.int64)
    for bits in (7, 14, 21, 28, 35, 42, 49, 56):
        sizes += values >= (1 << bits)
    return sizes


def varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LEB128 of every value (7 bits a byte, high bit on all but the last), end to end; and each one's size."""
    values = values.astype(np.uint64, copy=False)
    sizes = varint_sizes(values)
    starts = np.cumsum(sizes) - sizes
    out = np.empty(int(sizes.sum()), dtype=np.uint8)
    for byte in range(int(sizes.max(initial=0))):
        more = sizes > byte
        low = ((values[more] >> np.uint64(7 * byte)) & np.uint64(0x7F)).astype(np.uint8)
        out[starts[more] + byte] = low | np.where(sizes[more] > byte + 1, 0x80, 0).astype(np.uint8)
    return out, sizes


def pack(gram: str) -> int:
    """A gram of one to three characters (or a names gram) as its packed key."""
    value = 0
    for slot in range(3):
        value = (value << SLOT) | (ord(gram[slot]) + 1 if slot < len(gram) else 0)
    return value


def unpack(key: int) -> tuple[int, ...]:
    """A packed key (not a phrase list's) → the gram's code points."""
    slots = [(key >> (SLOT * shift)) & ((1 << SLOT) - 1) for shift in (2, 1, 0)]
    return tuple(slot - 1 for slot in slots if slot)


def phrase_key(rank: int) -> int:
    """The packed key of the phrase list of the ``rank``-th phrase-list gram (in sorted order)."""
    return (PHRASE_SLOT << (2 * SLOT)) | rank


def is_phrase(keys: np.ndarray) -> np.ndarray:
    return (keys >> np.uint64(2 * SLOT)) == PHRASE_SLOT


def without_payload(keys: np.ndarray) -> np.ndarray:
    """Whether each key's postings entries are a report number alone (a gram of one or two characters, or a
    names gram); a trigram's carry its positions, a phrase list's its count."""
    first, last = keys >> np.uint64(2 * SLOT), keys & np.uint64((1 << SLOT) - 1)
    return (first == NAMES_SLOT) | ((first > PHRASE_SLOT) & (last == 0))


@dataclass(frozen=True)
class DocGrams:
    """One report's postings entries without its document number: ``keys`` ascending; for each, ``sizes`` bytes
    of ``payload`` (none for characters and bigrams; ``n, position deltas`` for a trigram; the value of a
    phrase list)."""

    keys: np.ndarray
    sizes: np.ndarray
    payload: np.ndarray


#: A compact entries string's header: entries, payload bytes, bytes per size.
_COMPACT = struct.Struct("<IIB")


def compact(grams: DocGrams) -> bytes:
    """A report's entries as one zlib string (keys as deltas): about 23 KB a report instead of the arrays' 60 KB.
    Every report's entries are held until the merge (the memo keeps them), so this is most of the index
    builder's memory (``postings.py`` expands each once)."""
    width = 1 if not len(grams.sizes) or grams.sizes.max() < 1 << 8 else 2 if grams.sizes.max() < 1 << 16 else 4
    body = (np.diff(grams.keys, prepend=np.uint64(0)).astype("<u8").tobytes() + grams.sizes.astype(f"<u{width}").tobytes()
            + grams.payload.tobytes())
    return _COMPACT.pack(len(grams.keys), len(grams.payload), width) + zlib.compress(body, 1)


def entry_count(entries: bytes) -> int:
    """The number of entries of a ``compact`` string, without expanding it."""
    return _COMPACT.unpack_from(entries)[0]


def expand(entries: bytes) -> DocGrams:
    """``compact``'s string → the report's entries."""
    count, payload, width = _COMPACT.unpack_from(entries)
    body = zlib.decompress(memoryview(entries)[_COMPACT.size:])
    keys = np.cumsum(np.frombuffer(body, "<u8", count), dtype=np.uint64)
    sizes = np.frombuffer(body, f"<u{width}", count, 8 * count).astype(np.uint32)
    return DocGrams(keys, sizes, np.frombuffer(body, np.uint8, payload, (8 + width) * count))


def _codes(line_text: str) -> np.ndarray:
    return np.frombuffer(line_text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) + 1


def _slotted(*columns: np.ndarray) -> np.ndarray:
    key = np.zeros(len(columns[0]), dtype=np.uint64)
    for column in columns:
        key = (key << np.uint64(SLOT)) | column
    return key << np.uint64(SLOT * (3 - len(columns)))


def short_grams(text: str, names: bool = False) -> np.ndarray:
    """Packed keys of the characters and bigrams of ``text`` (none across a newline), unique and sorted;
    ``names``: as names grams (code point 0 in front)."""
    codes = _codes(text)
    if not len(codes):
        return np.zeros(0, dtype=np.uint64)
    keep = codes != NEWLINE + 1
    pair = keep[:-1] & keep[1:]
    if names:
        mark = np.full(len(codes), NAMES_SLOT, dtype=np.uint64)
        grams = [_slotted(mark[keep], codes[keep]), _slotted(mark[1:][pair], codes[:-1][pair], codes[1:][pair])]
    else:
        grams = [_slotted(codes[keep]), _slotted(codes[:-1][pair], codes[1:][pair])]
    return np.unique(np.concatenate(grams))


def trigram_entries(doc: Document, shifts: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Packed keys of the key's trigrams (none across a newline), unique and sorted, with each one's payload
    (``n, position deltas`` of its indexed positions) and payload sizes.  ``shifts`` as in ``builder.indexed_parts``."""
    codes = _codes(doc.key)
    if len(codes) < 3:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    at = np.arange(len(codes) - 2)
    begins = np.array([begin for begin, _ in shifts], dtype=np.int64)
    ends = np.append(begins[1:], len(codes))
    part = np.searchsorted(begins, at, side="right") - 1
    newline = codes == NEWLINE + 1
    ok = (at + 2 < ends[part]) & ~(newline[:-2] | newline[1:-1] | newline[2:])
    keys = _slotted(codes[:-2][ok], codes[1:-1][ok], codes[2:][ok])
    indexed = at[ok] - begins[part[ok]] + np.array([start for _, start in shifts], dtype=np.int64)[part[ok]]
    _, keys, deltas, starts, counts = runs(keys, indexed)  # positions ascending within each gram
    # one value list: per gram its count, then its position deltas
    values = np.insert(deltas, starts, counts)
    payload, sizes = varints(values)
    group = np.repeat(np.arange(len(starts)), counts + 1)
    return keys[starts], np.bincount(group, weights=sizes).astype(np.int64), payload


def runs(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Entries sorted by key, keeping their order within a key: the order, the sorted keys, each value minus the
    one before it under the same key (the first: minus 0), and where each key's run starts and its length."""
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order].astype(np.int64)
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    previous = np.zeros(len(keys), dtype=np.int64)
    previous[1:] = values[:-1]
    starts = np.flatnonzero(first)
    return order, keys, values - np.where(first, 0, previous), starts, np.diff(np.append(starts, len(keys)))


def doc_grams(doc: Document, shifts: list[tuple[int, int]], phrases: dict[int, int]) -> DocGrams:
    """Every postings entry of one report: characters, bigrams, names grams, trigrams, phrase lists.

    ``phrases``: this report's phrase-list values by the gram's rank (``frequent.phrase_counts``)."""
    plain = np.union1d(short_grams(doc.key), short_grams(doc.key[:doc.names_end], names=True))
    tri_keys, tri_sizes, tri_payload = trigram_entries(doc, shifts)
    ranks = sorted(phrases)
    phrase_bytes, phrase_sizes = varints(np.array([phrases[r] for r in ranks], dtype=np.uint64))
    keys = np.concatenate([plain, np.array([phrase_key(r) for r in ranks], dtype=np.uint64), tri_keys])
    sizes = np.concatenate([np.zeros(len(plain), dtype=np.int64), phrase_sizes, tri_sizes])
    payload = np.concatenate([phrase_bytes, tri_payload])
    order = np.argsort(keys, kind="stable")
    # payloads were laid out in the concatenation order: put them in key order
    return DocGrams(keys[order], sizes[order].astype(np.uint32), gather(payload, _starts(sizes)[order], sizes[order]))


def _starts(sizes: np.ndarray) -> np.ndarray:
    sizes = sizes.astype(np.int64, copy=False)
    return np.cumsum(sizes) - sizes


#: Bytes gathered at a time (the index arrays take 8 bytes per byte gathered).
GATHER_BYTES = 1 << 22
#: Segments of at least this many bytes are copied one by one, a slice each (a ``memcpy``), when they hold most of
#: the bytes: an index a byte moved the assembly's 2.3 GB at 250 MB/s (9 s of a one-report rebuild at 100,000
#: reports), and 99 % of those bytes are in segments of hundreds of bytes.  A merge's segments (a delta and a
#: report's payload) are mostly shorter: gathered by index, as before.
LONG_SEGMENT = 128


def gather(source: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The segments ``source[start:start + size]``, end to end, in the order given."""
    sizes = sizes.astype(np.int64, copy=False)
    starts = starts.astype(np.int64, copy=False)
    ends = np.cumsum(sizes)
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    long = sizes >= LONG_SEGMENT
    if 2 * int(sizes[long].sum()) <= len(out):
        _gather_by_index(source, starts, sizes, ends, out)
        return out
    taken, into = memoryview(np.ascontiguousarray(source)), memoryview(out)
    for at, start, size in zip((ends - sizes)[long].tolist(), starts[long].tolist(), sizes[long].tolist()):
        into[at:at + size] = taken[start:start + size]
    short = np.flatnonzero(~long)
    _gather_by_index(source, starts[short], sizes[short], np.cumsum(sizes[short]), out, (ends - sizes)[short])
    return out


def _gather_by_index(source: np.ndarray, starts: np.ndarray, sizes: np.ndarray, ends: np.ndarray, out: np.ndarray,
                     into: np.ndarray | None = None) -> None:
    """The segments into ``out``, end to end (``into``: each one's place in ``out`` instead), with an index a byte,
    :data:`GATHER_BYTES` at a time; ``ends``: the segments' cumulative sizes."""
    first = 0
    while first < len(sizes):
        done = int(ends[first] - sizes[first])
        last = max(first + 1, int(np.searchsorted(ends, done + GATHER_BYTES, side="right")))
        part_sizes = sizes[first:last]
        offsets = np.arange(int(ends[last - 1]) - done) - np.repeat(ends[first:last] - part_sizes - done, part_sizes)
        taken = source[np.repeat(starts[first:last], part_sizes) + offsets]
        if into is None:
            out[done:int(ends[last - 1])] = taken
        else:
            out[np.repeat(into[first:last], part_sizes) + offsets] = taken
        first = last
