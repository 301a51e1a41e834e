"""Issue 24: the build split by province.  Each province built on its own gives its subtree of the whole build,
byte for byte; the provinces' subtrees and the national step (from the provinces' exports alone) merged are
the whole build; no page of the merged site links to a missing one; sitemaps and data files are partitioned;
no file passes the cap.

A synthetic corpus of 40 reports (``gongwen synth``'s generator over the seeds) in three provinces.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import shutil
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SEEDS, run_gongwen
from gongwen.buildpaths import listing_memo, province_exports, province_jobs, report_cache
from gongwen.memos import add_to_memo, load_memo, memo_entry, save_memo
from gongwen import buildstep
from gongwen.corpus import link_subtrees
from gongwen.partition import (MAX_FILE_BYTES, SITEMAP_URLS, data_files, may_hold_partitions, oversized, partition_of,
                               report_partition, sitemap_parts)
from gongwen.pipeline import SourceFile, build_reports, report_from_source
from gongwen.provincejobs import sort_corpus
from gongwen.synthetic import pool_from_reports, synthetic_reports

CONFIG = ROOT / "mkdocs.yml"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(corpus: Path, site: Path, *extra: str):
    return run_gongwen("build", "--corpus", str(corpus), "--site", str(site), "--config", str(CONFIG), *extra)


def synthetic_corpus(folder: Path, count: int = 40, seed: int = 3) -> list:
    pool = pool_from_reports(build_reports([SourceFile(p.name, p.read_bytes()) for p in SEEDS]).reports)
    folder.mkdir(parents=True)
    files = synthetic_reports(count, pool, seed=seed)
    for name, text in files:
        (folder / name).write_text(text, encoding="utf-8")
    return build_reports([SourceFile(name, text.encode("utf-8")) for name, text in files]).reports


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("split")
    reports = synthetic_corpus(tmp / "corpus")
    provinces = sorted({r.id.split("/")[0] for r in reports})
    assert len(provinces) == 3
    whole = build(tmp / "corpus", tmp / "whole" / "site")
    assert whole.returncode == 0, whole.stdout + whole.stderr
    exports = tmp / "exports"
    exports.mkdir()
    sites = {}
    for province in provinces:
        sites[province] = tmp / province / "site"
        done = build(tmp / "corpus", sites[province], "--province", province)
        assert done.returncode == 0, done.stdout + done.stderr
        for export in province_exports(sites[province]).glob("*.pickle"):  # what CI gathers as artifacts
            shutil.copy(export, exports / export.name)
    national = build(tmp / "no-corpus", tmp / "national" / "site", "--national", str(exports))
    assert national.returncode == 0, national.stdout + national.stderr
    return tmp, provinces, sites


def test_a_province_build_is_its_subtree_of_the_whole_build_byte_for_byte(split):
    tmp, provinces, sites = split
    whole = tree(tmp / "whole" / "site")
    for province in provinces:
        own = {path: digest for path, digest in tree(sites[province]).items() if partition_of(path) == province}
        expected = {path: digest for path, digest in whole.items() if partition_of(path) == province}
        assert own == expected, province
        assert any(p.startswith(f"reports/{province}/") for p in own)
        assert f"api/provinces/{province}.json" in own and f"sitemaps/provinces/{province}.xml" in own


def test_an_export_holds_each_report_once_without_its_text_and_its_data_rows(split):
    """Loading the exports was 45 s of a rebuild at 100,000 reports: the reports the national pages read are the
    search keys' reports (one object each, so saved once), without what only a report's own page shows."""
    tmp, provinces, sites = split
    whole_json = json.loads((tmp / "whole" / "site" / "api" / "reports.json").read_text(encoding="utf-8"))
    for province in provinces:
        export = pickle.loads((province_exports(sites[province]) / f"{province}.pickle").read_bytes())
        assert {id(r) for r in export.reports} == {id(r) for r in export.found.reports}
        assert all(not r.body and not r.sections and r.required_items_where == {} for r in export.reports)
        json_rows, csv_rows = export.data.rows()
        assert [json.loads(line) for _, line in sorted(json_rows)] == [
            row for row in whole_json if row["id"].startswith(province + "/")]
        assert export.data.entry["reports"] == len(export.reports) == len(csv_rows)
        # the phrase lists' sample is chosen by the keys' checksums, made here: the national step does not encode
        # every key again (4 s of a one-report rebuild at 100,000 reports)
        assert all(doc.__dict__.get("checksum") == zlib.crc32(doc.key.encode("utf-8")) for doc in export.found.docs)


def merged_site(tmp: Path, provinces: list[str], sites: dict[str, Path]) -> dict[str, str]:
    """The upload: each province's subtree, then the national step's files."""
    files = {}
    for province in provinces:
        files |= {p: d for p, d in tree(sites[province]).items() if partition_of(p) == province}
    national = tree(tmp / "national" / "site")
    assert all(partition_of(p) is None for p in national)  # the national step writes no province's file
    return files | national


def test_provinces_built_apart_and_the_national_step_merged_are_the_whole_build(split):
    tmp, provinces, sites = split
    assert merged_site(tmp, provinces, sites) == tree(tmp / "whole" / "site")


def _target(page: str, href: str) -> str | None:
    """The file a relative link of ``page`` (a path in the site) points to, or None for other links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "/", "mailto:")):
        return None
    path = urljoin("http://x/" + page, parts.path).removeprefix("http://x/")
    return path + "index.html" if path.endswith("/") or path == "" else path


