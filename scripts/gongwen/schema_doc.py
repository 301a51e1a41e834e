"""``docs/schema.md`` made from the model: the public 数据说明 page.

The fields, their order, types and whether they may be empty come from the model
(``model.FrontMatter``); this module adds what a visitor reads: each field's Chinese
name (the one table, ``fieldnames.FIELD_NAMES``) and meaning (:data:`FIELD_MEANINGS`).
The page is committed; a test fails when it no longer matches the model or a field has
no Chinese entry, and
``gongwen schema > docs/schema.md`` brings it back in step.
"""

from __future__ import annotations

import datetime as dt
import types
import typing

from pydantic import BaseModel

from .fieldnames import FIELD_NAMES
from .model import OVERRIDABLE, FrontMatter, ItemWhere, Original, RequiredItems, Section, Version

INTRO = """# 数据说明

本库为每篇报告记录下表所列的文件信息，报告页的“文件信息”框和[数据下载](api/index.md)中的 JSON、CSV 文件
（每个省一个文件；`api/index.json` 列出全部文件及其篇数、大小和 SHA-256）中的字段都按此表。每篇页面在生成时逐项校验，不符合即不予发布。
报告文本不能确定的字段留空，并在“提示”中说明原因，从不猜测。日期在数据文件中写作 2024-03-18，页面上写作 2024年3月18日。
"""

