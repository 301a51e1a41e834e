"""Each extractor over a table of real snippets (from the seeds and real 公文 layouts)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongwen import body, extract, layout, normalize, textdata
from gongwen.gazetteer import locate


@pytest.mark.parametrize("line, expected", [
    ("焦科组〔2024〕5号", "焦科组〔2024〕5号"),
    ("焦科组[2024]5号", "焦科组〔2024〕5号"),
    ("焦科组(2024)5号", "焦科组〔2024〕5号"),
    ("焦科组（2024）5号", "焦科组〔2024〕5号"),
    ("焦科组【2024】5号", "焦科组〔2024〕5号"),
    ("焦科组［2024］5号", "焦科组〔2024〕5号"),
    ("信科〔2025〕6号", "信科〔2025〕6号"),
    ("豫科〔2024〕 12 号", "豫科〔2024〕12号"),
    ("焦科组〔2024〕5号                签发人：张三", "焦科组〔2024〕5号"),
    ("市委、市政府：", None),
    (None, None),
])
def test_doc_number(line, expected):
    assert extract.doc_number(line) == expected


@pytest.mark.parametrize("title, year", [
    ("马村区科学科技局2025年度法治政府建设工作报告", 2025),
    ("中共焦作市科学技术局党组关于2023年法治政府建设工作的报告", 2023),
    ("某某局关于二〇二三年法治政府建设情况的报告", 2023),
    ("某某局法治政府建设情况的报告", None),             # no year: not guessed
    ("某某局2023—2024年法治政府建设情况的报告", None),  # two years: not guessed
])
def test_report_year(title, year):
    assert extract.report_year(title) == year


@pytest.mark.parametrize("title, issuer", [
    ("马村区科学科技局2025年度法治政府建设工作报告", "马村区科学科技局"),
    ("中共焦作市科学技术局党组关于2023年法治政府建设工作的报告", "中共焦作市科学技术局党组"),
    ("信阳市科学技术局关于2024年法治政府建设情况的报告", "信阳市科学技术局"),
    ("关于2024年法治政府建设情况的报告", None),
    ("2024年法治政府建设情况的报告", None),
])
def test_issuer_from_title(title, issuer):
    assert extract.issuer_from_title(title) == issuer


@pytest.mark.parametrize("issuer, bureau", [
    ("中共焦作市科学技术局党组", "焦作市科学技术局"),
    ("中共某某县教育局委员会", "某某县教育局"),
    ("中共某某县委员会", "中共某某县委员会"),
    ("信阳市科学技术局", "信阳市科学技术局"),
    ("中共某市科技局机关党委", "某市科技局"),
])
def test_bureau_of(issuer, bureau):
    assert extract.bureau_of(issuer) == bureau


@pytest.mark.parametrize("text, date", [
    ("2024年3月18日印发", dt.date(2024, 3, 18)),
    ("2025 年 2 月 20 日", dt.date(2025, 2, 20)),
    ("二〇二四年三月十八日", dt.date(2024, 3, 18)),
    ("2024年2月30日", None),
    ("三月十八日", None),
])
def test_parse_date(text, date):
    assert extract.parse_date(text) == date


@pytest.mark.parametrize("line, cleaned", [
    ("[bookmark: _GoBack]（四）规范科技计划项目管理。", "（四）规范科技计划项目管理。"),
    ("社会发展等 5 个方面对全省 17 个省辖市", "社会发展等5个方面对全省17个省辖市"),
    ("2023 年共召开 4 次", "2023年共召开4次"),
    ("(一) 强化组织领导，压实法治责任。", "(一)强化组织领导，压实法治责任。"),
    ("为 100%。", "为100%。"),
    ("《焦作市科学技术局 焦作市教育局 焦作市民政局》", "《焦作市科学技术局 焦作市教育局 焦作市民政局》"),
    ("中共焦作市科学技术局党组 关于2023年", "中共焦作市科学技术局党组 关于2023年"),
    ("\u00a0", ""),
    ("“服务型”执法理念,注重", "“服务型”执法理念,注重"),   # ASCII comma stays: no NFKC
    ("　　全角缩进的段落。", "全角缩进的段落。"),
])
def test_clean_line(line, cleaned):
    assert normalize.clean_line(line) == cleaned


@pytest.mark.parametrize("line, is_page_number", [
    ("— 3 —", True), ("- 12 -", True), ("－3－", True), ("第 2 页", True), ("第2页 共5页", True),
    ("2023", False), ("— 说明 —", False),
])
def test_page_number_lines_are_dropped(line, is_page_number):
    assert (normalize.normalize_lines(f"正文。\n{line}\n正文。") == ["正文。", "", "正文。"]) is is_page_number


@pytest.mark.parametrize("lines, joined", [
    (["高新技术产业化和科技促进经济", "社会发展等5个方面"], ["高新技术产业化和科技促进经济社会发展等5个方面"]),
    (["进行全面规", "范。"], ["进行全面规范。"]),
    (["总数达到29", "人。评选"], ["总数达到29人。评选"]),
    (["宣布失效6件。截", "至目前，我局"], ["宣布失效6件。截至目前，我局"]),
    (["满意度", "为100%。"], ["满意度为100%。"]),
    (["(一)强化组织领导，压实法治责任。市科技局认真学习二十届二中、", "三中全会精神。"],
     ["(一)强化组织领导，压实法治责任。市科技局认真学习二十届二中、三中全会精神。"]),
    (["七、深入推进法治宣传教育", "认真落实“谁执法谁普法”责任。"],
     ["七、深入推进法治宣传教育", "认真落实“谁执法谁普法”责任。"]),
    (["现将情况报告如下：", "一、加强领导"], ["现将情况报告如下：", "一、加强领导"]),
    (["全年开展学习5次", "（二）推进平台建设"], ["全年开展学习5次", "（二）推进平台建设"]),
])
def test_join_broken_lines(lines, joined):
    assert body.join_broken_lines(lines) == joined


@pytest.mark.parametrize("line, expected", [
    ("一、加强组织领导，压实法治建设责任", (2, "一、加强组织领导，压实法治建设责任", "")),
    ("（一）推动培育创新主体。依据《办法》规范开展。", (3, "（一）推动培育创新主体", "依据《办法》规范开展。")),
    ("(二)不断提升政务服务能力和水平。一是创新主体。", (3, "(二)不断提升政务服务能力和水平", "一是创新主体。")),
    ("（六）创新普法宣传形式，加强法治宣传教育。", (3, "（六）创新普法宣传形式，加强法治宣传教育", "")),
    ("1.规范执法行为。联合检查。", (4, "1.规范执法行为", "联合检查。")),
    ("（1）完善制度", (5, "（1）完善制度", "")),
    ("十一、其他", (2, "十一、其他", "")),
    ("一是积极发挥党建引领作用。市科技局党组", None),
    ("二是普法宣传活动形式不够丰富。", None),
    ("2024年，我局法治政府建设工作取得了一定成效。", None),
    ("“12.4”宪法宣传日", None),
])
def test_split_heading(line, expected):
    assert body.split_heading(line) == expected


@pytest.mark.parametrize("headings, warnings", [
    (["一、甲", "二、乙", "三、丙"], 0),
    (["一、甲", "二、乙", "二、丙", "三、丁"], 1),
    (["一、甲", "（一）子", "（二）子", "二、乙", "（一）子"], 0),
    (["一、甲", "（一）子", "（三）子"], 1),
    (["二、乙"], 1),
])
def test_numbering_warnings(headings, warnings):
    blocks = body.body_blocks(headings)
    assert len(body.numbering_warnings(blocks)) == warnings


@pytest.mark.parametrize("bureau, text, place", [
    ("马村区科学科技局", "", ("河南省", "焦作市", "马村区", "县级")),
    ("义马市科学技术局", "", ("河南省", "三门峡市", "义马市", "县级")),
    ("西工区科技局", "", ("河南省", "洛阳市", "西工区", "县级")),
    ("焦作市科学技术局", "", ("河南省", "焦作市", None, "市级")),
    ("河南省科学技术厅", "", ("河南省", None, None, "省级")),
    ("河南省焦作市马村区科技局", "", ("河南省", "焦作市", "马村区", "县级")),
    ("鼓楼区科技局", "在开封市委、市政府的领导下", ("河南省", "开封市", "鼓楼区", "县级")),
    ("鼓楼区科技局", "在区委、区政府的领导下", None),
    ("鼓楼区科技局", "开封市与南京市两地", None),
    ("市科技局", "", None),
    ("积石山保安族东乡族撒拉族自治县教育局", "", ("甘肃省", "临夏回族自治州", "积石山保安族东乡族撒拉族自治县", "县级")),
])
def test_gazetteer(bureau, text, place):
    found = locate(bureau, text)
    if place is None:
        assert found.place is None and found.warning
    else:
        got = found.place
        assert (got.province, got.city, got.county, got.level) == place


HEAD_002 = ["中共焦作市科学技术局党组文件", "", "焦科组〔2024〕5号", "", "中共焦作市科学技术局党组 关于2023年法治政府建设工作的报告",
            "", "市委、市政府：", "", "2023年以来，市科技局坚持依法行政。", "一、加强党对法治政府建设的领导",
            "（一）强化学习。局党组积极学习。", "", "", "焦作市科技局办公室", "", "2024年3月18日印发"]


def test_layout_of_a_full_gongwen():
    parts = layout.split_layout(HEAD_002)
    assert parts.masthead == "中共焦作市科学技术局党组文件"
    assert parts.doc_number_line == "焦科组〔2024〕5号"
    assert parts.title_lines == ["中共焦作市科学技术局党组 关于2023年法治政府建设工作的报告"]
    assert parts.recipients_line == "市委、市政府："
    assert parts.body[0].startswith("2023年以来") and parts.body[-1] == "（一）强化学习。局党组积极学习。"
    assert parts.colophon == ["焦作市科技局办公室", "2024年3月18日印发"]


def test_layout_signature_and_date_signed():
    lines = ["某某区科技局2024年法治政府建设情况报告", "一、工作情况", "全年依法行政。",
             "某某区科学技术局", "2025年3月20日", "抄送：区司法局，区政府办。", "某某区科学技术局办公室 2025年3月21日印发"]
    parts = layout.split_layout(lines)
    assert parts.closing == ["某某区科学技术局", "2025年3月20日"]
    fields, *_ = extract.extract_metadata(parts, "\n".join(lines))
    assert fields["date_signed"] == dt.date(2025, 3, 20)
    assert fields["date_printed"] == dt.date(2025, 3, 21)
    assert fields["printer"] == "某某区科学技术局办公室"
    assert fields["cc"] == ["区司法局", "区政府办"]


def test_title_spread_over_lines_with_blank_lines():
    parts = layout.split_layout(["西工区科技局2024年法治政府建设工作", "", "年度报告", "", "2024年以来，我局坚持依法行政。"])
    assert extract.title_text(parts.title_lines) == "西工区科技局2024年法治政府建设工作年度报告"


@pytest.mark.parametrize("value, text", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (99, "九十九")])
def test_chinese_numerals_round_trip(value, text):
    assert textdata.chinese_numeral(value) == text
    assert textdata.chinese_number(text) == value


#: A county government's report: 发文机关 line, title, 文号 on its own line below the title, then 主送.
GOVERNMENT_REPORT = ["镇平县人民政府", "关于2023年度法治政府建设情况的报告", "镇政〔2024〕12号", "南阳市人民政府：",
                     "2023年，县政府坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想。现将有关情况报告如下：",
                     "一、主要工作", "（一）加强组织领导。县政府常务会议专题研究法治政府建设工作4次。",
                     "镇平县人民政府", "2024年3月5日"]


def test_layout_doc_number_below_the_title_then_recipients():
    parts = layout.split_layout(GOVERNMENT_REPORT)
    assert parts.title_lines == ["镇平县人民政府", "关于2023年度法治政府建设情况的报告"]
    assert parts.doc_number_line == "镇政〔2024〕12号"
    assert parts.recipients_line == "南阳市人民政府："
    assert parts.body[0].startswith("2023年，县政府")
    fields, *_ = extract.extract_metadata(parts, "\n".join(GOVERNMENT_REPORT))
    assert fields["title"] == "镇平县人民政府关于2023年度法治政府建设情况的报告"
    assert (fields["issuer"], fields["doc_number"], fields["recipients"]) == ("镇平县人民政府", "镇政〔2024〕12号", ["南阳市人民政府"])
    assert fields["year"] == 2023 and fields["date_signed"] == dt.date(2024, 3, 5)


def test_a_doc_number_cited_in_the_first_body_line_is_not_taken():
    lines = ["某某县科技局2023年法治政府建设工作报告", "按照《关于印发某方案的通知》（豫政〔2023〕5号）要求，现报告如下：", "一、主要工作", "依法履职。"]
    parts = layout.split_layout(lines)
    assert parts.doc_number_line is None and parts.recipients_line is None


@pytest.mark.parametrize("line, is_recipients", [
    ("根据有关要求，现将我局2023年法治政府建设工作情况报告如下：", False),
    ("现将我局2024年度法治政府建设情况报告如下：", False),
    ("2023年以来，在市委、市政府的坚强领导下：", False),
    ("市委、市政府：", True),
    ("市政府并报市委：", True),
    ("各乡镇人民政府，县直各单位：", True),
    ("中共某某市委全面依法治市委员会办公室：", True),
])
def test_recipients_line_is_organs_not_the_lead_in_sentence(line, is_recipients):
    assert layout.is_recipients_line(line) is is_recipients


def test_a_lead_in_ending_with_a_colon_is_body_not_recipients():
    lines = ["信阳市生态环境局2023年法治政府建设工作情况报告",
             "根据有关要求，现将我局2023年法治政府建设工作情况报告如下：", "一、加强组织领导", "局党组专题研究法治工作。"]
    parts = layout.split_layout(lines)
    assert parts.recipients_line is None
    assert parts.body[0] == "根据有关要求，现将我局2023年法治政府建设工作情况报告如下："
    fields, *_ = extract.extract_metadata(parts, "\n".join(lines))
    assert fields["recipients"] == []


def test_a_text_starting_with_its_recipients_line_reads_them():
    """Text copied from a web page whose heading was the title: it starts at 主送; a sidecar gives the title."""
    from gongwen.pipeline import report_from_text
    text = "市委、市政府：\n2023年以来，市科技局坚持依法行政，全面推进法治政府建设。现将有关情况报告如下：\n一、加强组织领导\n局党组专题研究法治工作。\n"
    parts = layout.split_layout(normalize.normalize_lines(text))
    assert parts.title_lines == [] and parts.recipients_line == "市委、市政府："
    report = report_from_text(text, "web.txt", "0" * 64, {"title": "焦作市科学技术局关于2023年法治政府建设工作的报告"}, "web.txt.meta.yml")
    assert report.recipients == ["市委", "市政府"] and report.year == 2023 and report.issuer == "焦作市科学技术局"
    assert report.body[0].text.startswith("2023年以来")
