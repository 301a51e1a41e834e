"""Property tests: whatever bytes or text come in, only the project's own clear errors come out.

Random bytes, truncated and corrupted real files, huge lines and odd Unicode are
fed to every reader and every stage.  Each must return a value or raise
:class:`InputError` — never another exception, never hang (each example has a
deadline).  The budget is fixed and the examples are derandomised, so CI time is
small and a run is the same every time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import zlib
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from formats import doc_bytes, docx_bytes, html_bytes, pdf_bytes
from ofd_writer import ofd_bytes
from gongwen.body import body_blocks, numbering_warnings, section_tree
from gongwen.extract import extract_metadata
from gongwen.layout import split_layout
from gongwen.model import InputError
from gongwen.normalize import normalize_lines
from gongwen.pipeline import SourceFile, report_from_source, report_from_text
from gongwen.provenance import conflict_warnings, site_date, source_fields
from gongwen.readers import READERS, wordbinary
from gongwen.render import render_page

#: The fixed budget: examples per test and the time one example may take (a hang fails, slowness does not).
BUDGET = settings(max_examples=40, deadline=dt.timedelta(seconds=10), derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EXTENSIONS = sorted(READERS)
SEED_TEXT = (CORPUS / "002_e9196ebf62140957.txt").read_text(encoding="utf-8")
#: Any character a str can hold and UTF-8 can encode: controls, combining marks, RTL, private use, astral.
ODD_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)


@functools.cache
def real_files() -> dict[str, bytes]:
    """One real file per format, made from a seed."""
    return {".txt": SEED_TEXT.encode("gb18030"), ".docx": docx_bytes(SEED_TEXT),
            ".html": html_bytes(SEED_TEXT, {"索引号": "1", "成文日期": "2024-03-18", "文号": "焦科组〔2024〕5号"}),
            ".pdf": pdf_bytes(SEED_TEXT), ".ofd": ofd_bytes(SEED_TEXT, seal=True), ".doc": doc_bytes(SEED_TEXT)[0]}


@contextlib.contextmanager
def no_office():
    """LibreOffice out of reach: a .doc/.wps is judged by what the reader checks before converting (the
    conversion itself is fuzzed apart, with few examples: it takes seconds)."""
    with mock.patch.object(wordbinary, "SOFFICE_PATHS", ()), mock.patch.object(wordbinary.shutil, "which", lambda _: None):
        yield


def publish_or_refuse(name: str, data: bytes) -> None:
    """The whole data flow, through rendering; only an InputError may stop it."""
    try:
        found = report_from_source(SourceFile(name, data))
    except InputError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert found.title and found.body
    render_page(found)


@BUDGET
@given(extension=st.sampled_from(EXTENSIONS), data=st.binary(max_size=4096))
def test_random_bytes_in_every_format(extension, data):
    with no_office():
        publish_or_refuse(f"random{extension}", data)


@BUDGET
@given(extension=st.sampled_from([".txt", ".docx", ".html", ".pdf", ".ofd", ".doc", ".wps"]), cut=st.floats(0, 1))
def test_truncated_real_files(extension, cut):
    data = real_files()[".doc" if extension == ".wps" else extension]
    with no_office():
        publish_or_refuse(f"cut{extension}", data[: int(len(data) * cut)])


@BUDGET
@given(extension=st.sampled_from([".txt", ".docx", ".html", ".pdf", ".ofd", ".doc"]),
       edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_corrupted_real_files(extension, edits):
    with no_office():
        publish_or_refuse(f"corrupt{extension}", _corrupted(real_files()[extension], edits))


def _corrupted(original: bytes, edits) -> bytes:
    data = bytearray(original)
    for where, value in edits:
        data[min(int(len(data) * where), len(data) - 1)] = value
    return bytes(data)


#: LibreOffice on broken files: few examples (seconds each), a deadline beyond the reader's own time limit.
OFFICE_BUDGET = settings(BUDGET, max_examples=4, deadline=dt.timedelta(seconds=wordbinary.TIMEOUT + 30))


@OFFICE_BUDGET
@given(edits=st.lists(st.tuples(st.floats(0.05, 1), st.integers(0, 255)), min_size=1, max_size=40),
       extension=st.sampled_from([".doc", ".wps"]))
def test_libreoffice_on_corrupted_word_files(edits, extension):
    publish_or_refuse(f"corrupt{extension}", _corrupted(real_files()[".doc"], edits))


@BUDGET
@given(text=ODD_TEXT, where=st.sampled_from(["OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml"]),
       prefix=st.sampled_from(["", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>',
                               '<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">', "<!ENTITY e SYSTEM 'file:///etc/passwd'>"]))
def test_odd_xml_in_an_ofd(text, where, prefix):
    from xml.sax.saxutils import escape
    parts = {where: (prefix + "<ofd:Page xmlns:ofd='http://www.ofdspec.org/2016'><ofd:TextObject Boundary='1 1 9 9' "
                     f"Size='3'><ofd:TextCode X='0' Y='{len(text)}' DeltaX='g 3 {text[:3]!r}'>{escape(text)}"
                     "</ofd:TextCode></ofd:TextObject></ofd:Page>").encode("utf-8", "surrogatepass")}
    publish_or_refuse("odd.ofd", ofd_bytes(SEED_TEXT, extra_xml=parts))


def huge_image_pdf(width: int, height: int, page: float = 595.0) -> bytes:
    """A one-page PDF whose page is a single 1-bit picture of ``width`` × ``height`` pixels, deflated."""
    picture = zlib.compress(b"\xff" * ((width + 7) // 8 * height), 1)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page} {page}] /Resources << /XObject << /Im1 4 0 R >> >> "
               "/Contents 5 0 R >>".encode(),
               f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray "
               f"/BitsPerComponent 1 /Filter /FlateDecode /Length {len(picture)} >>\nstream\n".encode() + picture
               + b"\nendstream", None]
    drawing = f"q {page} 0 0 {page} 0 0 cm /Im1 Do Q".encode()
    objects[4] = f"<< /Length {len(drawing)} >>\nstream\n".encode() + drawing + b"\nendstream"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@settings(BUDGET, max_examples=3, deadline=dt.timedelta(seconds=60))
@given(side=st.sampled_from([4000, 12000, 30000]), page=st.sampled_from([595.0, 14400.0]))
def test_huge_pictures_in_a_pdf(side, page):
    """A blank picture of up to 30,000² pixels, on an A4-sized or a 5-metre page: recognised (nothing) or refused."""
    publish_or_refuse("huge.pdf", huge_image_pdf(side, side, page))


@BUDGET
@given(text=ODD_TEXT, extension=st.sampled_from([".txt", ".html"]), encoding=st.sampled_from(["utf-8", "utf-16", "gb18030"]))
def test_odd_unicode_in_text_and_web_pages(text, extension, encoding):
    document = SEED_TEXT.replace("一、加强党对法治政府建设的领导", f"一、{text}", 1)
    try:
        data = document.encode(encoding) if extension == ".txt" else html_bytes(document, {"文号": text[:20]})
    except UnicodeEncodeError:
        return
    publish_or_refuse(f"odd{extension}", data)


@BUDGET
@given(char=st.sampled_from(["某", "a", "1", "、", "（", " ", "\u3000", "\ue000", "〔"]), count=st.integers(1, 200_000),
       tail=ODD_TEXT)
def test_huge_lines_through_every_stage(char, count, tail):
    text = "某县科技局2024年法治政府建设工作报告\n" + char * count + tail + "\n一、" + char * (count // 2)
    try:
        report_from_text(text, "huge.txt", "0" * 64)
    except InputError:
        pass
    lines = normalize_lines(text)
    layout = split_layout(lines)
    blocks = body_blocks(layout.body)
    section_tree(blocks), numbering_warnings(blocks)
    try:
        extract_metadata(layout, text)
    except InputError:
        pass


@BUDGET
@given(meta=st.dictionaries(st.sampled_from(["index_number", "publisher", "date_written", "date_published",
                                             "doc_number", "topic"]), ODD_TEXT))
def test_site_metadata_of_any_shape(meta):
    fields, warnings = source_fields(meta)
    conflict_warnings(fields | {"issuer": "某局", "bureau": "某局", "doc_number": None, "date_signed": None})
    assert all(isinstance(w, str) for w in warnings)


@BUDGET
@given(text=ODD_TEXT)
def test_site_dates_are_dates_or_none(text):
    assert site_date(text) is None or isinstance(site_date(text), dt.date)
