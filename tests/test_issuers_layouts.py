"""Every kind of issuer and every layout that real reports use, one table row each.

The fixtures are written for the project (short reports in the shapes seen across the country: a government
titled by its place, a cover letter, a report to a people's congress, a page saved with its 信息公开 block…);
none is copied from a real report.  Each row gives the text and the fields it must read as; a field not named
in a row is not checked by that row.  The last test scores the real openings in ``../shared/real-openings``
when that folder is there (CI has it), through the same script as ``make bench``.
"""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from conftest import ROOT
from gongwen.model import InputError
from gongwen.pipeline import report_from_text

sys.path.insert(0, str(ROOT / "scripts" / "bench"))

import openings  # noqa: E402

BODY = ("2024年，我们坚持以习近平新时代中国特色社会主义思想为指导，深入推进依法行政，法治政府建设取得新成效。"
        "现将有关情况报告如下：\n一、主要举措和成效\n（一）健全依法决策机制。严格执行重大行政决策程序，全年审查规范性文件十二件。\n"
        "二、存在的不足\n个别单位执法规范化水平有待提高。\n三、下一步工作安排\n持续深化行政执法体制改革。\n")


def read(text: str):
    return report_from_text(text, "fixture.txt", "0" * 64)


LAYOUTS = {
    "place title, county": (
        "获嘉县2024年度法治政府建设情况报告\n\n" + BODY,
        {"title": "获嘉县2024年度法治政府建设情况报告", "issuer": "获嘉县人民政府", "issuer_kind": "人民政府",
         "province": "河南省", "city": "新乡市", "county": "获嘉县", "level": "县级", "id": "henan/xinxiang/huojia/rmzf/2024"}),
    "place title, province, with 关于": (
        "关于江西省2024年度法治政府建设情况的报告\n" + BODY,
        {"issuer": "江西省人民政府", "bureau_name": "江西省人民政府", "province": "江西省", "city": None, "level": "省级"}),
    "place title after the year": (
        "2024年兰考县法治政府建设情况\n" + BODY,
        {"title": "2024年兰考县法治政府建设情况", "year": 2024, "issuer": "兰考县人民政府", "county": "兰考县",
         "city": "开封市"}),
    "municipality district": (
        "静海区2024年度法治政府建设情况报告\n" + BODY,
        {"issuer": "静海区人民政府", "province": "天津市", "county": "静海区", "id": "tianjin/jinghai/rmzf/2024"}),
    "cover letter with the enclosed title": (
        "某省卫生健康委关于2024年度法治政府建设情况的报告\n浙卫〔2025〕9号\n省委、省政府：\n"
        "现呈送我委2024年度法治政府建设情况报告，请审阅。\n浙江省卫生健康委\n2025年3月6日\n"
        "浙江省卫生健康委2024年度法治政府建设情况报告\n" + BODY,
        {"title": "浙江省卫生健康委2024年度法治政府建设情况报告", "doc_number": "浙卫〔2025〕9号",
         "recipients": ["省委", "省政府"], "date_signed": dt.date(2025, 3, 6), "issuer": "浙江省卫生健康委",
         "cover_title": "某省卫生健康委关于2024年度法治政府建设情况的报告",
         "cover_closing": ["浙江省卫生健康委", "2025年3月6日"], "province": "浙江省"}),
    "cover letter naming the report in 《》, 文件编号 row above": (
        "文件编号 | 浦财办〔2025〕2号 |\n关于报送《浦东新区财政局2024年度法治政府建设情况报告》的报告\n区政府：\n"
        "现将《浦东新区财政局2024年度法治政府建设情况报告》报送给你们，请审阅。\n上海市浦东新区财政局\n2025年3月20日\n"
        + BODY,
        {"title": "浦东新区财政局2024年度法治政府建设情况报告", "doc_number": "浦财办〔2025〕2号",
         "date_signed": dt.date(2025, 3, 20), "issuer": "浦东新区财政局", "province": "上海市", "county": "浦东新区",
         "cover_title": "关于报送《浦东新区财政局2024年度法治政府建设情况报告》的报告", "issuer_kind": "政府部门"}),
    "request by another organ above the report": (
        "中共某某区委：\n区司法局提请以区委、区政府名义将《2024年长宁区法治政府建设情况报告》报送市委、市政府。\n"
        "以上请示妥否，请批示。\n上海市长宁区司法局\n2025年1月8日\n2024年长宁区法治政府建设情况报告\n" + BODY,
        {"title": "2024年长宁区法治政府建设情况报告", "issuer": "长宁区人民政府", "date_signed": None,
         "county": "长宁区"}),
    "report read to a people's congress": (
        "兰考县人民政府关于2024年法治政府建设工作情况的报告\n\n——2025年4月28日在兰考县第十七届人民代表大会常务委员会"
        "第二十次会议上\n\n兰考县人民政府副县长  某某某\n\n主任、各位副主任、各位委员：\n" + BODY,
        {"title": "兰考县人民政府关于2024年法治政府建设工作情况的报告", "date_delivered": dt.date(2025, 4, 28),
         "date_signed": None, "delivery": ["——2025年4月28日在兰考县第十七届人民代表大会常务委员会第二十次会议上",
                                           "兰考县人民政府副县长 某某某"],
         "recipients": ["主任", "各位副主任", "各位委员"], "issuer_kind": "人民政府"}),
    "congress meeting line without a dash, in two lines": (
        "某旗人民政府2024年度法治政府建设情况报告\n2025年3月17日在西乌珠穆沁旗第十六届人民代表大会\n常务委员会第二十四次会议上\n"
        "主任、各位副主任、委员：\n" + BODY,
        {"title": "某旗人民政府2024年度法治政府建设情况报告", "date_delivered": dt.date(2025, 3, 17)}),
    "web-list labels on the title": (
        "【2024年】[原文]县生态环境局2024年度法治政府建设工作报告\n" + BODY,
        {"title": "县生态环境局2024年度法治政府建设工作报告", "province": None}),
    "a 文号 label on the title": (
        "[天政发〔2025〕3号]天水市人民政府关于2024年法治政府建设情况的报告\n市委：\n" + BODY,
        {"title": "天水市人民政府关于2024年法治政府建设情况的报告", "doc_number": "天政发〔2025〕3号",
         "province": "甘肃省", "city": "天水市"}),
    "信息公开 block saved above the title": (
        "索 引 号：00123456-7/2025-00012\n发文字号：豫政文〔2025〕46号\n发布机构：河南省人民政府办公厅\n"
        "发布时间：2025-03-28\n河南省人民政府关于2024年度法治政府建设情况的报告\n" + BODY,
        {"title": "河南省人民政府关于2024年度法治政府建设情况的报告", "doc_number": "豫政文〔2025〕46号",
         "source_doc_number": "豫政文〔2025〕46号", "source_index_number": "00123456-7/2025-00012",
         "source_publisher": "河南省人民政府办公厅", "source_date_published": dt.date(2025, 3, 28)}),
    "block with labels and values on separate lines": (
        "名    称 :\n河东区人民政府2024年法治政府建设情况报告\n索   引  号 :\n11120102000144717R/2025-00004\n"
        "发 布 机 构 :\n天津市河东区人民政府\n成 文 日 期 :\n有   效  性 :\n有效\n\n河东区人民政府2024年法治政府建设情况报告\n\n"
        + BODY,
        {"title": "河东区人民政府2024年法治政府建设情况报告", "source_publisher": "天津市河东区人民政府",
         "source_index_number": "11120102000144717R/2025-00004", "source_date_written": None}),
    "page heading, news line and buttons above the repeated title": (
        "当前位置：首页 > 信息公开 > 法治政府建设年度报告\n济南市市中区2024年度法治政府建设情况报告\n"
        "3701030006/2025-6630001\n济南市市中区人民政府\n2025-02-28\n\n济南市市中区2024年度法治政府建设情况报告\n"
        "字号：大 中 小\n打印整页 打印内容 分享\n" + BODY,
        {"title": "济南市市中区2024年度法治政府建设情况报告", "issuer": "济南市市中区人民政府", "city": "济南市",
         "county": "市中区"}),
    "page heading over the document's own, different title": (
        "某分局关于2024年法治政府建设情况的报告\n重庆市公安局渝北区分局关于2024年度法治政府建设情况的报告\n" + BODY,
        {"title": "重庆市公安局渝北区分局关于2024年度法治政府建设情况的报告", "county": "渝北区",
         "issuer_kind": "垂直管理和派出机构"}),
    "news line after the title and a stamp on it": (
        "上海市司法局2024年法治政府建设情况报告 (2025-02-26)\n来源：上海市司法局 发布时间：2025-02-26 09:30 浏览次数：12\n"
        "【字体：大 中 小】【打印】【关闭】\n" + BODY,
        {"title": "上海市司法局2024年法治政府建设情况报告", "source_date_published": dt.date(2025, 2, 26)}),
    "title broken over two lines": (
        "贵州省2024年度法治政府建设工作\n情况报告\n\n" + BODY,
        {"title": "贵州省2024年度法治政府建设工作情况报告", "issuer": "贵州省人民政府", "province": "贵州省"}),
    "issuer and date printed under a title that lacks the issuer": (
        "湖南省农业农村厅2024年法治政府建设年度报告\n2024年法治政府建设年度报告\n湖南省农业农村厅\n（2025年1月31日）\n" + BODY,
        {"title": "湖南省农业农村厅2024年法治政府建设年度报告", "date_signed": dt.date(2025, 1, 31),
         "delivery": ["湖南省农业农村厅", "（2025年1月31日）"]}),
    "a long report's cover: title in two lines, a month, 引言": (
        "浦东新区人民政府\n2024年度法治政府建设情况报告\n2025年2月\n引 言\n" + BODY,
        {"title": "浦东新区人民政府2024年度法治政府建设情况报告", "date_signed": None}),
    "site name, menu and breadcrumb in two lines above the title": (
        "市司法局\n网站首页 政府信息公开 互动交流\n您当前的位置：首页\n > 专题专栏 > 法治政府建设\n"
        "宜兴市徐舍镇人民政府2024年度法治政府建设情况报告\n今天是：2025年3月2日 星期日\n用微信扫描二维码\n分享至好友和朋友圈\n"
        + BODY,
        {"title": "宜兴市徐舍镇人民政府2024年度法治政府建设情况报告", "city": "无锡市", "county": "宜兴市",
         "issuer_kind": "街道乡镇", "level": "乡级"}),
    "a plan year after 暨": (
        "某某县司法局关于2024年法治工作情况暨2025年工作要点的报告\n" + BODY,
        {"year": 2024}),
}

