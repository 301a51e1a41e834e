"""Fixture generator: a seed's text as the files maintainers really get, made with real tools.

* ``docx_bytes``: python-docx with 公文-like styles (方正小标宋 title, 黑体/楷体 headings, 仿宋 body with a
  two-character first-line indent, bold run-in headings), a ``_GoBack`` bookmark, a comment, a tracked
  deletion and insertion, empty paragraphs and a table;
* ``html_bytes``: a 政府信息公开 detail page (header, navigation, breadcrumbs, metadata table, share
  buttons, body in ``#zoom``, print/close links, footer, scripts and styles);
* ``pdf_bytes``: rendered by reportlab on A4 in 公文 layout (justified lines, centred head, right-aligned
  signature), with a running header and ``— n —`` page numbers;
* legacy encodings are plain ``str.encode``.

Run ``python tests/formats.py OUT`` to write every seed in every format to OUT for a look by hand.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

#: Bookmark residue that a previous Word → text export left in a seed; in a .docx it is a real bookmark.
BOOKMARK_RESIDUE = re.compile(r"\[bookmark:[^\]]*\]")
HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])")
DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号")
TABLE_ROWS = (("指标", "2023年", "2024年"), ("高新技术企业（家）", "16", "20"), ("技术合同成交额（亿元）", "4.45", "7.05"))


def seed_lines(text: str) -> list[str]:
    """The seed's non-blank lines, without the bookmark residue of an earlier export."""
    return [line for line in (BOOKMARK_RESIDUE.sub("", raw).strip() for raw in text.splitlines()) if line]


def roles(lines: list[str]) -> list[str]:
    """How a typist sets each line: ``head`` (centred), ``recipients``, ``body``, ``closing``, ``colophon``."""
    first_body = next(i for i, line in enumerate(lines) if len(line) > 40 or "。" in line or line.endswith("："))
    last_body = max(i for i, line in enumerate(lines) if len(line) > 40 or "。" in line)
    result = []
    for index, line in enumerate(lines):
        if index < first_body:
            result.append("head")
        elif index == first_body and line.endswith("：") and len(line) < 30:
            result.append("recipients")
        elif index <= last_body:
            result.append("body")
        elif line.startswith("抄送") or line.endswith("印发") or result[-1] == "colophon" or (
                index + 1 < len(lines) and lines[index + 1].endswith("印发")):
            result.append("colophon")
        else:
            result.append("closing")
    return result


# ---------------------------------------------------------------- .docx

def docx_bytes(text: str, table: bool = True, footnote: str | None = None) -> bytes:
    """The seed as a signed-off .docx; the table goes before the first heading."""
    lines = seed_lines(text)
    document = Document()
    _docx_styles(document)
    first_heading = next((i for i, line in enumerate(lines) if HEADING.match(line)), None)
    for index, (line, role) in enumerate(zip(lines, roles(lines))):
        if table and index == first_heading:
            _docx_table(document)
        paragraph = _docx_paragraph(document, line, role)
        if index == 1:
            _bookmark(paragraph, "_GoBack")
        if index == 2:
            _tracked_change(paragraph)
            document.add_comment(paragraph.runs[0], text="请核对数据", author="审核人", initials="SH")
        if footnote and index == first_heading + 1:
            _footnote(document, paragraph, footnote)
        if index % 5 == 0:
            document.add_paragraph("")  # empty paragraphs, as typists leave them
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_styles(document) -> None:
    body = document.styles["Normal"]
    body.font.size = Pt(16)
    body.font.name = "仿宋_GB2312"
    body.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    for name, font in (("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312"), ("Title", "方正小标宋简体")):
        style = document.styles[name]
        style.font.name, style.font.size, style.font.color.rgb = font, Pt(22 if name == "Title" else 16), RGBColor(0, 0, 0)


