"""The seeds' metadata, as the foundation issue's table states it."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import CORPUS, ROOT, run_gongwen
import json

EXPECTED = {
    "000_acc9ae5d28c10407.txt": dict(
        title="马村区科学科技局2025年度法治政府建设工作报告", issuer="马村区科学科技局", bureau="马村区科学科技局",
        province="河南省", city="焦作市", county="马村区", level="县级", year=2025,
        doc_number=None, date_printed=None, printer=None, recipients=[], cc=[]),
    "001_bfb220357d947980.txt": dict(
        title="义马市科学技术局2024年法治政府建设年度工作报告", issuer="义马市科学技术局", bureau="义马市科学技术局",
        province="河南省", city="三门峡市", county="义马市", level="县级", year=2024,
        doc_number=None, date_printed=None, printer=None, recipients=[], cc=[]),
    "002_e9196ebf62140957.txt": dict(
        title="中共焦作市科学技术局党组关于2023年法治政府建设工作的报告", issuer="中共焦作市科学技术局党组",
        bureau="焦作市科学技术局", province="河南省", city="焦作市", county=None, level="市级", year=2023,
        doc_number="焦科组〔2024〕5号", date_printed="2024-03-18", printer="焦作市科技局办公室",
        recipients=["市委", "市政府"], cc=[]),
    "003_0f6a7d55f317c3d7.txt": dict(
        title="西工区科技局2024年法治政府建设工作年度报告", issuer="西工区科技局", bureau="西工区科技局",
        province="河南省", city="洛阳市", county="西工区", level="县级", year=2024,
        doc_number=None, date_printed=None, printer=None, recipients=[], cc=[]),
    "004_a3d568ff32f023b9.txt": dict(
        title="信阳市科学技术局关于2024年法治政府建设情况的报告", issuer="信阳市科学技术局", bureau="信阳市科学技术局",
        province="河南省", city="信阳市", county=None, level="市级", year=2024,
        doc_number="信科〔2025〕6号", date_printed="2025-02-20", printer="信阳市科学技术局办公室",
        recipients=["市政府并报市委"], cc=["信阳市司法局依法行政指导科"]),
}


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict]:
    """``gongwen extract --json`` over the seeds, as a maintainer would run it."""
    done = run_gongwen("extract", "--json", *(str(CORPUS / name) for name in EXPECTED))
    assert done.returncode == 0, done.stderr
    return {row["source"]: row for row in json.loads(done.stdout)}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_metadata(extracted, name):
    row = extracted[name]
    assert {key: row[key] for key in EXPECTED[name]} == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_null_fields_come_with_a_warning(extracted, name):
    row = extracted[name]
    for field in ("issuer", "doc_number", "date_signed", "date_printed", "printer", "province"):
        if row[field] is None:
            topic = "region" if field == "province" else field
            assert any(w.startswith(f"{topic}:") for w in row["warnings"]), (field, row["warnings"])


def test_extract_json_has_every_front_matter_field_and_sections(extracted):
    from gongwen.model import FrontMatter
    for row in extracted.values():
        assert set(FrontMatter.model_fields) <= set(row)
        assert row["sections"] and row["sections"][0]["title"].startswith("一、")


def test_body_citations_are_not_the_reports_own_number(extracted):
    text = (CORPUS / "002_e9196ebf62140957.txt").read_text(encoding="utf-8")
    assert "焦科〔2023〕2号" in text
    assert extracted["002_e9196ebf62140957.txt"]["doc_number"] == "焦科组〔2024〕5号"


def test_wrong_numbering_is_kept_and_warned(extracted):
    row = extracted["003_0f6a7d55f317c3d7.txt"]
    assert [s["title"] for s in row["sections"]] == [
        "一、主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
        "二、主要举措和成效", "二、存在问题", "三、2025年工作安排"]
    assert any(w.startswith("sections: [W-NUMBERING]") and "应为 三、" in w and "二、存在问题" in w for w in row["warnings"])


def test_the_tests_seeds_are_the_shared_seeds_byte_for_byte():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.fail(f"{shared} is missing: CI and developers have the shared folder beside the repo")
    assert sorted(p.name for p in shared.glob("*.txt")) == sorted(p.name for p in CORPUS.glob("*.txt"))
    for seed in shared.glob("*.txt"):
        assert (CORPUS / seed.name).read_bytes() == seed.read_bytes()
