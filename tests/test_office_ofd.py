""".doc, .wps and .ofd: what each keeps, what each refuses, and that nothing hostile gets through.

The equality of each with the seed's .txt Report is in test_formats.py; here the
details: a .doc or .wps gives exactly the .docx's Report (tables, footnotes, tracked
changes), encrypted and broken files are refused in Chinese before LibreOffice
starts, a conversion that overruns is killed, an OFD's signatures are counted and
its stamp never read, and hostile XML (entities, external entities) is refused.
"""

from __future__ import annotations

import functools
import io
import os
import zipfile

import pytest

from conftest import CORPUS
from formats import doc_bytes, docx_bytes
from gongwen.model import InputError, Report
from gongwen.pipeline import SourceFile, report_from_source
from gongwen.readers import wordbinary
from gongwen.render import render_page
from ofd_writer import ofd_bytes

SEED = CORPUS / "002_e9196ebf62140957.txt"
TEXT = SEED.read_text(encoding="utf-8")
FOOTNOTE = "数据来源：河南省科技厅《区域科技创新评价报告》。"


def report(name: str, data: bytes) -> Report:
    return report_from_source(SourceFile(name, data))


@functools.cache
def word97() -> bytes:
    """The seed with a table, a footnote, a comment and a tracked change, as LibreOffice writes a .doc."""
    return doc_bytes(TEXT, footnote=FOOTNOTE)[0]


def without_file_fields(found: Report) -> dict:
    return found.model_dump(exclude={"source", "sha256", "source_format"})


# ---------------------------------------------------------------- .doc and .wps

@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_doc_and_wps_give_the_docx_report_with_table_and_footnote(suffix):
    found = report(f"report{suffix}", word97())
    assert word97().startswith(wordbinary.OLE_MAGIC)
    assert without_file_fields(found) == without_file_fields(report("report.docx", docx_bytes(TEXT, footnote=FOOTNOTE)))
    assert found.source_format == suffix[1:]
    assert found.notes == [f"[1] {FOOTNOTE}"]
    assert [block.rows for block in found.body if block.kind == "table"][0][0] == ("指标", "2023年", "2024年")
    assert "请核对数据" not in found.model_dump_json()  # the comment stays out, as in .docx


def _encrypted(data: bytes) -> bytes:
    """The .doc with its FIB's fEncrypted bit set, as Word marks a password-protected file."""
    import olefile
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        start = ole.direntries[[entry.name if entry else None for entry in ole.direntries].index("WordDocument")].isectStart
        sector = ole.sectorsize
    offset = (start + 1) * sector  # a big stream's first sector, after the header
    assert data[offset:offset + 2] == b"\xec\xa5"
    changed = bytearray(data)
    changed[offset + 11] |= 0x01
    return bytes(changed)


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_an_encrypted_doc_is_refused_before_converting(suffix):
    with pytest.raises(InputError, match=rf"该 \{suffix} 文件设有打开密码（已加密）.*另存为”不设密码的 \.docx") as raised:
        report(f"locked{suffix}", _encrypted(word97()))
    assert raised.value.code == "E-DOC-ENCRYPTED"


@pytest.mark.parametrize("data, detail", [
    (lambda: word97()[:3000], "文件结构有误"),
    (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "文件结构有误"),
    (lambda: "随便写的一段话，不是 Word 文件。".encode("gb18030") * 20, "不是 Word 或 WPS 文件"),
    (lambda: b"", "不是 Word 或 WPS 文件"),
], ids=["truncated-ole", "ole-header-only", "text-named-doc", "empty"])
def test_a_broken_doc_is_a_clear_error(data, detail):
    with pytest.raises(InputError, match=rf"无法读取该 \.doc 文件（{detail}.*另存为 \.docx") as raised:
        report("broken.doc", data())
    assert raised.value.code == "E-DOC-UNREADABLE"


def test_a_docx_saved_under_a_doc_name_is_read_as_docx():
    found = report("renamed.doc", docx_bytes(TEXT))
    assert found.source_format == "doc" and found.title == report("a.docx", docx_bytes(TEXT)).title


def test_a_conversion_that_overruns_is_killed_and_refused(monkeypatch):
    monkeypatch.setattr(wordbinary, "TIMEOUT", 0.05)
    before = _office_processes()
    with pytest.raises(InputError, match=r"转换该 \.doc 文件超过 0\.05 秒仍未完成，已停止") as raised:
        report("slow.doc", word97())
    assert raised.value.code == "E-DOC-TIMEOUT"
    assert _office_processes() <= before  # the whole process group is gone, nothing left running


def _office_processes() -> set[int]:
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as stream:
                command = stream.read()
        except OSError:
            continue
        if b"gongwen-office-" in command:
            found.add(int(pid))
    return found


