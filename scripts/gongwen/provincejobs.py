"""A large corpus built on one machine the way the CI matrix builds the country: one job per province, two at
a time, then the national step, into the same site folder, byte for byte what the single build makes
(``tests/test_split.py``).

Why: one MkDocs run holds every page it builds (1.8 GB at 10,000 reports, far beyond 8 GB at 100,000), and the
single build's child holds every report.  A province job holds one province (about 3 % to 8 % of the country),
and the national step only the reports without their text.

``gongwen build`` of a corpus of :data:`SPLIT_AT` files or more (``--split-at``), top to bottom:

1. **sort** (:func:`sort_corpus`, in a child process): each corpus file's province, remembered by its report
   cache key (``buildpaths.province_sorting``), so that a rebuild parses only new and changed files here;
   each report it parses goes into its province job's report cache, so that every file is parsed once (its
   scanned pages recognised once, with the site's OCR memo); files that cannot be read go straight to the
   validation report;
2. **province jobs** (:func:`run_provinces`): ``gongwen build --province <slug> --files <list>``, each into its
   own site in the work folder, :data:`JOBS` at a time, largest first; a province whose files, program,
   configuration and hand-written pages are those of its last job is not run again (a one-report rebuild runs
   one province job); meanwhile the national step's inputs are read ahead (:func:`national_inputs`);
3. **national step**: ``gongwen build --national`` into the site folder, from the provinces' exports: started with
   the province jobs (:class:`NationalStep`), it loads the exports of the provinces whose jobs do not run
   meanwhile, and theirs when they are done;
4. **link**: each province's subtree of its site hard-linked into the site folder (``corpus.link_subtrees``): of the
   provinces whose job ran (and all of them when the site holds none of a province's files);
5. **validation report**: the provinces' parts and the sort's rejections added (``validation.Tally``), and the
   files over the cap that the jobs found in their parts (the whole site is not walked again).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import corpus, memos
from .buildpaths import (files_over_cap, gathered_exports, province_exports, province_jobs, province_sorting,
                         read_signatures, report_cache, search_years, validation_tally, work_dir)
from .model import InputError, Rejection
from .partition import may_hold_partitions, partition_of, report_partition
from .pipeline import BuildResult, SourceFile, report_from_source
from .reportcache import OcrMemo, ReportCache
from .validation import Tally, added, tally, tally_report, tally_summary

#: From this many corpus files (sidecars aside) ``gongwen build`` runs province jobs: the single build's rebuild
#: peaked at 3.3 GB at 10,000 reports (docs/benchmarks.md), so about 8 GB near 24,000.
SPLIT_AT = 20_000
#: Province jobs at once: the machine's two cores (each job's MkDocs uses one).
JOBS = 2
#: What the national step adds to its report file besides the site's problems: the file-size check of its own
#: files, made again from all the parts' (``_parts_over_cap``).
SIZE_LINE = "网站文件 "
#: Each line a province job's ``--files`` lists: one corpus path.
FILE_LIST = "files.txt"
#: The sort step hands the reports it parsed to the province jobs' report caches this many at a time (memory:
#: about 13 KB each pickled, for a synthetic report).
HAND_OVER = 256
#: The OCR memo the sort step's processes read (``province_of``), set before the pool forks.
_OCR: list[OcrMemo] = []


def wanted(corpus_dir: Path, split_at: int) -> bool:
    """Whether ``gongwen build`` of this corpus runs province jobs (``split_at`` 0: always)."""
    return corpus_dir.is_dir() and (split_at <= 0 or corpus.count_sources(corpus_dir) >= split_at)


@dataclass(frozen=True)
class Sorted:
    """The corpus by province: each province's files (corpus paths → report cache keys), and the part of the
    validation report that no province job sees (files that cannot be read, orphan sidecars)."""

    provinces: dict[str, dict[str, str]]
    unread: Tally


@dataclass(frozen=True)
class Built:
    """What ``gongwen build`` says at its end (as ``buildstep.Prepared``): whether the site was built whole, the
    validation report, its summary line, whether a file was not published, and the site's files over the cap
    on a file's size (path → bytes: the national step's and each province's, as their jobs found them)."""

    dirty: bool
    report: str
    summary: str
    has_errors: bool
    over_cap: dict[str, int]