def _docx_paragraph(document, line: str, role: str):
    if role == "head":
        paragraph = document.add_paragraph(line, style="Title")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if line.endswith("文件"):
            paragraph.runs[0].font.color.rgb = RGBColor(0xE6, 0, 0)  # the red 版头
        return paragraph
    if role == "body" and HEADING.match(line):
        return _docx_heading(document, line)
    paragraph = document.add_paragraph(line)
    if role == "body":
        paragraph.paragraph_format.first_line_indent = Pt(32)
    elif role == "closing":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


def _docx_heading(document, line: str):
    """A standalone heading in a Heading style; a run-in heading as a bold run in a body paragraph."""
    title, stop, rest = line.partition("。")
    level = 1 if "、" in line[:4] and not line.startswith(("（", "(")) else 2
    if not stop or not rest:
        return document.add_paragraph(line, style=f"Heading {level}")
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    paragraph.add_run(title + stop).bold = True
    paragraph.add_run(rest)
    return paragraph


def _docx_table(document) -> None:
    table = document.add_table(rows=len(TABLE_ROWS), cols=len(TABLE_ROWS[0]))
    table.style = "Table Grid"
    for row, values in zip(table.rows, TABLE_ROWS):
        for cell, value in zip(row.cells, values):
            cell.text = value


def _bookmark(paragraph, name: str) -> None:
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), "0"), start.set(qn("w:name"), name), end.set(qn("w:id"), "0")
    paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _tracked_change(paragraph) -> None:
    """A deletion (whose text must not be read) and the line's last characters as an insertion (which must)."""
    last = paragraph.runs[-1]
    kept, inserted = last.text[:-3], last.text[-3:]
    last.text = kept
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "101"), deletion.set(qn("w:author"), "审核人")
    run, deleted = OxmlElement("w:r"), OxmlElement("w:delText")
    deleted.text = "这句已被删除的修订文字不应出现"
    run.append(deleted), deletion.append(run)
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "102"), insertion.set(qn("w:author"), "审核人")
    new_run, new_text = OxmlElement("w:r"), OxmlElement("w:t")
    new_text.text = inserted
    new_run.append(new_text), insertion.append(new_run)
    last._r.addnext(deletion)
    deletion.addnext(insertion)


FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {}</w:t></w:r></w:p></w:footnote>'
    '</w:footnotes>')


def _footnote(document, paragraph, text: str) -> None:
    """A real footnotes part (python-docx cannot write one) and a reference at the paragraph's end."""
    from xml.sax.saxutils import escape
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                FOOTNOTES_XML.format(escape(text)).encode("utf-8"), document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    run, reference = OxmlElement("w:r"), OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    run.append(reference)
    paragraph._p.append(run)


# ---------------------------------------------------------------- .doc, .wps

def office_convert(files: list[bytes], source_suffix: str, target: str) -> list[bytes]:
    """Each of ``files`` converted by LibreOffice (headless, private profile; one start for all of them):
    ``target`` is its --convert-to argument."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory(prefix="gongwen-tests-office-") as scratch:
        folder = Path(scratch)
        names = [folder / f"in{i:03d}{source_suffix}" for i in range(len(files))]
        for name, data in zip(names, files):
            name.write_bytes(data)
        subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                        "--norestore", "--convert-to", target, "--outdir", str(folder / "out"), *map(str, names)],
                       check=True, capture_output=True, timeout=600,
                       env={"PATH": "/usr/bin:/bin", "HOME": scratch, "SAL_USE_VCLPLUGIN": "svp"})
        return [next((folder / "out").glob(name.stem + ".*")).read_bytes() for name in names]


def doc_bytes(*texts: str, table: bool = True, footnote: str | None = None) -> list[bytes]:
    """Each seed's .docx (``docx_bytes``) saved by LibreOffice as Word 97-2003 .doc (an OLE compound file).
    A Kingsoft .wps is this same binary Word format with WPS's own additions (which LibreOffice leaves), so the
    tests' .wps are these bytes under a .wps name: the README says so."""
    return office_convert([docx_bytes(text, table, footnote) for text in texts], ".docx", "doc:MS Word 97")


