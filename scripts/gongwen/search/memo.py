"""What a build of the search index reuses from the last one, so that a rebuild redoes only what changed.

Building the index spends most of its time on each report alone (its search key, its grams and their
positions) and on the sample that chooses the phrase lists; those depend only on the report's fields and
text, or on the sampled keys.  Pure: ``corpus.py`` loads and saves :attr:`SearchMemo.used`, entries no build
used this time drop out.  The bytes of the index are the same with or without it.

The reports' postings entries (23 KB a report, 2.3 GB at 100,000) are not in :attr:`SearchMemo.stored`: they
are kept by :attr:`SearchMemo.kept` (``get``/``put``), in memory here (:class:`KeptEntries`) and on disk in a
build (``memos.EntryFolder``), read back one report's at a time when the merge reads them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

from ..model import Report
from .analyzer import Document, document, metadata_fields, text_fields
from .frequent import SampleCounts, sample_counts, sample_digest

#: Separates fields in what a report's digest is made of (never in a field).
_FIELD, _PART = b"\x1e", b"\x1d"


def report_digest(report: Report) -> str:
    """What the report's search key is made of: its metadata fields and its text."""
    digest = hashlib.sha256()
    for fields in (metadata_fields(report), text_fields(report)):
        digest.update(_FIELD.join(f.encode("utf-8") for f in fields) + _PART)
    return digest.hexdigest()


class KeptEntries:
    """Reports' entries by digest, with their context, in memory: ``stored`` the last build's, ``used`` this
    build's (the next one's ``stored``).  ``memos.EntryFolder`` keeps them on disk, with the same methods."""

    def __init__(self, stored: dict[str, tuple[str, bytes]] | None = None):
        self.stored, self.used = dict(stored or {}), {}

    def get(self, digest: str, context: str) -> bytes | None:
        found = self.stored.get(digest)
        if found is None or found[0] != context:
            return None
        self.used[digest] = found
        return found[1]

    def touch(self, digest: str, context: str) -> None:
        """Entries kept for the next build without being read (a year part made of them was kept)."""
        found = self.stored.get(digest)
        if found is not None and found[0] == context:
            self.used[digest] = found

    def put(self, digest: str, context: str, entries: bytes) -> None:
        """Entries of another context are replaced, not kept beside them."""
        self.stored[digest] = self.used[digest] = (context, entries)


@dataclass
class SearchMemo:
    """Documents by report digest and sample counts by the sampled keys (``stored``, ``used``); the reports'
    entries by digest, with their context, in ``kept`` (``get``/``put``: :class:`KeptEntries`,
    ``memos.EntryFolder``)."""

    stored: dict = field(default_factory=dict)
    kept: object = field(default_factory=KeptEntries)
    used: dict = field(default_factory=dict)

    def _get(self, key: tuple, compute: Callable[[], object]):
        if key not in self.stored:
            self.stored[key] = compute()
        found = self.used[key] = self.stored[key]
        return found

    def document(self, report: Report, digest: str) -> Document:
        """``analyzer.document``; ``digest``: ``report_digest(report)``."""
        return self._get(("document", digest), lambda: document(report))

    def kept_entries(self, digest: str, context: str) -> bytes | None:
        """A report's entries in ``context`` (the part starts and the phrase-list grams), ``packed.compact``, if
        the last build (or this one) made them."""
        return self.kept.get(digest, context)

    def keep_entries(self, digest: str, context: str, entries: bytes) -> None:
        self.kept.put(digest, context, entries)

    def touch_entries(self, digests: list[str], context: str) -> None:
        """The reports' entries in ``context`` kept for the next build without being read (``years.py``: the part
        of a year whose reports did not change is kept, not merged again)."""
        for digest in digests:
            self.kept.touch(digest, context)

    def sample_counts(self, docs: list[Document]) -> SampleCounts:
        return self._get(("sample", sample_digest(docs)), lambda: sample_counts(docs))
