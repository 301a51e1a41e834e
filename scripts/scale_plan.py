"""Simulation for docs/scale.md: the listing, tag and data pages of N reports, without MkDocs.

    .venv/bin/python scripts/scale_plan.py --count 100000

Parses ``gongwen synth --count 1000`` once, then clones those reports into N: clone k of a
report belongs to a new bureau (``…-k`` in its id and name) in the same place, and the clones
of one bureau cover five consecutive years, so that N reports have about N/5 bureaus (real
bureaus report once a year).  Bodies are shared between clones, so memory counts the pages,
not the text.  Measures ``index.site_pages`` (every page of the site except the report pages,
which cost the same per report at any size): time, peak memory, number of pages by kind, the
largest page and the data files.  Prints Markdown.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from gongwen.corpus import scan_corpus  # noqa: E402
from gongwen.datafiles import load_vocabulary  # noqa: E402
from gongwen.index import site_pages  # noqa: E402
from gongwen.partition import NATIONAL_DATA, data_files  # noqa: E402
from gongwen.pipeline import SourceFile, build_reports  # noqa: E402
from gongwen.synthetic import pool_from_reports, synthetic_reports  # noqa: E402

YEARS = 5


def clones(reports: list, count: int) -> list:
    out = []
    for k in range(count):
        base = reports[k % len(reports)]
        group, year = divmod(k // len(reports), YEARS)
        bureau_id = f"{base.bureau_id}-{group}" if group else base.bureau_id
        name = f"{base.bureau_name or base.bureau}{group}" if group else base.bureau_name
        out.append(base.model_copy(update={"id": f"{bureau_id}/{base.year + year}", "bureau_id": bureau_id,
                                           "bureau_name": name, "year": base.year + year}))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    seeds, _ = scan_corpus(ROOT / "corpus")
    pool = pool_from_reports(build_reports(seeds).reports)
    synthetic = build_reports([SourceFile(n, t.encode("utf-8")) for n, t in synthetic_reports(1000, pool, seed=0)])
    reports = clones(synthetic.reports, args.count)
    start = time.perf_counter()
    pages, _ = site_pages(reports, load_vocabulary(), {})
    pages |= data_files(reports)  # api/: per province, the whole country only within the cap (issue 24)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kinds = Counter(path.split("/", 1)[0] for path in pages if path.endswith(".md"))
    largest = max(pages, key=lambda p: len(pages[p].encode("utf-8")) if p.endswith(".md") else 0)
    rows = [("reports (clones of 1,000 parsed synthetic reports)", f"{len(reports):,}"),
            ("bureaus", f"{len({r.bureau_id for r in reports}):,}"),
            ("`site_pages` time", f"{seconds:.0f} s"), ("peak memory of the process", f"{peak:.0f} MB"),
            ("Markdown pages besides the report pages", f"{sum(kinds.values()):,} ({sum(kinds.values()) / len(reports):.2f} per report)"),
            ("… by folder", ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items()))),
            ("largest page", f"`{largest}`, {len(pages[largest].encode('utf-8')) / 1024:.0f} KB"),
            *((f"`{name}` (the whole country)", f"{len(pages[name].encode('utf-8')) / 2**20:.0f} MB" if name in pages
               else "left out: over the 50 MB cap") for name in NATIONAL_DATA),
            ("largest province data file", max((f"`{p}`, {len(t.encode('utf-8')) / 2**20:.1f} MB" for p, t in pages.items()
                                                 if p.startswith("api/provinces/")), key=lambda s: float(s.split(", ")[1][:-3])))]
    print("| figure | value |\n| --- | --- |")
    print("\n".join(f"| {name} | {value} |" for name, value in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