ISSUERS = {
    "department": ("焦作市科技局2024年度法治政府建设工作报告", "焦作市科学技术局", "政府部门", "市级"),
    "party group of a department": ("中共义马市科学技术局党组2024年度法治政府建设工作报告", "义马市科学技术局", "政府部门", "县级"),
    "joint party and government": ("中共长宁区委 长宁区人民政府关于2024年法治政府建设情况的报告", "长宁区人民政府",
                                   "党委政府联合", "县级"),
    "party and a central department": ("海关总署党委 海关总署关于2024年度推进法治政府建设情况的报告", "海关总署",
                                       "垂直管理和派出机构", None),
    "government general office": ("洛阳市人民政府办公室2024年度法治政府建设情况报告", "洛阳市人民政府办公室", "人民政府", "市级"),
    "police branch named after its county": ("广州市公安局增城区分局关于2024年度法治政府建设情况的报告",
                                             "广州市公安局增城区分局", "垂直管理和派出机构", "县级"),
    "tax bureau of the national administration": ("国家税务总局郑州市税务局2024年度法治税务建设情况报告",
                                                    "国家税务总局郑州市税务局", "垂直管理和派出机构", "市级"),
    "weather bureau": ("巫山县气象局2024年度法治政府建设工作情况报告", "巫山县气象局", "垂直管理和派出机构", "县级"),
    "fire and rescue brigade": ("韶关市浈江区消防救援大队2024年法治政府建设年度报告", "韶关市浈江区消防救援大队",
                                "垂直管理和派出机构", "县级"),
    "development zone": ("平潭综合实验区2024年法治政府建设情况", "平潭综合实验区", "开发区管委会", None),
    "zone named after its city written short": ("武汉经开区统计局关于2024年度法治政府建设情况的报告", "武汉经开区统计局",
                                                "开发区管委会", None),
    "zone in a municipality, province written short": ("天津滨海高新区2024年度法治政府建设情况报告", "天津滨海高新区",
                                                       "开发区管委会", None),
    "new district that is a county": ("浦东新区2024年法治政府建设情况报告", "浦东新区人民政府", "人民政府", "县级"),
    "street office": ("鲤城区人民政府金龙街道办事处关于2024年度法治政府建设情况的报告", "鲤城区人民政府金龙街道办事处",
                      "街道乡镇", "乡级"),
    "township titled alone": ("下洋镇2024年法治政府建设年度报告", "下洋镇人民政府", "街道乡镇", None),
    "autonomous prefecture written short": ("黔西南州人民政府关于2024年度法治政府建设情况的报告", "黔西南州人民政府",
                                             "人民政府", "市级"),
    "league titled alone": ("锡林郭勒盟2024年法治政府建设情况报告", "锡林郭勒盟行政公署", "人民政府", "市级"),
    "prefecture administration": ("大兴安岭地区行政公署司法局2024年度法治政府建设年度工作报告", "大兴安岭地区行政公署司法局",
                                  "政府部门", "市级"),
    "department with a gloss": ("西藏自治区藏语委办(编译局)2024年度法治政府建设工作报告", "西藏自治区藏语委办(编译局)",
                                "政府部门", "省级"),
}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_layout(name):
    text, expected = LAYOUTS[name]
    report = read(text)
    for field, value in expected.items():
        assert getattr(report, field) == value, (field, getattr(report, field))