def build_by_province(corpus_dir: Path, site: Path, config: Path, max_file_mb: float) -> Built | None:
    """The build, top to bottom (the module's steps); None when no file could be read (the single build then
    says so as usual)."""
    program = corpus.program_version()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as child:
        found = child.submit(sort_corpus, corpus_dir, site, program).result()  # the files' bytes leave with it
    if not found.provinces:
        return None
    print(f"报告较多（{sum(map(len, found.provinces.values()))} 个文件），按省分工生成："
          f"{len(found.provinces)} 个省（区、市），每次 {JOBS} 个，最后生成全国部分。")
    common = ["--corpus", str(corpus_dir), "--config", str(config), "--max-file-mb", str(max_file_mb)]
    corpus.read_ahead(national_inputs(site, found.provinces))  # while the province jobs run
    due = provinces_due(found.provinces, site, inputs_digest(config, program, max_file_mb))
    ran = [slug for slug, *_ in due]
    gather_exports(site, [slug for slug in found.provinces if slug not in ran], fresh=True)
    national = NationalStep(["--national", str(gathered_exports(site)), "--site", str(site), *common,
                             "--report", str(work_dir(site) / "national-report.txt")], ran)
    with national:
        run_provinces(due, site, common)
        gather_exports(site, ran)
        national.go()
    national_output = national.finished()
    corpus.link_subtrees(site, {slug: _job_site(site, slug) for slug in found.provinces}, partition_of, set(ran),
                         may_hold_partitions)
    counted = added([found.unread, *(_tally(corpus.read_json(validation_tally(_job_site(site, slug)), {}))
                                     for slug in found.provinces)])
    report = tally_report(counted) + _national_problems(site)
    return Built("（完整生成）" not in national_output, report, tally_summary(counted), bool(counted.errors),
                 _parts_over_cap(site, found.provinces))


def national_inputs(site: Path, provinces: dict) -> list[Path]:
    """What the national step reads whole: the provinces' exports (those whose job runs are rewritten first, and
    read again) and the search index's year parts (``memos.YearFolder``)."""
    exports = [province_exports(_job_site(site, slug)) / f"{slug}.pickle" for slug in provinces]
    return exports + sorted(search_years(site).glob("*/*.bin"))


def sort_corpus(corpus_dir: Path, site: Path, program: str) -> Sorted:
    """Step 1: every corpus file's province (or why it cannot be read), parsing only the files not sorted before
    (on both cores when there are many); each report parsed goes to its province job's report cache, so that the
    job does not parse it again."""
    stored = memos.load_memo(province_sorting(site), program)
    keyed, digests, sources, orphans = _keyed_sources(corpus_dir, site, program, stored)
    todo = [source for source in sources if keyed[source.path] not in stored]
    ocr = OcrMemo(stored_ocr := memos.load_ocr_memo(site))
    stored.update(_parse_and_hand_over(todo, keyed, ocr, site, program))
    memos.save_ocr_memo(site, ocr, stored_ocr, digests)
    used = {key: stored[key] for key in keyed.values()}
    memos.save_memo(province_sorting(site), used, program, stored)
    provinces: dict[str, dict[str, str]] = {}
    unread = []
    for path, key in keyed.items():
        if isinstance(used[key], str):
            provinces.setdefault(used[key], {})[path] = key
        else:
            unread.append(Rejection(source=path, code=used[key][0], reason=used[key][1]))
    ordered = dict(sorted(provinces.items(), key=lambda kv: (-len(kv[1]), kv[0])))  # largest first
    return Sorted(ordered, tally(BuildResult([], unread, len(unread)), orphans))


def _keyed_sources(corpus_dir: Path, site: Path, program: str,
                   sorted_before: dict) -> tuple[dict[str, str], set[str], list[SourceFile], list[str]]:
    """Each corpus file's report cache key (by path) and the files' SHA-256 digests, reading only the files whose
    signature (``corpus.source_signatures``) the last sort did not see, or whose province it did not keep
    (``sorted_before``, by key): those read are returned, for parsing; and the orphan sidecars."""
    signatures, orphans = corpus.source_signatures(corpus_dir)
    known = memos.load_memo(read_signatures(site), program)
    unread = {path for path, signature in signatures.items()
              if signature not in known or known[signature][0] not in sorted_before}
    sources = corpus.scan_corpus(corpus_dir, only=unread)[0] if unread else []
    keys = ReportCache({}, program).key
    seen = {signatures[s.path]: (keys(s), hashlib.sha256(s.data).hexdigest()) for s in sources}
    used = {signature: seen.get(signature) or known[signature] for signature in signatures.values()
            if signature in seen or signature in known}
    memos.save_memo(read_signatures(site), used, program, known)
    keyed = {signature[0]: key for signature, (key, _) in used.items()}
    return keyed, {digest for _, digest in used.values()}, sources, orphans


