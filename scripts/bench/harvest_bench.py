"""Harvest benchmark: how long ``gongwen harvest`` takes per portal at the default politeness, and how many
portals one machine can harvest at once.

    .venv/bin/python scripts/bench/harvest_bench.py --write docs/benchmarks.md

Each portal is served on 127.0.0.1 by the tests' portal (``tests/harvest_portal.py``; its own port, so
each is a host of its own): one column of ``--entries`` documents (60) over pages of 15 (``index.html``,
then ``index_1.html`` … written by ``createPageHTML``), ``--reports`` of them (10) annual reports, each a
detail page with a .pdf attachment of ``--attachment-kb`` (300 kB); the other documents are notices the
harvest skips. Every harvest is a ``gongwen harvest`` process of its own at the default politeness (≥ 1 s
between two requests to a host, ``--delay``), measured from outside: wall time, CPU time (user + system)
and peak resident set of the harvest's process (``getrusage`` in a small process that starts it).
Steps: one portal cold; the same portal again, unchanged (conditional requests: nothing is downloaded
again); then ``--at-once`` portals (8 and 24) at the same time, cold, one process each; and the CPU of
starting the program alone. With ``--write`` the figures
replace the page's section ``<!-- harvest N begin/end -->`` (N: ``--entries``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "scripts" / "bench"), str(ROOT / "tests")]

from bench import machine, write_section  # noqa: E402
from harvest_portal import Portal, listing_page, report_page, report_text  # noqa: E402

PER_PAGE = 15
BUREAUS = ("司法局", "财政局", "教育局", "民政局", "公安局", "交通运输局", "卫生健康委员会", "水利局",
           "自然资源局", "应急管理局", "审计局", "商务局", "农业农村局", "文化和旅游局", "生态环境局")
NOTICES = ("关于开展行政执法案卷评查工作的通知", "关于印发年度工作要点的通知", "关于公布行政许可事项清单的公告",
           "关于调整部分收费项目的批复", "关于做好防汛工作的紧急通知", "关于公开征求意见的公告")


@dataclass(frozen=True)
class Shape:
    entries: int = 60
    reports: int = 10
    attachment_kb: int = 300


@dataclass
class Run:
    wall: float
    cpu: float
    peak_kb: int


def serve_portal(shape: Shape, number: int) -> tuple[Portal, str]:
    """A portal of ``shape`` on a port of its own; the address of its column."""
    portal = Portal()
    base = portal.start()
    portal.add("/robots.txt", "User-agent: *\nDisallow: /search/\n", content_type="text/plain")
    city = f"示例{number:04d}市"
    step = max(shape.entries // max(shape.reports, 1), 1)
    entries = []
    for index in range(shape.entries):
        bureau = city + BUREAUS[index % len(BUREAUS)]
        if index % step == 0 and index // step < shape.reports:
            title = f"{bureau}2023年法治政府建设年度报告"
            _add_report(portal, shape, index, title, bureau)
        else:
            title = bureau + NOTICES[index % len(NOTICES)]
        entries.append((title, f"art/{index}.html"))
    pages = [entries[start:start + PER_PAGE] for start in range(0, len(entries), PER_PAGE)]
    for number_of_page, page in enumerate(pages):
        script = (f'<script>var countPage = {len(pages)}; createPageHTML(countPage, {number_of_page}, "index", '
                  f'"html");</script>')
        name = "index.html" if number_of_page == 0 else f"index_{number_of_page}.html"
        portal.add(f"/col/{name}", listing_page("法治政府建设", page, script=script))
    return portal, base + "/col/index.html"


def _add_report(portal: Portal, shape: Shape, index: int, title: str, bureau: str) -> None:
    meta = {"ArticleTitle": title, "PubDate": "2024-03-15 09:30", "ContentSource": bureau, "ColumnName": "法治政府建设"}
    portal.add(f"/col/art/{index}.html", report_page(title, report_text(bureau, 2023), [("附件：年度报告.pdf", f"../files/{index}.pdf")],
                                                     meta))
    noise = random.Random(index).randbytes(shape.attachment_kb * 1024)
    portal.add(f"/col/files/{index}.pdf", b"%PDF-1.4\n" + noise, content_type="application/pdf")


#: Runs a command and prints its CPU seconds (user + system) and peak resident set (kB): a harvest started
#: by this small process, not forked from the benchmark (whose served portals would count in the child's
#: resident set until it starts the program).
OWN_USAGE = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
             "use = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(use.ru_utime + use.ru_stime, use.ru_maxrss, file=sys.stderr); sys.exit(code)")


def harvest_processes(columns: list[str], work: Path, delay: float) -> tuple[float, list[Run]]:
    """Run one ``gongwen harvest`` per column, all at once; (wall time of all, each one's figures)."""
    started, processes = time.perf_counter(), []
    for number, column in enumerate(columns):
        folder = work / f"portal-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-c", OWN_USAGE, sys.executable, "-m", "gongwen.cli", "harvest", column,
                   "--corpus", str(folder / "corpus"), "--work", str(folder / "work"), "--report", str(folder / "report.txt"), "--delay", str(delay)]
        with (folder / "log.txt").open("wb") as log:
            processes.append(subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log))
    ended, waiting = {}, {process.pid: number for number, process in enumerate(processes)}
    while waiting:  # whichever ends first: each harvest's own wall time
        pid, status, _usage = os.wait4(-1, 0)
        if pid in waiting:
            ended[waiting.pop(pid)] = (time.perf_counter() - started, os.waitstatus_to_exitcode(status))
    runs = []
    for number, process in enumerate(processes):
        process.returncode = ended[number][1]  # reaped above
        log = (work / f"portal-{number}" / "log.txt").read_text(encoding="utf-8").splitlines()
        if process.returncode != 0:
            raise SystemExit(f"gongwen harvest failed ({process.returncode}):\n" + "\n".join(log[-20:]))
        cpu, peak = log[-1].split()
        runs.append(Run(ended[number][0], float(cpu), int(peak)))
    return time.perf_counter() - started, runs


