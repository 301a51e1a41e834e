"""A rebuild reuses what it kept only when what it is made of is unchanged.

- A report page (``siteplan.ReportPages``) shows the same bureau's previous year (links and the comparison
  of their text) and its next year, so changing the 2022 report must redo the 2023 page; every other page
  is reused, and the plan with the memo is the plan without it, byte for byte.
- A report's share of text repeated from its previous year (``ReportCache.repeat_share``) is kept by the
  two files; a changed file is compared again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import ROOT, SEEDS, jiaozuo_2022
from gongwen.corpus import program_version
from gongwen.model import Block
from gongwen.compliance import repeats
from gongwen.pipeline import SourceFile, build_reports
from gongwen.reportcache import ReportCache
from gongwen.siteplan import ReportPages, plan_site


def seeds_with_previous_year(previous: str) -> tuple:
    sources = [SourceFile(seed.name, seed.read_bytes()) for seed in SEEDS]
    sources.append(SourceFile("jiaozuo_2022.txt", previous.encode("utf-8")))
    result = build_reports(sources)
    return result, {s.path: s.data for s in sources}


def counted(memo: ReportPages) -> tuple[ReportPages, list[str]]:
    """``memo`` with each page it renders recorded (by the report's id)."""
    rendered = []
    page = memo.page

    def recording(report, before, after, sizes, render):
        return page(report, before, after, sizes, lambda: rendered.append(report.id) or render())
    memo.page = recording
    return memo, rendered


def test_an_unchanged_page_is_reused_and_a_changed_neighbour_redoes_it():
    result, originals = seeds_with_previous_year(jiaozuo_2022())
    first = ReportPages()
    cold = plan_site(result, originals, first)
    assert plan_site(result, originals).files == cold.files
    assert len(first.used) == len(result.reports) == 6

    again, rendered = counted(ReportPages(dict(first.used)))
    assert plan_site(result, originals, again).files == cold.files
    assert rendered == []

    # the 2022 report gains a paragraph: its page and the 2023 page (its comparison) are redone, no other
    previous = next(r for r in result.reports if r.year == 2022)
    later = next(r for r in result.reports if r.bureau_id == previous.bureau_id and r.year == 2023)
    edited = previous.model_copy(update={"body": previous.body + [Block(kind="paragraph", text="新增一段测试文字。")]})
    result.reports[result.reports.index(previous)] = edited
    changed, rendered = counted(ReportPages(dict(first.used)))
    plan = plan_site(result, originals, changed)
    assert sorted(rendered) == sorted([previous.id, later.id])
    assert plan.files == plan_site(result, originals).files
    assert len(changed.used) == 6  # the old pages of the two drop out when the memo is saved
    # the same memo over two plans: a changed report under the same id is digested again, never taken as before
    assert plan_site(result, originals, first).files == plan.files


def test_repeat_shares_are_kept_by_the_two_files(monkeypatch):
    sources = [SourceFile(seed.name, seed.read_bytes()) for seed in SEEDS]
    sources.append(SourceFile("jiaozuo_2022.txt", jiaozuo_2022().encode("utf-8")))
    compared = []
    original = repeats.compare
    monkeypatch.setattr(repeats, "compare", lambda r, p: compared.append(r.year) or original(r, p))
    first = ReportCache({}, "test")
    cold = build_reports(sources, first.parse, first.repeat_share).reports
    assert compared == [2023] and build_reports(sources).reports == cold
    again = ReportCache(dict(first.used), "test")
    assert build_reports(sources, again.parse, again.repeat_share).reports == cold and compared == [2023, 2023]

    previous = jiaozuo_2022().replace("法治", "法制", 3)  # the 2022 file changed: the 2023 report is compared again
    sources[-1] = SourceFile("jiaozuo_2022.txt", previous.encode("utf-8"))
    changed = ReportCache(dict(first.used), "test")
    assert build_reports(sources, changed.parse, changed.repeat_share).reports == build_reports(sources).reports
    assert compared == [2023, 2023, 2023, 2023]


def test_a_changed_file_of_the_program_is_a_new_program_version(tmp_path):
    """The memos' version is a digest of the ``gongwen`` package's files (code and data): a copy of the package
    run in its place has the same version, and one data file changed gives another (so every memo starts afresh)."""
    shutil.copytree(ROOT / "scripts" / "gongwen", tmp_path / "gongwen", ignore=shutil.ignore_patterns("__pycache__"))

    def version() -> str:
        done = subprocess.run([sys.executable, "-c", "from gongwen import corpus; print(corpus.__file__, corpus.program_version())"],
                              env=os.environ | {"PYTHONPATH": str(tmp_path)}, capture_output=True, text=True, check=True)
        where, digest = done.stdout.split()
        assert where == str(tmp_path / "gongwen" / "corpus.py")
        return digest

    assert version() == program_version()
    topics = tmp_path / "gongwen" / "data" / "topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert version() != program_version()
