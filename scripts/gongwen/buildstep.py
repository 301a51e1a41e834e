"""One build's work in the build's child process (``cli._build_here`` runs it): the reports read, their pages
planned and written, the search index made (``prepare``, then ``index_in_child``); or a province's part for the
national step; or the national step from the provinces' exports (``prepare_national``).  What the child hands
back is a ``Prepared``: how MkDocs is to run, and the validation report."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

from . import corpus, indexfiles, memos
from .browse.listing import RememberedLines, remembering
from .buildpaths import (docs_manifest, generated_docs, listing_memo, output_path, report_cache, report_page_memo,
                         search_blocks, search_entries, search_memo, search_spill, search_years, validation_tally)
from .messages import say
from .model import Rejection
from .national import merged, national_plan, province_export
from .partition import by_partition, province_name
from .pipeline import BuildResult, build_reports
from .provincejobs import JOBS
from .reportcache import OcrMemo, ReportCache
from .search.builder import Indexed, index_stream, indexed
from .search.memo import SearchMemo
from .siteplan import Publishing, ReportPages, build_date, plan_site
from .validation import has_errors, summary_line, tally, validation_report


def scan(corpus_dir: Path, cache: ReportCache | None = None, within: Path | None = None, parse=None, files: Path | None = None):
    if not corpus_dir.is_dir():
        raise SystemExit(f"gongwen：找不到报告文件夹 {corpus_dir}（用 --corpus 指定）")
    if within is not None and not (within.is_dir() and within.resolve().is_relative_to(corpus_dir.resolve())):
        raise SystemExit(f"gongwen：--scan 的 {within} 应是报告文件夹 {corpus_dir} 中的子文件夹")
    only = set(files.read_text(encoding="utf-8").splitlines()) if files else None
    sources, orphans = corpus.scan_corpus(corpus_dir, within and corpus_dir / within.resolve().relative_to(corpus_dir.resolve()), only)
    return build_reports(sources, *((cache.parse, cache.repeat_share) if cache else (parse,) if parse else ())), orphans, sources


def publishing(args: argparse.Namespace) -> Publishing:
    """The site's address (``GONGWEN_SITE_URL``, as mkdocs.yml reads it), its hand-written pages, the file cap."""
    base = os.environ.get("GONGWEN_SITE_URL", "").strip()
    return Publishing(base.rstrip("/") + "/" if base else "/", corpus.hand_written_pages(args.config),
                      int(args.max_file_mb * 2**20))


def _stamp(args: argparse.Namespace, program: str) -> str:
    """The site's stamp, and which part of a split build the site holds (a site folder is built one way)."""
    return corpus.site_stamp(args.config, program) + (f" --province {args.province}" if args.province else
                                                      " --national" if args.national else "")


def _own_province(args: argparse.Namespace, result: BuildResult) -> BuildResult:
    """``--province``: only that province's reports (a report's province is known once it is parsed).  With
    ``--scan`` (the province's own folder), a report of another province there is refused, never dropped unsaid."""
    found = by_partition(result.reports)
    if args.province not in found:
        raise SystemExit(f"gongwen：报告文件夹中没有 {args.province} 的报告；有报告的省（区、市）：{'、'.join(found) or '无'}。")
    strays = [Rejection(source=path, code="E-OTHER-PROVINCE", reason=say(
                  "E-OTHER-PROVINCE", province=province_name(own), slug=slug, target=args.province))
              for slug, own in found.items() if slug != args.province and (args.scan or args.files)
              for report in own for path in (report.source, *(a.source for a in report.alternates))]
    return BuildResult(found[args.province], sorted(result.rejections + strays, key=lambda r: r.source), result.inputs)


@dataclass(frozen=True)
class Prepared:
    """What the build's child process hands back: how MkDocs is to run, and the validation report."""

    dirty: bool
    stamp: str
    date: dt.date
    report: str
    summary: str
    has_errors: bool


