"""Required contents (Art. 25) and on time, for each seed as a careful reader decides by reading it.

The expected tables are written by hand from the seeds' text; each row's comment quotes the wording
that decides it.  A trimmed seed (a section cut out) must lose the item it held.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import SEEDS
from gongwen.compliance.contents import find_items, parse_rules, load_rules
from gongwen.compliance.deadline import Deadline, Deadlines, timeliness
from gongwen.pipeline import SourceFile, build_reports, report_from_text

# item: (found, rule, section the link goes to)
EXPECTED = {
    "000_acc9ae5d28c10407.txt": {  # 马村区科技局 2025
        # 一、…五、 list the year's work without naming it: "一、加强组织领导，压实法治建设责任" … before "六、存在问题"
        "measures": (True, "position", "一、加强组织领导，压实法治建设责任"),
        "shortcomings": (True, "heading", "六、存在问题"),
        # "主要负责同志认真履行第一责任人职责，定期研究部署，及时解决重点难点问题"
        "leaders_duty": (True, "paragraph", "一、加强组织领导，压实法治建设责任"),
        "next_year": (True, "heading", "七、下步打算"),
        "other": (False, None, None),
    },
    "001_bfb220357d947980.txt": {  # 义马市科技局 2024
        "measures": (True, "heading", "一、2024年法治政府建设工作成效"),
        "shortcomings": (True, "heading", "二、存在的不足"),
        # "将依法行政工作纳入重要议事日程，严格履行法治建设第一责任人职责"
        "leaders_duty": (True, "paragraph", "（一）提高政治站位，严格落实法治政府建设责任"),
        "next_year": (True, "heading", "三、2025年法治政府建设主要任务"),
        "other": (False, None, None),
    },
    "002_e9196ebf62140957.txt": {  # 焦作市科技局 2023
        # seven sections of work, none titled 举措/成效: "一、加强党对法治政府建设的领导" …
        "measures": (True, "position", "一、加强党对法治政府建设的领导"),
        # a closing paragraph, no heading: "…但是与市委、市政府的要求还有一定差距。如：专业技术人员力量不足…"
        "shortcomings": (True, "paragraph", "七、深入推进法治宣传教育"),
        # nothing on the 主要负责人's 第一责任人 duty: only "局党组积极落实理论学习中心组学习的主体责任" and
        # "主要领导在重大行政决策集体讨论会上坚持“末位表态”" (decision procedure, not the Art. 25 item)
        "leaders_duty": (False, None, None),
        # "下一步，我局将持续完善科技领域依法治市、依法承办业务的措施…"
        "next_year": (True, "paragraph", "七、深入推进法治宣传教育"),
        "other": (False, None, None),
    },
    "003_0f6a7d55f317c3d7.txt": {  # 西工区科技局 2024: the four items are its headings
        "measures": (True, "heading", "二、主要举措和成效"),
        "shortcomings": (True, "heading", "二、存在问题"),
        "leaders_duty": (True, "heading", "一、主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况"),
        "next_year": (True, "heading", "三、2025年工作安排"),
        "other": (False, None, None),
    },
    "004_a3d568ff32f023b9.txt": {  # 信阳市科技局 2024
        "measures": (True, "heading", "一、2024年度法治政府建设工作举措和成效"),
        "shortcomings": (True, "heading", "二、存在的问题"),
        # under 一: "贯彻落实…《党政主要负责人履行推进法治政府建设第一责任人职责规定》，…实行主要领导亲自抓"
        # (the plan "强化党政主要负责同志履行推进法治建设第一责任人职责" under 三 does not count: a plan is not a report)
        "leaders_duty": (True, "paragraph", "(一)强化组织领导，压实法治责任"),
        "next_year": (True, "heading", "三、2025年法治政府建设工作安排"),
        "other": (False, None, None),
    },
}

# (on_time, days_late) from the printed date against 4月1日 of the following year
ON_TIME = {
    "000_acc9ae5d28c10407.txt": (None, None),  # no 印发/成文 date printed
    "001_bfb220357d947980.txt": (None, None),  # no date printed
    "002_e9196ebf62140957.txt": (True, 0),  # "2024年3月18日印发", 2023 report, due 2024-04-01
    "003_0f6a7d55f317c3d7.txt": (None, None),  # no date printed
    "004_a3d568ff32f023b9.txt": (True, 0),  # "2025年2月20日印发", 2024 report, due 2025-04-01
}


def seed_text(name: str) -> str:
    return next(p for p in SEEDS if p.name == name).read_text(encoding="utf-8")


XIGONG, XINYANG, MACUN = "003_0f6a7d55f317c3d7.txt", "004_a3d568ff32f023b9.txt", "000_acc9ae5d28c10407.txt"


@pytest.fixture(scope="module")
def seeds():
    reports = build_reports([SourceFile(p.name, p.read_bytes()) for p in SEEDS]).reports
    return {r.source: r for r in reports}


def test_every_seed_has_an_expected_row(seeds):
    assert set(seeds) == set(EXPECTED) == set(ON_TIME)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_required_items_of_each_seed_as_read(seeds, name):
    report = seeds[name]
    got = {key: (key in report.required_items_where,
                 report.required_items_where[key].method if key in report.required_items_where else None,
                 report.required_items_where[key].section if key in report.required_items_where else None)
           for key in EXPECTED[name]}
    assert got == EXPECTED[name]
    assert report.required_items.model_dump() == {k: v[0] for k, v in EXPECTED[name].items() if k != "other"}


def test_matched_wording_is_quoted_from_the_text(seeds):
    where = seeds["000_acc9ae5d28c10407.txt"].required_items_where["leaders_duty"]
    assert "主要负责同志认真履行第一责任人职责" in where.wording and where.paragraph == 2
    plain = "".join(b.text for b in seeds["002_e9196ebf62140957.txt"].body)
    for item in seeds["002_e9196ebf62140957.txt"].required_items_where.values():
        assert item.wording.strip("…") in plain


def test_a_section_cut_out_loses_its_item():
    text = seed_text(XIGONG)
    start, end = text.index("二、存在问题"), text.index("三、2025年工作安排")
    report = report_from_text(text[:start] + text[end:], "trimmed.txt", "0" * 64)
    assert report.required_items.shortcomings is False
    assert report.required_items.next_year is True
    no_plans = report_from_text(text[:start], "trimmed.txt", "0" * 64)
    assert no_plans.required_items.next_year is False


def test_a_plan_is_not_a_report_on_the_duty():
    """The 第一责任人 duty mentioned only under the next year's plans is not found."""
    text = seed_text(XINYANG).replace("《党政主要负责人履行推进法治政府建设第一责任人职责规定》", "《规定》")
    report = report_from_text(text, "plan.txt", "0" * 64)
    assert "第一责任人职责" in text and report.required_items.leaders_duty is False


