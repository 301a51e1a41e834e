"""Each report's postings entries (``packed.compact`` strings), as the merge (``postings.ranges_merged``) reads
them: kept from the last build (``memo.SearchMemo``, its entries on disk in a build) or computed when asked,
on the other core too when a ``pool`` is given.

Computing a report's entries is most of the index's time (about 15 ms a report) and depends only on the report
and the context (the part starts and the phrase-list grams), so a cold build computes them in worker processes,
a few chunks ahead of the merge, and takes them back in report order: the bytes are those of one process.
Every report's entries at once took 23 KB a report (2.3 GB at 100,000): they are never all held, only the
chunks in flight.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from .analyzer import Document
from .frequent import phrase_counts
from .memo import SearchMemo
from .packed import compact, doc_grams

#: Chunks of the merge computed ahead of it by the pool (each ``postings.CHUNK_DOCS`` reports, ~1.5 MB).
AHEAD = 4


def indexed_parts(doc: Document, parts: list[int]) -> list[tuple[int, int]]:
    """(key offset, indexed start) of the title, the rest of the names, the rest of the metadata, the text."""
    names_end = max(doc.names_end, doc.title_end)
    return [(0, 0), (doc.title_end + 1, parts[0]), (names_end + 1, parts[1]), (max(doc.meta_end, names_end) + 1, parts[2])]


class EntryMaker:
    """A report → its entries (``packed.doc_grams``, ``packed.compact``) in a context; sent to the pool's
    workers with each chunk and its reports' search keys (a plain object, so that it pickles)."""

    def __init__(self, parts: list[int] | None, frequent: frozenset[str]):
        self.parts, self.frequent = parts, frequent
        self.ranks = {gram: rank for rank, gram in enumerate(sorted(frequent))}
        self.context = hashlib.sha256(repr((parts, sorted(frequent))).encode("utf-8")).hexdigest()

    def __call__(self, doc: Document) -> bytes:
        shifts = indexed_parts(doc, self.parts) if self.parts else [(0, 0)]
        counts = phrase_counts(doc, self.frequent)
        return compact(doc_grams(doc, shifts, {self.ranks[g]: v for g, v in counts.items()}))


def computed(make: EntryMaker, docs: list[Document]) -> list[bytes]:
    """A chunk's entries (in a worker of the pool)."""
    return [make(doc) for doc in docs]


def doc_entries(docs: list[Document], parts: list[int] | None, frequent: frozenset[str],
                memo: SearchMemo | None = None, digests: list[str] = (), pool=None) -> Sequence[bytes]:
    """Each report's postings entries; without ``parts``, positions are key offsets.

    With a ``memo`` (and the reports' ``digests``), a report's entries are reused when its key, the part starts
    and the phrase-list grams are the same as in the last build, and kept in it for the next.  ``pool``: a
    process pool (``concurrent.futures``) that computes the entries a chunk at a time ahead of the merge."""
    return Entries(docs, EntryMaker(parts, frequent), memo, digests, pool)


class Entries(Sequence):
    """Each report's entries, read from the memo or computed when asked, and not held once read (the merge
    reads each report's once, and a few hundred twice to choose its key ranges)."""

    def __init__(self, docs: list[Document], make: EntryMaker, memo: SearchMemo | None = None,
                 digests: Sequence[str] = (), pool=None):
        self.docs, self.make, self.memo, self.digests, self.pool = docs, make, memo, digests, pool
        self.ahead: dict[tuple[int, int], tuple[list, object]] = {}

    def __len__(self) -> int:
        return len(self.docs)

    def __getitem__(self, at):
        if not isinstance(at, slice):
            return self._one(range(len(self))[at])
        start, stop, step = at.indices(len(self))
        if self.pool is None or step != 1 or stop <= start:
            return [self._one(number) for number in range(start, stop, step)]
        return self._chunk(start, stop)

    def _kept(self, number: int) -> bytes | None:
        return self.memo.kept_entries(self.digests[number], self.make.context) if self.memo is not None else None

    def _keep(self, number: int, entries: bytes) -> bytes:
        if self.memo is not None:
            self.memo.keep_entries(self.digests[number], self.make.context, entries)
        return entries

    def _one(self, number: int) -> bytes:
        found = self._kept(number)
        return found if found is not None else self._keep(number, self.make(self.docs[number]))

    def _chunk(self, start: int, stop: int) -> list[bytes]:
        """Reports ``start:stop`` (the merge's next chunk); the next ``AHEAD`` chunks of that size sent to the pool."""
        size = max(1, stop - start)
        for first in range(start, min(len(self), start + AHEAD * size), size):
            chunk = first, min(first + size, len(self))
            if chunk not in self.ahead:
                self.ahead[chunk] = self._submit(*chunk)
        found, job = self.ahead.pop((start, stop))
        if job is not None:
            missing = [at for at, entries in enumerate(found) if entries is None]
            for at, entries in zip(missing, job.result()):
                found[at] = self._keep(start + at, entries)
        return found

    def _submit(self, start: int, stop: int) -> tuple[list, object]:
        """The chunk's entries kept in the memo, and the pool's job computing the others (None: none missing)."""
        found = [self._kept(number) for number in range(start, stop)]
        missing = [self.docs[start + at] for at, entries in enumerate(found) if entries is None]
        return found, self.pool.submit(computed, self.make, missing) if missing else None
