"""Word (.docx): paragraphs and tables in document order, footnotes, nothing else.

The XML is walked directly (python-docx opens the package) because the text a
reader sees is not what ``paragraph.text`` gives: inserted text of a tracked
change (``w:ins``) is part of the document and deleted text (``w:del``,
``w:moveFrom``) is not; hidden runs, comments, bookmarks and field codes are
not text.  Empty paragraphs are dropped.  Headings are recognised by their
公文 numbering downstream, exactly as in plain text; a bold run-in heading
that does not end in ``。`` (``（一）强化学习`` in bold, then the paragraph) is
cut from its paragraph here, where the bold shows where it ends.
"""

from __future__ import annotations

import io
import zipfile

from ..textdata import HEADING_MARKERS
from .base import Reading, Table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Elements whose text is not part of the document as it reads now.
SKIPPED = {f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{W}commentReference",
           f"{W}fldChar", f"{W}rPr", f"{W}pPr"}
#: Elements that stand for a character.
CHARACTERS = {f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
#: A .docx whose parts unpack to more than this is refused (a zip bomb, not a report).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
FOOTNOTES_PART = "/word/footnotes.xml"


def read_docx(data: bytes) -> Reading:
    document, footnotes = _open(data)
    notes: dict[str, int] = {}
    items = []
    for element in _body_elements(document.element.body):
        if element.tag == f"{W}tbl":
            items.append(_table(element, notes))
        else:
            text = _paragraph_text(element, notes)
            if text.strip():
                items.append(_run_in_heading_cut(element, text))
    note_texts = tuple(f"[{number}] {footnotes.get(key, '')}".rstrip() for key, number in notes.items())
    return Reading(format="docx", items=tuple(items), notes=note_texts)


def _open(data: bytes):
    from docx import Document
    from ..messages import fail
    from ..model import InputError
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise fail("E-DOCX-TOO-BIG")
        document = Document(io.BytesIO(data))
        return document, _footnotes(document)
    except InputError:
        raise
    except Exception as error:  # python-docx, zipfile and lxml raise many kinds on a broken file
        raise fail("E-DOCX-UNREADABLE", detail=_problem(error)) from None


def _problem(error: Exception) -> str:
    """What was wrong, in Chinese (the library's class name kept for a developer)."""
    if isinstance(error, zipfile.BadZipFile):
        return "不是有效的 zip 压缩包"
    return f"内部结构有误，{error.__class__.__name__}"


def _footnotes(document) -> dict[str, str]:
    from lxml import etree
    for part in document.part.package.iter_parts():
        if str(part.partname) == FOOTNOTES_PART:
            root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
            return {note.get(f"{W}id"): " ".join(_paragraph_text(p, {}) for p in note.iter(f"{W}p")).strip()
                    for note in root.iter(f"{W}footnote") if note.get(f"{W}type") in (None, "normal")}
    return {}


def _body_elements(container):
    """Paragraphs and tables in order, looking through content controls (``w:sdt``)."""
    for child in container:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":
            for content in child.iter(f"{W}sdtContent"):
                yield from _body_elements(content)
                break


def _paragraph_text(paragraph, notes: dict[str, int]) -> str:
    parts: list[str] = []
    _collect(paragraph, parts, notes)
    return "".join(parts)


def _collect(element, parts: list[str], notes: dict[str, int]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED or _hidden(child):
            continue
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag in CHARACTERS:
            parts.append(CHARACTERS[tag])
        elif tag == f"{W}footnoteReference":
            key = child.get(f"{W}id")
            parts.append(f"[{notes.setdefault(key, len(notes) + 1)}]")
        else:
            _collect(child, parts, notes)


def _run_in_heading_cut(paragraph, text: str) -> str:
    """A numbered bold lead-in without a full stop goes on its own line: the bold is where the heading ends."""
    bold = _bold_lead(paragraph)
    starts_heading = any(pattern.match(bold) for _, pattern in HEADING_MARKERS)
    if starts_heading and not bold.rstrip().endswith("。") and text.startswith(bold) and text[len(bold):].strip():
        return bold.rstrip() + "\n" + text[len(bold):].lstrip()
    return text


def _bold_lead(paragraph) -> str:
    """The text of the paragraph's leading bold runs (tracked insertions included)."""
    lead = []
    for run in paragraph.iter(f"{W}r"):
        if run.getparent().tag in (f"{W}del", f"{W}moveFrom") or _hidden(run):
            continue
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        if not text:
            continue
        properties = run.find(f"{W}rPr")
        bold = properties.find(f"{W}b") if properties is not None else None
        if bold is None or bold.get(f"{W}val") in ("0", "false", "off"):
            break
        lead.append(text)
    return "".join(lead)


def _hidden(element) -> bool:
    """A run formatted as hidden text (``w:vanish``) is not shown in Word, so not read."""
    if element.tag != f"{W}r":
        return False
    properties = element.find(f"{W}rPr")
    vanish = properties.find(f"{W}vanish") if properties is not None else None
    return vanish is not None and vanish.get(f"{W}val") not in ("0", "false", "off")


def _table(table, notes: dict[str, int]) -> Table:
    rows = []
    for row in table.iter(f"{W}tr"):
        cells = [" ".join(filter(None, (_paragraph_text(p, notes).strip() for p in cell.iter(f"{W}p"))))
                 for cell in row.iter(f"{W}tc")]
        if any(cells):
            rows.append(tuple(cells))
    return Table(rows=tuple(rows))
