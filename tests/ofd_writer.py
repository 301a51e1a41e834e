"""A small OFD (GB/T 33190) writer for the tests: a seed typeset as ``formats.pdf_bytes`` typesets it.

The package is laid out as OFD producers write it: ``OFD.xml`` (DocBody, DocRoot,
Signatures) → ``Doc_0/Document.xml`` (PageArea, Pages, Annotations) →
``Doc_0/Pages/Page_N/Content.xml`` with one ``TextObject`` per printed line
(``Boundary`` in millimetres, ``TextCode`` with ``X``/``Y`` and ``DeltaX`` from the
font's real advance widths and the justification spacing), a running header and a
``— n —`` page number.  ``per_character`` writes one object per character, as some
converters do; ``seal`` adds an electronic signature and a stamp annotation on the
last page.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from formats import A4, FONT, LEADING, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, RUNNING_HEADER, SIZE, \
    _typeset, roles, seed_lines

MM = 25.4 / 72  # millimetres per point
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def ofd_bytes(text: str, header: str = RUNNING_HEADER, per_character: bool = False, seal: bool = False,
              extra_xml: dict[str, bytes] | None = None) -> bytes:
    """The seed as an .ofd package (``extra_xml``: parts to write instead, for hostile-input tests)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    lines = seed_lines(text)
    width = A4[0] - MARGIN_LEFT - MARGIN_RIGHT
    printed = [row for line, role in zip(lines, roles(lines)) for row in _typeset(line, role, width)]
    per_page = int((A4[1] - MARGIN_TOP - MARGIN_BOTTOM) // LEADING)
    pages = []
    for number, start in enumerate(range(0, len(printed), per_page), 1):
        objects = [_centred(header, 10.5, 60)]
        objects += [(x, A4[1] - MARGIN_TOP - row * LEADING, line, SIZE, spacing)
                    for row, (x, line, spacing) in enumerate(printed[start:start + per_page])]
        objects.append(_centred(f"— {number} —", 14, A4[1] - 60))
        pages.append(_content(objects, per_character))
    parts = {"OFD.xml": _ofd_xml(seal), "Doc_0/Document.xml": _document_xml(len(pages), seal)}
    parts |= {f"Doc_0/Pages/Page_{i}/Content.xml": page for i, page in enumerate(pages)}
    if seal:
        parts["Doc_0/Signs/Signatures.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Signatures {NS}>'
                                               '<ofd:Signature ID="1" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>').encode()
        parts["Doc_0/Signs/Sign_0/Signature.xml"] = f'<ofd:Signature {NS}><ofd:SignedInfo/></ofd:Signature>'.encode()
        parts["Doc_0/Annots/Annotations.xml"] = (f'<ofd:Annotations {NS}><ofd:Page PageID="{len(pages)}">'
                                                 f'<ofd:FileLoc>Page_{len(pages) - 1}/Annotation.xml</ofd:FileLoc>'
                                                 '</ofd:Page></ofd:Annotations>').encode()
        parts[f"Doc_0/Annots/Page_{len(pages) - 1}/Annotation.xml"] = (
            f'<ofd:PageAnnot {NS}><ofd:Annot ID="90" Type="Stamp"><ofd:Appearance Boundary="120 200 42 42">'
            '<ofd:TextObject ID="91" Boundary="0 0 42 42" Size="5"><ofd:TextCode X="2" Y="20">焦作市科学技术局印章</ofd:TextCode>'
            '</ofd:TextObject></ofd:Appearance></ofd:Annot></ofd:PageAnnot>').encode()
    parts |= extra_xml or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def _centred(text: str, size: float, from_top: float) -> tuple[float, float, str, float, float]:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    return (A4[0] - stringWidth(text, FONT, size)) / 2, A4[1] - from_top, text, size, 0.0


def _content(objects: list[tuple[float, float, str, float, float]], per_character: bool) -> bytes:
    """A page's Content.xml; each object is (x, baseline from the bottom, text, size, spacing), in points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    xml, ident = [], 10
    for x, baseline, text, size, spacing in objects:
        advances = [stringWidth(ch, FONT, size) + spacing for ch in text]
        pieces = [(sum(advances[:i]), ch, []) for i, ch in enumerate(text)] if per_character else [(0.0, text, advances[:-1])]
        for offset, piece, deltas in pieces:
            left, top = (x + offset) * MM, (A4[1] - baseline - size) * MM
            box = stringWidth(piece, FONT, size) if per_character else sum(advances) + size  # a glyph's box, or the line's
            boundary = f"{left:.3f} {top:.3f} {box * MM:.3f} {size * 1.4 * MM:.3f}"
            delta = " ".join(f"{d * MM:.3f}" for d in deltas)
            delta_attr = f" DeltaX={quoteattr(delta)}" if delta else ""
            xml.append(f'<ofd:TextObject ID="{ident}" Boundary="{boundary}" Font="2" Size="{size * MM:.3f}">'
                       f'<ofd:TextCode X="0" Y="{size * MM:.3f}"{delta_attr}>{escape(piece)}</ofd:TextCode></ofd:TextObject>')
            ident += 1
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Content><ofd:Layer ID="1">'
            + "".join(xml) + "</ofd:Layer></ofd:Content></ofd:Page>").encode("utf-8")


def _ofd_xml(seal: bool) -> bytes:
    signatures = "<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>" if seal else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.1" DocType="OFD"><ofd:DocBody>'
            '<ofd:DocInfo><ofd:DocID>0123456789abcdef</ofd:DocID><ofd:Creator>tests</ofd:Creator></ofd:DocInfo>'
            f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>{signatures}</ofd:DocBody></ofd:OFD>').encode("utf-8")


def _document_xml(pages: int, seal: bool) -> bytes:
    refs = "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(pages))
    annotations = "<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations>" if seal else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID>'
            '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>'
            f'<ofd:Pages>{refs}</ofd:Pages>{annotations}</ofd:Document>').encode("utf-8")