def startup_cpu() -> Run:
    """The CPU of starting the program and loading the harvest, without harvesting (``gongwen harvest --help``)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", OWN_USAGE, sys.executable, "-m", "gongwen.cli", "harvest", "--help"],
                          cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    cpu, peak = done.stderr.split()[-2:]
    return Run(time.perf_counter() - started, float(cpu), int(peak))


@dataclass
class Row:
    step: str
    at_once: int
    wall: float  # all harvests of the step, first start to last end
    runs: list[Run]
    requests: float  # per portal, robots.txt included
    bodies: float  # answers with a body per portal (a 304 has none), robots.txt aside
    megabytes: float  # bytes of those bodies per portal


def step(name: str, portals: list[Portal], columns: list[str], work: Path, delay: float) -> Row:
    for portal in portals:
        portal.hits.clear()
        portal.bodies.clear()
    wall, runs = harvest_processes(columns, work, delay)
    bodies = [{path: count for path, count in p.bodies.items() if path != "/robots.txt"} for p in portals]
    size = sum(len(p.routes[path].body) * count for p, got in zip(portals, bodies) for path, count in got.items())
    return Row(name, len(portals), wall, runs, sum(sum(p.hits.values()) for p in portals) / len(portals),
               sum(sum(got.values()) for got in bodies) / len(portals), size / len(portals) / 1e6)


def measure(shape: Shape, delay: float, at_once: list[int], work: Path) -> list[Row]:
    rows = []
    portal, column = serve_portal(shape, 0)
    try:
        rows.append(step("one portal, cold", [portal], [column], work / "single", delay))
        rows.append(step("the same portal again, unchanged", [portal], [column], work / "single", delay))
    finally:
        portal.stop()
    for count in at_once:
        served = [serve_portal(shape, number) for number in range(count)]
        try:
            rows.append(step(f"{count} portals at once, cold", [p for p, _ in served], [c for _, c in served],
                             work / f"at-once-{count}", delay))
        finally:
            for portal, _ in served:
                portal.stop()
    return rows


def markdown(shape: Shape, delay: float, rows: list[Row], start: Run, seconds: float) -> str:
    lines = ["## Harvest at the default politeness", "",
             f"Measured by `scripts/bench/harvest_bench.py` on {dt.date.today().isoformat()}, {machine()}; "
             f"{seconds / 60:.1f} minutes in all. Each portal: one column of {shape.entries} documents over "
             f"{-(-shape.entries // PER_PAGE)} listing pages (`createPageHTML`), {shape.reports} of them annual reports, "
             f"each a detail page and a {shape.attachment_kb} kB .pdf; served on 127.0.0.1, a port (a host) per "
             f"portal. Each harvest is a `gongwen harvest` process with `--delay {delay:g}` (≥ {delay:g} s between two "
             "requests to a host; 1 s is the default); its CPU time (user + system) and peak memory are its own "
             "(`getrusage` in a small process that starts it). How these figures plan the harvest of ~3,000 "
             "portals: [scale.md](scale.md#harvest).", "",
             "| step | portals at once | wall time, all | wall time per harvest, mean | CPU per harvest, mean (max) "
             "| peak memory per process | requests per portal | bodies downloaded per portal |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        cpu = [run.cpu for run in row.runs]
        lines.append(f"| {row.step} | {row.at_once} | {row.wall:.1f} s | {sum(r.wall for r in row.runs) / len(row.runs):.1f} s "
                     f"| {sum(cpu) / len(cpu):.2f} s ({max(cpu):.2f} s) | {max(r.peak_kb for r in row.runs) / 1024:.0f} MB "
                     f"| {row.requests:.0f} | {row.bodies:.0f} ({row.megabytes:.1f} MB) |")
    lines += ["", f"Starting the program alone (`gongwen harvest --help`): {start.cpu:.2f} s CPU, "
              f"{start.peak_kb / 1024:.0f} MB, {start.wall:.1f} s wall.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=Shape.entries, help="documents in each portal's column (60)")
    parser.add_argument("--reports", type=int, default=Shape.reports, help="annual reports among them (10)")
    parser.add_argument("--attachment-kb", type=int, default=Shape.attachment_kb, help="size of each report's .pdf (300)")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to a host (1, the default)")
    parser.add_argument("--at-once", type=int, nargs="*", default=[8, 24], help="portals harvested at the same time (8 24)")
    parser.add_argument("--write", type=Path, help="Markdown page whose harvest section is replaced")
    args = parser.parse_args(argv)
    shape, started = Shape(args.entries, args.reports, args.attachment_kb), time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="harvest-bench-", dir=ROOT / ".bench" if (ROOT / ".bench").is_dir() else None))
    try:
        start = startup_cpu()
        rows = measure(shape, args.delay, args.at_once, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = markdown(shape, args.delay, rows, start, time.perf_counter() - started)
    print(text)
    if args.write:  # the section of this portal size, the rest of the page kept
        write_section(args.write, shape.entries, text, kind="harvest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