# ---------------------------------------------------------------- .html

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>{title}-政府信息公开-{site}</title>
<style>body{{font-family:SimSun}} #zoom p{{text-indent:2em}}</style>
<script src="/js/jquery.min.js"></script><script>var _hmt=_hmt||[];document.write("统计代码");</script>
</head><body>
<div class="header"><div class="logo">{site}</div><div class="search"><input name="q"><button>搜索</button></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <a href="/xxgk/fdzdgk/">法定主动公开内容</a></div>
<div class="xxgk-main">
{meta}
<h1 class="article-title">{title}</h1>
<div class="bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a></div>
<div id="zoom" class="TRS_Editor">
{body}
</div>
<div class="print-close"><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer"><p>主办单位：{site}　网站标识码：4108000001</p><p>豫ICP备05000001号　豫公网安备41080002000001号</p></div>
<script>window.onload=function(){{console.log("页脚脚本")}}</script>
</body></html>
"""


def html_bytes(text: str, meta: dict[str, str], title_in_body: bool = True, charset: str = "utf-8") -> bytes:
    """The seed on a 政府信息公开 detail page; ``meta`` is the metadata table (label → value)."""
    lines = seed_lines(text)
    line_roles = roles(lines)
    title = "".join(line for line, role in zip(lines, line_roles) if role == "head" and not line.endswith("文件")
                    and not DOC_NUMBER.search(line))
    body = [_html_line(line, role) for line, role in zip(lines, line_roles)
            if title_in_body or role != "head" or line.endswith("文件") or DOC_NUMBER.search(line)]
    page = PAGE.format(charset=charset, title=title, site="某市人民政府", meta=_meta_table(meta), body="\n".join(body))
    return page.encode("gb18030" if charset.lower() in ("gbk", "gb2312", "gb18030") else charset)


def _html_line(line: str, role: str) -> str:
    from html import escape
    align = {"head": ' style="text-align:center"', "closing": ' style="text-align:right"'}.get(role, "")
    if role == "body" and len(line) > 20:  # editors split text into spans; the reader must not split lines there
        cut = len(line) // 3
        return f'<p{align}><span style="font-family:仿宋">{escape(line[:cut])}</span>{escape(line[cut:])}</p>'
    return f"<p{align}>&nbsp;&nbsp;{escape(line)}</p>"


def _meta_table(meta: dict[str, str]) -> str:
    from html import escape
    cells = [f'<td class="label">{escape(label)}：</td><td>{escape(value)}</td>' for label, value in meta.items()]
    rows = ["<tr>" + "".join(cells[i:i + 2]) + "</tr>" for i in range(0, len(cells), 2)]
    return '<table class="xxgk-table">\n' + "\n".join(rows) + "\n</table>"


# ---------------------------------------------------------------- .pdf

A4 = (595.3, 841.9)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 79.4, 73.7, 104.9, 99.2  # GB/T 9704 margins in points
FONT, SIZE, LEADING = "STSong-Light", 16, 28.9
#: reportlab's UniGB-UCS2-H CMap has no entry for U+00B7 (·, as in “4·15”); the same STSong glyph is
#: reached through U+30FB, and the PDF's ToUnicode map gives U+00B7 back to a reader.
CMAP_GAPS = str.maketrans({"\u00b7": "\u30fb"})
RUNNING_HEADER = "法治政府建设年度报告"


def pdf_bytes(text: str, header: str = RUNNING_HEADER) -> bytes:
    """The seed typeset on A4 and rendered by reportlab (Adobe's STSong CID font, no file needed)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    width = A4[0] - MARGIN_LEFT - MARGIN_RIGHT
    printed = [row for line, role in zip(seed_lines(text), roles(seed_lines(text))) for row in _typeset(line, role, width)]
    per_page = int((A4[1] - MARGIN_TOP - MARGIN_BOTTOM) // LEADING)
    for number, start in enumerate(range(0, len(printed), per_page), 1):
        page.setFont(FONT, 10.5)
        page.drawCentredString(A4[0] / 2, A4[1] - 60, header)
        for row, (x, line, spacing) in enumerate(printed[start:start + per_page]):
            text_object = page.beginText(x, A4[1] - MARGIN_TOP - row * LEADING)
            text_object.setFont(FONT, SIZE)
            text_object.setCharSpace(spacing)
            text_object.textOut(line.translate(CMAP_GAPS))
            page.drawText(text_object)
        page.setFont(FONT, 14)
        page.drawCentredString(A4[0] / 2, 60, f"— {number} —")
        page.showPage()
    page.save()
    return buffer.getvalue()


def _typeset(line: str, role: str, width: float) -> list[tuple[float, str, float]]:
    """(x, text, char spacing) per printed line: body justified with a 2-character indent."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    measure = lambda s: stringWidth(s, FONT, SIZE)  # noqa: E731
    if role in ("head", "closing", "recipients", "colophon"):
        rows = _wrap(line, width, measure, 0)
        if role == "head":
            return [(MARGIN_LEFT + (width - measure(r)) / 2, r, 0.0) for r in rows]
        if role == "closing":
            return [(MARGIN_LEFT + width - measure(r) - 2 * SIZE, r, 0.0) for r in rows]
        return [(MARGIN_LEFT, r, 0.0) for r in rows]
    rows = _wrap(line, width, measure, 2 * SIZE)
    placed = []
    for index, row in enumerate(rows):
        indent = 2 * SIZE if index == 0 else 0
        last = index == len(rows) - 1
        spacing = 0.0 if last or len(row) < 2 else (width - indent - measure(row)) / (len(row) - 1)
        placed.append((MARGIN_LEFT + indent, row, spacing))
    return placed


def _wrap(line: str, width: float, measure, indent: float) -> list[str]:
    """Break a line to the width, never inside a run of Latin letters and digits (as Word does)."""
    tokens = re.findall(r"[A-Za-z0-9.%]+|.", line)
    rows, current, available = [], "", width - indent
    for token in tokens:
        if current and measure(current + token) > available:
            rows.append(current.rstrip())
            current, available = token.lstrip(), width
        else:
            current += token
    rows.append(current)
    return [row for row in rows if row]


# ---------------------------------------------------------------- scanned .pdf

#: A CJK font for the seal's lettering (Debian's fonts-noto-cjk, installed with Chromium by the Makefile).
SEAL_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"


def scan_pdf_bytes(text: str, dpi: int = 300, seal: bool = False, noise: bool = False) -> bytes:
    """The seed printed (``pdf_bytes``) and scanned: each page rendered to a picture at ``dpi`` by pdfium, put
    back into a PDF of pictures by Pillow (no text layer).  ``seal``: a red 公章 stamped over the 落款 (ink
    multiplies: black text under it stays black); ``noise``: a slightly skewed, grainy scan."""
    import pypdfium2
    printed = pdf_bytes(text)
    document = pypdfium2.PdfDocument(printed)
    images = [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(document))]
    document.close()
    if seal:
        images[-1] = _stamped(images[-1], *_closing(printed, text, dpi))
    if noise:
        images = [_grainy(image, number) for number, image in enumerate(images)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def _closing(printed: bytes, text: str, dpi: int) -> tuple[tuple[float, float], str]:
    """Where the 落款's first line is printed on the last page, in pixels at ``dpi``, and its text."""
    import pdfplumber
    lines = seed_lines(text)
    signature = next(line for line, role in zip(lines, roles(lines)) if role == "closing")
    with pdfplumber.open(io.BytesIO(printed)) as pdf:
        found = pdf.pages[-1].search(signature[:6])[0]
    return ((found["x0"] + found["x1"]) / 2 * dpi / 72, found["top"] * dpi / 72 + 20 * dpi / 72), signature


def _stamped(image, centre: tuple[float, float], name: str):
    """A round red seal (ring, star, lettering) 42 mm across, multiplied onto the page."""
    import math
    from PIL import Image, ImageChops, ImageDraw, ImageFont
    radius = 21 / 25.4 * image.width / (A4[0] / 72)  # 21 mm in pixels
    layer = Image.new("RGB", image.size, "white")
    draw = ImageDraw.Draw(layer)
    red = (220, 30, 35)
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=red, width=max(3, int(radius / 14)))
    star = [(x + radius * (0.3 if i % 2 == 0 else 0.12) * math.sin(i * math.pi / 5),
             y - radius * (0.3 if i % 2 == 0 else 0.12) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(SEAL_FONT, int(radius / 4.5))
    draw.text((x, y + radius * 0.55), name, fill=red, font=font, anchor="mm")
    draw.text((x, y - radius * 0.6), "公文专用章", fill=red, font=font, anchor="mm")
    return ImageChops.multiply(image, layer)


def _grainy(image, number: int):
    """A scan's faults: skewed by a fraction of a degree, grey grain and specks (seeded: the same every run)."""
    import numpy
    from PIL import Image
    rng = numpy.random.default_rng(number)
    skewed = image.rotate(0.6 if number % 2 else -0.5, resample=Image.BICUBIC, fillcolor="white", expand=False)
    pixels = numpy.asarray(skewed).astype(numpy.int16)
    pixels += rng.normal(0, 14, pixels.shape[:2])[..., None].astype(numpy.int16)
    specks = rng.random(pixels.shape[:2]) < 0.0008
    pixels[specks] = 40
    return Image.fromarray(numpy.clip(pixels, 0, 255).astype(numpy.uint8))


def short_report(text: str, paragraphs: int = 3) -> str:
    """The seed cut to its head, its first ``paragraphs`` body lines (more, until one ends a sentence) and its
    tail: a page or two, for the OCR tests."""
    lines = seed_lines(text)
    line_roles = roles(lines)
    body = [i for i, role in enumerate(line_roles) if role == "body"]
    last = next(i for i in body[paragraphs - 1:] if lines[i].endswith(("。", "：")))
    return "\n".join(line for i, (line, role) in enumerate(zip(lines, line_roles)) if role != "body" or i <= last) + "\n"


def signed(text: str, signature: str, date: str) -> str:
    """The text with a 落款 (signature and date lines) after its body, where a seal is stamped."""
    lines = seed_lines(text)
    line_roles = roles(lines)
    last_body = max(i for i, role in enumerate(line_roles) if role == "body")
    return "\n".join(lines[:last_body + 1] + [signature, date] + lines[last_body + 1:]) + "\n"


def main(out: Path) -> None:
    from ofd_writer import ofd_bytes
    seeds = sorted((Path(__file__).resolve().parent / "seeds").glob("*.txt"))
    out.mkdir(parents=True, exist_ok=True)
    texts = [seed.read_text(encoding="utf-8") for seed in seeds]
    for seed, text, doc in zip(seeds, texts, doc_bytes(*texts)):
        (out / f"{seed.stem}.docx").write_bytes(docx_bytes(text))
        (out / f"{seed.stem}.html").write_bytes(html_bytes(text, {"索引号": "11410800-2024-00001", "主题分类": "科技"}))
        (out / f"{seed.stem}.pdf").write_bytes(pdf_bytes(text))
        (out / f"{seed.stem}.doc").write_bytes(doc)
        (out / f"{seed.stem}.ofd").write_bytes(ofd_bytes(text, seal=True))
        (out / f"{seed.stem}-scan.pdf").write_bytes(scan_pdf_bytes(signed(text, "某局", "2025年2月18日"), seal=True, noise=True))
    print(f"{len(seeds) * 6} files written to {out}/")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
