"""Text constants of 公文 as named, documented data (after zhon's ``hanzi.py``).

Every pattern the extractors use lives here, so that a reader can see in one
place what the archive recognises, and a test can exercise each one.
"""

from __future__ import annotations

import re

#: One Han character (CJK Unified Ideographs and Extension A).
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
#: One Han character, compiled.
HAN_CHAR = re.compile(f"[{HAN}]")

#: Spaces that layout leaves in text exported from Word or PDF: ASCII space,
#: no-break space, ideographic space, and the thin/figure spaces.
LAYOUT_SPACES = " \u00a0\u3000\u2002\u2003\u2009\u202f"

#: Opening brackets a 文号 year may stand in (〔 is U+3014, the correct one).
DOC_NUMBER_OPEN = "〔[［【(（"
#: Closing brackets matching :data:`DOC_NUMBER_OPEN` (〕 is U+3015).
DOC_NUMBER_CLOSE = "〕]］】)）"

#: A 发文字号: issuer code, bracketed year, serial and 号 (焦科组〔2024〕5号).
#: Brackets in any of the forms printed in the wild; spaces tolerated.
DOC_NUMBER = re.compile(
    rf"(?P<code>[{HAN}]{{1,12}})\s*[{re.escape(DOC_NUMBER_OPEN)}]\s*"
    rf"(?P<year>(?:19|20)\d\d)\s*[{re.escape(DOC_NUMBER_CLOSE)}]\s*"
    r"(?P<serial>第?\d{1,5})\s*号"
)

#: Punctuation that may end a paragraph.  A body line ending in anything else
#: was cut by a page or line break and is joined to the next line.
PARAGRAPH_END = "。！？；：…」』”’）)】"

#: Lines that are Word export residue, e.g. ``[bookmark: _GoBack]``.
WORD_ARTIFACT = re.compile(r"\[bookmark:[^\]]*\]")

#: A page-number line: ``— 3 —``, ``- 3 -``, ``－3－``, ``第 3 页``, ``3/12``.
PAGE_NUMBER_LINE = re.compile(
    r"^(?:[—\-－–−]{1,2}\s*\d{1,3}\s*[—\-－–−]{1,2}|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})$"
)

#: A 版头 (masthead) line: the issuing organ followed by 文件.
MASTHEAD = re.compile(rf"^[{HAN}（）()]{{2,40}}文件$")

#: Chinese digits as used in numbering and in dates (〇 and 零 both mean 0).
CHINESE_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4,
                  "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

#: Heading markers by level (## is level 2).  The number group is kept as
#: printed; ``（一）`` and ``(一)`` are the same level.
HEADING_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (2, re.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})、")),
    (3, re.compile(r"^[（(](?P<num>[一二三四五六七八九十]{1,3})[）)]")),
    (4, re.compile(r"^(?P<num>\d{1,2})[.．、](?!\d)")),
    (5, re.compile(r"^[（(](?P<num>\d{1,2})[）)]")),
)

#: A run-in heading is cut at its first full stop; longer than this it is a
#: paragraph that happens to start with a number.
MAX_HEADING_CHARS = 60

#: Suffixes that end the name of a government organ or party body (办事处: a 街道; 大队, 支队: 消防, 执法;
#: 公署: 行政公署 of a 地区; 会: 管委会).
ORGAN_SUFFIXES = ("局", "厅", "委", "委员会", "办公室", "办", "政府", "院", "中心", "党组",
                  "党委", "署", "部", "所", "站", "馆", "会", "办事处", "队", "公署")
#: A name's own explanation in brackets after it: 西藏自治区藏语委办(编译局).
NAME_GLOSS = re.compile(r"[（(][^（）()]{1,12}[）)]$")


def organ_name(text: str) -> bool:
    """Whether ``text`` ends as an organ's name ends (a bracketed gloss after the name aside)."""
    return NAME_GLOSS.sub("", text).endswith(ORGAN_SUFFIXES)


#: National organs whose local branches are named after them (国家税务总局郑州市税务局): the place follows.
NATIONAL_PREFIXES = ("国家税务总局", "国家金融监督管理总局", "中国人民银行", "国家统计局", "国家外汇管理局")

#: Party prefixes/suffixes around a department name: 中共X局党组 reports on X局.
PARTY_PREFIX = "中共"
PARTY_SUFFIXES = ("机关党委", "党工委", "党组", "党委", "委员会")

#: 行政级别 by the gazetteer level of the place the bureau belongs to.
LEVEL_BY_RANK = {"province": "省级", "city": "市级", "county": "县级"}

#: The ethnic groups an autonomous place is named after (黔西南布依族苗族自治州), as they stand in its name: a
#: report often writes the place short, as its stem and the kind (黔西南州, 长阳县).
ETHNIC_GROUPS = ("蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼",
                 "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
                 "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
                 "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺")
#: Kinds of autonomous place and the short kind they are written with (自治州 → 州).
AUTONOMOUS_KINDS = {"自治州": "州", "自治县": "县", "自治旗": "旗"}

#: Administrative suffixes dropped from place names before making URL slugs.
PLACE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州",
                  "自治县", "地区", "省", "市", "区", "县", "旗", "盟")

#: Places whose plain pinyin would collide with another's: 山西 and 陕西 are both "shanxi";
#: 陕西 is officially romanised Shaanxi.  Keyed by the name without its suffix.
PLACE_SLUG_EXCEPTIONS = {"陕西": "shaanxi"}

