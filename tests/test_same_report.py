"""One report, one page: the same report in several formats is one page offering every original."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import CORPUS, build_site
from formats import docx_bytes, pdf_bytes
from gongwen.pipeline import SourceFile, build_reports

SEED = CORPUS / "004_a3d568ff32f023b9.txt"
TEXT = SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def three_formats(tmp_path_factory) -> tuple[Path, str, Path]:
    tmp = tmp_path_factory.mktemp("same")
    corpus = tmp / "corpus"
    (corpus / "信阳").mkdir(parents=True)
    (corpus / "信阳" / "信阳市科技局2024.txt").write_bytes(SEED.read_bytes())
    (corpus / "信阳" / "信阳市科技局2024.docx").write_bytes(docx_bytes(TEXT, table=False))
    (corpus / "信阳" / "信阳市科技局2024.pdf").write_bytes(pdf_bytes(TEXT))
    site, done = build_site(tmp, corpus)
    return site, done.stdout, corpus


def test_txt_docx_and_pdf_of_one_report_are_one_page_with_three_downloads(three_formats):
    site, stdout, corpus = three_formats
    assert "共 3 个文件：发布 1 个页面（另有 2 个文件是同一报告的其他格式，并入其页面），未发布 0 个" in stdout
    rows = json.loads((site / "api" / "reports.json").read_text(encoding="utf-8"))
    assert [row["url"] for row in rows] == ["reports/henan/xinyang/kjj/2024/"]
    folder = site / "reports" / "henan" / "xinyang" / "kjj" / "2024"
    soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = soup.select(".gw-downloads a[href^=original]")
    assert [a.get_text().split("，")[0] for a in links] == ["原始文件（.docx", "原始文件（.pdf", "原始文件（.txt"]
    digests = [code.get_text() for code in soup.select(".gw-downloads .gw-sha256")]
    for link, digest, suffix in zip(links, digests, ("docx", "pdf", "txt")):
        data = (folder / link["href"]).read_bytes()
        assert data == (corpus / "信阳" / f"信阳市科技局2024.{suffix}").read_bytes()
        assert digest == hashlib.sha256(data).hexdigest()
    assert len(digests) == 3


def test_build_prints_the_summary_last_and_where_the_full_report_is(three_formats):
    site, stdout, _ = three_formats
    last = stdout.splitlines()[-1]
    assert last.startswith("共 3 个文件：发布 1 个页面") and "完整检查报告：" in last
    report = Path(last.split("完整检查报告：")[1])
    assert report == site.parent / "build" / "validation-report.txt"
    assert report.read_text(encoding="utf-8").splitlines()[0] == last.split("。完整检查报告")[0]


def test_a_near_duplicate_is_published_with_a_warning_naming_both_files():
    changed = TEXT.replace("应急演练近 10 次", "应急演练近 12 次")
    assert changed != TEXT
    result = build_reports([SourceFile("a.txt", TEXT.encode("utf-8")), SourceFile("b.txt", changed.encode("utf-8")),
                            SourceFile("c.txt", TEXT.encode("gb18030"))])
    assert [r.source for r in result.reports] == ["a.txt", "b.txt"]
    assert [a.source for a in result.reports[0].alternates] == ["c.txt"]  # same text in GB18030: same report
    near = [w for w in result.reports[1].warnings if "[W-NEAR-DUPLICATE]" in w]
    assert len(near) == 1 and near[0].startswith("source: ") and "a.txt" in near[0]
    assert not any("[W-NEAR-DUPLICATE]" in w for w in result.reports[0].warnings)


def test_build_strict_builds_the_site_and_exits_1_when_a_file_is_rejected(tmp_path):
    from conftest import make_project, run_gongwen
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / SEED.name).write_bytes(SEED.read_bytes())
    (corpus / "empty.txt").write_bytes(b"")
    config = make_project(tmp_path / "project")
    done = run_gongwen("build", "--strict", "--corpus", str(corpus), "--site", str(tmp_path / "site"), "--config", str(config))
    assert done.returncode == 1, done.stderr
    assert (tmp_path / "site" / "reports" / "henan" / "xinyang" / "kjj" / "2024" / "index.html").is_file()
    assert done.stdout.splitlines()[-1].startswith("共 2 个文件：发布 1 个页面，未发布 1 个；错误 1 条")
    assert "错误 [E-EMPTY] empty.txt：" in done.stdout


def test_a_sidecar_of_a_merged_original_is_not_lost_silently():
    result = build_reports([SourceFile("a.txt", TEXT.encode("utf-8")),
                            SourceFile("b.txt", TEXT.encode("gb18030"), sidecar={"cc": ["市政府办公室"]}, sidecar_name="b.txt.meta.yml")])
    assert len(result.reports) == 1 and result.reports[0].cc == ["信阳市司法局依法行政指导科"]
    warning = next(w for w in result.reports[0].warnings if "[W-ALTERNATE-SIDECAR]" in w)
    assert "b.txt" in warning and "a.txt 的元数据文件" in warning


@pytest.fixture(scope="module")
def four_formats(tmp_path_factory) -> tuple[Path, str, Path]:
    """One short report as .doc, .pdf, .ofd and a scanned .pdf (its OCR recognised once, here, into the build's
    work folder: the build must find it there by the file's digest)."""
    from formats import doc_bytes, scan_pdf_bytes, short_report, signed
    from gongwen.buildpaths import ocr_cache
    from gongwen.memos import save_memo
    from gongwen.readers.ocr import VERSION
    from gongwen.reportcache import OcrMemo
    from ofd_writer import ofd_bytes
    text = signed(short_report(TEXT), "信阳市科学技术局", "2025年2月18日")
    tmp = tmp_path_factory.mktemp("four")
    folder = tmp / "corpus" / "信阳"
    folder.mkdir(parents=True)
    files = {"报告.doc": doc_bytes(text, table=False)[0], "报告.pdf": pdf_bytes(text), "报告.ofd": ofd_bytes(text, seal=True),
             "扫描件.pdf": scan_pdf_bytes(text, dpi=300)}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    memo = OcrMemo({})
    memo.recognise(files["扫描件.pdf"], (0, 1))
    save_memo(ocr_cache(tmp / "site"), memo.used, VERSION)
    site, done = build_site(tmp, tmp / "corpus")
    return site, done.stdout, tmp / "corpus"


def test_doc_pdf_ofd_and_a_scan_of_one_report_are_one_page_offering_every_original(four_formats):
    site, stdout, corpus = four_formats
    assert "共 4 个文件：发布 1 个页面（另有 3 个文件是同一报告的其他格式，并入其页面），未发布 0 个" in stdout
    assert "警告 [W-OCR-SIBLING] 信阳/报告.doc：source（原始文件）：扫描件 信阳/扫描件.pdf 与本文件是同一报告" in stdout
    folder = site / "reports" / "henan" / "xinyang" / "kjj" / "2024"
    soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = soup.select(".gw-downloads a[href^=original]")
    assert sorted(a.get_text().split("，")[0] for a in links) == ["原始文件（.doc", "原始文件（.ofd", "原始文件（.pdf", "原始文件（.pdf"]
    downloaded = sorted((folder / a["href"]).read_bytes() for a in links)
    assert downloaded == sorted(path.read_bytes() for path in (corpus / "信阳").iterdir())
    assert soup.select_one(".gw-ocr-note") is None  # the page's text was read from the .doc, not recognised
