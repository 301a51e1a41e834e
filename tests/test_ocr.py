"""Scanned PDFs read by OCR: a short report (two pages) scanned three ways gives the .txt's Report.

The scans are made by tests/formats.py (the report printed by reportlab, every page rendered to a
picture at 300 or 200 dpi, put back into a PDF of pictures; one with a red seal over the 落款, grain
and skew).  Metadata must come out exactly; the body may differ only by what OCR misses, bounded by
the character error rate (1 % clean, 3 % with seal and noise).  The full measure, on every seed, is
``make bench`` (scripts/bench/ocr_bench.py → docs/benchmarks.md).  One OCR memo serves the whole
module, so that each scan is recognised once.
"""

from __future__ import annotations

import functools
import sys
from functools import partial

import pytest

from conftest import CORPUS, ROOT, make_project, run_gongwen
from formats import scan_pdf_bytes, short_report, signed
from gongwen.buildpaths import ocr_cache
from gongwen.memos import load_memo, save_memo
from gongwen.model import InputError, Report
from gongwen.pipeline import SourceFile, build_reports, report_from_source
from gongwen.readers import ocr
from gongwen.readers.ocr import VERSION
from gongwen.render import render_page
from gongwen.reportcache import OcrMemo

sys.path.insert(0, str(ROOT / "scripts" / "bench"))
from ocr_bench import body_text, character_error_rate  # noqa: E402

SEED = CORPUS / "004_a3d568ff32f023b9.txt"
TEXT = signed(short_report(SEED.read_text(encoding="utf-8")), "信阳市科学技术局", "2025年2月18日")
MEMO = OcrMemo({})
#: What a scan must give exactly as the .txt does.
EXACT = ("title", "issuer", "bureau", "doc_number", "year", "date_signed", "date_printed", "recipients", "cc", "printer",
         "province", "city", "county", "level", "id", "masthead", "doc_number_line", "recipients_line", "closing", "colophon")
SCANS = {"300 dpi": dict(dpi=300), "200 dpi": dict(dpi=200), "seal and noise": dict(dpi=300, seal=True, noise=True)}


@functools.cache
def scan(variant: str) -> bytes:
    return scan_pdf_bytes(TEXT, **SCANS[variant])


def txt_report() -> Report:
    return report_from_source(SourceFile("short.txt", TEXT.encode("utf-8")))


def scanned(variant: str, name: str = "scan.pdf") -> Report:
    return report_from_source(SourceFile(name, scan(variant)), MEMO.recognise)


@pytest.mark.parametrize("variant, limit", [("300 dpi", 0.01), ("200 dpi", 0.01), ("seal and noise", 0.03)])
def test_a_scan_gives_the_txt_report_but_what_ocr_misses(variant, limit):
    seed, found = txt_report(), scanned(variant)
    assert {f: getattr(found, f) for f in EXACT} == {f: getattr(seed, f) for f in EXACT}
    assert [block.kind for block in found.body] == [block.kind for block in seed.body]
    assert character_error_rate(body_text(seed), body_text(found)) <= limit
    assert found.source_format == "pdf" and 0.9 <= found.ocr_confidence <= 1
    assert [w for w in found.warnings if "[W-OCR]" in w] == [
        f"ocr_confidence: [W-OCR] 正文由扫描图像经文字识别（OCR）得出，平均置信度 {found.ocr_confidence:.1%}，可能与原件有出入"
        "（页面已注明并提供原件下载）。处理：核对页面文字；有该报告的 .docx、.txt 或带文字层的 PDF 时一并放入，本页会改用其文字。"]
    assert "本页文字是从扫描件中自动识别出来的" in render_page(found)
    assert "本页文字是从扫描件中识别" not in render_page(seed) and seed.ocr_confidence is None


def test_the_red_seal_is_removed_and_the_black_text_under_it_kept():
    import numpy
    import pypdfium2
    from PIL import Image
    document = pypdfium2.PdfDocument(scan("seal and noise"))
    page = document[len(document) - 1].render(scale=1).to_pil().convert("RGB")
    document.close()
    before, after = numpy.asarray(page).astype(int), numpy.asarray(ocr.without_red(page)).astype(int)
    red = lambda p: (p[..., 0] - numpy.maximum(p[..., 1], p[..., 2]) > 80).sum()  # noqa: E731
    dark = lambda p: (p.max(axis=2) < 90).sum()  # noqa: E731
    assert red(before) > 2000 and red(after) < red(before) / 50
    assert abs(dark(after) - dark(before)) <= dark(before) * 0.01  # text pixels, under the seal too, stay
    assert isinstance(ocr.without_red(Image.new("RGB", (4, 4), "white")), Image.Image)
    # What it gains (the 成文日期 under the seal, on every seed) is measured by make bench: docs/benchmarks.md.


