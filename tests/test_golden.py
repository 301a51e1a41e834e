"""Each seed's generated Markdown page, compared byte for byte with its reviewed golden copy.

Refresh with ``pytest tests/test_golden.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import pytest

from conftest import GOLDEN, SEEDS
from gongwen.pipeline import SourceFile, report_from_source
from gongwen.render import render_page


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_page_matches_golden(seed, update_golden):
    page = render_page(report_from_source(SourceFile(seed.name, seed.read_bytes())))
    golden = GOLDEN / f"{seed.stem}.md"
    if update_golden:
        golden.write_text(page, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with --update-golden and review it"
    assert page == golden.read_text(encoding="utf-8")


def test_every_seed_has_a_golden_file_and_no_stale_ones():
    assert sorted(p.stem for p in GOLDEN.glob("*.md")) == [p.stem for p in SEEDS]