@pytest.mark.parametrize("name", list(ISSUERS))
def test_issuer_kind(name):
    title, bureau, kind, level = ISSUERS[name]
    report = read(title + "\n" + BODY)
    assert (report.bureau_name, report.issuer_kind, report.level) == (bureau, kind, level)


@pytest.mark.parametrize("title, field", [
    ("朝阳区人民政府2024年法治政府建设情况报告", "province"),   # two 朝阳区 (北京, 长春): the text does not say
    ("州生态环境局2024年度法治政府建设情况报告", "province"),   # no place printed
])
def test_region_stays_null_unless_the_names_settle_it(title, field):
    report = read(title + "\n" + BODY)
    assert getattr(report, field) is None
    assert any(w.startswith("region:") for w in report.warnings)


def test_a_text_with_no_title_is_refused_not_given_one():
    with pytest.raises(InputError) as error:
        read("当前位置：首页 > 信息公开\n发布时间：2025-03-01\n" + BODY)
    assert error.value.code == "E-NO-TITLE"


def test_a_shared_name_is_settled_by_the_text():
    report = read("朝阳区人民政府2024年法治政府建设情况报告\n2024年，北京市朝阳区政府坚持依法行政，取得新成效。\n" + BODY)
    assert (report.province, report.county) == ("北京市", "朝阳区")


