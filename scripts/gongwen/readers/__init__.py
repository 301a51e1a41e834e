"""Read stage: the bytes of a corpus file → a :class:`Reading`, one small module per format.

Every reader returns the document's text in reading order — one paragraph or
printed line per item — plus what only its format carries: tables kept as
tables, footnotes, and the publishing site's own metadata (``source_*``).
The rest of the data flow (normalize → layout → extract → body) is the same
for every format, so a report gives the same Report whatever it came in.

A reader never lets markup through: it hands on text, and ``render.py``
escapes everything.  Whatever a third-party parser raises on a broken file is
turned into :class:`~gongwen.model.InputError` here, naming the problem.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Callable

from ..messages import fail
from .base import Reading, Table, reading_text

__all__ = ["READERS", "Reading", "Table", "read_source", "reading_text"]


def _readers() -> dict[str, Callable[[bytes], Reading]]:
    from . import docx, html, ofd, pdf, text, wordbinary
    return {".txt": text.read_text, ".docx": docx.read_docx, ".html": html.read_html,
            ".htm": html.read_html, ".pdf": pdf.read_pdf, ".ofd": ofd.read_ofd, ".doc": wordbinary.read_doc,
            ".wps": wordbinary.read_wps}


#: Readers by file extension.
READERS = _readers()

#: Formats often found beside reports that have no reader, with what to do instead.
UNSUPPORTED_ADVICE = {
    ".rtf": "RTF 格式不能直接读取：请另存为 .docx。",
    ".xls": "电子表格不是报告：请把它移出 corpus/。",
    ".xlsx": "电子表格不是报告：请把它移出 corpus/。",
}
#: What to do with any other file type.
OTHER_ADVICE = "请另存为 .docx、.pdf 或 UTF-8 编码的 .txt；不是报告的文件请移出 corpus/。"


#: Readers that may recognise scanned pages (they take the build's OCR memo as ``recognise``).
OCR_READERS = {".pdf"}


def read_source(path: str, data: bytes, recognise=None) -> Reading:
    """Pick the reader by extension; an unknown extension is an :class:`InputError` naming it.
    ``recognise``: OCR of scanned pages (``reportcache.OcrMemo.recognise``; by default recognised afresh)."""
    if PurePosixPath(path).name.startswith("."):
        raise fail("E-HIDDEN-FILE")
    suffix = PurePosixPath(path).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise fail("E-UNSUPPORTED-TYPE", suffix=suffix or "（无扩展名）", supported="、".join(READERS),
                   advice=UNSUPPORTED_ADVICE.get(suffix, OTHER_ADVICE))
    return reader(data, recognise) if suffix in OCR_READERS else reader(data)