def test_without_libreoffice_the_maintainer_is_told_how_to_install_it(monkeypatch):
    monkeypatch.setattr(wordbinary, "SOFFICE_PATHS", ())
    monkeypatch.setattr(wordbinary.shutil, "which", lambda name: None)
    with pytest.raises(InputError, match=r"读取 \.wps 文件需要办公软件 `LibreOffice`.*make site") as raised:
        report("a.wps", word97())
    assert raised.value.code == "E-DOC-NO-LIBREOFFICE"


# ---------------------------------------------------------------- .ofd

def test_ofd_counts_signatures_and_stamps_and_never_reads_them():
    found = report("signed.ofd", ofd_bytes(TEXT, seal=True))
    assert found.seals == 2  # one signature in Signatures.xml, one stamp annotation
    assert "印章" not in found.model_dump_json()  # the stamp's own text object is not document text
    page = render_page(found)
    assert "原件带有 2 处电子签章或印章，签章不作为文字收录" in page
    assert "电子签章" not in render_page(report("plain.ofd", ofd_bytes(TEXT)))


def test_ofd_drops_page_numbers_and_running_header():
    found = report("a.ofd", ofd_bytes(TEXT, header="焦作市科学技术局文件汇编"))
    dump = found.model_dump_json()
    assert "文件汇编" not in dump and "— 2 —" not in dump
    assert found.masthead == "中共焦作市科学技术局党组文件" and found.doc_number == "焦科组〔2024〕5号"


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
                  + ']><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer><ofd:TextObject ID="1" '
                  'Boundary="0 0 100 10" Size="5"><ofd:TextCode X="0" Y="5">&lol9;</ofd:TextCode></ofd:TextObject>'
                  '</ofd:Layer></ofd:Content></ofd:Page>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
            '<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer><ofd:TextObject ID="1" '
            'Boundary="0 0 100 10" Size="5"><ofd:TextCode X="0" Y="5">&secret;</ofd:TextCode></ofd:TextObject>'
            '</ofd:Layer></ofd:Content></ofd:Page>')


@pytest.mark.parametrize("part, xml", [
    ("Doc_0/Pages/Page_0/Content.xml", BILLION_LAUGHS), ("Doc_0/Pages/Page_0/Content.xml", EXTERNAL),
    ("OFD.xml", EXTERNAL.replace("ofd:Page", "ofd:OFD")),
], ids=["entity-expansion", "external-entity", "external-entity-in-OFD.xml"])
def test_hostile_xml_in_an_ofd_is_refused(part, xml):
    with pytest.raises(InputError, match="无法读取该 OFD 文件（XML 中含有实体或文档类型定义，出于安全不予读取）") as raised:
        report("hostile.ofd", ofd_bytes(TEXT, extra_xml={part: xml.encode("utf-8")}))
    assert raised.value.code == "E-OFD-UNREADABLE"
    assert "root:" not in str(raised.value)


@pytest.mark.parametrize("data, detail", [
    (lambda: b"PK\x03\x04 not a package", "不是有效的 zip 压缩包"),
    (lambda: ofd_bytes(TEXT)[:2000], "不是有效的 zip 压缩包"),
    (lambda: _without("Doc_0/Document.xml"), "缺少必需的部件"),
    (lambda: _zip({"OFD.xml": b"<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody><ofd:DocRoot>"
                   b"Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
                   "Doc_0/Document.xml": b"<ofd:Document xmlns:ofd='http://www.ofdspec.org/2016'><ofd:Pages/></ofd:Document>"}),
     "没有页面"),
], ids=["not-a-zip", "truncated", "no-document", "no-pages"])
def test_a_broken_ofd_is_a_clear_error(data, detail):
    with pytest.raises(InputError, match=rf"无法读取该 OFD 文件（{detail}.*重新获取原件") as raised:
        report("broken.ofd", data())
    assert raised.value.code == "E-OFD-UNREADABLE"


def test_an_ofd_of_pictures_only_is_refused_with_what_to_do():
    package = _zip({name: data for name, data in _parts(ofd_bytes(TEXT)).items() if "Content.xml" not in name}
                   | {name: b"<ofd:Page xmlns:ofd='http://www.ofdspec.org/2016'><ofd:Content><ofd:Layer>"
                            b"<ofd:ImageObject ID='5' Boundary='0 0 210 297' ResourceID='9'/></ofd:Layer></ofd:Content></ofd:Page>"
                      for name in _parts(ofd_bytes(TEXT)) if "Content.xml" in name})
    with pytest.raises(InputError, match=r"该 OFD 的 \d+ 页中没有文字对象（是扫描图片）.*导出为 PDF") as raised:
        report("scan.ofd", package)
    assert raised.value.code == "E-OFD-NO-TEXT"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _without(name: str) -> bytes:
    return _zip({part: data for part, data in _parts(ofd_bytes(TEXT)).items() if part != name})


def test_markup_in_an_ofd_reaches_the_page_as_text():
    hostile = TEXT.replace("一、加强党对法治政府建设的领导", "一、<script>alert(1)</script><img src=x onerror=alert(2)>", 1)
    page = render_page(report("hostile.ofd", ofd_bytes(hostile))).split("\n---\n", 1)[1]  # after the front matter (data)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