def test_rules_file_is_complete():
    rules = load_rules()
    assert [r.key for r in rules] == ["measures", "shortcomings", "leaders_duty", "next_year", "other"]
    with pytest.raises(ValueError):
        parse_rules({"items": [{"key": "measures", "label": "", "law": "", "heading_terms": []}]})


def test_other_matters_found_by_heading():
    found = find_items(report_from_text(seed_text(XIGONG).replace(
        "三、2025年工作安排", "四、其他需要报告的情况\n无。\n三、2025年工作安排"), "x.txt", "0" * 64).body, 2024)
    assert found["other"].method == "heading" and found["other"].section == "四、其他需要报告的情况"


@pytest.mark.parametrize("name", sorted(ON_TIME))
def test_on_time_of_each_seed_from_its_printed_date(seeds, name):
    assert (seeds[name].on_time, seeds[name].days_late) == ON_TIME[name]


def test_late_by_days_and_deadline_day_counts_as_on_time():
    assert timeliness(2024, "河南省", dt.date(2025, 4, 1)).on_time is True
    assert (timeliness(2024, "河南省", dt.date(2025, 4, 2)).on_time, timeliness(2024, "河南省", dt.date(2025, 4, 2)).days_late) == (False, 1)
    late = timeliness(2024, "河南省", dt.date(2025, 4, 11))
    assert (late.on_time, late.days_late, late.deadline) == (False, 10, dt.date(2025, 4, 1))
    assert timeliness(2024, None, None).on_time is None


def test_a_province_with_its_own_deadline():
    rules = Deadlines(Deadline(4, 1, "default"), {"某省": Deadline(3, 1, "某省规定")})
    assert timeliness(2024, "某省", dt.date(2025, 3, 20), rules).days_late == 19
    assert timeliness(2024, "河南省", dt.date(2025, 3, 20), rules).on_time is True


def test_sidecar_date_decides_on_time():
    text = seed_text(MACUN)
    report = report_from_text(text, "x.txt", "0" * 64, sidecar={"date_printed": dt.date(2026, 5, 1)}, sidecar_name="x")
    assert (report.on_time, report.days_late) == (False, 30)