#: The meaning of each front-matter field for a visitor (the model's own descriptions are for developers); its
#: Chinese name is the one table's (``fieldnames.FIELD_NAMES``).
FIELD_MEANINGS: dict[str, str] = {
    "id": ("报告的永久编号，也是页面地址 `reports/编号/`：部门编号加报告年度，如 `henan/jiaozuo/kjj/2023`；同一部门同一年度有两篇时，"
           "后一篇加原始文件校验值的前六位。编号一经发布不再改变，改动时旧地址自动跳转。"),
    "title": "报告标题，照原文，去掉排版造成的换行和空格。",
    "issuer": "原文所署的发文机关（取自标题，其次版头，再次落款）。",
    "bureau": "报告所总结的部门，照原文写法，去掉“中共……党组/党委”（中共焦作市科学技术局党组 → 焦作市科学技术局）。",
    "bureau_name": "部门的规范名称，依部门别名表归并（焦作市科技局 → 焦作市科学技术局），同一部门历年写法不同也归为一个。",
    "bureau_id": "部门的永久编号（`henan/jiaozuo/kjj`），部门页面地址为 `bureaus/部门编号/`。",
    "province": "部门所在的省级行政区，依国家行政区划代码确定（河南省）。",
    "city": "部门所在的地级行政区（焦作市）。",
    "county": "部门所在的县级行政区（马村区）；市级、省级部门为空。",
    "level": "部门的行政层级：省级、市级或县级；街道、乡镇为乡级；不在某一县区内的开发区为空。",
    "issuer_kind": ("按发文机关名称（去掉地名后的部分）依统一规则确定：人民政府、政府部门、党委政府联合、党委、"
                    "垂直管理和派出机构、开发区管委会或街道乡镇。"),
    "year": "报告所总结的年度（取自标题），不是印发年份。",
    "doc_number": "报告本身的发文字号（取自版头，不取正文引用的其他文号），括号统一为〔〕：焦科组〔2024〕5号。",
    "date_signed": "落款下的日期。",
    "date_printed": "版记中“……印发”一行的日期。",
    "date_delivered": "向人大常委会会议所作报告的会议日期，取自标题下“——……在……会议上”一行。",
    "recipients": "主送机关，照原文，按顿号、逗号分开。",
    "cc": "版记中的抄送机关，照原文。",
    "printer": "版记中的印发机关（焦作市科技局办公室）。",
    "source": "收集到的原始文件的文件名（含所在文件夹）。",
    "sha256": "原始文件的 SHA-256 校验值，可用来核对下载的原始文件与原件是否一致。",
    "topics": "依主题词表标注的主题：标题和正文中相关词语出现次数达到规则要求即标注，规则见各主题标签页。",
    "tags": "浏览用的标签：部门、年度（2024年度）、省份、市、县区（焦作市马村区）、层级和主题。",
    "sections": "正文的标题层次，见下表。",
    "overridden": "由维护人员人工设定的字段，报告页注明。",
    "warnings": "整理时不能确定或存疑之处，逐条说明。",
    "source_format": ("原始文件的格式：纯文本（txt）、Word 文档（docx）、网页（html）、PDF（pdf），"
                      "或 Word 97-2003 及金山文字的二进制文档（`doc`、`wps`）、版式文件（`ofd`，GB/T 33190）。"),
    "ocr_confidence": ("正文（全部或部分）从扫描件中经文字识别得出时，识别程序对所识别文字的平均置信度（0–1）；"
                       "报告页注明文字可能与原件有出入。文字直接从文件读出时为空。"),
    "seals": "原件带有的电子签章和印章（版式文件 `ofd` 的签名和签章批注）个数；签章只计数，不作为文字收录。",
    "source_index_number": "原件所在政府信息公开网页上的索引号，照网页；其他格式或网页未载时为空。",
    "source_publisher": "网页所载的发布机构，与发文机关分开记录，不一致时在“提示”中说明。",
    "source_date_written": "网页所载的成文日期，与落款日期分开记录，不一致时在“提示”中说明。",
    "source_date_published": "网页所载的发布日期（网站公开的日期），不从网址推断。",
    "source_doc_number": "网页所载的文号，括号统一为〔〕，与报告本身的文号分开记录，不一致时在“提示”中说明。",
    "source_topic": "网页所载的主题分类，照网页。",
    "alternates": ("内容相同（标题、发文机关、年度和正文一致）的其他原始文件，如同一报告的 Word 和 PDF 版本；"
                   "报告页提供每个原件的下载及其格式和校验值，见下表。"),
    "required_items": ("按公开的核对规则，在报告中是否找到《法治政府建设与责任落实督察工作规定》第二十五条要求的四项内容，见下表；"
                       "“否”指规则未找到，不等于报告未写。"),
    "required_items_where": ("每项找到的内容在报告中的位置和依据的规则，见下表；"
                             "键同“法定内容”，另有 `other`（其他需要报告的情况）。"),
    "on_time": ("报告在网上公开的日期（网页所载发布日期；网页未载时用印发日期，再没有用成文日期）是否不晚于次年的公开期限"
                "（默认4月1日）；都没有时为空，不计为逾期。"),
    "days_late": "晚于公开期限的天数；按期或未标注日期时为空。",
    "repeat_share_prev_year": ("正文中与本部门上一年度报告文字基本相同的段落所占比例（0 到 1）；"
                               "本库没有上年报告时为空。"),
    "source_url": "由 `gongwen harvest` 采集的报告：所在政府网站网页的地址；手工放入的文件为空。",
    "source_file_url": "该文件是网页附件时，附件本身的地址；否则为空。",
    "retrieved_at": "采集该文件的时间（协调世界时）。",
    "version": "同一地址的第几个版本（1 为首次采集时的版本）；手工放入的文件为空。",
    "versions": "同一地址先前采集到的不同版本（发布后有变动）：每个版本都保存在报告文件夹中，报告页列出各版本及其日期，见下表。",
}

VERSION_ZH: dict[str, tuple[str, str]] = {
    "source": ("原始文件", "该版本的文件名（含所在文件夹）。"),
    "source_format": ("原始格式", "该版本的格式。"),
    "sha256": ("校验值", "该版本的 SHA-256 校验值。"),
    "version": ("版本", "第几个版本。"),
    "retrieved_at": ("采集时间", "采集该版本的时间（协调世界时）。"),
    "source_date_published": ("网页所载发布日期", "该版本网页所载的发布日期。"),
}

REQUIRED_ITEMS_ZH: dict[str, tuple[str, str]] = {
    "measures": ("主要举措和成效", "上一年度推进法治政府建设的主要举措和成效。"),
    "shortcomings": ("不足和原因", "存在的不足和原因。"),
    "leaders_duty": ("第一责任人职责", "党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况。"),
    "next_year": ("下一年度安排", "下一年度推进法治政府建设的主要安排。"),
}

