"""PDF with a text layer (.pdf): printed lines back into paragraphs, page furniture dropped.

The rules that join lines and drop page furniture are shared with the OFD
reader and OCR (``lines.py``).
A PDF without a text layer (a scan) is refused as needing OCR.
"""

from __future__ import annotations

import io
import statistics

from ..messages import fail
from ..model import InputError
from .base import Reading
from .lines import Line, drop_furniture, paragraphs

__all__ = ["Line", "MAX_PAGES", "paragraphs", "read_pdf"]

#: A PDF with more pages than this is not a yearly report.
MAX_PAGES = 500


def read_pdf(data: bytes) -> Reading:
    pages = _page_lines(data)
    if not pages:
        raise fail("E-PDF-NO-PAGES")
    if not any(pages):
        raise fail("E-PDF-NEEDS-OCR", pages=len(pages))
    lines = drop_furniture(pages)
    return Reading(format="pdf", items=tuple(paragraphs(lines)))


def _page_lines(data: bytes) -> list[list[Line]]:
    import pdfplumber
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise fail("E-PDF-TOO-LONG", pages=len(pdf.pages), limit=MAX_PAGES)
            return [_lines(page) for page in pdf.pages]
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
