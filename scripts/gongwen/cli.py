"""``gongwen``: extract, build and check the archive.  Thin: parse arguments, call the pipeline."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import corpus
from .model import InputError
from .buildpaths import generated_docs, output_path
from .pipeline import build_reports, report_from_source
from .reportcache import ReportCache
from .schema_doc import schema_markdown
from .search.builder import search_files
from .siteplan import build_date, plan_site
from .synthetic import pool_from_reports, synthetic_reports
from .validation import has_errors, validation_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gongwen", description="Turn a folder of 法治政府建设年度报告 into a searchable static archive.")
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="print the metadata of report files")
    extract.add_argument("files", nargs="+", type=Path)
    extract.add_argument("--json", action="store_true", help="a JSON array, one object per file")
    build = commands.add_parser("build", help="build the site from the corpus (again: only what changed)")
    check = commands.add_parser("check", help="print the validation report of the corpus")
    for sub in (build, check):
        sub.add_argument("--corpus", type=Path, default=Path("corpus"), help="folder of reports (default: corpus)")
    build.add_argument("--site", type=Path, default=Path("site"), help="output folder of the site (default: site)")
    build.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs configuration (default: mkdocs.yml)")
    build.add_argument("--clean", action="store_true", help="rebuild everything (as `gongwen clean` then build)")
    clean = commands.add_parser("clean", help="remove the site and its build's work folder (the next build is a full one)")
    clean.add_argument("--site", type=Path, default=Path("site"), help="output folder of the site (default: site)")
    clean.add_argument("--docs", type=Path, default=Path("docs"), help="hand-written pages: old generated pages there are removed")
    check.add_argument("--strict", action="store_true", help="exit 1 if any file is rejected")
    commands.add_parser("schema", help="print the front-matter schema as Markdown (docs/schema.md)")
    synth = commands.add_parser("synth", help="write realistic synthetic reports made from real ones (benchmarks)")
    synth.add_argument("--count", type=int, required=True, help="how many reports")
    synth.add_argument("--out", type=Path, required=True, help="folder to write them to (created)")
    synth.add_argument("--source", type=Path, default=Path("corpus"), help="real reports to take paragraphs from")
    synth.add_argument("--seed", type=int, default=0, help="random seed (same seed, same reports)")
    args = parser.parse_args(argv)
    handlers = {"extract": _extract, "build": _build, "check": _check, "schema": _schema, "synth": _synth, "clean": _clean}
    return handlers[args.command](args)


def _synth(args: argparse.Namespace) -> int:
    result, _, _ = _scan(args.source)
    reports = synthetic_reports(args.count, pool_from_reports(result.reports), args.seed)
    corpus.write_texts(args.out, reports)
    print(f"{len(reports)} synthetic reports written to {args.out}/")
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
            rows.append({"source": source.path, "error": str(error)})
            failed = True
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(f"{row['source']}: {row.get('error') or row['title']}")
    return 1 if failed else 0


def _scan(corpus_dir: Path, cache: ReportCache | None = None):
    if not corpus_dir.is_dir():
        raise SystemExit(f"gongwen: corpus folder {corpus_dir} does not exist")
    sources, orphans = corpus.scan_corpus(corpus_dir)
    return build_reports(sources, cache.parse if cache else report_from_source), orphans, sources


def _build(args: argparse.Namespace) -> int:
    """The build, top to bottom (siteplan.py): corpus → reports → generated files → MkDocs → search index."""
    site = args.site
    if args.clean:
        corpus.clean(site, args.config.parent / "docs")
    program = corpus.program_version()
    cache = ReportCache(corpus.load_report_cache(site), program)
    result, orphans, sources = _scan(args.corpus, cache)
    plan = plan_site(result, {s.path: s.data for s in sources})
    corpus.save_report_cache(site, cache.used)
    stamp = corpus.site_stamp(args.config, program)
    dirty = corpus.built_with(site) == stamp
    corpus.forget_build(site)
    removed = corpus.sync_folder(generated_docs(site), plan.files)
    if dirty:
        corpus.remove_outputs(site, [output_path(uri) for uri in removed])
    corpus.run_mkdocs(args.config, site, build_date(result.reports), dirty)
    corpus.write_search_index(site, search_files(result.reports))
    corpus.record_build(site, stamp)
    sys.stdout.write(validation_report(result, orphans))
    sys.stdout.writelines(f"{line}\n" for line in plan.problems)
    print(f"site written to {site}/" + ("" if dirty else " (full build)"))
    return 0


def _clean(args: argparse.Namespace) -> int:
    for path in corpus.clean(args.site, args.docs):
        print(f"removed {path}")
    return 0


def _check(args: argparse.Namespace) -> int:
    result, orphans, _ = _scan(args.corpus)
    sys.stdout.write(validation_report(result, orphans))
    return 1 if args.strict and has_errors(result, orphans) else 0


if __name__ == "__main__":
    sys.exit(main())
