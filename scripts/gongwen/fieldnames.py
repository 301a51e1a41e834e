"""Each report field's one Chinese name, wherever a person reads it.

The 数据说明 page (``schema_doc.py``), the metadata box of a report page (``overrides/partials/report-meta.html``,
through the MkDocs hook) and the maintainers' messages (``messages.field_label``) all name a field from this
table, so that a maintainer who reads “网页所载发布机构” in the validation report finds the same words on the page
and in the documentation.  A test checks that every field of ``model.FrontMatter`` has a name here.
"""

from __future__ import annotations

#: Field key → its Chinese name (the schema's order).
FIELD_NAMES: dict[str, str] = {
    "id": "编号", "title": "标题", "issuer": "发文机关", "bureau": "报告部门（文中写法）", "bureau_name": "报告部门",
    "bureau_id": "部门编号", "province": "省份", "city": "市", "county": "县区", "level": "层级",
    "issuer_kind": "发文机关类型", "year": "报告年度",
    "doc_number": "发文字号", "date_signed": "成文日期", "date_printed": "印发日期", "date_delivered": "报告日期",
    "recipients": "主送",
    "cc": "抄送", "printer": "印发机关", "source": "原始文件", "sha256": "校验值", "topics": "主题", "tags": "标签",
    "sections": "章节", "overridden": "人工设定的字段", "warnings": "提示", "source_format": "原始格式",
    "ocr_confidence": "文字识别置信度", "seals": "电子签章",
    "source_index_number": "索引号", "source_publisher": "网页所载发布机构", "source_date_written": "网页所载成文日期",
    "source_date_published": "网页所载发布日期", "source_doc_number": "网页所载文号", "source_topic": "主题分类",
    "required_items": "法定内容", "required_items_where": "法定内容位置", "on_time": "是否按期", "days_late": "逾期天数",
    "repeat_share_prev_year": "与上年重复比例", "alternates": "其他格式的原件",
    "source_url": "原文链接", "source_file_url": "附件地址", "retrieved_at": "采集时间", "version": "版本",
    "versions": "早先版本",
}

#: Names of what is shown or set together but is not one field: the place (省份、市、县区 and 层级).
GROUP_NAMES: dict[str, str] = {"region": "地区"}
