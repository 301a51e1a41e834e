"""Property tests: whatever bytes or text come in, only the project's own clear errors come out.

Random bytes, truncated and corrupted real files, huge lines and odd Unicode are
fed to every reader and every stage.  Each must return a value or raise
:class:`InputError` — never another exception, never hang (each example has a
deadline).  The budget is fixed and the examples are derandomised, so CI time is
small and a run is the same every time.
"""

from __future__ import annotations

import datetime as dt
import functools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from formats import docx_bytes, html_bytes, pdf_bytes
from gongwen.body import body_blocks, numbering_warnings, section_tree
from gongwen.extract import extract_metadata
from gongwen.layout import split_layout
from gongwen.model import InputError
from gongwen.normalize import normalize_lines
from gongwen.pipeline import SourceFile, report_from_source, report_from_text
from gongwen.provenance import conflict_warnings, site_date, source_fields
from gongwen.readers import READERS
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
            ".pdf": pdf_bytes(SEED_TEXT)}


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
    publish_or_refuse(f"random{extension}", data)


@BUDGET
@given(extension=st.sampled_from([".txt", ".docx", ".html", ".pdf"]), cut=st.floats(0, 1))
def test_truncated_real_files(extension, cut):
    data = real_files()[extension]
    publish_or_refuse(f"cut{extension}", data[: int(len(data) * cut)])


@BUDGET
@given(extension=st.sampled_from([".txt", ".docx", ".html", ".pdf"]),
       edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_corrupted_real_files(extension, edits):
    data = bytearray(real_files()[extension])
    for where, value in edits:
        data[min(int(len(data) * where), len(data) - 1)] = value
    publish_or_refuse(f"corrupt{extension}", bytes(data))


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