def _parse_and_hand_over(todo: list[SourceFile], keyed: dict[str, str], ocr: OcrMemo, site: Path,
                         program: str) -> dict:
    """Each file of ``todo`` parsed (on both cores when there are many), its province (or error) by its report
    cache key returned; its report added to its province job's report cache, :data:`HAND_OVER` at a time."""
    _OCR[:] = [ocr]  # before the pool forks: its processes read the memo without its being sent with every file
    sorted_now, waiting = {}, {}
    for source, (where, entry, recognised) in zip(todo, _parsed(todo, [keyed[source.path] for source in todo])):
        sorted_now[keyed[source.path]] = where
        ocr.used.update(recognised)
        if entry is not None:
            waiting.setdefault(where, []).append(entry)
        if sum(map(len, waiting.values())) >= HAND_OVER:
            _hand_over(waiting, site, program)
    _hand_over(waiting, site, program)
    return sorted_now


def _parsed(todo: list[SourceFile], keys: list[str]):
    """:func:`province_of` of each file, in order, as they come: on both cores when there are many."""
    if len(todo) <= 100:
        yield from map(province_of, todo, keys)
        return
    with ProcessPoolExecutor(JOBS, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(province_of, todo, keys, chunksize=64)


def _hand_over(waiting: dict[str, list], site: Path, program: str) -> None:
    """The reports parsed, into their province jobs' report caches (``memos.add_to_memo``); ``waiting`` emptied."""
    for slug, entries in waiting.items():
        memos.add_to_memo(report_cache(_job_site(site, slug)), entries, program)
    waiting.clear()


def province_of(source: SourceFile, key: str) -> tuple[str | tuple[str, str], tuple[int, bytes] | None, dict]:
    """A file's province slug, or its error's code and message (as the report cache keeps them); its report as its
    province job's report cache keeps it, under the file's report cache ``key`` (``memos.memo_entry``: pickled
    here, once); and the OCR memo's entries it used (those recognised afresh in the pool go back to the sort step)."""
    ocr = OcrMemo(_OCR[0].stored if _OCR else {})
    try:
        report = report_from_source(source, ocr.recognise)
    except InputError as error:
        return (error.code, str(error)), None, ocr.used
    return report_partition(report), memos.memo_entry(key, report), ocr.used


def inputs_digest(config: Path, program: str, max_file_mb: float) -> str:
    """What every province job depends on besides its files: program, configuration, hand-written pages, address."""
    return corpus.site_stamp(config, program) + f" {max_file_mb}"


def provinces_due(provinces: dict[str, dict[str, str]], site: Path, digest: str) -> list[tuple]:
    """The province jobs to run: those whose inputs changed (their province, files, inputs' digest and where it
    is recorded); the folders of provinces no longer in the corpus removed."""
    for folder in sorted(p for p in province_jobs(site).glob("*") if p.name not in provinces):
        shutil.rmtree(folder)
    due = []
    for slug, files in provinces.items():
        inputs = hashlib.sha256((digest + json.dumps(sorted(files.items()))).encode()).hexdigest()
        done = province_jobs(site) / slug / "inputs.json"
        exported = province_exports(_job_site(site, slug)) / f"{slug}.pickle"
        if corpus.read_json(done, {}).get("inputs") != inputs or not corpus.built_with(_job_site(site, slug)) \
                or not exported.is_file():
            due.append((slug, sorted(files), inputs, done))
    return due


def run_provinces(due: list[tuple], site: Path, common: list[str]) -> None:
    """Step 2: the province jobs ``provinces_due`` found, :data:`JOBS` at a time."""
    with ThreadPoolExecutor(JOBS) as jobs:
        for number, slug in enumerate(jobs.map(lambda job: _province_job(site, common, *job), due), 1):
            print(f"已生成 {slug}（{number}/{len(due)}）", flush=True)


def _province_job(site: Path, common: list[str], slug: str, files: list[str], inputs: str, done: Path) -> str:
    listed = province_jobs(site) / slug / FILE_LIST
    listed.parent.mkdir(parents=True, exist_ok=True)
    listed.write_text("".join(f"{path}\n" for path in files), encoding="utf-8")
    done.unlink(missing_ok=True)
    _gongwen(["--province", slug, "--files", str(listed), "--site", str(_job_site(site, slug)), *common], slug)
    corpus.write_json(done, {"inputs": inputs})
    return slug


def gather_exports(site: Path, provinces: list[str], fresh: bool = False) -> None:
    """Step 3's input: these provinces' exports linked into one folder, made afresh first if ``fresh`` (before the
    jobs: the provinces whose job does not run; after them, theirs)."""
    folder = gathered_exports(site)
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for slug in provinces:
        (folder / f"{slug}.pickle").hardlink_to(province_exports(_job_site(site, slug)) / f"{slug}.pickle")


class NationalStep:
    """Step 3, started before the province jobs: ``gongwen build --national`` loads the exports of the provinces
    whose jobs do not run (10 s of a one-report rebuild at 100,000 reports) while they run, then waits for a byte
    on a pipe (``--after-fd``) before loading theirs.  Leaving the ``with`` block without :meth:`go` (a job failed)
    closes the pipe, and the national step stops without writing."""

    def __init__(self, arguments: list[str], later: list[str]):
        self.output = tempfile.TemporaryFile()
        read, self.pipe = os.pipe()
        self.process = subprocess.Popen([sys.executable, "-m", "gongwen.cli", "build", *arguments, "--after",
                                         ",".join(later), "--after-fd", str(read)], pass_fds=(read,),
                                        stdout=self.output, stderr=subprocess.STDOUT)
        os.close(read)
        self.later = later

    def __enter__(self) -> NationalStep:
        return self

    def go(self) -> None:
        try:
            if self.later:  # else it does not wait, and may have ended
                os.write(self.pipe, b"1")
        except BrokenPipeError:  # it has ended already, failing: ``finished`` says so
            pass

    def __exit__(self, *failed) -> None:
        os.close(self.pipe)
        if failed[0] is not None:
            self.process.wait()

    def finished(self) -> str:
        """Its output, once it has ended; ``SystemExit`` as for a province job when it failed."""
        self.process.wait()
        self.output.seek(0)
        return _checked(self.output.read().decode("utf-8", errors="replace"), "", self.process.returncode, "全国部分")


def _job_site(site: Path, slug: str) -> Path:
    return province_jobs(site) / slug / "site"


def _gongwen(arguments: list[str], what: str) -> subprocess.CompletedProcess:
    """One ``gongwen build`` job; its output kept, shown when it fails (read leniently: its 3 MB validation report
    once arrived with two bytes that were not UTF-8, under a profiler, and the build stopped with a traceback)."""
    done = subprocess.run([sys.executable, "-m", "gongwen.cli", "build", *arguments], capture_output=True,
                          text=True, encoding="utf-8", errors="replace")
    _checked(done.stdout, done.stderr, done.returncode, what)
    return done


def _checked(stdout: str, stderr: str, code: int, what: str) -> str:
    if "网站已生成" not in stdout:  # a job that ends with a file over the cap has still built its part
        sys.stderr.write(stdout[-3000:] + stderr[-3000:])
        raise SystemExit(f"gongwen：按省分工生成时，{what} 出错（退出码 {code}，错误信息见上方）；"
                         "请改正后重新运行，或运行 gongwen build --clean 重新完整生成。")
    return stdout


def _parts_over_cap(site: Path, provinces: dict) -> dict[str, int]:
    """The files over the cap that the national step and each province's job found in their own parts (a
    province's site also holds national files of its own, not linked)."""
    over = corpus.read_json(files_over_cap(site), {})
    for slug in provinces:
        found = corpus.read_json(files_over_cap(_job_site(site, slug)), {})
        over |= {path: size for path, size in found.items() if partition_of(path) == slug}
    return over


def _tally(saved: dict) -> Tally:
    return Tally(**saved | {"errors": tuple(map(tuple, saved.get("errors", ()))),
                            "warnings": tuple(map(tuple, saved.get("warnings", ())))})


def _national_problems(site: Path) -> str:
    """The national step's lines of the validation report (the id history's problems), without its size check."""
    text = (work_dir(site) / "national-report.txt").read_text(encoding="utf-8")
    return "".join(f"{line}\n" for line in text.splitlines() if not line.startswith(SIZE_LINE))
