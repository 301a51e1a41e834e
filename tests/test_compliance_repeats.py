"""Year over year: a same-bureau pair with a known repeated share; templated reports across bureaus."""

from __future__ import annotations

import random

import pytest

from conftest import SEEDS, jiaozuo_2022
from gongwen.compliance.repeats import compare, templated_reports, with_repeat_shares
from gongwen.pipeline import SourceFile, build_reports, report_from_text

HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def han(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(HAN) for _ in range(length))


def report_text(year: int, sections: list[tuple[str, list[str]]]) -> str:
    lines = [f"焦作市科学技术局{year}年法治政府建设工作报告", ""]
    for title, paragraphs in sections:
        lines += [title, *(p + "。" for p in paragraphs)]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def pair():
    """Last year: four paragraphs.  This year: two of them again (one with six characters changed in three
    places and a number changed: nearly verbatim, ~85% of its shingles kept), one half-copied, one new.
    Repeated: 190 + 190 = 380 of 1,000 characters."""
    rng = random.Random(15)
    kept_a, kept_b, old_c, old_d = (han(rng, 190), han(rng, 189) + "5", han(rng, 310), han(rng, 310))
    nearly_b = kept_b[:30] + "甲乙" + kept_b[32:90] + "丙丁" + kept_b[92:150] + "戊己" + kept_b[152:-1] + "6"
    half = old_c[:150] + han(rng, 160)
    new = han(rng, 310)
    before = report_text(2022, [("一、主要举措和成效", [kept_a, old_c]), ("二、存在的不足", [kept_b, old_d])])
    after = report_text(2023, [("一、主要举措和成效", [kept_a, half]), ("二、存在的不足", [nearly_b]),
                               ("三、新增的一节", [new])])
    return (report_from_text(before, "a.txt", "1" * 64), report_from_text(after, "b.txt", "2" * 64))


def test_known_repeated_share_of_a_same_bureau_pair(pair):
    before, after = pair
    result = compare(after, before)
    assert result.share == 0.38
    assert [r.paragraph for r in result.repeated] == [1, 3]
    assert [s.title for s in result.new_sections] == ["三、新增的一节"]


def test_share_is_set_at_corpus_level_for_the_later_report_only(pair):
    before, after = pair
    assert before.bureau_id == after.bureau_id
    shares = {r.year: r.repeat_share_prev_year for r in with_repeat_shares([after, before])}
    assert shares == {2022: None, 2023: 0.38}


def test_build_compares_the_jiaozuo_reports_across_printed_names():
    """The 2022 report (under the alias 焦作市科技局) repeats the 2023 body: the 2023 report's share is 1."""
    sources = [SourceFile(p.name, p.read_bytes()) for p in SEEDS]
    sources.append(SourceFile("005_jiaozuo_2022.txt", jiaozuo_2022().encode("utf-8")))
    shares = {r.id: r.repeat_share_prev_year for r in build_reports(sources).reports}
    assert shares["henan/jiaozuo/kjj/2023"] == 1.0
    assert shares["henan/jiaozuo/kjj/2022"] is None
    assert shares["henan/xinyang/kjj/2024"] is None


def test_templated_reports_across_bureaus_are_paired():
    """The same text under another bureau's name is a template; the five different seeds are not."""
    sources = [SourceFile(p.name, p.read_bytes()) for p in SEEDS]
    copy = next(p for p in SEEDS if p.name == "003_0f6a7d55f317c3d7.txt").read_text(encoding="utf-8").replace("西工区", "老城区")
    sources.append(SourceFile("copy.txt", copy.encode("utf-8")))
    reports = build_reports(sources).reports
    pairs = templated_reports(reports)
    assert [(t.first.source, t.second.source) for t in pairs] in (
        [("003_0f6a7d55f317c3d7.txt", "copy.txt")], [("copy.txt", "003_0f6a7d55f317c3d7.txt")])
    assert pairs[0].share >= 0.9
    assert templated_reports(reports[:5]) == []
