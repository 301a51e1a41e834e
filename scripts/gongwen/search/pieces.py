"""A big gram's postings cut into pieces by year and province, so that a query limited to a year or a province
fetches only the pieces of its reports (issue 24: at 100,000 reports a common trigram's postings are hundreds of
KB, and a search of one province's reports fetched all of them).

Reports are numbered by year, then province, then id (``builder.document_order``), so a year, and a province
within a year, is a range of report numbers: a *block*.  A gram whose postings take more than
:data:`SPLIT_BYTES` (as sent gzipped, :func:`sent_bytes`) gets one file per *piece*: consecutive blocks of one year, up to about
:data:`PIECE_BYTES` (the cuts inside a year are found from that year's reports alone, ``years.py``).  A piece is a postings list of its own whose
first delta counts from its first report (so 0), named by its first block (:meth:`Blocks.names`): a report added
or deleted changes neither the name nor the bytes of the pieces of other years, nor of its year's blocks before
its own (at 100,000 reports, numbering the pieces by report rewrote 85,000 of them after one report was added).  The lexicon shard lists each piece's first report and size
(``lexicon.lexicon_files``), so the browser picks the pieces whose reports a query's filters allow and decodes
each from its first report: the same reports and positions as the whole list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .packed import without_payload

#: Postings of more than this many bytes are cut into pieces (below it a filtered query saves little).
SPLIT_BYTES = 32 * 1024
#: A piece gathers the consecutive provinces of one year up to about this many bytes (fewer, bigger pieces keep
#: the lexicon shard's list of them short; smaller ones fetch less for one province).
PIECE_BYTES = 16 * 1024


def sent_bytes(keys: np.ndarray, sizes: np.ndarray, counts: np.ndarray, first: np.ndarray,
               last: np.ndarray) -> np.ndarray:
    """About the bytes that a static host sends gzipped of each list (``sizes`` bytes, ``counts`` entries from
    report ``first`` to ``last``), which the cuts into pieces are about: its size, less, for a list without payload
    (``packed.without_payload``), one byte for each delta that is surely 1 (the report after the one before), at
    least ``2 × count − span − 1`` of them.  Such deltas compress to almost nothing: at 100,000 reports ``报告``
    (in every report) took 100 KB in 10 pieces, 484 bytes gzipped, and a natural query with 报告 fetched them and
    its names gram's 10 as 20 requests of a query's 94 (issue 24)."""
    consecutive = np.maximum(0, 2 * counts - (last - first + 1) - 1)
    return np.where(without_payload(keys), np.maximum(sizes - consecutive, 1), sizes)


@dataclass(frozen=True)
class Blocks:
    """Where each block of reports (one province's reports of one year) starts, ascending from 0, with its year
    and province (numbers into ``provinces``, the provinces' names in order, ``""`` for none)."""

    starts: np.ndarray
    years: np.ndarray
    province: np.ndarray
    provinces: tuple[str, ...]

    def names(self) -> list[str]:
        """Each block's name in the index's file names (``t/``, a piece's ``g/``): its year and its province's
        number, ``2023-12``; a report added or deleted in another block leaves it, and its files, as they are."""
        return [f"{year}-{province}" for year, province in zip(self.years.tolist(), self.province.tolist())]

    def of(self, numbers: np.ndarray) -> np.ndarray:
        """The block of each report number."""
        return np.searchsorted(self.starts, numbers, side="right") - 1

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


def cuts_between_blocks(sizes: np.ndarray, gram_of: np.ndarray) -> np.ndarray:
    """Within one year's list of each big gram: which of its blocks start a piece other than the gram's first.
    ``sizes``: each block's bytes of the gram's entries as in the year's list (its first delta from the gram's
    report before it in the year, the year's first from 0), in order; ``gram_of``: each one's gram (consecutive).
    A block that would take its piece past :data:`PIECE_BYTES` starts a new one (``years.py`` cuts the grams of
    more than :data:`SPLIT_BYTES` in all years), so that a year's pieces depend on its reports only."""
    cut = np.zeros(len(sizes), dtype=bool)
    if not len(sizes):
        return cut
    starts_gram = np.ones(len(sizes), dtype=bool)
    starts_gram[1:] = gram_of[1:] != gram_of[:-1]
    gram = np.cumsum(starts_gram) - 1
    at = np.flatnonzero(starts_gram)
    place = np.arange(len(sizes)) - at[gram]
    order = np.argsort(place, kind="stable")  # every gram's first block, then every gram's second, …
    steps = np.searchsorted(place[order], np.arange(int(place.max()) + 2))
    held = np.zeros(len(at), dtype=np.int64)
    for step in range(len(steps) - 1):  # a few dozen blocks a year: a step over all grams at once
        rows = order[steps[step]:steps[step + 1]]
        grams, size = gram[rows], sizes[rows]
        cut[rows] = (held[grams] > 0) & (held[grams] + size > PIECE_BYTES)
        held[grams] = np.where(cut[rows], 0, held[grams]) + size
    return cut