def test_the_body_under_the_head_is_untouched():
    """Only the page's lines above the document are read off: a body line with a label word or a date stays."""
    report = read("某县财政局2024年度法治政府建设情况报告\n" + BODY + "来源：本局统计。\n2025-01-01\n")
    assert "来源：本局统计。" in [block.text for block in report.body]


REAL_OPENINGS = ROOT.parent / "shared" / "real-openings"


@pytest.mark.skipif(not REAL_OPENINGS.is_dir(), reason="../shared/real-openings is not beside the repository")
def test_real_openings_read_as_expected():
    score = openings.Score()
    files = openings.score_folder(REAL_OPENINGS, score)
    assert files >= 60
    assert score.counts["wrong"] == 0, score.misses
    assert score.counts["right"] >= 0.95 * score.total, score.misses


@pytest.fixture(scope="module")
def country_site(tmp_path_factory):
    """A site of a government titled by its place, a department's report under a cover letter, a report read to a
    people's congress and a joint party–government report."""
    from conftest import build_site
    tmp = tmp_path_factory.mktemp("country")
    corpus = tmp / "corpus"
    corpus.mkdir()
    for name in ("place title, county", "municipality district", "cover letter with the enclosed title",
                 "report read to a people's congress"):
        (corpus / f"{openings_name(name)}.txt").write_text(LAYOUTS[name][0], encoding="utf-8")
    (corpus / "joint.txt").write_text(ISSUERS["joint party and government"][0] + "\n" + BODY, encoding="utf-8")
    site, done = build_site(tmp, corpus)
    assert "共 5 个文件：发布 5 个页面，未发布 0 个" in done.stdout, done.stdout
    return site


def openings_name(name: str) -> str:
    return "".join(ch for ch in name if ch.isalnum())[:20]


def soup(site, url: str):
    from bs4 import BeautifulSoup
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_governments_have_readable_urls_and_their_place_in_their_name(country_site):
    page = soup(country_site, "reports/tianjin/jinghai/rmzf/2024")
    assert "天津市静海区人民政府" in page.select_one("nav.gw-crumbs, .gw-crumbs").get_text()
    assert (country_site / "bureaus/tianjin/jinghai/rmzf/index.html").exists()


def test_cover_letter_and_congress_lines_are_shown_as_printed(country_site):
    cover = soup(country_site, "reports/zhejiang/wjw/2024")
    assert cover.select_one(".gw-cover-title").get_text() == "某省卫生健康委关于2024年度法治政府建设情况的报告"
    assert cover.select_one(".gw-doc-title").get_text() == "浙江省卫生健康委2024年度法治政府建设情况报告"
    assert "2025年3月6日成文" in cover.select_one(".gw-facts").get_text()
    congress = soup(country_site, "reports/henan/kaifeng/lankao/rmzf/2024")
    assert "第二十次会议上" in congress.select_one(".gw-delivery").get_text()
    assert "2025年4月28日报告" in congress.select_one(".gw-facts").get_text()


def test_browse_and_publication_count_governments_apart(country_site):
    governments = soup(country_site, "bureaus/types/zf").get_text()
    assert "共 3 个发文机关、3 篇报告" in governments and "浙江省卫生健康委" not in governments
    assert "共 1 个发文机关、1 篇报告" in soup(country_site, "bureaus/types/dwzf").get_text()
    rows = {row.select_one("td").get_text(): row.select("td")[1].get_text()
            for row in soup(country_site, "publication").select("table tr") if row.select("td")}
    assert (rows["人民政府"], rows["政府部门"], rows["党委政府联合"]) == ("3", "1", "1")
    home = soup(country_site, "").select_one("#gw-entry-types").find_parent("section").get_text()
    assert "人民政府" in home and "政府部门" in home
