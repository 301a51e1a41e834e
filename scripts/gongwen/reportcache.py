"""Reports remembered between builds, so that adding one file to a large corpus parses one file.

A report depends only on its own file: its path, bytes, sidecar, and the program
(code and data files, summed up in ``version``).  Those make the key; the value is
the :class:`Report` or the :class:`InputError`'s code and message.  Pure: ``corpus.py`` loads and
saves :attr:`ReportCache.used` (entries of files no longer in the corpus drop out).
"""

from __future__ import annotations

import hashlib
import json

from .model import InputError, Report
from .compliance.repeats import repeat_share
from .pipeline import SourceFile, report_from_source


class OcrMemo:
    """What OCR recognised, by the file's SHA-256 and the pages asked (``readers/ocr.py``): kept apart from the
    reports, under the recogniser's own version, so that a new version of the program never redoes OCR."""

    def __init__(self, stored: dict):
        self.stored = stored  # (sha256, pages) → each page's recognised lines
        self.used: dict = {}
        self.recognised: set[str] = set()  # digests of the files recognised afresh by this build

    def recognise(self, data: bytes, pages: tuple[int, ...]) -> tuple:
        from .readers.ocr import recognise_pdf
        key = (hashlib.sha256(data).hexdigest(), tuple(pages))
        if key not in self.stored:
            self.stored[key] = recognise_pdf(data, pages)
            self.recognised.add(key[0])
        self.used[key] = self.stored[key]
        return self.used[key]

    def kept(self, digests: set[str]) -> dict:
        """The entries to save: those of files still in the corpus (a report read from the report cache did
        not ask for its OCR this time, but its file is still there)."""
        return {key: value for key, value in self.stored.items() if key[0] in digests} | self.used


class ReportCache:
    def __init__(self, stored: dict, version: str, recognise=None):
        self.stored = stored  # file key → Report or (code, message); ("repeat share", the two files) → share
        self.version = version
        self.recognise = recognise  # OCR of scanned pages (``OcrMemo.recognise``), or None: recognised afresh
        self.used: dict = {}

    def key(self, source: SourceFile) -> str:
        digest = hashlib.sha256(self.version.encode())
        sidecar = json.dumps([source.sidecar_name, source.sidecar_error, source.sidecar], ensure_ascii=False,
                             sort_keys=True, default=str)
        harvested = () if source.provenance is None else (source.provenance,)  # gongwen harvest's provenance.yml
        for part in (source.path.encode(), sidecar.encode(), source.data, *harvested):
            digest.update(len(part).to_bytes(8, "big") + part)
        return digest.hexdigest()

    def parse(self, source: SourceFile) -> Report:
        """``report_from_source``, or what it gave last time for the same input."""
        key = self.key(source)
        if key not in self.stored:
            try:
                self.stored[key] = report_from_source(source, self.recognise)
            except InputError as error:  # kept with its code, so that the validation report is the same
                self.stored[key] = (error.code, str(error))
        found = self.used[key] = self.stored[key]
        if isinstance(found, tuple):
            raise InputError(found[1], found[0])
        return found

    def repeat_share(self, report: Report, previous: Report) -> float:
        """``repeats.repeat_share``, or what it gave last time for the same two files: a report's body depends
        only on its file's path (the format) and bytes, and the program (comparing every report with its
        previous year took 3 s of every build at 10,000 reports)."""
        key = ("repeat share", report.source, report.sha256, previous.source, previous.sha256)
        if key not in self.stored:
            self.stored[key] = repeat_share(report, previous)
        self.used[key] = self.stored[key]
        return self.used[key]
