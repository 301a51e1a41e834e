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

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Callable

from ..model import InputError
from ..textdata import TABLE_MARK


@dataclass(frozen=True)
class Table:
    """A table as rows of cell texts; a merged cell is one cell (across) or empty below its first row (down)."""

    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Reading:
    """What a reader found: text items in order (a ``str`` may hold several lines, or a :class:`Table`)."""

    format: str
    items: tuple[str | Table, ...]
    notes: tuple[str, ...] = ()
    source_meta: dict[str, str] = field(default_factory=dict)


def reading_text(reading: Reading) -> tuple[str, list[Table]]:
    """The text the pipeline reads, a table standing as one marker line ``TABLE_MARK + n``.

    The marker character is removed from the document's own text first, so an
    input cannot forge a table reference.  A table before any text is layout
    (a 版头 set in a table), so its cells are read as lines.
    """
    lines, tables = [], []
    for item in reading.items:
        if isinstance(item, Table) and any(line.strip() for line in lines):
            lines.append(f"{TABLE_MARK}{len(tables)}")
            tables.append(item)
        elif isinstance(item, Table):
            lines.extend(cell.replace(TABLE_MARK, "") for row in item.rows for cell in row if cell.strip())
        else:
            lines.append(item.replace(TABLE_MARK, ""))
    return "\n".join(lines), tables


def _readers() -> dict[str, Callable[[bytes], Reading]]:
    from . import docx, html, pdf, text
    return {".txt": text.read_text, ".docx": docx.read_docx, ".html": html.read_html,
            ".htm": html.read_html, ".pdf": pdf.read_pdf}


#: Readers by file extension.
READERS = _readers()

#: Formats often found beside reports that have no reader, with what to do instead.
UNSUPPORTED_ADVICE = {
    ".doc": "Word 97-2003 .doc is not supported: save it as .docx",
    ".wps": "WPS .wps is not supported: save it as .docx",
    ".ofd": "OFD is not supported: export it as PDF with a text layer",
    ".rtf": "RTF is not supported: save it as .docx",
    ".xls": "a spreadsheet is not a report",
    ".xlsx": "a spreadsheet is not a report",
}


def read_source(path: str, data: bytes) -> Reading:
    """Pick the reader by extension; an unknown extension is an :class:`InputError` naming it."""
    if PurePosixPath(path).name.startswith("."):
        raise InputError("hidden file (its name starts with “.”), not read; remove it from the corpus")
    suffix = PurePosixPath(path).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        advice = UNSUPPORTED_ADVICE.get(suffix, "")
        raise InputError(f"unsupported file type “{suffix or '(none)'}” (supported: {', '.join(READERS)})"
                         + (f"; {advice}" if advice else ""))
    return reader(data)
