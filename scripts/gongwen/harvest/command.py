"""``gongwen harvest``: its arguments (Chinese help) and the run, with progress and the summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .crawl import MAX_PAGES, Harvest
from .fetch import Interrupted, Politeness
from .progress import SourceProgress
from .sources import SourcesError, command_sources
from .summary import summary_text

#: Where the summary is written (beside the site's validation report).
REPORT_FILE = Path("build") / "harvest-report.txt"
#: The harvest's state and WARC files.
WORK_DIR = Path("build") / "harvest"


def add_parser(commands) -> None:
    harvest = commands.add_parser(
        "harvest", help="从政府网站的栏目采集年度报告（附来源记录）",
        description="从政府网站的栏目（列表页）采集法治政府建设年度报告：逐页翻阅栏目，按标题挑出年度报告，"
                    "把网页和附件原样保存到报告文件夹（每篇一个子文件夹，附 provenance.yml 来源记录），"
                    "全部网络往来存为 WARC 文件。遵守 robots.txt，同一网站一次只发一个请求；再次运行只下载有变化的文件。")
    harvest.add_argument("urls", nargs="*", metavar="网址", help="栏目列表页的网址（可以多个）")
    harvest.add_argument("--sources", type=Path, metavar="文件",
                         help="来源文件（YAML，格式见 scripts/gongwen/data/sources.yml；不给网址也不给此项时用该文件）")
    harvest.add_argument("--corpus", type=Path, required=True, metavar="文件夹", help="报告文件夹（采集结果存入这里）")
    harvest.add_argument("--work", type=Path, default=WORK_DIR, metavar="文件夹",
                         help=f"采集状态和 WARC 存证文件的文件夹（默认 {WORK_DIR}；请保留，供下次运行和存证）")
    harvest.add_argument("--report", type=Path, default=REPORT_FILE, metavar="文件", help=f"采集报告写到这里（默认 {REPORT_FILE}）")
    harvest.add_argument("--delay", type=float, default=1.0, metavar="秒", help="同一网站两次请求至少间隔几秒（默认 1）")
    harvest.add_argument("--timeout", type=float, default=30.0, metavar="秒", help="等待答复最多几秒（默认 30）")
    harvest.add_argument("--retries", type=int, default=3, metavar="次", help="服务器出错或超时后重试几次（默认 3）")
    harvest.add_argument("--max-mb", type=int, default=100, metavar="MB", help="单个文件大小上限（默认 100 MB）")
    harvest.add_argument("--max-pages", type=int, default=MAX_PAGES, metavar="页", help=f"每个栏目最多翻几页（默认 {MAX_PAGES}）")
    harvest.add_argument("--contact", default="见本库“关于本库”页", metavar="联系方式",
                         help="写进请求标识（User-Agent）的联系方式，如邮箱")


def run(args: argparse.Namespace) -> int:
    try:
        sources = command_sources(args.urls, args.sources)
    except SourcesError as error:
        print(f"gongwen harvest：{error}", file=sys.stderr)
        return 2
    if not sources:
        print("gongwen harvest：没有采集来源。处理：在命令后写栏目网址，或在 scripts/gongwen/data/sources.yml 中添加来源。",
              file=sys.stderr)
        return 2
    politeness = Politeness(contact=args.contact, delay=args.delay, timeout=args.timeout, retries=args.retries,
                            max_bytes=args.max_mb * 1024 * 1024)
    progress = SourceProgress(sys.stderr)
    harvest = Harvest(args.corpus, args.work, politeness, max_pages=args.max_pages, progress=progress)
    if harvest.state.resumed:
        print("上次采集没有完成，从中断处继续。", file=sys.stderr)
    results, stopped = [], False
    try:
        results = harvest.run(sources)
    except (KeyboardInterrupt, Interrupted):
        stopped = True
    progress.close()
    text = summary_text(results, len(sources), stopped)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8", newline="\n")
    sys.stdout.write(text)
    print(f"采集报告：{args.report}")
    return 1 if stopped or any(tally.errors for _, tally in results) else 0
