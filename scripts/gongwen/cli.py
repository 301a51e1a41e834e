"""``gongwen``: extract, build and check the archive.  Thin: parse arguments, call the pipeline.

Everything it prints is Chinese, for the 政务公开 staff who run it (help included).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from . import corpus, indexfiles, memos
from .buildpaths import files_over_cap
from .buildstep import Prepared, index_in_child, prepare, prepare_national, publishing, scan
from .harvest import command as harvest_command
from .model import InputError
from .partition import MAX_FILE_BYTES, oversized, partition_of
from .provincejobs import JOBS, SPLIT_AT, Built, build_by_province, wanted
from .pipeline import report_from_source
from .reportcache import OcrMemo
from .schema_doc import schema_markdown
from .synthetic import pool_from_reports, synthetic_reports
from .validation import has_errors, validation_report

#: Where ``gongwen build`` writes the full validation report, beside the site folder (``build/`` is not committed).
REPORT_FILE = Path("build") / "validation-report.txt"
#: What ``gongwen build`` adds to its "网站已生成" line when it rebuilt everything (the bench and tests look for it).
FULL_BUILD_MARK = "（完整生成）"
#: argparse's own error messages, said in Chinese.
ARGPARSE_ERRORS = ((r"the following arguments are required: (.*)", r"缺少参数 \1"),
                   (r"unrecognized arguments: (.*)", r"无法识别的参数 \1"),
                   (r"argument (\S+): invalid choice: '?([^' ]*)'?.*", r"\1 没有“\2”这个取值"),
                   (r"argument (\S+): invalid int value: '?([^']*)'?", r"\1 应为整数，不是“\2”"),
                   (r"argument (\S+): expected one argument", r"\1 后面缺少取值"))


class ChineseFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    """argparse with its headings, help option and error messages in Chinese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs | {"add_help": False, "formatter_class": ChineseFormatter})
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助后退出")

    def error(self, message: str):
        for pattern, chinese in ARGPARSE_ERRORS:
            message = re.sub(pattern, chinese, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：命令写法有误：{message}。运行 {self.prog} --help 查看用法。\n")


def main(argv: list[str] | None = None) -> int:
    parser = ChineseParser(prog="gongwen", description="把一个文件夹的法治政府建设年度报告生成可检索的静态网站。")
    commands = parser.add_subparsers(dest="command", required=True, title="命令", metavar="{extract,build,check,clean,schema,synth,harvest}")
    extract = commands.add_parser("extract", help="显示报告文件读出的元数据", description="显示报告文件读出的元数据。")
    extract.add_argument("files", nargs="+", type=Path, metavar="文件", help="报告文件（可以多个）")
    extract.add_argument("--json", action="store_true", help="输出 JSON 数组，每个文件一项（含全部字段、章节和警告）")
    build = commands.add_parser("build", help="把报告文件夹生成网站（并显示检查报告）",
                                description="把报告文件夹生成网站；再次运行时只重做有变化的部分（结果与完整生成相同）；最后一行是检查结果摘要。")
    check = commands.add_parser("check", help="只检查报告文件夹，显示检查报告",
                                description="检查报告文件夹，逐条列出错误和警告及处理办法；有文件未发布时退出码为 1。")
    for sub in (build, check):
        sub.add_argument("--corpus", type=Path, default=Path("corpus"), metavar="文件夹", help="报告文件夹（默认 corpus）")
    build.add_argument("--site", type=Path, default=Path("site"), metavar="文件夹", help="网站输出文件夹（默认 site）")
    build.add_argument("--config", type=Path, default=Path("mkdocs.yml"), metavar="文件", help="MkDocs 配置文件（默认 mkdocs.yml）")
    build.add_argument("--report", type=Path, metavar="文件",
                       help=f"完整检查报告写到这里（默认：网站文件夹旁的 {REPORT_FILE}）")
    build.add_argument("--clean", action="store_true", help="全部重新生成（相当于先运行 gongwen clean）")
    build.add_argument("--strict", action="store_true", help="有错误时退出码为 1（网站照常生成；供持续集成使用）")
    split = build.add_mutually_exclusive_group()
    split.add_argument("--province", metavar="省", help="按省分工（持续集成每省一个任务，见 README）：只生成这个省的页面和数据"
                       "（地址中的拼音，如 henan；地区不明的报告为 other），并为全国一步留下本省结果")
    split.add_argument("--national", type=Path, metavar="文件夹", help="按省分工的全国一步：从各省留下的结果（这个文件夹中的 "
                       "*.pickle）生成首页、按年度、按文号、标签、订阅、数据索引、站点地图索引和检索索引，不读报告文件")
    build.add_argument("--after", default="", help=argparse.SUPPRESS)  # provincejobs.py's: provinces whose jobs run
    build.add_argument("--after-fd", type=int, help=argparse.SUPPRESS)  # and the pipe that says they are done
    build.add_argument("--scan", type=Path, metavar="文件夹", help="只读报告文件夹中的这个子文件夹（与 --province 同用："
                       "每省的报告放在各自的子文件夹，如 corpus/henan；页面中的文件路径仍相对于 --corpus）")
    build.add_argument("--files", type=Path, metavar="文件", help="只读这个清单中的报告文件（每行一个，相对于 --corpus；"
                       "与 --province 同用，按省分工生成时自动使用）")
    build.add_argument("--split-at", type=int, default=SPLIT_AT, metavar="数量", help=f"报告文件达到这个数量时按省分工生成"
                       f"（每省一个任务，每次 {JOBS} 个，再生成全国部分；结果与一次生成相同，内存占用小得多；默认 {SPLIT_AT}，0 表示总是）")
    build.add_argument("--max-file-mb", type=float, default=MAX_FILE_BYTES / 2**20, metavar="MB",
                       help="网站中单个文件的大小上限（默认 50）：全国汇总数据文件超过时不生成，其他文件超过时生成失败")
    check.add_argument("--strict", action="store_true", help="有错误时退出码为 1（检查本来如此，保留此选项供持续集成使用）")
    check.add_argument("--site", type=Path, default=Path("site"), metavar="文件夹",
                       help="使用并保存该网站工作文件夹中的文字识别（OCR）结果，扫描件不必重新识别（默认 site）")
    clean = commands.add_parser("clean", help="删除网站文件夹及其生成用的工作文件夹（下次完整生成）",
                                description="删除网站文件夹及其生成用的工作文件夹，下次运行 build 时完整生成。")
    clean.add_argument("--site", type=Path, default=Path("site"), metavar="文件夹", help="网站输出文件夹（默认 site）")
    clean.add_argument("--docs", type=Path, default=Path("docs"), metavar="文件夹",
                       help="手写页面文件夹：删除旧版本生成在其中的页面（默认 docs）")
    commands.add_parser("schema", help="输出元数据字段说明（Markdown，即 docs/schema.md）",
                        description="输出元数据字段说明（Markdown，即 docs/schema.md）。")
    synth = commands.add_parser("synth", help="用真实报告拼合生成测试用的合成报告（性能测试用）",
                                description="用真实报告的段落拼合生成合成报告，供性能测试使用。")
    synth.add_argument("--count", type=int, required=True, metavar="数量", help="生成多少篇")
    synth.add_argument("--out", type=Path, required=True, metavar="文件夹", help="写到哪个文件夹（会新建）")
    synth.add_argument("--source", type=Path, default=Path("corpus"), metavar="文件夹", help="取段落的真实报告文件夹（默认 corpus）")
    synth.add_argument("--seed", type=int, default=0, metavar="种子", help="随机种子（种子相同，结果相同）")
    harvest_command.add_parser(commands)
    args = parser.parse_args(argv)
    handlers = {"extract": _extract, "build": _build, "check": _check, "schema": _schema, "synth": _synth, "clean": _clean,
                "harvest": harvest_command.run}
    return handlers[args.command](args)


def _synth(args: argparse.Namespace) -> int:
    result, _, _ = scan(args.source)
    reports = synthetic_reports(args.count, pool_from_reports(result.reports), args.seed)
    corpus.write_texts(args.out, reports)
    print(f"已生成 {len(reports)} 篇合成报告，写在 {args.out}/")
    return 0


def _schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_markdown())
    return 0


