"""``scripts/bench/harvest_real.py``: saved copies of a column served locally and harvested, the reports found
compared with a careful reader's list. The column here is written for the test (a saved copy's shape: absolute
and protocol-relative links to its own host, a page bar by script, a GBK page without charset)."""

from __future__ import annotations

import json
import sys

from conftest import ROOT
from harvest_portal import listing_page, report_page, report_text

sys.path.insert(0, str(ROOT / "scripts" / "bench"))

import harvest_real  # noqa: E402

HOST = "http://www.example.gov.cn"
FIRST = "丁县2023年法治政府建设年度报告"
SECOND = "丁县司法局2023年度法治政府建设情况报告"


def saved_column(folder) -> dict:
    files = {}

    def save(url: str, name: str, body: bytes) -> None:
        (folder / name).write_bytes(body)
        files[url] = name

    bar = lambda current: f"<script>createPageHTML('page_div',2, {current},'index','shtml',3);</script>"
    save(f"{HOST}/col/index.shtml", "list-1.html", listing_page("法治政府建设", [
        (FIRST, f"{HOST}/art/1.shtml"), ("丁县关于开展普法宣传月活动的通知", f"{HOST}/art/2.shtml")], script=bar(1)).encode())
    save(f"{HOST}/col/index_2.shtml", "list-2.html", listing_page("法治政府建设", [
        (SECOND, "//www.example.gov.cn/art/3.shtml")], script=bar(2), charset=None).encode("gb18030"))
    save(f"{HOST}/art/1.shtml", "1.html", report_page(FIRST, report_text("丁县人民政府", 2023),
                                                      [("附件.pdf", f"{HOST}/files/1.pdf")]).encode())
    save(f"{HOST}/files/1.pdf", "1.pdf", b"%PDF-1.4\n")
    save(f"{HOST}/art/3.shtml", "3.html", report_page(SECOND, report_text("丁县司法局", 2023)).encode())
    return {"url": f"{HOST}/col/index.shtml", "files": files}


def run(tmp_path, expected: list[str], capsys) -> tuple[int, str]:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"columns": [saved_column(tmp_path) | {"expected": expected}]}, ensure_ascii=False),
                        encoding="utf-8")
    status = harvest_real.main([str(tmp_path), "--manifest", str(manifest)])
    return status, capsys.readouterr().out


def test_a_saved_column_read_as_the_careful_reader_does(tmp_path, capsys):
    status, out = run(tmp_path, [FIRST, SECOND], capsys)
    assert status == 0
    assert out.splitlines()[0] == f"{HOST}/col/index.shtml: listing pages 2; expected 2, found 2, missed 0, extra 0"


def test_missed_and_extra_reports_are_named(tmp_path, capsys):
    status, out = run(tmp_path, [FIRST, "戊县2023年法治政府建设年度报告"], capsys)
    assert status == 1
    assert "expected 2, found 1, missed 1, extra 1" in out
    assert "  missed: 戊县2023年法治政府建设年度报告" in out and f"  extra: {SECOND}" in out

