"""Text recognised from scanned pages (OCR): page images → printed lines with a confidence.

RapidOCR (PP-OCRv6 small detection and recognition models, run by ONNX Runtime)
reads Chinese print; its models ship inside the ``rapidocr`` wheel and are named
here by path, so nothing is ever downloaded.  Before recognition the strongly red
pixels of a page are made white: a 公章 stamped over the 落款 is red, the
text under it black (``docs/benchmarks.md`` measures what this gains).  The
detected text boxes are gathered into printed lines by their middle, and the
lines go through the same rules as a PDF's (``lines.py``), in PDF points.

OCR is slow (seconds a page), so a build keeps what it recognised by the file's
digest (``reportcache.OcrMemo``); :func:`recognise_pdf` is what runs when the memo
does not have it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

#: Pages are rendered at this resolution for recognition (dots per inch).
RENDER_DPI = 200
#: A rendered page larger than this many pixels is refused (Pillow's decompression-bomb limit, made explicit).
MAX_PIXELS = 60_000_000
#: "Strongly red" in Pillow's HSV (0–255 each): hue this close to red, saturation and value at least these.
RED_HUE, RED_SATURATION, RED_VALUE = 18, 50, 90
#: Two boxes whose middles differ by less than this share of their height are on one printed line.
SAME_LINE = 0.5
#: What the recogniser is; a memo made by another recogniser or other settings is not used.
VERSION = f"rapidocr-3.10.0 PP-OCRv6 small det/rec, {RENDER_DPI} dpi, red removed {RED_HUE}/{RED_SATURATION}/{RED_VALUE}"


@dataclass(frozen=True)
class OcrLine:
    """A recognised printed line in PDF points: text, left and right edges, middle, height, confidence."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    score: float


@functools.cache
def _engine():
    import rapidocr
    from rapidocr import RapidOCR
    models = Path(rapidocr.__file__).parent / "models"
    return RapidOCR(params={
        "Global.log_level": "critical", "Global.use_cls": False,
        "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
        "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
        "Cls.model_path": str(models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx")})


def recognise_pdf(data: bytes, pages: tuple[int, ...]) -> tuple[tuple[OcrLine, ...], ...]:
    """The lines of each of ``pages`` (0-based) of the PDF ``data``, rendered and recognised."""
    import pypdfium2
    document = pypdfium2.PdfDocument(data)
    try:
        out = []
        for index in pages:
            page = document[index]
            width, height = page.get_size()
            scale = RENDER_DPI / 72
            if width * height * scale * scale > MAX_PIXELS:
                raise ValueError("page too large")
            image = page.render(scale=scale).to_pil().convert("RGB")
            out.append(tuple(_in_points(line, scale) for line in recognise_image(image)))
        return tuple(out)
    finally:
        document.close()


def recognise_image(image) -> list[OcrLine]:
    """The printed lines of one page image (PIL, RGB), in pixels, top to bottom."""
    import numpy
    result = _engine()(numpy.asarray(without_red(image)))
    if result.boxes is None:
        return []
    boxes = []
    for box, text, score in zip(result.boxes, result.txts, result.scores):
        xs, ys = [point[0] for point in box], [point[1] for point in box]
        if text.strip():
            boxes.append(OcrLine(text.strip(), min(xs), max(xs), (min(ys) + max(ys)) / 2, max(ys) - min(ys), float(score)))
    return [_joined(group) for group in _group_lines(boxes)]


def without_red(image):
    """The image with strongly red pixels (a seal's ink) turned white; black text under a seal stays dark."""
    import numpy
    from PIL import Image
    hsv = numpy.asarray(image.convert("HSV"))
    hue, saturation, value = hsv[..., 0].astype(int), hsv[..., 1], hsv[..., 2]
    red = ((hue <= RED_HUE) | (hue >= 255 - RED_HUE)) & (saturation >= RED_SATURATION) & (value >= RED_VALUE)
    pixels = numpy.array(image)
    pixels[red] = 255
    return Image.fromarray(pixels)


def _group_lines(boxes: list[OcrLine]) -> list[list[OcrLine]]:
    lines: list[list[OcrLine]] = []
    for box in sorted(boxes, key=lambda b: (b.y, b.x0)):
        if lines and abs(lines[-1][0].y - box.y) <= SAME_LINE * max(box.size, lines[-1][0].size, 1e-9):
            lines[-1].append(box)
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _joined(boxes: list[OcrLine]) -> OcrLine:
    """Boxes of one printed line as one line: a wide gap (as in 落款 or a table row) is a space."""
    text = boxes[0].text
    for before, after in zip(boxes, boxes[1:]):
        text += (" " if after.x0 - before.x1 > 0.5 * after.size else "") + after.text
    chars = sum(len(box.text) for box in boxes)
    score = sum(box.score * len(box.text) for box in boxes) / max(chars, 1)
    sizes = sorted(box.size for box in boxes)
    return OcrLine(text, boxes[0].x0, max(b.x1 for b in boxes), boxes[0].y, sizes[len(sizes) // 2], score)


def _in_points(line: OcrLine, scale: float) -> OcrLine:
    return OcrLine(line.text, line.x0 / scale, line.x1 / scale, line.y / scale, line.size / scale, line.score)