ITEM_WHERE_ZH: dict[str, tuple[str, str]] = {
    "method": ("依据", "找到的方式：`heading` 按标题，`position` 按位置（列在“不足”“下一年度”之前的工作部分，仅用于第一项），"
                       "`paragraph` 按段落用语。"),
    "section": ("所在标题", "找到的标题，或该段落所在的标题；在第一个标题之前时为空。"),
    "heading_index": ("标题序号", "该标题在正文各标题中的序号（从 0 起），用于页面链接。"),
    "paragraph": ("段落序号", "该段落在正文中的序号（从 1 起），仅“按段落用语”时有。"),
    "wording": ("原文用语", "据以判断的原文：标题本身，或含关键词的句子。"),
}

ORIGINAL_ZH: dict[str, tuple[str, str]] = {
    "source": ("原始文件", "该原件的文件名（含所在文件夹）。"),
    "source_format": ("原始格式", "该原件的格式。"),
    "sha256": ("校验值", "该原件的 SHA-256 校验值。"),
}

SECTIONS_ZH: dict[str, tuple[str, str]] = {
    "title": ("标题", "章节标题，照原文，含序号（一、……（一）……）。"),
    "level": ("层级", "标题层级：“一、”为 2，“（一）”为 3，“1.”为 4，“（1）”为 5。"),
    "children": ("下级标题", "本标题下的各级标题，按原文顺序。"),
}

#: Python types → what a visitor calls them.
TYPE_NAMES = {str: "文本", int: "整数", float: "小数", bool: "是或否", dt.date: "日期", dt.datetime: "日期时间"}


def type_name(annotation) -> str:
    """``str | None`` → 文本，可为空; ``list[str]`` → 文本列表; ``Literal['省级', …]`` → 省级、市级、县级之一."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return type_name(inner[0]) + ("，可为空" if len(inner) < len(args) else "")
    if origin is typing.Literal:
        return "、".join(f"`{a}`" if str(a).isascii() else str(a) for a in args) + "之一"
    if origin is list:
        return "章节列表" if args and args[0] is Section else type_name(args[0]) + "列表"
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return "对象（见下表）"
    return TYPE_NAMES.get(annotation, "文本")


def _row(name: str, annotation, zh: tuple[str, str]) -> str:
    """Two columns, so that the table fits a phone: the name with its field and type under it, the meaning."""
    label, meaning = zh
    return f"| **{label}**<br>`{name}`<br>{type_name(annotation)} | {meaning} |"


def _rows(model, names: dict[str, tuple[str, str]]) -> list[str]:
    return [_row(name, info.annotation, names[name]) for name, info in model.model_fields.items()]


def schema_markdown() -> str:
    missing = [name for name in FrontMatter.model_fields if name not in FIELD_NAMES or name not in FIELD_MEANINGS]
    if missing:
        raise KeyError(f"fieldnames.FIELD_NAMES or schema_doc.FIELD_MEANINGS lacks: {', '.join(missing)}")
    head = ["| 名称（字段、类型） | 说明 |", "| --- | --- |"]
    rows = list(head)
    rows += [_row(name, info.annotation, (FIELD_NAMES[name], FIELD_MEANINGS[name]))
             for name, info in FrontMatter.model_fields.items()]
    section_rows = _rows(Section, SECTIONS_ZH)
    by_hand = "、".join(FIELD_NAMES[name] for name in OVERRIDABLE)
    return "\n".join([
        INTRO, *rows, "",
        "## 章节", "", *head, *section_rows, "",
        "## 其他格式的原件", "", *head, *_rows(Original, ORIGINAL_ZH), "",
        "## 早先版本", "", *head, *_rows(Version, VERSION_ZH), "",
        "## 法定内容", "", *head, *_rows(RequiredItems, REQUIRED_ITEMS_ZH), "",
        "## 法定内容位置（每项找到的内容一条）", "", *head, *_rows(ItemWhere, ITEM_WHERE_ZH), "",
        "## 人工设定", "",
        f"维护人员可以在原始文件旁放一个同名的附注文件，人工设定以下字段：{by_hand}。"
        "人工设定的字段在报告页注明，相应的提示不再显示。", "",
    ])