def prepare(args: argparse.Namespace) -> Prepared:
    """Reports and generated pages (written when changed); the search index beside them in a rebuild, else
    left for ``index_in_child`` (``_TO_INDEX``)."""
    site = args.site
    program = corpus.program_version()
    ocr = OcrMemo(stored_ocr := memos.load_ocr_memo(site))
    cache = ReportCache(stored_reports := memos.load_memo(report_cache(site), program), program, ocr.recognise)
    result, orphans, sources = scan(args.corpus, cache, args.scan, files=args.files)
    memos.save_ocr_memo(site, ocr, stored_ocr, sources)
    memos.save_memo(report_cache(site), cache.used, program, stored_reports)
    stamp = _stamp(args, program)
    if args.province:
        result = _own_province(args, result)
    dirty = corpus.built_with(site) == stamp
    corpus.forget_build(site)
    if args.province:  # its search keys go to the national step, which makes the index
        _TO_INDEX[:] = [partial(_export_province, site, program, args.province, result.reports)]
        corpus.write_json(validation_tally(site), asdict(tally(result, orphans)))
    elif dirty:  # on the other core, while the pages are planned here and MkDocs runs
        _TO_INDEX[:] = [_start(_index_reports, site, program, result.reports)]
    else:  # MkDocs will clean the site, its index included
        indexfiles.forget_search_index(site)
    known = ReportPages(stored_pages := memos.load_memo(report_page_memo(site), program))
    plan = plan_site(result, {s.path: s.data for s in sources}, known, publishing(args))
    memos.save_memo(report_page_memo(site), known.used, program, stored_pages)
    _write_pages(site, plan, None, dirty)
    report = validation_report(result, orphans) + "".join(f"{line}\n" for line in plan.problems)
    prepared = Prepared(dirty, stamp, build_date(result.reports), report, summary_line(result, orphans),
                        has_errors(result, orphans))
    if not dirty and not args.province:
        memo = _search_memo(site, program)
        _TO_INDEX[:] = [partial(_index_reports, site, program, indexed(result.reports, memo), memo, cold=True)]
    return prepared  # the reports' text and the pages leave memory with this function's names


#: What ``prepare`` leaves for ``index_in_child`` in the build's child process: the process making the search index,
#: or the call that makes it (with the reports stripped of their text).
_TO_INDEX: list = []


def _write_pages(site: Path, plan, linked, dirty: bool) -> None:
    """The plan's pages into the work folder (only those whose bytes changed), with their dates and the pages they
    link (the national step's; None: another build's); in a rebuild, the outputs of the pages gone (MkDocs, dirty,
    leaves them)."""
    removed = corpus.sync_folder(generated_docs(site), plan.files, docs_manifest(site))
    corpus.write_page_dates(site, plan.dates)
    corpus.write_linked_pages(site, linked)
    if dirty:
        corpus.remove_outputs(site, [output_path(uri) for uri in removed])


def _search_memo(site: Path, program: str) -> SearchMemo:
    """The last build's search memo: its reports' entries stay on disk (``memos.EntryFolder``)."""
    return SearchMemo(memos.load_memo(search_memo(site), program), memos.EntryFolder(search_entries(site), program))


def entry_pool() -> ProcessPoolExecutor:
    """Two processes for the reports' entries (``search/entries.py``), each sent its chunk's search keys.  Fresh
    interpreters (``spawn``, about 130 MB each), not forked from this one: a forked worker keeps its own copy of
    every page of the reports that this process writes afterwards (240 MB a worker half-way through 30,000
    reports, as much as the memo's entries the pool was to make room for); a ``forkserver`` started by a process
    is unusable in the processes it forks (an in-process build after an index, as in the benchmark)."""
    return ProcessPoolExecutor(JOBS, mp_context=multiprocessing.get_context("spawn"))


