"""OFD (.ofd, GB/T 33190): the text objects of each page, in reading order, back into paragraphs.

An OFD is a zip: ``OFD.xml`` names each document's ``Document.xml``, which lists
its pages; each page's ``Content.xml`` holds ``TextObject``s placed by a
``Boundary`` (x y w h, millimetres), each with ``TextCode`` runs placed at
``X``/``Y`` inside it and spaced by ``DeltaX``.  Producers write a line as one
object, a run per word or even an object per character, so the runs are
gathered into printed lines by their baseline, ordered left to right, and the
lines go through the same rules as a PDF's (``lines.py``: paragraphs by indent
and short last lines, page numbers and running headers dropped).  Template
pages (a page's background: running headers, rules) are not read.

Electronic signatures (``Signatures.xml``) and stamp annotations are counted,
never read as text.  The XML is parsed by defusedxml: a DTD, entity expansion
or external entity is refused, not resolved.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from ..messages import fail
from ..model import InputError
from .base import Reading
from .lines import Line, drop_furniture, paragraphs

#: An .ofd whose parts unpack to more than this is refused (a zip bomb, not a report).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: A document with more pages than this is not a yearly report (as for PDF).
MAX_PAGES = 500
#: Two runs whose baselines differ by less than this share of the type size are on one printed line.
SAME_LINE = 0.4
#: A gap this share of the type size wider than the line's usual gap is a space (a space glyph is about 0.2).
WORD_GAP = 0.15


@dataclass(frozen=True)
class Run:
    """One ``TextCode`` placed on the page: text, left edge, right edge, baseline, type size."""

    text: str
    x0: float
    x1: float
    y: float
    size: float


def read_ofd(data: bytes) -> Reading:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if sum(info.file_size for info in package.infolist()) > MAX_UNPACKED_BYTES:
                raise fail("E-OFD-TOO-BIG")
            pages, seals = _document(package)
    except InputError:
        raise
    except Exception as error:  # zipfile, defusedxml and number parsing raise many kinds on a broken file
        raise fail("E-OFD-UNREADABLE", detail=_problem(error)) from None
    if not pages:
        raise fail("E-OFD-UNREADABLE", detail="没有页面")
    if not any(pages):
        raise fail("E-OFD-NO-TEXT", pages=len(pages))
    return Reading(format="ofd", items=tuple(paragraphs(drop_furniture(pages))), seals=seals)


def _problem(error: Exception) -> str:
    """What was wrong, in Chinese (the library's class name kept for a developer)."""
    from defusedxml import DefusedXmlException
    if isinstance(error, zipfile.BadZipFile):
        return "不是有效的 zip 压缩包"
    if isinstance(error, DefusedXmlException):
        return "XML 中含有实体或文档类型定义，出于安全不予读取"
    if isinstance(error, KeyError):
        return "缺少必需的部件 " + str(error.args[0] if error.args else "")
    return f"内部结构有误，{error.__class__.__name__}"


def _xml(package: zipfile.ZipFile, name: str):
    from defusedxml.ElementTree import fromstring
    return fromstring(package.read(name.lstrip("/")), forbid_dtd=True)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str):
    return [child for child in element.iter() if _local(child.tag) == name]


def _resolve(base: str, location: str) -> str:
    """A part's path: absolute in the package (``/Doc_0/…``) or relative to the folder of the part naming it."""
    location = location.strip()
    path = location.lstrip("/") if location.startswith("/") else posixpath.join(posixpath.dirname(base), location)
    return posixpath.normpath(path)


def _document(package: zipfile.ZipFile) -> tuple[list[list[Line]], int]:
    """The first document's pages as printed lines, and how many signatures and stamps it carries."""
    root = _xml(package, "OFD.xml")
    body = _children(root, "DocBody")[0]
    document_path = _resolve("OFD.xml", _children(body, "DocRoot")[0].text or "")
    document = _xml(package, document_path)
    page_refs = _children(document, "Page")
    if len(page_refs) > MAX_PAGES:
        raise fail("E-OFD-TOO-LONG", pages=len(page_refs), limit=MAX_PAGES)
    pages = [_page_lines(_xml(package, _resolve(document_path, ref.get("BaseLoc", "")))) for ref in page_refs]
    seals = _signatures(package, body, "OFD.xml") + _stamps(package, document, document_path)
    return pages, seals


