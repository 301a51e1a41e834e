"""Each format, made from a seed with real tools (tests/formats.py), gives the seed's Report.

Same metadata, same sections, same body text as the .txt it came from; only
what the format alone carries may differ (``source*``, ``sha256``, a .docx's
table and footnotes).  Then what each reader must drop or keep, one test each.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random

import pytest

from conftest import CORPUS, SEEDS
from formats import doc_bytes, docx_bytes, html_bytes, pdf_bytes
from ofd_writer import ofd_bytes
from gongwen.compliance.deadline import timeliness
from gongwen.model import InputError, Report
from gongwen.pipeline import SourceFile, report_from_source
from gongwen.render import render_page

#: Fields only the format carries.
FORMAT_ONLY = {"source", "sha256", "source_format", "source_index_number", "source_publisher", "source_date_written",
               "source_date_published", "source_doc_number", "source_topic", "notes", "seals"}


def report(name: str, data: bytes) -> Report:
    return report_from_source(SourceFile(name, data))


def comparable(found: Report, web_dated: bool = False) -> dict:
    """The Report without format-only fields; a .docx fixture's table is checked on its own.  ``web_dated``: a web
    page's publication date judges on time (issue 22), so the timing is left to its own check."""
    data = found.model_dump(exclude=FORMAT_ONLY | ({"on_time", "days_late"} if web_dated else set()))
    data["body"] = [block for block in data["body"] if block["kind"] != "table"]
    return data


def site_meta(seed: Report) -> dict[str, str]:
    """A metadata table that agrees with the document (as a site's usually does)."""
    meta = {"索引号": "11410800/2024-00012", "主题分类": "科技、教育\\科技", "发布机构": seed.bureau or "某局"}
    if seed.doc_number:
        meta["文号"] = seed.doc_number
    if seed.date_signed:
        meta["成文日期"] = seed.date_signed.isoformat()
    meta["发布日期"] = "2025-03-05"
    return meta


@functools.cache
def doc_fixtures() -> dict[str, bytes]:
    """Every seed as .doc, converted by LibreOffice in one start (tests/formats.py)."""
    texts = [path.read_text(encoding="utf-8") for path in SEEDS]
    return dict(zip(texts, doc_bytes(*texts)))