def test_no_page_of_the_merged_site_links_to_a_missing_file(split):
    tmp, provinces, sites = split
    files = merged_site(tmp, provinces, sites)
    whole = tmp / "whole" / "site"  # the same bytes (test above): read the pages from there
    missing = set()
    for page in (p for p in files if p.endswith(".html")):
        soup = BeautifulSoup((whole / page).read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("a[href]"):
            target = _target(page, a["href"])
            if target is not None and target not in files:
                missing.add((page, a["href"]))
    assert not missing, sorted(missing)[:10]
    # the national pages link into every province (so they go up last), the provinces' pages never need them
    national_links = {t for page in files if partition_of(page) is None and page.endswith(".html")
                      for a in BeautifulSoup((whole / page).read_text(encoding="utf-8"), "html.parser").select("a[href]")
                      if (t := _target(page, a["href"]))}
    assert {partition_of(t) for t in national_links} >= set(provinces)


def test_sitemap_index_lists_the_national_and_each_province_sitemap_with_every_page(split):
    tmp, provinces, _ = split
    site = tmp / "whole" / "site"
    index = ET.parse(site / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    listed = [e.find(f"{SITEMAP}loc").text for e in index]
    assert listed == ["/sitemaps/national.xml"] + [f"/sitemaps/provinces/{p}.xml" for p in provinces]
    urls = {}
    for name in listed:
        for entry in ET.parse(site / name.lstrip("/")).getroot():
            url = entry.find(f"{SITEMAP}loc").text
            assert url not in urls
            urls[url] = name
    # every page but those kept out of search engines' indexes (redirects, latest/ and year links, embeds)
    pages = {"/" + p.removesuffix("index.html") for p in tree(site) if p.endswith("index.html")
             and '<meta name="robots" content="noindex">' not in (site / p).read_text(encoding="utf-8")}
    assert set(urls) == pages
    for url, name in urls.items():  # each page in its province's sitemap
        expected = partition_of(url.lstrip("/"))
        assert name == (f"/sitemaps/provinces/{expected}.xml" if expected else "/sitemaps/national.xml"), url
    assert not (site / "sitemap.xml.gz").exists()  # MkDocs' own sitemap is not made


def test_data_index_lists_each_province_file_with_count_and_sha256(split):
    tmp, provinces, _ = split
    site = tmp / "whole" / "site"
    index = json.loads((site / "api" / "index.json").read_text(encoding="utf-8"))
    assert [p["slug"] for p in index["provinces"]] == provinces
    total = 0
    for province in index["provinces"]:
        rows = json.loads((site / "api" / "provinces" / f"{province['slug']}.json").read_text(encoding="utf-8"))
        assert province["reports"] == len(rows) and all(r["id"].startswith(province["slug"] + "/") for r in rows)
        total += len(rows)
        for entry in province["files"]:
            data = (site / entry["path"]).read_bytes()
            assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    national = json.loads((site / "api" / "reports.json").read_text(encoding="utf-8"))
    assert total == index["reports"] == len(national)  # small enough: the whole country in one file too
    assert [e["path"] for e in index["national"]] == ["api/reports.json", "api/reports.csv"]
    page = BeautifulSoup((site / "api" / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = {a["href"] for a in page.select("article a")}
    assert {f"provinces/{p}.csv" for p in provinces} <= hrefs and "reports.json" in hrefs


def test_the_whole_country_file_is_left_out_beyond_the_cap_and_a_province_file_is_not(split):
    reports = build_reports([SourceFile(p.name, p.read_bytes()) for p in SEEDS]).reports
    whole = data_files(reports)
    size = len(whole["api/reports.json"].encode("utf-8"))
    small = data_files(reports, cap=size - 1)
    assert "api/reports.json" not in small and "api/provinces/henan.json" in small
    index = json.loads(small["api/index.json"])
    assert [e["path"] for e in index["national"]] == ["api/reports.csv"]
    assert "reports.json" not in small["api/index.md"]


@pytest.mark.parametrize("split_at", ["20000", "0"])  # one build; province jobs, whose parts' checks are gathered
def test_a_file_over_the_cap_fails_the_build_with_a_chinese_message(split, tmp_path, split_at):
    tmp, _, _ = split
    done = build(tmp / "corpus", tmp_path / "site", "--max-file-mb", "0.05", "--split-at", split_at)
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if "超过单个文件 0 MB 的上限" in line or "上限" in line]
    assert lines and all(line.startswith("gongwen：网站文件 ") and "处理：" in line for line in lines), done.stdout
    sizes = {p.relative_to(tmp_path / "site").as_posix(): p.stat().st_size for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert len(lines) == len(oversized(sizes, int(0.05 * 2**20))) == sum(s > 0.05 * 2**20 for s in sizes.values())
    assert "api/reports.json" not in sizes  # the whole country's file was left out rather than failing


def test_linking_walks_only_the_folders_of_changed_provinces(tmp_path, monkeypatch):
    """The site's own walk skips the folders that hold no province's file and those of a province left as linked;
    a changed province's new file is linked and a gone province's files are removed all the same."""
    site, parts = tmp_path / "site", {slug: tmp_path / slug for slug in ("anhui", "henan")}
    for slug, folder in parts.items():
        for path in (f"reports/{slug}/a/index.html", f"publication/lists/{slug}-all.html", "index.html"):
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(slug, encoding="utf-8")
    (site / "search").mkdir(parents=True)
    (site / "search" / "meta.json").write_text("{}", encoding="utf-8")
    link_subtrees(site, parts, partition_of, None, may_hold_partitions)
    (parts["henan"] / "reports/henan/b").mkdir()
    (parts["henan"] / "reports/henan/b/index.html").write_text("new", encoding="utf-8")
    (site / "reports/gone/x").mkdir(parents=True)
    (site / "reports/gone/x/index.html").write_text("gone", encoding="utf-8")
    walked, scandir = [], os.scandir
    monkeypatch.setattr(os, "scandir", lambda where: walked.append(Path(where)) or scandir(where))
    link_subtrees(site, parts, partition_of, {"henan"}, may_hold_partitions)
    assert (site / "reports/henan/b/index.html").read_text(encoding="utf-8") == "new"
    assert (site / "reports/anhui/a/index.html").read_text(encoding="utf-8") == "anhui"
    assert not (site / "reports/gone").exists() and (site / "search" / "meta.json").is_file()
    assert site / "reports" in walked and site / "reports" / "henan" in walked and site / "publication" / "lists" in walked
    assert not {site / "search", site / "reports" / "anhui"} & set(walked)
    assert not any(parts["anhui"] in where.parents or where == parts["anhui"] for where in walked)


def test_cap_and_sitemap_rules():
    assert oversized({"a.json": MAX_FILE_BYTES, "b.json": MAX_FILE_BYTES + 1, "c.html": 10}) == \
        [line for line in oversized({"b.json": MAX_FILE_BYTES + 1})]
    assert "b.json" in oversized({"b.json": MAX_FILE_BYTES + 1})[0]
    assert sitemap_parts("henan", 1) == ["sitemaps/provinces/henan.xml"]
    assert sitemap_parts("henan", SITEMAP_URLS * 2 + 1) == \
        ["sitemaps/provinces/henan.xml", "sitemaps/provinces/henan-2.xml", "sitemaps/provinces/henan-3.xml"]
    assert partition_of("sitemaps/provinces/henan-2.xml") == "henan"
    for path, expected in [("reports/henan/jiaozuo/kjj/2023/index.html", "henan"), ("bureaus/index.html", None),
                           ("bureaus/kinds/kjj/index.html", None), ("regions/henan/index.html", "henan"),
                           ("regions/index.md", None), ("publication/lists/henan-jiaozuo.md", "henan"),
                           ("publication/lists/all/2023.md", None), ("publication/series/other.md", "other"),
                           ("publication/rules/index.html", None), ("api/provinces/henan.csv", "henan"),
                           ("api/index.json", None), ("years/2023/index.html", None), ("search/meta.json", None)]:
        assert partition_of(path) == expected, path


def test_a_province_job_reads_its_own_folder_and_refuses_another_provinces_report(split, tmp_path):
    """``--scan corpus/henan``: only that folder is read (a CI job does not parse the country), paths stay those of
    the whole corpus, so the subtree is the one a build reading everything makes; a report of another province
    filed there is listed as an error, not dropped unsaid."""
    tmp, _, _ = split
    reports = build_reports([SourceFile(p.name, p.read_bytes()) for p in sorted((tmp / "corpus").iterdir())]).reports
    nested = tmp_path / "corpus"
    other = next(r for r in reports if not r.id.startswith("henan/"))  # a report of another province, misfiled
    stray = other.source
    for report in reports:
        folder = "henan" if report.source == stray else report.id.split("/")[0]
        (nested / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp / "corpus" / report.source, nested / folder / report.source)
    alone = build(nested, tmp_path / "alone" / "site", "--province", "henan", "--scan", str(nested / "henan"))
    assert alone.returncode == 0, alone.stdout + alone.stderr
    slug = other.id.split("/")[0]
    assert f"错误 [E-OTHER-PROVINCE] henan/{stray}：按内容属于{other.province}（{slug}），不是本次按省生成的 henan" in alone.stdout
    every = build(nested, tmp_path / "every" / "site", "--province", "henan")
    assert every.returncode == 0 and "E-OTHER-PROVINCE" not in every.stdout
    subtree = [{p: d for p, d in tree(tmp_path / name / "site").items() if partition_of(p) == "henan"} for name in ("alone", "every")]
    assert subtree[0] == subtree[1] and "reports/henan/" in "".join(subtree[0])
    wrong = build(nested, tmp_path / "wrong" / "site", "--province", "henan", "--scan", str(tmp_path))
    assert wrong.returncode != 0 and "--scan" in wrong.stderr and "子文件夹" in wrong.stderr


@pytest.fixture(scope="module")
def changed(split, tmp_path_factory):
    """The corpus with one henan report changed, and its cold whole build."""
    tmp, _, _ = split
    corpus = tmp_path_factory.mktemp("changed") / "corpus"
    shutil.copytree(tmp / "corpus", corpus)
    path = next(p for p in sorted(corpus.iterdir()) if "henan" in build_reports(
        [SourceFile(p.name, p.read_bytes())]).reports[0].id)
    path.write_text(path.read_text(encoding="utf-8").replace("法治", "法治建设", 1), encoding="utf-8")
    cold = build(corpus, corpus.parent / "cold" / "site")
    assert cold.returncode == 0
    return corpus, path, corpus.parent / "cold" / "site"


def test_a_province_rebuilt_after_a_change_and_the_national_step_rebuilt_are_the_cold_whole_build(split, changed, tmp_path):
    """What a CI run does with its caches: one province's report changes, that province's job rebuilds (its site
    and work folder kept), the national step rebuilds from the new export; the merge is a cold whole build."""
    tmp, provinces, sites = split
    corpus, _, cold = changed
    work = tmp_path / "work"
    shutil.copytree(tmp, work, ignore=shutil.ignore_patterns("corpus", "whole"), symlinks=True)
    again = build(corpus, work / "henan" / "site", "--province", "henan")
    assert again.returncode == 0 and "（完整生成）" not in again.stdout, again.stdout + again.stderr
    shutil.copy(province_exports(work / "henan" / "site") / "henan.pickle", work / "exports" / "henan.pickle")
    national = build(tmp_path / "none", work / "national" / "site", "--national", str(work / "exports"))
    assert national.returncode == 0 and "（完整生成）" not in national.stdout, national.stdout + national.stderr
    assert (listing_memo(work / "national" / "site") / "program").is_file()  # its lists' lines, for the next step
    moved = {p: work / p / "site" for p in provinces}
    assert merged_site(work, provinces, moved) == tree(cold)


#: Put first on the ``PYTHONPATH`` of ``gongwen build`` and of every process it starts: each call of
#: ``report_from_source`` (the sort step's, its pool's, the province jobs') logs the file it parses.
PARSE_SPY = """
import os
if os.environ.get("GONGWEN_TEST_PARSE_LOG"):
    from gongwen import pipeline
    real = pipeline.report_from_source
    def report_from_source(source, *args, **kwargs):
        with open(os.environ["GONGWEN_TEST_PARSE_LOG"], "a", encoding="utf-8") as log:
            log.write(source.path + "\\n")
        return real(source, *args, **kwargs)
    pipeline.report_from_source = report_from_source
"""


def parsed_by(log: Path, done) -> list[str]:
    """The files the build parsed, a line each time (its log then emptied)."""
    assert done.returncode == 0, done.stdout + done.stderr
    lines = log.read_text(encoding="utf-8").splitlines() if log.is_file() else []
    log.unlink(missing_ok=True)
    return sorted(lines)


def test_a_large_corpus_is_built_by_province_jobs_into_the_single_builds_site(split, changed, tmp_path, monkeypatch):
    """The plain ``gongwen build`` of a corpus over ``--split-at`` files runs the province jobs and the national
    step itself: the same site folder, byte for byte, and the same validation report; each file parsed once (the
    sort step hands its reports to the province jobs).  After one report changed, only that file is parsed and
    only its province's job runs again (with the national step), and the site is the changed corpus's cold build."""
    tmp, provinces, _ = split
    corpus = tmp_path / "corpus"
    shutil.copytree(tmp / "corpus", corpus)
    (tmp_path / "spy").mkdir()
    (tmp_path / "spy" / "sitecustomize.py").write_text(PARSE_SPY, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(tmp_path / "spy"), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("GONGWEN_TEST_PARSE_LOG", str(log := tmp_path / "parsed.txt"))
    cold = build(corpus, tmp_path / "site", "--split-at", "10")
    assert parsed_by(log, cold) == sorted(p.name for p in corpus.iterdir())  # each once, not again in its job
    assert "按省分工生成" in cold.stdout and "（完整生成）" in cold.stdout, cold.stdout + cold.stderr
    assert all(f"已生成 {p}（" in cold.stdout for p in provinces)
    assert tree(tmp_path / "site") == tree(tmp / "whole" / "site")
    report = (tmp_path / "build" / "validation-report.txt").read_text(encoding="utf-8")
    assert report == (tmp / "whole" / "build" / "validation-report.txt").read_text(encoding="utf-8")
    assert report.startswith("共 40 个文件：发布 ")
    changed_corpus, path, changed_cold = changed
    shutil.copy(path, corpus / path.name)
    again = build(corpus, tmp_path / "site", "--split-at", "10")
    assert parsed_by(log, again) == [path.name]
    assert "（完整生成）" not in again.stdout, again.stdout + again.stderr
    assert "已生成 henan（1/1）" in again.stdout and sum(f"已生成 {p}（" in again.stdout for p in provinces) == 1
    assert tree(tmp_path / "site") == tree(changed_cold)


def test_the_sort_step_hands_each_report_to_its_province_jobs_report_cache(tmp_path):
    """On both cores (over 100 files to sort): every report the sort step parsed is in its province job's report
    cache under the file's report cache key, the report the job would have parsed; the memo it added to is
    read whole, and a memo of another program is started afresh."""
    corpus_dir = tmp_path / "corpus"
    synthetic_corpus(corpus_dir, count=120, seed=5)
    reports = {p.name: report_from_source(SourceFile(p.name, p.read_bytes())) for p in corpus_dir.iterdir()}
    program = "test program"
    sorted_ = sort_corpus(corpus_dir, tmp_path / "site", program)
    assert sum(map(len, sorted_.provinces.values())) == len(reports) == 120
    for slug, files in sorted_.provinces.items():
        cached = load_memo(report_cache(province_jobs(tmp_path / "site") / slug / "site"), program)
        assert {key: cached[key] for key in files.values()} == {files[path]: reports[path] for path in files}
        assert len(cached) == len(files) and all(report_partition(r) == slug for r in cached.values())
    memo = tmp_path / "memo"
    save_memo(memo, {"a": 1, "b": 2}, program)
    add_to_memo(memo, [memo_entry("c", 3), memo_entry("a", 4)], program)
    add_to_memo(memo, [memo_entry("d", 5)], program)
    assert load_memo(memo, program) == {"a": 4, "b": 2, "c": 3, "d": 5}
    add_to_memo(memo, [memo_entry("e", 6)], "another program")
    assert load_memo(memo, "another program") == {"e": 6} and load_memo(memo, program) == {}


def test_the_exports_are_loaded_without_the_collector_and_then_frozen():
    """The national step loads millions of long-lived objects: the cyclic collector is off meanwhile, and they
    are frozen afterwards (no later pass walks them; the search index's forked child leaves their pages shared)."""
    before = gc.get_freeze_count()
    try:
        with buildstep.long_lived():
            assert not gc.isenabled()
            held = [[number] for number in range(1000)]
        assert gc.isenabled() and gc.get_freeze_count() >= before + len(held)
    finally:
        gc.unfreeze()


def test_a_province_jobs_file_list_reads_those_files_with_their_sidecars_and_nothing_else(tmp_path):
    """A province job's ``--files``: those files (looked up by name, not by walking the corpus), each with its
    sidecar and its folder's provenance, as the whole scan finds them; a listed path outside the corpus is not read."""
    from gongwen.corpus import scan_corpus
    from gongwen.harvested import PROVENANCE_NAME
    corpus = tmp_path / "corpus"
    for path, text in {"henan/a.txt": "甲", "henan/a.txt.meta.yml": "title: 甲\n", "henan/b.txt": "乙",
                       "henan/b.meta.yml": "title: 乙\n", f"henan/{PROVENANCE_NAME}": "url: x\n", "hebei/c.txt": "丙",
                       "hebei/c.meta.yml": "title: 丙\n", ".hidden/d.txt": "丁", "e.txt": "戊"}.items():
        (corpus / path).parent.mkdir(parents=True, exist_ok=True)
        (corpus / path).write_text(text, encoding="utf-8")
    (tmp_path / "outside.txt").write_text("外", encoding="utf-8")
    listed = {"henan/a.txt", "henan/b.txt", "e.txt"}
    sources, orphans = scan_corpus(corpus, only=listed | {"../outside.txt", ".hidden/d.txt"})
    everything, _ = scan_corpus(corpus)
    assert sources == [source for source in everything if source.path in listed] and orphans == []
    assert [(s.sidecar_name, s.provenance is not None) for s in sources] == [
        (None, False), ("henan/a.txt.meta.yml", True), ("henan/b.meta.yml", True)]


def test_the_national_steps_inputs_are_read_ahead_while_the_province_jobs_run(tmp_path, monkeypatch):
    """Every province's export and every year part of the search index is handed to the kernel to read ahead
    (a missing file is skipped: only slower)."""
    from gongwen import corpus, provincejobs
    from gongwen.buildpaths import search_years
    site = tmp_path / "site"
    for slug in ("henan", "hebei"):
        export = province_exports(provincejobs._job_site(site, slug)) / f"{slug}.pickle"
        export.parent.mkdir(parents=True)
        export.write_bytes(b"x")
    (search_years(site) / "2023").mkdir(parents=True)
    (search_years(site) / "2023" / "keys.bin").write_bytes(b"k")
    wanted = provincejobs.national_inputs(site, {"henan": {}, "hebei": {}, "gone": {}})
    assert [p.name for p in wanted] == ["henan.pickle", "hebei.pickle", "gone.pickle", "keys.bin"]
    advised = []
    monkeypatch.setattr(corpus.os, "posix_fadvise", lambda fd, offset, length, advice: advised.append(advice))
    corpus.read_ahead(wanted).join(timeout=10)
    assert advised == [corpus.os.POSIX_FADV_WILLNEED] * 3


def test_the_signatures_name_the_files_the_scan_reads_with_their_sidecars_and_orphans(tmp_path):
    """``source_signatures`` lists, without reading a file, what ``scan_corpus`` reads: the same sources in the
    same order, each with the sidecar it takes, and the same orphan sidecars; a signature changes with the file,
    its sidecar or its folder's provenance, and with nothing else."""
    from gongwen.corpus import count_sources, scan_corpus, source_signatures
    from gongwen.harvested import PROVENANCE_NAME
    corpus = tmp_path / "corpus"
    for path, text in {"henan/a.txt": "甲", "henan/a.txt.meta.yml": "title: 甲\n", "henan/b.txt": "乙",
                       "henan/b.meta.yml": "title: 乙\n", f"henan/{PROVENANCE_NAME}": "url: x\n", "hebei/c.txt": "丙",
                       "hebei/x.meta.yml": "title: 无\n", ".hidden/d.txt": "丁", "e.txt": "戊", "a-b/f.txt": "己"}.items():
        (corpus / path).parent.mkdir(parents=True, exist_ok=True)
        (corpus / path).write_text(text, encoding="utf-8")
    signatures, orphans = source_signatures(corpus)
    sources, scanned_orphans = scan_corpus(corpus)
    assert sorted(signatures) == sorted(s.path for s in sources) and orphans == scanned_orphans == ["hebei/x.meta.yml"]
    assert {path: signature[2] for path, signature in signatures.items()} == {s.path: s.sidecar_name for s in sources}
    assert len(signatures) == 5 and count_sources(corpus) == sum(  # the whole walk it replaced, provenance counted
        1 for p in corpus.rglob("*") if p.is_file() and not p.name.endswith(".meta.yml") and ".hidden" not in p.parts)
    for changed in ("henan/a.txt.meta.yml", f"henan/{PROVENANCE_NAME}", "e.txt"):
        (corpus / changed).write_text("title: 改\n", encoding="utf-8")
        again, _ = source_signatures(corpus)
        differ = {path for path in signatures if again[path] != signatures[path]}
        assert differ == ({"e.txt"} if changed == "e.txt" else {"henan/a.txt"} if "meta" in changed else
                          {"henan/a.txt", "henan/b.txt"}), changed
        signatures = again


def test_the_sort_step_reads_only_the_files_it_has_not_seen(tmp_path, monkeypatch):
    """A rebuild's sort step reads the new and changed files only (reading 100,000 took 4 of its 5 s), and sorts
    the corpus as a fresh sort does; a file rewritten with bytes of the same size is read again."""
    from gongwen import corpus as corpus_io
    corpus_dir = tmp_path / "corpus"
    synthetic_corpus(corpus_dir, count=12, seed=5)
    program, site = "test program", tmp_path / "site"
    first = sort_corpus(corpus_dir, site, program)
    read = []
    real = corpus_io.scan_corpus
    monkeypatch.setattr(corpus_io, "scan_corpus", lambda root, within=None, only=None: (
        read.append(sorted(only)), real(root, within, only))[1])
    assert sort_corpus(corpus_dir, site, program) == first and read == []
    files = sorted(corpus_dir.iterdir())
    text = files[0].read_text(encoding="utf-8")
    files[0].write_text(text.replace("法治", "法制", 1), encoding="utf-8")  # the same size
    (corpus_dir / "new.txt").write_text(files[1].read_text(encoding="utf-8"), encoding="utf-8")
    files[2].unlink()
    again = sort_corpus(corpus_dir, site, program)
    assert read == [sorted([files[0].name, "new.txt"])]
    monkeypatch.setattr(corpus_io, "scan_corpus", real)
    assert again == sort_corpus(corpus_dir, tmp_path / "fresh", program)


def test_the_sort_step_keeps_what_ocr_recognised_for_files_it_did_not_read(tmp_path):
    """The OCR memo keeps the entries of the corpus's files by their digests: those of files the sort step knew
    by their signatures (not read) are kept, those of a deleted file are dropped."""
    from gongwen.memos import load_ocr_memo, save_memo
    from gongwen.buildpaths import ocr_cache
    from gongwen.readers.ocr import VERSION
    corpus_dir = tmp_path / "corpus"
    synthetic_corpus(corpus_dir, count=3, seed=5)
    site, program = tmp_path / "site", "test program"
    sort_corpus(corpus_dir, site, program)
    files = sorted(corpus_dir.iterdir())
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in files]
    save_memo(ocr_cache(site), {(digest, (1,)): (("第一页",),) for digest in digests}, VERSION)
    files[0].unlink()
    sort_corpus(corpus_dir, site, program)
    assert sorted(load_ocr_memo(site)) == sorted((digest, (1,)) for digest in digests[1:])


def test_the_national_step_loads_the_other_exports_while_the_jobs_run_and_theirs_after(tmp_path):
    """``load_province_exports`` with provinces to wait for: the others are loaded first, the waited ones when
    ``ready`` returns (their jobs have written them meanwhile), all in the order of their paths."""
    from gongwen.corpus import load_province_exports
    folder = tmp_path / "exports"
    folder.mkdir()
    for slug in ("anhui", "hebei"):
        (folder / f"{slug}.pickle").write_bytes(pickle.dumps(slug))
    (folder / "henan.pickle").write_bytes(pickle.dumps("henan, the last build's"))

    def ready():
        (folder / "henan.pickle").write_bytes(pickle.dumps("henan"))
        (folder / "beijing.pickle").write_bytes(pickle.dumps("beijing"))
    assert load_province_exports(folder, ("henan", "beijing"), ready) == ["anhui", "beijing", "hebei", "henan"]
    assert load_province_exports(folder) == ["anhui", "beijing", "hebei", "henan"]


def test_a_national_step_started_beside_failing_jobs_stops_without_writing(tmp_path):
    """The split build starts its national step before the province jobs; when a job fails the pipe closes
    without the byte that says they are done, and the national step stops with a Chinese message, writing
    nothing into the site."""
    from gongwen.provincejobs import NationalStep
    (tmp_path / "exports").mkdir()
    site = tmp_path / "site"
    step = NationalStep(["--national", str(tmp_path / "exports"), "--site", str(site), "--config", str(CONFIG)],
                        ["henan"])
    with pytest.raises(SystemExit):
        with step:
            raise SystemExit("某省的任务出错")
    assert step.process.returncode != 0 and not site.exists()
    with pytest.raises(SystemExit, match="全国部分 出错"):
        step.finished()
    step.output.seek(0)
    assert "全国部分未生成" in step.output.read().decode("utf-8")


def test_a_national_step_that_failed_before_the_jobs_ended_is_reported_as_such(tmp_path):
    """A national step that ended before the jobs (here: an option it does not know) is not told to go on (the
    pipe has no reader: no ``BrokenPipeError``), and its failure is the build's, in Chinese."""
    from gongwen.provincejobs import NationalStep
    step = NationalStep(["--no-such-option"], ["henan"])
    with step:
        step.process.wait()
        step.go()
    with pytest.raises(SystemExit, match="全国部分 出错"):
        step.finished()
