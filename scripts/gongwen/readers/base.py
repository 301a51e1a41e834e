"""What every reader hands on: a :class:`Reading` (text items in order, tables kept as :class:`Table`), and the
one text the rest of the pipeline reads from it (:func:`reading_text`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..textdata import TABLE_MARK


@dataclass(frozen=True)
class Table:
    """A table as rows of cell texts; a merged cell is one cell (across) or empty below its first row (down)."""

    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Reading:
    """What a reader found: text items in order (a ``str`` may hold several lines, or a :class:`Table`);
    ``seals``: electronic signatures and stamps the file carries (counted, never read as text);
    ``ocr_confidence``: the recogniser's mean confidence when some text was recognised from a scan."""

    format: str
    items: tuple[str | Table, ...]
    notes: tuple[str, ...] = ()
    source_meta: dict[str, str] = field(default_factory=dict)
    seals: int = 0
    ocr_confidence: float | None = None


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
