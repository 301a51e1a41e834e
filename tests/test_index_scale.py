"""The search-index simulation (``scripts/bench/index_scale.py``, run by hand at 100,000 reports) runs end to
end at a small size: the index is built from the chunked search keys, installed in a small site, and first
queries in Chromium fetch some of it (figures are not asserted, only that they exist and are plausible)."""

from __future__ import annotations

import re
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts" / "bench"))

import index_scale  # noqa: E402
from gongwen.browse.scripts import shipped  # noqa: E402


def test_index_simulation_runs_and_writes_its_section(tmp_path, monkeypatch, browser, capsys):
    monkeypatch.setattr(index_scale, "CHUNK", 7)  # several chunks, merged in the index's order
    # one query of each kind, not the benchmark's 21 and 18: every query is a fresh page, and three more under the
    # filters, twice (--reuse); the whole set took this test 323 s of the suite's 880
    every_kind = index_scale.query_set
    monkeypatch.setattr(index_scale, "query_set", lambda reports: [q for n, q in enumerate(every_kind(reports))
                                                                  if n in (0, 10) or q in ("2024年", "法律顾问 2023年")])
    monkeypatch.setattr(index_scale.natural, "REPORTS", 1)
    out = tmp_path / "scale.md"
    out.write_text("# Scale\n\nhand-written\n", encoding="utf-8")
    # the memo on disk and the pool of a cold build, as ``--memo --pool`` measure them
    kept = tmp_path / "kept"
    given = []
    real_stream = index_scale.index_stream
    monkeypatch.setattr(index_scale, "index_stream", lambda *a, **k: given.append(k) or real_stream(*a, **k))
    assert index_scale.main(["--count", "30", "--memo", "--pool", "--write", str(out), "--keep", str(kept)], browser) == 0  # the suite's Chromium
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Scale\n\nhand-written\n")
    section = text.split("<!-- index 30 begin -->")[1].split("<!-- index 30 end -->")[0]
    assert "| reports | 30 |" in section
    # the year and block parts kept on disk, as a build keeps them: in memory they took the peak at 100,000 from 5.5 to 7.1 GB
    assert [type(k.get("years")).__name__ for k in given] == ["YearFolder"] and type(given[0].get("kept_blocks")).__name__ == "YearFolder"
    peaks = re.search(r"\| peak memory of the index step, sampled every 0.2 s \| anonymous ([0-9,]+) MB in this process; "
                      r"proportional ([0-9,]+) MB with the pool \|", section)
    assert peaks and 0 < int(peaks[1].replace(",", "")) <= int(peaks[2].replace(",", "")), section
    assert "| exact queries: precision / recall (mean), queries not exact | 1.00 / 1.00, 0 not exact |" in section
    assert "| every report's entries kept in a memo, as in a build | yes |" in section
    assert "| entries computed in a pool of 2 processes, as in a cold build | yes |" in section
    sent = re.search(r"bytes median / worst \| ([0-9]+) / ([0-9]+) KB", section)
    assert sent and 0 < int(sent[1]) <= int(sent[2]) < 2000, section
    files = re.search(r"\| index files \| ([0-9,]+) \|", section)
    assert files and int(files[1].replace(",", "")) > 30  # a t/ file per report, and the rest
    limited = re.search(r"no filter: ([0-9]+) / ([0-9]+) KB; year (20[0-9]{2}): ([0-9]+) / ([0-9]+) KB; province (\S+): ", section)
    assert limited and int(limited[1]) > 0 and int(limited[4]) > 0, section  # issue 24: filtered first queries measured
    assert re.search(r"files it fetched, median / worst \| [0-9]+ / [0-9]+ \|", section), section
    # --keep left the site with its index; --reuse measures it again with the current scripts, without parsing
    assert (kept / "site" / "search" / "meta.json").is_file() and (kept / "natural.json").is_file()
    (kept / "site" / "assets" / "search" / "rank.js").write_text("stale", encoding="utf-8")
    page = kept / "site" / "search" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("assets/search/words.js", "assets/search/gone.js"), encoding="utf-8")
    monkeypatch.setattr(index_scale, "index_inputs", None)  # reuse must not build an index
    capsys.readouterr()
    assert index_scale.main(["--reuse", str(kept)], browser) == 0
    printed = capsys.readouterr().out
    assert re.search(r"first query: [0-9]+ / [0-9]+ KB, [0-9]+ / [0-9]+ ms median / worst", printed), printed
    assert re.search(r"first result expected [0-9]+ of [1-9]", printed), printed
    assert "precision / recall 1.00 / 1.00, not exact: none" in printed and "2024年: " in printed, printed
    assert (kept / "site" / "assets" / "search" / "rank.js").read_text(encoding="utf-8") \
        == shipped((ROOT / "docs/assets/search/rank.js").read_text(encoding="utf-8"))
    # the pages are the current program's (a new script is loaded), around the kept index
    loaded = (kept / "site" / "search" / "index.html").read_text(encoding="utf-8")
    assert all(f"assets/search/{script.name}" in loaded for script in (ROOT / "docs/assets/search").glob("*.js")), loaded
    # a run stopped while the index was in the new site's folder: the next run finds it there, not deletes it
    (kept / "site.new").mkdir()
    (kept / "site" / "search").rename(kept / "site.new" / "search")
    assert index_scale.main(["--reuse", str(kept)], browser) == 0
    assert (kept / "site" / "search" / "meta.json").is_file() and not (kept / "site.new").exists()
    assert "precision / recall 1.00 / 1.00, not exact: none" in capsys.readouterr().out
