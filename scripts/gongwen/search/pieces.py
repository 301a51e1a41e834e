"""A big gram's postings cut into pieces by year and province, so that a query limited to a year or a province
fetches only the pieces of its reports (issue 24: at 100,000 reports a common trigram's postings are hundreds of
KB, and a search of one province's reports fetched all of them).

Reports are numbered by year, then province, then id (``builder.document_order``), so a year, and a province
within a year, is a range of report numbers: a *block*.  A gram whose postings take more than
:data:`SPLIT_BYTES` gets one file per *piece*: consecutive blocks of one year, up to about
:data:`PIECE_BYTES` (the cuts inside a year are found from that year's reports alone, ``years.py``).  A piece is a postings list of its own (its first delta counts from 0, like a whole
list's), named by the number of its first report; the lexicon shard lists each piece's first report and size
(``lexicon.lexicon_files``), so the browser picks the pieces whose reports a query's filters allow.  A gram in
pieces is read by decoding its pieces in order: the same reports and positions as the whole list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Postings of more than this many bytes are cut into pieces (below it a filtered query saves little).
SPLIT_BYTES = 32 * 1024
#: A piece gathers the consecutive provinces of one year up to about this many bytes (fewer, bigger pieces keep
#: the lexicon shard's list of them short; smaller ones fetch less for one province).
PIECE_BYTES = 16 * 1024


@dataclass(frozen=True)
class Blocks:
    """Where each block of reports (one province's reports of one year) starts, ascending from 0, with its year
    and province (numbers into ``provinces``, the provinces' names in order, ``""`` for none)."""

    starts: np.ndarray
    years: np.ndarray
    province: np.ndarray
    provinces: tuple[str, ...]

    def meta(self) -> list[int]:
        """``meta.json``'s ``blocks``: the start and the province number of each block, end to end (the browser
        turns a province filter into ranges of reports with it; the years are ``meta.json``'s ``years``)."""
        return [int(v) for pair in zip(self.starts.tolist(), self.province.tolist()) for v in pair]


def blocks_of(orders: list[tuple[int, str]]) -> Blocks:
    """The blocks of reports given each report's (year, province name), in report order."""
    provinces = tuple(sorted({province for _, province in orders}))
    number = {name: n for n, name in enumerate(provinces)}
    starts = [at for at, order in enumerate(orders) if at == 0 or order != orders[at - 1]]
    return Blocks(np.array(starts, dtype=np.int64), np.array([orders[at][0] for at in starts], dtype=np.int64),
                  np.array([number[orders[at][1]] for at in starts], dtype=np.int64), provinces)


def piece_cuts(docs: np.ndarray, entry_bytes: np.ndarray, gram_at: np.ndarray, counts: np.ndarray,
               blocks: Blocks) -> np.ndarray:
    """Within one year's entries (sorted by gram, then report; ``blocks`` the year's): which entries would start a
    piece other than their gram's first if the gram is cut (``years.py`` cuts the grams of more than
    :data:`SPLIT_BYTES` in all years): a block that would take its piece past :data:`PIECE_BYTES`.  Only a gram
    whose entries pass ``PIECE_BYTES`` in the year can have one; sizes count each entry's delta as in the year
    alone (its first from 0), so that a year's pieces depend on its reports only."""
    cut = np.zeros(len(docs), dtype=bool)
    if not len(gram_at):
        return cut
    gram_bytes = np.add.reduceat(entry_bytes, gram_at)
    for gram in np.flatnonzero(gram_bytes > PIECE_BYTES).tolist():
        first, end = int(gram_at[gram]), int(gram_at[gram] + counts[gram])
        block = np.searchsorted(blocks.starts, docs[first:end], side="right") - 1
        runs = np.flatnonzero(np.diff(block, prepend=-1))
        held = 0
        for run, size in zip(runs.tolist(), np.add.reduceat(entry_bytes[first:end], runs).tolist()):
            if held and held + size > PIECE_BYTES:
                cut[first + run], held = True, 0
            held += size
    return cut