def _index_reports(site: Path, program: str, reports: list | Indexed, memo: SearchMemo | None = None,
                   cold: bool = False) -> None:
    """The search index, from the reports or their search keys (the national step's): staged in the work folder
    (``install_search_index`` moves it into the site after MkDocs has cleaned it), or in a rebuild written in place
    (``update_search_index``).  ``cold``: nothing else runs, so the reports' entries that the memo lacks are
    computed on both cores (a rebuild's index runs beside MkDocs)."""
    if memo is None:
        memo = _search_memo(site, program)
    if not isinstance(reports, Indexed):
        reports = indexed(reports, memo)
    spill = memos.SpillFolder(search_spill(site))  # the merge's pieces, on disk between its two passes
    write = indexfiles.stage_search_index if cold else indexfiles.update_search_index  # a rebuild's MkDocs leaves search/ be
    with entry_pool() if cold else nullcontext() as pool:
        write(site, index_stream(reports, memo=memo, spill=spill, pool=pool, years=memos.YearFolder(search_years(site)),
                                 kept_blocks=memos.YearFolder(search_blocks(site))))
    memos.save_memo(search_memo(site), memo.used, program, memo.stored)
    memo.kept.save()


def _export_province(site: Path, program: str, partition: str, reports: list) -> None:
    """A province's part of the national step (``national.ProvinceExport``), in its work folder."""
    memo = SearchMemo(memos.load_memo(search_memo(site), program))
    corpus.save_province_export(site, partition, province_export(program, partition, reports, indexed(reports, memo)))
    memos.save_memo(search_memo(site), memo.used, program, memo.stored)


def prepare_national(args: argparse.Namespace) -> Prepared:
    """The national step of a split build: the provinces' exports → the pages that span provinces, the data
    index, the sitemap index and the search index (``national.py``); no report file is read."""
    site = args.site
    program = corpus.program_version()
    with long_lived():
        exports = corpus.load_province_exports(args.national, tuple(filter(None, args.after.split(","))),
                                               partial(_jobs_done, args.after_fd))
        given = merged(exports, program)
    stamp = _stamp(args, program)
    dirty = corpus.built_with(site) == stamp
    corpus.forget_build(site)
    if dirty:  # a rebuild: on the other core, while the national pages are planned here and MkDocs runs
        _TO_INDEX[:] = [_start(_index_reports, site, program, given.found, _search_memo(site, program))]
    else:  # after the pages, before MkDocs, its memo loaded then (memory)
        indexfiles.forget_search_index(site)
        _TO_INDEX[:] = [partial(_index_reports, site, program, given.found, cold=True)]
    lines = RememberedLines(stored_lines := memos.load_memo(listing_memo(site), program))
    with remembering(lines):
        plan, linked = national_plan(given, publishing(args))
    memos.save_memo(listing_memo(site), lines.used, program, stored_lines)
    _write_pages(site, plan, linked, dirty)
    summary = f"全国一步：{len(exports)} 个省（区、市）的 {len(given.reports)} 篇报告"
    return Prepared(dirty, stamp, build_date(given.reports), "".join(f"{line}\n" for line in plan.problems), summary, False)


def _jobs_done(pipe: int) -> None:
    """Wait until the split build says its province jobs are done (a byte on ``pipe``); its end of the pipe closed
    without it: a job failed, and the national step stops."""
    if os.read(pipe, 1) != b"1":
        raise SystemExit("gongwen：按省分工生成时有省份的任务未完成，全国部分未生成；请按上方的错误信息改正后重新运行。")


@contextmanager
def long_lived():
    """Loading objects that live as long as the process (the provinces' exports: millions of them at 100,000
    reports) without the cyclic garbage collector, then frozen (``gc.freeze``): its passes over them found
    nothing and took 5 of the 8.5 s of loading and a quarter of the national pages' 30 s; and in the search
    index's forked child they would write to every page of them, which the child would then no longer share."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _start(target, *args) -> multiprocessing.Process:
    """``target(*args)`` in a forked process (it shares the reports with this one)."""
    process = multiprocessing.get_context("fork").Process(target=target, args=args)
    process.start()
    return process


def index_in_child() -> None:
    """Make the search index (a full build), or wait for the process making it (a rebuild)."""
    job = _TO_INDEX.pop()
    if not isinstance(job, multiprocessing.process.BaseProcess):
        return job()
    job.join()
    if job.exitcode != 0:
        raise SystemExit(f"gongwen：生成检索索引时出错（退出码 {job.exitcode}，错误信息见上方）；请运行 gongwen build --clean 重新完整生成。")
