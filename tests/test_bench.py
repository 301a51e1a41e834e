"""The benchmark script runs end to end (at a small size; figures are not asserted, only that they exist
and that this archive's answers are exact, which is a property, not a timing)."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import CORPUS, ROOT


def test_benchmark_runs_and_writes_its_section(tmp_path):
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\nhand-written intro\n\n<!-- bench 99 begin -->\nold\n<!-- bench 99 end -->\n", encoding="utf-8")
    # as a maintainer runs it, in a process of its own (its Playwright must not meet the suite's browser's event loop)
    done = subprocess.run([sys.executable, str(ROOT / "scripts/bench/bench.py"), "--count", "12", "--work", str(tmp_path / "work"),
                           "--source", str(CORPUS), "--write", str(out)], capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "hand-written intro" in text and "<!-- bench 99 begin -->\nold" in text
    section = text.split("<!-- bench 12 begin -->")[1].split("<!-- bench 12 end -->")[0]
    assert "### 12 synthetic reports" in section and "Command: `python scripts/bench/bench.py --count 12" in section
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) >= 20
    assert "| precision / recall (mean over queries) | 1.00 / 1.00 |" in section
    assert all(row.split("|")[-2].strip().startswith("yes") for row in rows)  # this archive exact on every query
    lunr = re.search(r"lunr split by term, one file per term .*?: ([0-9,]+) files, .*? A query fetches the files of its "
                     r"words: [0-9.,]+ [KM]B median / [0-9.,]+ [KM]B worst gzip .*? precision / recall ([01]\.[0-9]{2}) / "
                     r"([01]\.[0-9]{2}), ([0-9]+) queries not exact", section)
    assert lunr and int(lunr[1].replace(",", "")) > 100, section
    assert float(lunr[2]) <= 1.0 and int(lunr[4]) <= len(rows)
    assert "lunr.py, for comparison" in section and "all 12 reports" in section and "lunr.py built the index in" in section
    natural = re.search(r"This archive puts an expected report first on ([0-9]+) of ([0-9]+), Pagefind on ([0-9]+) of", section)
    assert natural and int(natural[2]) >= 10 and natural[1] == natural[2], section  # every natural query answered
    assert len([line for line in section.splitlines() if re.match(r"\| [0-9]+\. `", line)]) == int(natural[2])
    assert "`技类校` (in " in section  # a substring across jieba's words, which the word index cannot find