#: How a title ends, where a line ends a title on its own (a page heading over the document's title).
TITLE_ENDINGS = ("报告", "情况", "总结", "的函", "请示")

#: Words of a cover letter that sends a report on (现呈送我委2023年度…报告，请审阅).
COVER_WORDS = re.compile(r"报送|呈送|呈报|送上|报上|现将.{0,40}报告|请审阅|请审示|请审议|请审定|请予审|特此报告")

#: The labels of a 政府信息公开 block or a news page's info line, by the ``source_*`` field they fill (the HTML
#: reader reads the same block from a page's table).  名称/标题 name the page: its title.
SITE_META_LABELS = {"索引号": "index_number", "发布机构": "publisher", "发文机关": "publisher", "发布单位": "publisher",
                    "发文机构": "publisher", "成文时间": "date_written",
                    "成文日期": "date_written", "发文日期": "date_written", "发布日期": "date_published",
                    "发布时间": "date_published", "日期": "date_published", "时间": "date_published",
                    "文号": "doc_number", "发文字号": "doc_number", "文件编号": "doc_number", "备注/文号": "doc_number",
                    "主题分类": "topic", "主题": "topic"}
#: Labels of a page's info lines that say nothing the archive keeps (read and dropped).
SITE_META_NOTED = ("名称", "标题", "来源", "信息来源", "文章来源", "作者", "浏览次数", "浏览量", "访问量", "点击数",
                   "阅读数", "有效性", "字号", "字体", "体裁分类", "组配分类", "服务对象分类", "文种", "责任编辑",
                   "编辑", "所属机构", "公开方式", "公开范围", "公开时限", "生成日期", "公文生成日期", "分类", "栏目",
                   "信息分类", "稿件来源", "公文种类", "发布人", "审核", "签发", "点击率", "阅读次数", "公文时效",
                   "更新时间", "内容分类", "有效性/截止日期", "截止日期", "公开类别", "所属主题", "时效性")
#: Buttons and widgets a saved page prints around a document: a line of nothing but these is dropped.
PAGE_FURNITURE = ("扫一扫在手机打开当前页", "扫一扫在手机上查看当前页面", "扫一扫", "在手机打开当前页", "打印整页",
                  "打印内容", "打印本页", "打印此页", "打印文章", "关闭窗口", "关闭本页", "分享到", "视力保护色",
                  "保护视力色", "加入收藏", "打印", "关闭", "分享", "收藏", "字号", "字体", "默认", "大", "中", "小",
                  "微信", "微博", "我要纠错", "加大字体", "缩小字体", "取消收藏", "放大", "缩小", "正常",
                  "用微信扫描二维码", "扫描二维码", "二维码", "分享至好友和朋友圈", "×", "关怀版", "网站支持IPv6",
                  "无障碍", "长者模式", "English", "文字大小", "纠错", "返回顶部", "【", "】", "[", "]", "：", ":", "|", "｜", "•",
                  "·", "-", "/", "(", ")", "（", "）", " ")
#: Words that head a part of a report, never its title (引 言 under the cover of a long report).
NON_TITLE_WORDS = ("引言", "前言", "序言", "目录", "摘要")
#: A month with no day (2024年2月) under a title: a cover's date, not a title line and not a 成文日期.
MONTH_LINE = re.compile(r"^[（(]?\d{4}\s*年\s*\d{1,2}\s*月[）)]?$")

#: Labels of web lists that a saved title keeps in brackets before it (【2022年】 and years are read too).
LIST_LABELS = ("原文", "转载", "置顶", "图文", "推荐", "最新", "新", "热", "荐", "视频", "图解")

#: A date as printed: 2024年3月18日, 2024 年 3 月 18 日 or 二〇二四年三月十八日.
DATE = re.compile(
    r"(?P<y>\d{4}|[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)

#: A year the report covers, as printed in its title; both ends of a range
#: (2023—2024年) match, so that a range is seen as two years.
TITLE_YEAR = re.compile(
    r"(?P<y>(?:19|20)\d\d|[〇零○一二][〇零○一二三四五六七八九]{3})"
    r"(?=\s*(?:[—\-–－~～至到]\s*(?:19|20)\d\d\s*)?年)")


def chinese_number(text: str) -> int | None:
    """Value of a numeral up to 99 written with 一…九 and 十 (十一 = 11, 二十 = 20).

    Returns None for anything else, so callers never get a guessed number.
    """
    if not text or any(ch not in CHINESE_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return CHINESE_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[units] if units else 0)


def chinese_numeral(value: int) -> str:
    """Write 1–99 the way 公文 number their headings (11 → 十一)."""
    digits = "〇一二三四五六七八九"
    tens, units = divmod(value, 10)
    if tens == 0:
        return digits[units]
    return (digits[tens] if tens > 1 else "") + "十" + (digits[units] if units else "")


def number_value(text: str) -> int | None:
    """Value of a number written in Arabic digits, digit-by-digit Chinese (二〇二四) or 十-style."""
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(ch in CHINESE_DIGITS for ch in text):
        return int("".join(str(CHINESE_DIGITS[ch]) for ch in text))
    return chinese_number(text)

#: Stands for a table in the text the pipeline reads (a private-use character,
#: removed from every input's own text): ``TABLE_MARK + "0"`` is the first table.
TABLE_MARK = "\ue000"
#: A line that stands for a table (the reader made it; see ``readers.reading_text``).
TABLE_LINE = re.compile(f"^{TABLE_MARK}(?P<index>\\d{{1,6}})$")