def _extract(args: argparse.Namespace) -> int:
    rows, failed = [], False
    for source in corpus.read_files(args.files):
        try:
            report = report_from_source(source)
            rows.append(report.front_matter())
        except InputError as error:
            rows.append({"source": source.path, "error": str(error), "code": error.code})
            failed = True
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['source']}：{row.get('error') or row['title']}")
    return 1 if failed else 0


def _build(args: argparse.Namespace) -> int:
    """The build, top to bottom (siteplan.py): corpus → reports → generated files and search index → MkDocs; a
    large corpus by province jobs, then the national step (provincejobs.py), into the same site."""
    site = args.site
    if args.clean:
        corpus.clean(site, args.config.parent / "docs")
    built = None
    if not (args.province or args.national or args.scan or args.files) and wanted(args.corpus, args.split_at):
        built = build_by_province(args.corpus, site, args.config, args.max_file_mb)  # None: no file could be read
    built = built or _build_here(args)
    report_file = args.report or site.parent / REPORT_FILE
    cap = publishing(args).cap
    too_large = oversized(built.over_cap if isinstance(built, Built) else _over_cap(site, args, cap), cap)
    corpus.write_validation_report(report_file, built.report + "".join(f"{line}\n" for line in too_large))
    sys.stdout.write(built.report)
    print(f"网站已生成：{site}/" + ("" if built.dirty else FULL_BUILD_MARK))
    for line in too_large:
        print(f"gongwen：{line}。")
    print(f"{built.summary}。完整检查报告：{report_file}")
    return 1 if too_large or args.strict and built.has_errors else 0


