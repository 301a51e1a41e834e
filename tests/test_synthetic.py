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