FORMATS = {
    "docx": lambda text, seed: ("docx", docx_bytes(text)),
    "html": lambda text, seed: ("html", html_bytes(text, site_meta(seed))),
    "html-title-outside-body": lambda text, seed: ("html", html_bytes(text, site_meta(seed), title_in_body=False)),
    "html-gb2312": lambda text, seed: ("htm", html_bytes(text, site_meta(seed), charset="gb2312")),
    "pdf": lambda text, seed: ("pdf", pdf_bytes(text)),
    "ofd": lambda text, seed: ("ofd", ofd_bytes(text)),
    "ofd-object-per-character": lambda text, seed: ("ofd", ofd_bytes(text, per_character=True)),
    "doc": lambda text, seed: ("doc", doc_fixtures()[text]),
    "gbk": lambda text, seed: ("txt", text.encode("gbk")),
    "utf-16": lambda text, seed: ("txt", text.encode("utf-16")),
    "utf-8-bom": lambda text, seed: ("txt", text.encode("utf-8-sig")),
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("seed_path", SEEDS, ids=[p.stem for p in SEEDS])
def test_every_format_gives_the_seeds_report(seed_path, fmt):
    text = seed_path.read_text(encoding="utf-8")
    seed = report(seed_path.name, seed_path.read_bytes())
    extension, data = FORMATS[fmt](text, seed)
    found = report(f"{seed_path.stem}.{extension}", data)
    web_dated = found.source_date_published is not None
    assert comparable(found, web_dated) == comparable(seed, web_dated)
    if web_dated:
        assert found.on_time == timeliness(found.year, found.province, found.source_date_published).on_time
    assert found.source_format == ("html" if extension == "htm" else extension)
    assert found.sha256 != seed.sha256 or fmt == "utf-8"


# ---------------------------------------------------------------- .docx

def test_docx_keeps_its_table_as_a_table_and_drops_word_residue():
    text = (CORPUS / "000_acc9ae5d28c10407.txt").read_text(encoding="utf-8")
    found = report("report.docx", docx_bytes(text))
    tables = [block for block in found.body if block.kind == "table"]
    assert [block.rows for block in tables] == [(("指标", "2023年", "2024年"), ("高新技术企业（家）", "16", "20"),
                                                 ("技术合同成交额（亿元）", "4.45", "7.05"))]
    first_heading = next(i for i, block in enumerate(found.body) if block.kind == "heading")
    assert found.body[first_heading - 1].kind == "table"  # in its place, before the first heading
    dump = found.model_dump_json()
    assert "修订文字" not in dump and "请核对数据" not in dump and "bookmark" not in dump and "_GoBack" not in dump
    page = render_page(found)
    assert '<table class="gw-table">\n<tr><td>指标</td><td>2023年</td><td>2024年</td></tr>' in page


def test_docx_footnotes_are_kept_and_numbered():
    text = (CORPUS / "002_e9196ebf62140957.txt").read_text(encoding="utf-8")
    found = report("report.docx", docx_bytes(text, footnote="数据来源：河南省科技厅《区域科技创新评价报告》。"))
    assert found.notes == ["[1] 数据来源：河南省科技厅《区域科技创新评价报告》。"]
    assert any(block.text.endswith("[1]") for block in found.body)
    assert '<div class="gw-notes">\n<p>[1] 数据来源' in render_page(found)


def test_docx_reads_inserted_text_and_not_deleted_or_hidden_text():
    from docx import Document
    from docx.oxml import parse_xml
    document = Document()
    document.add_paragraph("某县科技局2024年法治政府建设工作报告")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document.element.body.insert(1, parse_xml(
        f'<w:p {w}><w:r><w:t>全年依法行政，</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>删掉的</w:delText></w:r></w:del>'
        f'<w:ins w:id="2" w:author="a"><w:r><w:t>取得成效。</w:t></w:r></w:ins>'
        f'<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText> HYPERLINK "javascript:x" </w:instrText></w:r></w:p>'))
    document.add_paragraph("")
    document.add_paragraph("一、主要工作")
    document.add_paragraph("依法履职，严格执法。")
    buffer = io.BytesIO()
    document.save(buffer)
    found = report("a.docx", buffer.getvalue())
    assert [block.text for block in found.body] == ["全年依法行政，取得成效。", "一、主要工作", "依法履职，严格执法。"]


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a docx", b""])
def test_broken_docx_is_a_clear_error(data):
    with pytest.raises(InputError, match="无法读取该 .docx.*另存为 .docx") as raised:
        report("x.docx", data)
    assert raised.value.code == "E-DOCX-UNREADABLE"


# ---------------------------------------------------------------- .html

def test_html_metadata_table_goes_to_source_fields_beside_the_documents_own():
    seed = report("002.txt", (CORPUS / "002_e9196ebf62140957.txt").read_bytes())
    text = (CORPUS / "002_e9196ebf62140957.txt").read_text(encoding="utf-8")
    found = report("page.html", html_bytes(text, site_meta(seed) | {"成文日期": "2024年03月15日"}))
    assert found.source_index_number == "11410800/2024-00012"
    assert found.source_topic == "科技、教育\\科技"
    assert found.source_publisher == "焦作市科学技术局"
    assert found.source_doc_number == "焦科组〔2024〕5号" == found.doc_number
    assert found.source_date_written == dt.date(2024, 3, 15)
    assert found.source_date_published == dt.date(2025, 3, 5)
    assert not any(w.startswith("source_") for w in found.warnings)


def test_html_metadata_conflicts_are_warnings_and_both_values_are_kept():
    path = CORPUS / "004_a3d568ff32f023b9.txt"
    meta = {"文号": "信科[2025]7号", "发布机构": "信阳市人民政府办公室", "成文日期": "2025-13-40"}
    found = report("page.html", html_bytes(path.read_text(encoding="utf-8"), meta))
    assert found.doc_number == "信科〔2025〕6号" and found.source_doc_number == "信科〔2025〕7号"
    assert found.issuer == "信阳市科学技术局" and found.source_publisher == "信阳市人民政府办公室"
    assert found.source_date_written is None
    warnings = "\n".join(found.warnings)
    assert "source_doc_number: [W-SOURCE-CONFLICT] 网页所载文号为 信科〔2025〕7号，文件本身为 信科〔2025〕6号（两者都保留）" in warnings
    assert "source_publisher: [W-SOURCE-PUBLISHER] 网页所载发布机构为 信阳市人民政府办公室" in warnings
    assert "source_date_written: [W-SOURCE-DATE] 网页所载日期“2025-13-40”不是日期" in warnings


def test_html_page_furniture_scripts_and_url_dates_stay_out():
    path = CORPUS / "001_bfb220357d947980.txt"
    page = html_bytes(path.read_text(encoding="utf-8"), {}).replace(
        b"</head>", b'<link rel="canonical" href="http://www.example.gov.cn/2024/1231/t20241231_1.html"></head>')
    found = report("t20241231_1.html", page)
    dump = found.model_dump_json()
    for furniture in ("当前位置", "首页", "分享到", "微信", "打印本页", "关闭窗口", "主办单位", "ICP", "统计代码",
                      "页脚脚本", "jquery", "font-family", "搜索"):
        assert furniture not in dump, furniture
    assert all(getattr(found, f"source_{name}") is None for name in
               ("index_number", "publisher", "date_written", "date_published", "doc_number", "topic"))


def test_html_without_a_body_is_a_clear_error():
    with pytest.raises(InputError, match="网页中找不到报告正文"):
        report("x.html", "<html><body><div class='nav'>首页 政务公开</div><p>Hello</p></body></html>".encode())


# ---------------------------------------------------------------- .pdf

def test_pdf_drops_page_numbers_and_running_header_and_keeps_head_and_tail():
    path = CORPUS / "004_a3d568ff32f023b9.txt"
    found = report("a.pdf", pdf_bytes(path.read_text(encoding="utf-8"), header="信阳市科学技术局文件汇编"))
    dump = found.model_dump_json()
    assert "— 2 —" not in dump and "文件汇编" not in dump
    assert found.masthead == "信阳市科学技术局文件"
    assert found.colophon == ["抄送：信阳市司法局依法行政指导科", "信阳市科学技术局办公室", "2025年2月20日印发"]


def test_pdf_joins_a_paragraph_broken_across_a_page():
    path = CORPUS / "002_e9196ebf62140957.txt"
    found = report("a.pdf", pdf_bytes(path.read_text(encoding="utf-8")))
    paragraphs = [block.text for block in found.body if block.kind == "paragraph"]
    assert all(text.endswith(("。", "：", "；", "）", "”")) for text in paragraphs), [p[-20:] for p in paragraphs]


def test_pdf_without_a_text_layer_or_a_picture_is_a_clear_error():
    from reportlab.pdfgen import canvas
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for _ in range(2):
        page.rect(72, 72, 300, 500, fill=1)  # drawings, no text and no picture to recognise
        page.showPage()
    page.save()
    with pytest.raises(InputError, match=r"该 PDF 没有文字层（共 2 页），扫描页经文字识别（OCR）也没有读出文字.*扫描件"):
        report("scan.pdf", buffer.getvalue())


@pytest.mark.parametrize("data", [
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    b"%PDF-1.7\n" + bytes(range(256)) * 4,
    b"",
], ids=["no-pages", "garbage", "empty"])
def test_broken_pdf_is_a_clear_error(data):
    with pytest.raises(InputError, match="PDF") as raised:
        report("x.pdf", data)
    assert raised.value.code in ("E-PDF-UNREADABLE", "E-PDF-NO-PAGES")


# ---------------------------------------------------------------- .txt

def test_text_whose_encoding_cannot_be_decided_is_a_clear_error():
    """Rare Han characters only (none of GB 2312's common 3,755): no decoding reads as Chinese prose, so none is taken."""
    from gongwen.readers.decode import common_hanzi
    rare = [chr(c) for c in range(0x4E00, 0x9FA5) if chr(c) not in common_hanzi()]
    rng = random.Random(1)
    data = "".join(rng.choice(rare) for _ in range(200)).encode("gb18030")
    with pytest.raises(InputError, match="无法确定文件的文字编码.*编码选 UTF-8") as raised:
        report("old.txt", data)
    assert raised.value.code == "E-ENCODING"


def _plain_page(body: str) -> bytes:
    nav = "".join(f"<li><a href='/{i}'>政务公开栏目第{i}项链接文字</a></li>" for i in range(30))
    return (f"<html><head><meta charset='utf-8'></head><body><ul class='menu-list'>{nav}</ul>"
            f"<div class='wrap'><h1>甲县科技局2024年法治政府建设工作报告</h1>{body}</div>"
            f"<div id='foot'>版权所有：甲县人民政府 联系我们 网站地图</div></body></html>").encode("utf-8")


@pytest.mark.parametrize("body", [
    "<div class='main-txt'><p>2024年，我局坚持依法行政，全面推进法治政府建设。</p><p>一、主要工作</p>"
    "<p>严格规范公正文明执法，持续深化普法宣传教育。</p></div>",
    "<div class='main-txt'>2024年，我局坚持依法行政，全面推进法治政府建设。<br>一、主要工作<br/>"
    "严格规范公正文明执法，持续深化普法<span>宣传</span>教育。</div>",
], ids=["paragraphs", "line-breaks"])
def test_html_body_found_without_a_known_container(body):
    found = report("page.html", _plain_page(body))
    assert found.title == "甲县科技局2024年法治政府建设工作报告"
    assert [block.text for block in found.body] == [
        "2024年，我局坚持依法行政，全面推进法治政府建设。", "一、主要工作", "严格规范公正文明执法，持续深化普法宣传教育。"]


def test_html_metadata_in_other_shapes_and_not_from_navigation():
    text = (CORPUS / "001_bfb220357d947980.txt").read_text(encoding="utf-8")
    page = html_bytes(text, {}).decode("utf-8").replace('<div class="xxgk-main">', """<div class="xxgk-main">
<ul class="xxgk-info"><li><b>索 引 号：</b><span>11411281/2025-00003</span></li>
<li><b>文　　号：</b><span>无</span></li><li>发布日期：2025-01-20 10:32</li></ul>""").replace(
        '<li><a href="/hdjl/">互动交流</a></li>', '<li><a href="/ztfl/">主题分类</a></li><li><a href="/jgfl/">机构分类</a></li>')
    found = report("page.html", page.encode("utf-8"))
    assert found.source_index_number == "11411281/2025-00003"
    assert found.source_doc_number is None and not any("source_doc_number" in w for w in found.warnings)
    assert found.source_date_published == dt.date(2025, 1, 20)
    assert found.source_topic is None


def test_docx_masthead_set_in_a_table_is_read_as_lines():
    from docx import Document
    document = Document()
    head = document.add_table(rows=2, cols=1)
    head.rows[0].cells[0].text, head.rows[1].cells[0].text = "中共焦作市科学技术局党组文件", "焦科组〔2024〕5号"
    for line in ("中共焦作市科学技术局党组关于2023年法治政府建设工作的报告", "市委、市政府：",
                 "2023年以来，我局坚持依法行政，全面推进法治政府建设。", "一、主要工作", "严格规范公正文明执法。"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    found = report("head-table.docx", buffer.getvalue())
    assert found.masthead == "中共焦作市科学技术局党组文件" and found.doc_number == "焦科组〔2024〕5号"
    assert [block.kind for block in found.body] == ["paragraph", "heading", "paragraph"]


def test_pdf_lines_join_into_paragraphs_by_indent_and_short_lines():
    from gongwen.readers.pdf import Line, paragraphs
    lines = [Line("一、主要工作", 111, 207, 16), Line("我局坚持依法行政，全面推进法治政", 111, 522, 16),
             Line("府建设，依托 information tech-", 79, 522, 16), Line("nology 与 open", 79, 522, 16),
             Line("data 平台。", 79, 160, 16), Line("抄送：市司法局", 79, 190, 16)]
    assert paragraphs(lines) == ["一、主要工作", "我局坚持依法行政，全面推进法治政府建设，依托 information technology 与 open data 平台。",
                                 "抄送：市司法局"]


def test_html_layout_tables_are_read_as_text_and_data_tables_as_tables():
    body = ("<div id='zoom'><table width='100%'><tr><td><p>2024年，我局坚持依法行政，全面推进法治政府建设。</p>"
            "<p>一、主要工作</p><p>严格规范公正文明执法，持续深化普法宣传教育。</p>"
            "<table><tr><td>指标</td><td>数量</td></tr><tr><td>执法检查（次）</td><td>12</td></tr></table>"
            "</td></tr></table></div>")
    found = report("page.html", _plain_page(body))
    assert [block.kind for block in found.body] == ["paragraph", "heading", "paragraph", "table"]
    assert found.body[-1].rows == (("指标", "数量"), ("执法检查（次）", "12"))


def test_docx_bold_run_in_heading_without_a_full_stop_is_cut_at_the_bold():
    from docx import Document
    document = Document()
    for line in ("某县科技局2024年法治政府建设工作报告", "2024年，我局坚持依法行政，全面推进法治政府建设。", "一、主要工作"):
        document.add_paragraph(line)
    paragraph = document.add_paragraph()
    paragraph.add_run("（一）强化学习").bold = True
    paragraph.add_run("局党组把习近平法治思想纳入中心组学习，全年集中学习5次。")
    bold_with_stop = document.add_paragraph()
    bold_with_stop.add_run("（二）规范执法。").bold = True
    bold_with_stop.add_run("全面落实行政执法三项制度。")
    buffer = io.BytesIO()
    document.save(buffer)
    found = report("run-in.docx", buffer.getvalue())
    assert [(block.kind, block.text) for block in found.body[1:]] == [
        ("heading", "一、主要工作"), ("heading", "（一）强化学习"),
        ("paragraph", "局党组把习近平法治思想纳入中心组学习，全年集中学习5次。"),
        ("heading", "（二）规范执法"), ("paragraph", "全面落实行政执法三项制度。")]