def _over_cap(site: Path, args: argparse.Namespace, cap: int) -> dict[str, int]:
    """The site's files over the cap (path → bytes); a province job's and the national step's also kept in the
    work folder, for the split build that ran them (``provincejobs.Built.over_cap``: the whole site is not
    walked again)."""
    over = {path: size for path, size in _site_sizes(site, args.national).items() if size > cap}
    if args.province or args.national:
        corpus.write_json(files_over_cap(site), over)
    return over


def _site_sizes(site: Path, national: bool) -> dict[str, int]:
    """The site's files and their sizes, for the cap; the national step's own files only (a province's are checked
    by its job, and the split build gathers the parts' checks, ``provincejobs._parts_over_cap``: not walked here,
    100,000 report folders)."""
    if not national:
        return corpus.file_sizes(site)
    sizes = corpus.file_sizes(site, skip=lambda folder: partition_of(folder + "/index.html") is not None)
    return {path: size for path, size in sizes.items() if partition_of(path) is None}


def _build_here(args: argparse.Namespace) -> Prepared:
    """One build in this process and its child: of the whole corpus, of one province, or the national step."""
    site = args.site
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as child:
        # The reports, pages and search index live in a child process (one worker: both tasks run in it).
        # A full build makes the index before MkDocs starts, so that the two never hold memory at the same
        # time (1.6 GB and 1.1 GB at 10,000 reports); a rebuild, whose MkDocs reads only the changed pages,
        # makes it beside MkDocs, on the other core.
        built = child.submit(prepare_national if args.national else prepare, args).result()
        index = child.submit(index_in_child)
        if built.dirty:
            corpus.run_mkdocs(args.config, site, built.date, dirty=True)
        index.result()
    if not built.dirty:  # the child has ended: its memory is free for MkDocs
        corpus.run_mkdocs(args.config, site, built.date, dirty=False)
    if not args.province:  # a province's build leaves the search index to the national step
        indexfiles.install_search_index(site)
    corpus.record_build(site, built.stamp)
    return built


def _clean(args: argparse.Namespace) -> int:
    for path in corpus.clean(args.site, args.docs):
        print(f"已删除 {path}")
    return 0


def _check(args: argparse.Namespace) -> int:
    ocr = OcrMemo(stored_ocr := memos.load_ocr_memo(args.site))
    result, orphans, sources = scan(args.corpus, parse=partial(report_from_source, recognise=ocr.recognise))
    memos.save_ocr_memo(args.site, ocr, stored_ocr, sources)
    sys.stdout.write(validation_report(result, orphans))
    return 1 if has_errors(result, orphans) else 0


if __name__ == "__main__":
    sys.exit(main())
