"""Build benchmark: how long ``gongwen build`` takes, cold and again after one report changed.

    .venv/bin/python scripts/bench/build_bench.py --count 1000 --write docs/benchmarks.md   (make bench)

Steps, on ``gongwen synth --count N`` (kept in ``.bench/build-N/``): a cold build (``--clean``),
then three one-report rebuilds of the same site, each the plain ``gongwen build`` a maintainer
runs: after adding a report, after changing one, after deleting one.  Each step's wall time, CPU time and
peak memory (the largest resident set of one of the step's processes — gongwen, its child, its MkDocs — and
the largest sum of all of them, sampled every 0.1 s, as resident sets and as proportional sets) are measured from
outside.  It builds with the checkout's own configuration and hand-written pages:
editing ``docs/`` while it runs turns a rebuild into a full one, and the script then stops.  With ``--write``, the figures replace this size's section of the page
(``<!-- build N begin/end -->``), the rest of the page is kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from gongwen.cli import FULL_BUILD_MARK  # noqa: E402  (how a build says it rebuilt everything)
#: Runs a command and prints, as the last line, the CPU seconds (user + system) and the peak resident
#: set (kB) of its process tree: CPU time is what a busy shared machine does not inflate as much as wall time.
PEAK = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
        "use = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(use.ru_utime + use.ru_stime, use.ru_maxrss); sys.exit(code)")


def measured(*args: str, full: bool) -> tuple[float, float, int, int, int]:
    """(wall seconds, CPU seconds, peak kB of the largest process, peak kB of all processes together: resident
    sets, proportional sets) of one ``gongwen build``; ``full``: whether it must be a full build (a rebuild that
    turns into a full one, e.g. because docs/ was edited meanwhile, is not what is measured)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", PEAK, sys.executable, "-m", "gongwen.cli", *args], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    together = [0, 0]
    sampler = threading.Thread(target=_sample_tree, args=(process, together))
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"gongwen {' '.join(args)} failed:\n{err[-3000:]}")
    if (FULL_BUILD_MARK in out) != full:
        raise SystemExit(f"gongwen {' '.join(args)} was {'not ' if full else ''}a full build; measure again")
    cpu, peak = out.strip().splitlines()[-1].split()
    return seconds, float(cpu), int(peak), together[0], together[1]


def _sample_tree(process: subprocess.Popen, peak: list[int]) -> None:
    """Every 0.1 s, the memory of ``process`` and all its descendants summed; the largest sums in ``peak``: of the
    resident sets, and of the proportional sets (``Pss``: a page shared by n processes counted 1/n in each).  A
    forked child shares its parent's pages until either writes them, so the resident sets count those pages once
    per process: at 100,000 reports the national step's index process, forked from a 7.6 GB parent, made the
    resident sets' sum 12 GB.  The proportional sets' sum is what the processes take from the machine."""
    while process.poll() is None:
        tree = _tree(process.pid)
        peak[0] = max(peak[0], sum(_kb(pid, "status", "VmRSS") for pid in tree))
        peak[1] = max(peak[1], sum(_kb(pid, "smaps_rollup", "Pss") for pid in tree))
        time.sleep(0.1)


def _tree(root: int) -> set[int]:
    """``root`` and every process descended from it."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    tree = {root}
    for _ in range(8):  # build → gongwen → child / mkdocs: a few levels
        tree |= {pid for pid, parent in parents.items() if parent in tree}
    return tree


def _kb(pid: int, table: str, field: str) -> int:
    """A field in kB of ``/proc/<pid>/<table>`` (0 when the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/{table}").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def one_report_changes(corpus: Path) -> list[tuple[str, callable]]:
    """(what, change) for the three rebuilds: add a report, change one, delete one."""
    files = sorted(corpus.glob("*.txt"))
    first, second = files[0], files[1]
    added = corpus / "zz-added.txt"
    extra = "\n\n　　本年度还完成了法治政府建设基准测试所增加的一段文字。\n"
    return [("添加一篇", lambda: added.write_text(second.read_text(encoding="utf-8") + extra, encoding="utf-8")),
            ("修改一篇", lambda: first.write_text(first.read_text(encoding="utf-8") + extra, encoding="utf-8")),
            ("删除一篇", lambda: added.unlink())]


def run(count: int, keep: Path, rebuilds: bool = True, split_at: int | None = None) -> list[tuple[str, float, float, int, int, int]]:
    corpus, site = keep / "corpus", keep / "site"
    shutil.rmtree(keep, ignore_errors=True)
    keep.mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "gongwen.cli", "synth", "--count", str(count), "--out", str(corpus)],
                   cwd=ROOT, check=True, capture_output=True)
    build = ("build", "--corpus", str(corpus), "--site", str(site), "--config", str(ROOT / "mkdocs.yml"),
             *(("--split-at", str(split_at)) if split_at is not None else ()))
    rows = [("冷构建（--clean）", *measured(*build, "--clean", full=True))]
    for what, change in one_report_changes(corpus) if rebuilds else ():
        change()
        rows.append((f"{what}后再构建", *measured(*build, full=False)))
    return rows


def markdown(count: int, rows: list[tuple[str, float, float, int, int, int]], label: str = "") -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [f"### `gongwen build`, {count:,} synthetic reports{label and ', ' + label}", "",
             f"Measured by `scripts/bench/build_bench.py` (`make bench`) on {dt.date.today().isoformat()}, {platform.system()} "
             f"{platform.release()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average at the "
             f"end {load} (other jobs shared the machine; times are upper bounds).", "",
             "| step | wall time | CPU time (user + system) | peak memory, largest process | peak memory, all processes: "
             "resident sets / proportional sets |",
             "| --- | --- | --- | --- | --- |"]
    lines += [f"| {what} | {seconds:.1f} s | {cpu:.1f} s | {peak / 1024:.0f} MB | {together / 1024:.0f} MB / "
              f"{proportional / 1024:.0f} MB |" for what, seconds, cpu, peak, together, proportional in rows]
    return "\n".join(lines + [""])


def write_section(path: Path, count: int | str, text: str) -> None:
    begin, end = f"<!-- build {count} begin -->", f"<!-- build {count} end -->"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{begin}\n{text}{end}"
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        new = head + block + rest.split(end, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--write", type=Path, help="Markdown page whose section for this size is replaced")
    parser.add_argument("--cold-only", action="store_true", help="only the cold build (for the growth ratio)")
    parser.add_argument("--split-at", type=int, help="gongwen build's --split-at (default: its own threshold); "
                        "0: province jobs whatever the size, a huge number: the single build")
    parser.add_argument("--label", default="", help="added to the section's heading and markers (two runs of one size)")
    args = parser.parse_args()
    rows = run(args.count, ROOT / ".bench" / f"build-{args.count}", not args.cold_only, args.split_at)
    text = markdown(args.count, rows, args.label)
    print(text)
    if args.write:
        write_section(args.write, f"{args.count}{args.label and ' ' + args.label}", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
