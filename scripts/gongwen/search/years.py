"""The postings made one year at a time and kept, so that a rebuild merges again only the years whose reports
changed (issue 24: at 100,000 reports, merging every report's entries again took 230 s of a one-report rebuild),
and within such a year only the blocks (a province's reports of the year) that changed.

Reports are numbered by year first, then province (``builder.document_order``).  A **block part** is the
postings of one block's reports, numbered from 0 within the block: per gram its list as ``postings.encode``
makes it (``count, delta, payload, …``, the first delta from 0), with its count and first and last report.  A
**year part** is the same for the year's reports, numbered from 0 within the year, with the places inside each
list where a piece may start (``pieces.cuts_between_blocks``).  A year part is made from its block parts, a key
range at a time, without merging any entry again (:func:`year_of_blocks`): each gram's blocks' lists end to end
under one count, each block's first delta counted from the gram's report before it in the year.  Merging a
year's reports at 100,000 took 20 s of a one-report rebuild; a block of it, about 1 s, and the join 2–3 s.

Each part depends on its reports and on the context of their entries (the part starts and the phrase-list
grams) alone, so a build keeps each by a digest of those (``memos.YearFolder``; :class:`MemoryYears` in a test).

The archive's postings are then **assembled** from the year parts, a range of keys at a time, in the same way:

- a gram of at most ``pieces.SPLIT_BYTES`` is one list: the years' lists end to end under one count, each year's
  first delta counted from the last report of the year before; these are the bytes one merge of every report
  gives (``postings.encode``);
- a bigger gram is cut into pieces (``pieces.py``): each year's list at its cut points, each piece its count, a
  first delta of 0 (from its first report, which the lexicon lists), then its other entries as they were.

Pure: the parts are read and written by ``memos.py``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from .packed import gather, varint_sizes, varints
from . import pieces
from .pieces import Blocks, cuts_between_blocks
from .postings import Postings, lists, sorted_entries

#: Columns of a year part's cut points: the gram (its row in the part), the gram's entries before the cut, where
#: the cut entry's delta starts in the gram's list, that delta's size in bytes, the cut entry's report.
GRAM, ENTRY, OFFSET, DELTA, DOC = range(5)
#: The assembly reads the grams of a key range at a time: each part's keys, this many apart, bound the ranges.
ASSEMBLY_STEP = 1 << 14
#: Part of every part's digest: changes when a part's content would (pieces' sizes, the cut rule; 2: cut by the
#: bytes sent, ``pieces.sent_bytes``).
FORMAT = 2


@dataclass(frozen=True)
class YearPart:
    """One year's postings, or one block's (the module's docstring): per gram (``keys`` ascending), its list in
    ``data[starts:starts + sizes]``, its entries' count and its first and last report (in the year, or the block);
    ``cuts``, one row per cut point (columns :data:`GRAM` … :data:`DOC`), by gram then entry (a block's: none)."""

    keys: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray
    counts: np.ndarray
    first: np.ndarray
    last: np.ndarray
    cuts: np.ndarray
    data: np.ndarray


def year_digest(context: str, digests: list[str], blocks: Blocks) -> str:
    """What a year part is made of: its entries' context, its reports' digests in order, its blocks (the cuts)."""
    made = hashlib.sha256(f"{FORMAT} {context} {blocks.starts.tolist()}".encode("utf-8"))
    for digest in digests:
        made.update(digest.encode("ascii"))
    return made.hexdigest()


def block_digest(context: str, digests: list[str]) -> str:
    """What a block part is made of: its entries' context and its reports' digests in order."""
    made = hashlib.sha256(f"{FORMAT} block {context}".encode("utf-8"))
    for digest in digests:
        made.update(digest.encode("ascii"))
    return made.hexdigest()


def block_encoder(keys: np.ndarray, numbers: np.ndarray, sizes: np.ndarray, payload: np.ndarray) -> YearPart:
    """``postings.ranges_merged``'s encoder for one block's reports (numbered from 0): a key range's part."""
    entries = sorted_entries(keys, numbers, sizes)
    whole = lists(entries, payload)
    ends = entries.gram_at + entries.counts - 1
    return YearPart(whole.keys, whole.starts, whole.sizes, entries.counts, entries.docs[entries.gram_at],
                    entries.docs[ends], np.zeros((0, 5), dtype=np.int64), whole.data)


def joined_parts(parts: list[YearPart]) -> YearPart:
    """The parts of consecutive key ranges of one year as one."""
    grams = np.cumsum([0] + [len(p.keys) for p in parts[:-1]]).astype(np.int64)
    shift = np.cumsum([0] + [len(p.data) for p in parts[:-1]]).astype(np.int64)
    cuts = [p.cuts + np.array([g, 0, 0, 0, 0]) for p, g in zip(parts, grams)]

    def joined(name: str, dtype) -> np.ndarray:
        return np.concatenate([getattr(p, name) for p in parts] or [np.zeros(0, dtype)]).astype(dtype)
    return YearPart(joined("keys", np.uint64),
                    np.concatenate([p.starts + s for p, s in zip(parts, shift)] or [np.zeros(0, np.int64)]),
                    joined("sizes", np.int64), joined("counts", np.int64), joined("first", np.int64),
                    joined("last", np.int64), np.concatenate(cuts or [np.zeros((0, 5), np.int64)]),
                    joined("data", np.uint8))


class MemoryYears:
    """Parts kept in memory, by name (a year, or a block's ``year-province``) with their digest (a build keeps them
    on disk: ``memos.YearFolder``, the same methods); ``made``: the names whose part was made, not found."""

    def __init__(self):
        self.parts: dict[int | str, tuple[str, YearPart]] = {}
        self.made: list[int | str] = []

    def get(self, name: int | str, digest: str) -> YearPart | None:
        found = self.parts.get(name)
        return found[1] if found is not None and found[0] == digest else None

    def put(self, name: int | str, digest: str, ranges) -> YearPart:
        part = joined_parts(list(ranges))
        self.parts[name] = digest, part
        self.made.append(name)
        return part

    def keep_only(self, names: set) -> None:
        self.parts = {name: found for name, found in self.parts.items() if name in names}

    def release(self) -> None:
        """Nothing to let go (``memos.YearFolder.release`` drops the pages of the parts it has read)."""


def released(ranges, parts):
    """Each of ``ranges`` in turn, the ``parts``' pages read for it let go before the next (``release``)."""
    for found in ranges:
        yield found
        parts.release()


@dataclass(frozen=True)
class RangeRows:
    """The years' rows of the grams of one key range, by key (a gram's years in order), as a part whose numbers
    are the archive's (``part.data``: the rows' lists; ``part.cuts[:, GRAM]``: a row here), with each row's first
    report in its own year (``local``)."""

    part: YearPart
    local: np.ndarray


def assembled(parts: list[YearPart], bases: list[int]):
    """The archive's postings from each year's part (``bases``: each year's first report), a key range at a
    time: ``Postings`` with a row per list or piece, as ``postingfiles.posting_stream`` reads them."""
    for rows in _ranges(parts, bases):
        yield assembled_range(rows)


def year_of_blocks(parts: list[YearPart], bases: list[int]):
    """A year's part from its blocks' parts (``bases``: each block's first report in the year), a key range at a
    time (``YearFolder.put`` writes them as they come): the arrays that merging the year's reports at once gives."""
    for rows in _ranges(parts, bases):
        yield _year_range(rows)


def _ranges(parts: list[YearPart], bases: list[int]):
    """The parts' rows, a key range at a time (``range_rows``); the ranges bounded by every part's keys
    :data:`ASSEMBLY_STEP` apart."""
    bounds = sorted({0, *(int(key) for part in parts for key in part.keys[ASSEMBLY_STEP::ASSEMBLY_STEP])})
    for low, high in zip(bounds, [*bounds[1:], None]):
        rows = range_rows(parts, bases, low, high)
        if rows is not None:
            yield rows


def range_rows(parts: list[YearPart], bases: list[int], low: int, high: int | None) -> RangeRows | None:
    """The rows of the keys from ``low`` to before ``high`` (None: the end) of every year, sorted by key."""
    columns: dict[str, list[np.ndarray]] = {name: [] for name in ("keys", "starts", "sizes", "counts", "first",
                                                                   "last", "local", "cuts", "source")}
    held = rows = 0
    for part, base in zip(parts, bases):
        a = int(np.searchsorted(part.keys, np.uint64(low)))
        z = len(part.keys) if high is None else int(np.searchsorted(part.keys, np.uint64(high)))
        if a == z:
            continue
        begin, end = int(part.starts[a]), int(part.starts[z - 1] + part.sizes[z - 1])
        local = np.asarray(part.first[a:z], dtype=np.int64)
        column = np.asarray(part.cuts[:, GRAM])
        cuts = np.array(part.cuts[np.searchsorted(column, a):np.searchsorted(column, z)], dtype=np.int64)
        cuts[:, GRAM] += rows - a
        cuts[:, DOC] += base
        for name, value in (("keys", np.asarray(part.keys[a:z])), ("starts", np.asarray(part.starts[a:z]) - begin + held),
                            ("sizes", part.sizes[a:z]), ("counts", part.counts[a:z]), ("first", local + base),
                            ("last", np.asarray(part.last[a:z], dtype=np.int64) + base), ("local", local),
                            ("cuts", cuts), ("source", np.asarray(part.data[begin:end]))):
            columns[name].append(value)
        held, rows = held + end - begin, rows + z - a
    if not rows:
        return None
    keys = np.concatenate(columns["keys"])
    order = np.argsort(keys, kind="stable")
    row_of = np.empty_like(order)
    row_of[order] = np.arange(len(order))
    cuts = np.concatenate(columns["cuts"])
    cuts[:, GRAM] = row_of[cuts[:, GRAM]]
    cuts = cuts[np.lexsort((cuts[:, ENTRY], cuts[:, GRAM]))]
    arrays = {name: np.concatenate(columns[name]).astype(np.int64)[order]
              for name in ("starts", "sizes", "counts", "first", "last", "local")}
    local = arrays.pop("local")
    return RangeRows(YearPart(keys[order], cuts=cuts, data=np.concatenate(columns["source"]), **arrays), local)


def _grams(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of rows sorted by key: whether each starts its gram's rows, where each gram's rows start, each row's gram."""
    new_gram = np.ones(len(keys), dtype=bool)
    new_gram[1:] = keys[1:] != keys[:-1]
    return new_gram, np.flatnonzero(new_gram), np.cumsum(new_gram) - 1


def assembled_range(rows: RangeRows) -> Postings:
    """One key range's postings from its years' rows (the module's docstring: whole lists, or pieces)."""
    part = rows.part
    new_gram, gram_at, gram_of = _grams(part.keys)
    count_sizes = varint_sizes(part.counts)
    count = np.add.reduceat(1 + np.bincount(part.cuts[:, GRAM], minlength=len(part.keys)), gram_at)
    sent = pieces.sent_bytes(part.keys, part.sizes - count_sizes, part.counts, part.first, part.last)
    is_cut = (np.add.reduceat(sent, gram_at) > pieces.SPLIT_BYTES) & (count > 1)
    per_gram = np.where(is_cut, count, 1)
    row_start = np.cumsum(per_gram) - per_gram
    whole = _whole_segments(rows, new_gram, gram_of, gram_at, is_cut, row_start, count_sizes)
    cut, firsts = _piece_segments(rows, gram_of, is_cut, row_start, count_sizes)
    data, sizes = _laid_out([np.concatenate([a, b]) for a, b in zip(whole, cut)], rows.part.data, int(per_gram.sum()))
    first = np.full(len(sizes), -1, dtype=np.int64)
    first[firsts[0]] = firsts[1]
    return Postings(np.repeat(rows.part.keys[gram_at], per_gram), np.cumsum(sizes) - sizes, sizes, data, first)


def _laid_out(segments: list[np.ndarray], source: np.ndarray, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The output rows' bytes end to end, and each row's size, from the segments (``_whole_segments``: row, order
    in the row, varint value, offset in ``source`` or -1 for a varint, length)."""
    row, seq, varint_values, at, length = segments
    coded, coded_sizes = varints(varint_values[at < 0])
    is_varint = at < 0
    at[is_varint] = np.cumsum(coded_sizes) - coded_sizes
    at[~is_varint] += len(coded)
    length[is_varint] = coded_sizes
    order = np.lexsort((seq, row))
    data = gather(np.concatenate([coded, source]), at[order], length[order])
    return data, np.bincount(row, weights=length, minlength=rows).astype(np.int64)


def _year_range(rows: RangeRows) -> YearPart:
    """One key range of a year's part from its blocks' rows: each gram's one list (as ``assembled_range`` joins
    the years of a gram kept whole), its count, first and last report, and its cut points (``_cut_points``)."""
    part = rows.part
    new_gram, gram_at, gram_of = _grams(part.keys)
    count_sizes = varint_sizes(part.counts)
    whole = _whole_segments(rows, new_gram, gram_of, gram_at, np.zeros(len(gram_at), dtype=bool),
                            np.arange(len(gram_at)), count_sizes)
    data, sizes = _laid_out(list(whole), part.data, len(gram_at))
    totals = np.add.reduceat(part.counts, gram_at)
    ends = np.append(gram_at[1:], len(part.keys)) - 1
    return YearPart(part.keys[gram_at], np.cumsum(sizes) - sizes, sizes, totals, part.first[gram_at], part.last[ends],
                    _cut_points(rows, new_gram, gram_at, gram_of, count_sizes, totals), data)


def _cut_points(rows: RangeRows, new_gram, gram_at, gram_of, count_sizes, totals) -> np.ndarray:
    """The cut points (:data:`GRAM` … :data:`DOC`) of a year's key range from its blocks' rows: each block's bytes
    in the year's list are its own list's, without its count, with its first delta counted in the year."""
    part = rows.part
    before = np.where(new_gram, 0, np.roll(part.last, 1))
    delta_sizes = varint_sizes(part.first - before)
    row_bytes = delta_sizes + part.sizes - count_sizes - varint_sizes(rows.local)
    sent = pieces.sent_bytes(part.keys, row_bytes, part.counts, part.first, part.last)
    big = np.flatnonzero((np.add.reduceat(sent, gram_at) > pieces.PIECE_BYTES)[gram_of])
    at = big[cuts_between_blocks(sent[big], gram_of[big])]
    gram = gram_of[at]
    entries_before, bytes_before = np.cumsum(part.counts) - part.counts, np.cumsum(row_bytes) - row_bytes
    return np.stack([gram, entries_before[at] - entries_before[gram_at[gram]],
                     varint_sizes(totals[gram]) + bytes_before[at] - bytes_before[gram_at[gram]], delta_sizes[at],
                     part.first[at]], axis=1).astype(np.int64).reshape(-1, 5)


def _whole_segments(rows: RangeRows, new_gram, gram_of, gram_at, is_cut, row_start, count_sizes):
    """The segments of the grams kept whole, as (row, order in the row, varint value, source offset or -1 for a
    varint, length): per gram its count, then per year its first delta and the rest of its list."""
    grams = np.flatnonzero(~is_cut)
    totals = np.add.reduceat(rows.part.counts, gram_at)[grams]
    years = np.flatnonzero(~is_cut[gram_of])
    before = np.where(new_gram[years], 0, rows.part.last[years - 1])
    place = years - gram_at[gram_of[years]]
    head = count_sizes[years] + varint_sizes(rows.local[years])
    year_row = row_start[gram_of[years]]
    none = np.full(len(years), -1, dtype=np.int64)
    return (np.concatenate([row_start[grams], year_row, year_row]),
            np.concatenate([np.zeros(len(grams), np.int64), 1 + 2 * place, 2 + 2 * place]),
            np.concatenate([totals, rows.part.first[years] - before, np.zeros(len(years), np.int64)]),
            np.concatenate([np.full(len(grams), -1, np.int64), none, rows.part.starts[years] + head]),
            np.concatenate([np.zeros(len(grams), np.int64), np.zeros(len(years), np.int64), rows.part.sizes[years] - head]))


def _piece_segments(rows: RangeRows, gram_of, is_cut, row_start, count_sizes):
    """The segments of the grams cut into pieces (as ``_whole_segments``): per piece its count, 0 and the rest of
    its entries; and the pieces' rows with their first reports."""
    years = np.flatnonzero(is_cut[gram_of])
    starting = np.stack([years, np.zeros(len(years), np.int64), count_sizes[years], varint_sizes(rows.local[years]),
                         rows.part.first[years]], axis=1)
    cuts = np.concatenate([starting, rows.part.cuts[is_cut[gram_of][rows.part.cuts[:, GRAM]]]])
    cuts = cuts[np.lexsort((cuts[:, ENTRY], cuts[:, GRAM]))]
    year = cuts[:, GRAM]
    same = np.append(year[1:] == year[:-1], False)
    end = np.where(same, np.roll(cuts[:, OFFSET], -1), rows.part.sizes[year])
    count = np.where(same, np.roll(cuts[:, ENTRY], -1), rows.part.counts[year]) - cuts[:, ENTRY]
    gram = gram_of[year]
    starts_gram = np.ones(len(gram), dtype=bool)
    starts_gram[1:] = gram[1:] != gram[:-1]
    number = np.arange(len(gram))
    row = row_start[gram] + number - np.maximum.accumulate(np.where(starts_gram, number, 0))
    skip = cuts[:, OFFSET] + cuts[:, DELTA]
    zeros = np.zeros(len(row), np.int64)
    segments = (np.concatenate([row, row, row]), np.concatenate([zeros, zeros + 1, zeros + 2]),
                np.concatenate([count, zeros, zeros]),  # the first delta, from the piece's own first report
                np.concatenate([zeros - 1, zeros - 1, rows.part.starts[year] + skip]),
                np.concatenate([zeros, zeros, end - skip]))
    return segments, (row, cuts[:, DOC])
