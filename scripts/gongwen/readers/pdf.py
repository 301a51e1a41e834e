"""PDF (.pdf): printed lines back into paragraphs, page furniture dropped; scanned pages read by OCR.

The rules that join lines and drop page furniture are shared with the OFD
reader and OCR (``lines.py``).  A page without a text layer that holds an image
(a scan) is recognised by OCR (``ocr.py``; ``recognise`` is the build's memo of
it), and the Reading carries the recogniser's confidence.  A PDF from which
neither gives any text is refused.
"""

from __future__ import annotations

import io
import statistics
from collections.abc import Callable

from ..messages import fail
from ..model import InputError
from .base import Reading
from .lines import Line, drop_furniture, paragraphs

__all__ = ["Line", "MAX_PAGES", "Recogniser", "paragraphs", "read_pdf"]

#: A PDF with more pages than this is not a yearly report.
MAX_PAGES = 500
#: OCR of a PDF: (the PDF's bytes, 0-based pages) → each page's recognised lines (``ocr.recognise_pdf``).
Recogniser = Callable[[bytes, tuple[int, ...]], tuple]


def read_pdf(data: bytes, recognise: Recogniser | None = None) -> Reading:
    pages, scanned = _page_lines(data)
    if not pages:
        raise fail("E-PDF-NO-PAGES")
    confidence = _recognised(data, pages, scanned, recognise) if scanned else None
    if not any(pages):
        raise fail("E-PDF-NEEDS-OCR", pages=len(pages))
    lines = drop_furniture(pages)
    return Reading(format="pdf", items=tuple(paragraphs(lines)), ocr_confidence=confidence)


def _recognised(data: bytes, pages: list[list[Line]], scanned: tuple[int, ...], recognise: Recogniser | None) -> float | None:
    """Put the OCR lines of the ``scanned`` pages in place; their mean confidence by character (None: none read)."""
    from . import ocr
    try:
        found = (recognise or ocr.recognise_pdf)(data, scanned)
    except Exception as error:  # pdfium, Pillow and the recogniser raise many kinds on a broken page
        raise fail("E-PDF-UNREADABLE", detail=f"扫描页无法识别，{error.__class__.__name__}") from None
    chars = weighted = 0.0
    for index, lines in zip(scanned, found):
        pages[index] = [Line(line.text, line.x0, line.x1, line.size) for line in lines]
        chars += sum(len(line.text) for line in lines)
        weighted += sum(line.score * len(line.text) for line in lines)
    return round(weighted / chars, 4) if chars else None


def _page_lines(data: bytes) -> tuple[list[list[Line]], tuple[int, ...]]:
    """Each page's text-layer lines, and the pages with no text but an image (scans, for OCR)."""
    import pdfplumber
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise fail("E-PDF-TOO-LONG", pages=len(pdf.pages), limit=MAX_PAGES)
            pages = [_lines(page) for page in pdf.pages]
            scanned = tuple(i for i, page in enumerate(pdf.pages) if not pages[i] and page.images)
            return pages, scanned
    except InputError:
        raise
    except Exception as error:  # pdfminer raises many kinds of error on a broken file
        raise fail("E-PDF-UNREADABLE", detail=f"内部结构有误，{error.__class__.__name__}") from None


def _lines(page) -> list[Line]:
    lines = []
    for found in page.extract_text_lines(keep_blank_chars=True, return_chars=True):
        text = found["text"].strip()
        sizes = [c["size"] for c in found["chars"] if not c["text"].isspace()]
        if text:
            lines.append(Line(text, found["x0"], found["x1"], statistics.median(sizes) if sizes else 0.0))
    return lines