def _signatures(package: zipfile.ZipFile, body, base: str) -> int:
    found = _children(body, "Signatures")
    if not found or not (found[0].text or "").strip():
        return 0
    return len(_children(_xml(package, _resolve(base, found[0].text)), "Signature"))


def _stamps(package: zipfile.ZipFile, document, document_path: str) -> int:
    """Stamp annotations (a seal placed on a page), counted over every page's annotation file."""
    found = _children(document, "Annotations")
    if not found or not (found[0].text or "").strip():
        return 0
    index_path = _resolve(document_path, found[0].text)
    count = 0
    for page in _children(_xml(package, index_path), "FileLoc"):
        annotations = _xml(package, _resolve(index_path, page.text or ""))
        count += sum(1 for a in _children(annotations, "Annot") if a.get("Type") == "Stamp")
    return count


def _page_lines(page) -> list[Line]:
    runs = [run for text_object in _children(page, "TextObject") for run in _runs(text_object)]
    return [_line(group) for group in _group_lines(runs)]


def _numbers(value: str | None) -> list[float]:
    return [float(part) for part in (value or "").split()]


def _deltas(value: str | None) -> list[float]:
    """``DeltaX``: numbers, ``g N d`` standing for ``d`` repeated ``N`` times."""
    parts, out, index = (value or "").split(), [], 0
    while index < len(parts):
        if parts[index] == "g":
            out += [float(parts[index + 2])] * int(parts[index + 1])
            index += 3
        else:
            out.append(float(parts[index]))
            index += 1
    return out


def _runs(text_object) -> list[Run]:
    """The object's ``TextCode`` runs in page coordinates (its ``CTM`` scale and shift applied)."""
    left, top, box_width = (_numbers(text_object.get("Boundary")) + [0.0, 0.0, 0.0])[:3]
    a, _, _, d, e, f = (_numbers(text_object.get("CTM")) or [1.0, 0.0, 0.0, 1.0, 0.0, 0.0])[:6]
    size = float(text_object.get("Size", "0") or 0) * abs(d)
    runs, x, y = [], 0.0, 0.0
    for code in _children(text_object, "TextCode"):
        text = code.text or ""
        x = float(code.get("X", x))  # a TextCode without X/Y goes on from the previous one
        y = float(code.get("Y", y))
        deltas = _deltas(code.get("DeltaX"))[: max(len(text) - 1, 0)]
        deltas += [size / max(abs(d), 1e-9) * _advance(ch) for ch in text[len(deltas) + 1:]]
        width = (sum(deltas) + _advance(text[-1:]) * size / max(abs(d), 1e-9)) if text else 0.0
        start = left + a * x + e
        if len(text) == 1 and box_width > 0:  # an object per character: its box is the glyph's width
            width = box_width - x
        if text.strip():
            runs.append(Run(text, start, start + a * width, top + d * y + f, size))
        x += sum(deltas) + (_advance(text[-1:]) * size / max(abs(d), 1e-9) if text else 0.0)
    return runs


def _advance(char: str) -> float:
    """A character's width in type sizes where no ``DeltaX`` says it: Han and full-width 1, others half."""
    return 0.5 if char and ord(char) < 0x2E80 else 1.0


def _group_lines(runs: list[Run]) -> list[list[Run]]:
    """Runs gathered into printed lines by baseline, top to bottom, each left to right."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x0)):
        if lines and abs(lines[-1][0].y - run.y) <= SAME_LINE * max(run.size, lines[-1][0].size, 1e-9):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.x0) for line in lines]


def _line(runs: list[Run]) -> Line:
    """One printed line's text: a space where the gap between two runs is wider than the line's usual gap
    (justified text spreads every gap alike; a space the producer did not write as a glyph stands out)."""
    gaps = [after.x0 - before.x1 for before, after in zip(runs, runs[1:])]
    usual = sorted(gaps)[len(gaps) // 2] if len(gaps) >= 3 else 0.0
    text = runs[0].text
    for gap, after in zip(gaps, runs[1:]):
        spaced = gap - max(usual, 0.0) > WORD_GAP * max(after.size, 1e-9)
        text += (" " if spaced and not text.endswith(" ") and not after.text.startswith(" ") else "") + after.text
    sizes = sorted(run.size for run in runs)
    return Line(text.strip(), runs[0].x0, max(run.x1 for run in runs), sizes[len(sizes) // 2])
