"""The harvest's progress per source (``harvest/progress.py``): plain lines when stderr is not a terminal,
a tqdm bar redrawn in place when it is; either way each source's last line holds the summary's counts."""

from __future__ import annotations

import io

from gongwen.cli import main
from gongwen.harvest.crawl import Harvest, Source
from gongwen.harvest.progress import SourceProgress
from gongwen.harvest.summary import progress_line, tally_counts
from harvest_portal import Portal, listing_page, report_page, report_text
from test_harvest import COLUMNS, FAST, FIXED_NOW, build_portal


def run_with(progress: SourceProgress, tmp_path) -> tuple[list, str]:
    server = Portal()
    base = server.start()
    build_portal(server, base)
    try:
        results = Harvest(tmp_path / "corpus", tmp_path / "work", FAST, now=lambda: FIXED_NOW,
                          progress=progress).run([Source(base + path) for path in COLUMNS])
    finally:
        server.stop()
    return results, progress.stream.getvalue()


def test_plain_lines_when_not_a_terminal_end_with_the_summarys_counts(tmp_path):
    results, text = run_with(SourceProgress(io.StringIO(), live=False), tmp_path)
    assert "\r" not in text and "\x1b" not in text
    lines = text.splitlines()
    for source, tally in results:
        own = [line for line in lines if source.url + "：" in line]
        assert len(own) == tally.pages, own  # one line per listing page, the last when the source is done
        assert own[-1] == "完成 " + progress_line(source.url, tally)
    static = dict((source.url, tally) for source, tally in results)[results[0][0].url]
    assert static.pages == 3 and static.found == 4 and static.skipped == 2 and static.files == 6


def test_a_terminal_gets_a_bar_per_source_redrawn_in_place(tmp_path):
    results, text = run_with(SourceProgress(io.StringIO(), live=True), tmp_path)
    assert "\r" in text
    finals = [line.rsplit("\r", 1)[-1] for line in text.split("\n") if line.strip()]
    assert len(finals) == len(results), finals  # each source's bar ends on a line of its own
    for final, (source, tally) in zip(finals, results):
        assert final.startswith(f"{source.url}：{tally_counts(tally)}｜") and f"｜列表页 {tally.pages}/{tally.pages}｜" in final
    redraws = text.split("\n")[0].count("\r")
    assert redraws > results[0][1].pages, "the first bar was drawn once, not as it went"


def test_the_command_writes_plain_progress_to_a_log(tmp_path, capsys):
    server = Portal()
    base = server.start()
    server.add("/robots.txt", "User-agent: *\nDisallow:\n", content_type="text/plain")
    server.add("/col/index.html", listing_page("法治政府建设", [("乙市审计局2024年法治政府建设年度报告", "a1.html"),
                                                            ("乙市审计局关于印发2025年工作要点的通知", "a2.html")],
                                             '<a href="index_1.html">下一页</a>'))
    server.add("/col/index_1.html", listing_page("法治政府建设", [("乙市统计局2024年度法治政府建设情况报告", "b1.html")]))
    server.add("/col/a1.html", report_page("乙市审计局2024年法治政府建设年度报告", report_text("乙市审计局", 2024)))
    server.add("/col/b1.html", report_page("乙市统计局2024年度法治政府建设情况报告", report_text("乙市统计局", 2024)))
    try:
        status = main(["harvest", base + "/col/index.html", "--corpus", str(tmp_path / "corpus"), "--work",
                       str(tmp_path / "work"), "--report", str(tmp_path / "report.txt"), "--delay", "0"])
    finally:
        server.stop()
    out, err = capsys.readouterr()
    assert status == 0 and "\r" not in err
    expected = f"{base}/col/index.html：列表页 2 页，报告 2 篇，保存文件 2 个，跳过 1 条，错误 0 条"
    assert err.splitlines() == [f"{base}/col/index.html：列表页 1 页，报告 1 篇，保存文件 1 个，跳过 1 条，错误 0 条",
                                "完成 " + expected]
    assert "来源 " + expected in out.splitlines()
