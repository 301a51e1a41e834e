"""The synthetic corpus generator: deterministic, realistic enough that every report builds."""

from __future__ import annotations

from conftest import SEEDS
from gongwen.pipeline import SourceFile, build_reports
from gongwen.synthetic import pool_from_reports, synthetic_reports


def _pool():
    return pool_from_reports(build_reports([SourceFile(p.name, p.read_bytes()) for p in SEEDS]).reports)


def test_same_seed_same_reports_and_every_one_publishes():
    pool = _pool()
    first = synthetic_reports(60, pool, seed=7)
    assert first == synthetic_reports(60, pool, seed=7)
    assert first != synthetic_reports(60, pool, seed=8)
    result = build_reports([SourceFile(name, text.encode("utf-8")) for name, text in first])
    assert result.rejections == []
    reports = result.reports
    assert len({r.id for r in reports}) == 60
    assert len({r.year for r in reports}) > 3 and len({r.province for r in reports}) > 5
    assert any(r.doc_number for r in reports) and any(r.doc_number is None for r in reports)
    assert {r.level for r in reports} >= {"县级", "市级"}


def test_paragraphs_come_from_the_seeds():
    pool = _pool()
    seed_text = "".join(p.read_text(encoding="utf-8") for p in SEEDS)
    assert pool.paragraphs and all(p[:20] in seed_text.replace(" ", "") or p[:20] in seed_text for p in pool.paragraphs)


def test_bureaus_report_year_after_year_unless_asked_otherwise():
    pool = _pool()
    yearly = build_reports([SourceFile(n, t.encode("utf-8")) for n, t in synthetic_reports(200, pool, seed=1)]).reports
    years = {}
    for report in yearly:
        years.setdefault(report.bureau_id, set()).add(report.year)
    assert len(years) < 200 / 3 and max(len(y) for y in years.values()) >= 5
    assert any(max(y) - min(y) + 1 > len(y) for y in years.values())  # a year missing now and then
    scattered = build_reports([SourceFile(n, t.encode("utf-8"))
                               for n, t in synthetic_reports(200, pool, seed=1, yearly=False)]).reports
    assert len({r.bureau_id for r in scattered}) > 180
