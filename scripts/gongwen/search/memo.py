"""What a build of the search index reuses from the last one, so that a rebuild redoes only what changed.

Building the index spends most of its time on each report alone (its search key, its grams and their
positions) and on the sample that chooses the phrase lists; those depend only on the report's fields and
text, or on the sampled keys.  Pure: ``corpus.py`` loads and saves :attr:`SearchMemo.used`, entries no build
used this time drop out.  The bytes of the index are the same with or without it.
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


@dataclass
class SearchMemo:
    """Documents by report digest; a document's entries by digest, with their context; sample counts by the
    sampled keys."""

    stored: dict = field(default_factory=dict)
    used: dict = field(default_factory=dict)

    def _get(self, key: tuple, compute: Callable[[], object]):
        if key not in self.stored:
            self.stored[key] = compute()
        found = self.used[key] = self.stored[key]
        return found

    def document(self, report: Report, digest: str) -> Document:
        """``analyzer.document``; ``digest``: ``report_digest(report)``."""
        return self._get(("document", digest), lambda: document(report))

    def entries(self, digest: str, context: str, compute: Callable[[], bytes]) -> bytes:
        """A report's entries in ``context`` (the part starts and the phrase-list grams), ``packed.compact``;
        those of another context are replaced, not kept beside them (they take 23 KB a report)."""
        key = ("entries", digest)
        if self.stored.get(key, (None,))[0] != context:
            self.stored[key] = (context, compute())
        self.used[key] = self.stored[key]
        return self.used[key][1]

    def sample_counts(self, docs: list[Document]) -> SampleCounts:
        return self._get(("sample", sample_digest(docs)), lambda: sample_counts(docs))