def test_a_scan_and_the_txt_of_one_report_are_one_page_with_the_txt_text():
    for scan_name, text_name in (("a/1-scan.pdf", "a/2-report.txt"), ("a/2-scan.pdf", "a/1-report.txt")):
        result = build_reports([SourceFile(scan_name, scan("300 dpi")), SourceFile(text_name, TEXT.encode("utf-8"))],
                               parse=partial(report_from_source, recognise=MEMO.recognise))
        assert len(result.reports) == 1 and not result.rejections, scan_name
        page = result.reports[0]
        assert page.source == text_name and page.ocr_confidence is None
        assert [(a.source, a.source_format) for a in page.alternates] == [(scan_name, "pdf")]
        assert page.body == txt_report().body
        sibling = [w for w in page.warnings if "[W-OCR-SIBLING]" in w]
        assert len(sibling) == 1 and f"扫描件 {scan_name} 与本文件是同一报告" in sibling[0]
        assert not any("[W-OCR]" in w for w in page.warnings)


def test_ocr_is_kept_by_file_digest_and_check_lists_the_scans(tmp_path):
    corpus, site = tmp_path / "corpus", tmp_path / "site"
    corpus.mkdir()
    (corpus / "扫描件.pdf").write_bytes(scan("300 dpi"))
    (corpus / SEED.name).write_bytes(SEED.read_bytes())
    first = run_gongwen("check", "--corpus", str(corpus), "--site", str(site))
    assert "警告 [W-OCR] 扫描件.pdf：ocr_confidence（文字识别置信度）：正文由扫描图像经文字识别（OCR）得出" in first.stdout
    assert "[W-OCR] " + SEED.name not in first.stdout
    stored = load_memo(ocr_cache(site), VERSION)
    assert len(stored) == 1 and next(iter(stored))[0] == MEMO_KEY()
    # The memo, not a new recognition, is what the next check reads: emptied, the scan has no text.
    save_memo(ocr_cache(site), {key: tuple(() for _ in pages) for key, pages in stored.items()}, VERSION)
    (corpus / "扫描件.pdf").rename(corpus / "改名的扫描件.pdf")  # kept by digest, not by name
    second = run_gongwen("check", "--corpus", str(corpus), "--site", str(site))
    assert "错误 [E-PDF-NEEDS-OCR] 改名的扫描件.pdf：该 PDF 没有文字层（共 2 页），扫描页经文字识别（OCR）也没有读出文字" in second.stdout


def MEMO_KEY() -> str:
    import hashlib
    return hashlib.sha256(scan("300 dpi")).hexdigest()


def test_a_build_reads_a_scan_and_its_page_says_so(tmp_path):
    from bs4 import BeautifulSoup
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "scan.pdf").write_bytes(scan("300 dpi"))
    scanned("300 dpi")  # recognised once for the module; the build finds it in its work folder's memo
    save_memo(ocr_cache(tmp_path / "site"), dict(MEMO.stored), VERSION)
    config = make_project(tmp_path / "project")
    done = run_gongwen("build", "--corpus", str(corpus), "--site", str(tmp_path / "site"), "--config", str(config))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / ".gongwen" / "site" / "ocr" / "program").read_text(encoding="utf-8") == VERSION
    html = (tmp_path / "site" / "reports" / "henan" / "xinyang" / "kjj" / "2024" / "index.html").read_text(encoding="utf-8")
    note = BeautifulSoup(html, "html.parser").select_one(".gw-ocr-note")
    assert note is not None and "可能与原件有出入，请以原件为准" in note.get_text()


def test_a_page_too_large_to_render_is_refused(monkeypatch):
    monkeypatch.setattr(ocr, "MAX_PIXELS", 1000)
    with pytest.raises(InputError, match=r"无法读取该 PDF（扫描页无法识别，ValueError）") as raised:
        report_from_source(SourceFile("huge.pdf", scan("200 dpi")))
    assert raised.value.code == "E-PDF-UNREADABLE"
