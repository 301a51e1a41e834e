"""Every error and warning a maintainer reads, as data: a stable code, the problem and the fix, in Chinese.

The people who run the archive are 政务公开 staff, so every message names the
problem and what to do about it in Chinese.  The code (``E-NO-TITLE``,
``W-NO-DOC-NUMBER``) is stable English for scripts, tests and searching the
guide (docs/maintaining.md lists them all); the wording may improve, the code
stays.  ``E-`` codes are ERRORs (the file, or a sidecar line, was not used),
``W-`` codes WARNINGs (published, but a field is empty or doubtful).

A warning in a report's front matter keeps its field key first, so that it
stays parseable: ``doc_number: [W-NO-DOC-NUMBER] 标题上下没有发文字号行……``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .fieldnames import FIELD_NAMES, GROUP_NAMES
from .model import InputError

#: How the guide and the messages call a sidecar file.
SIDECAR = "元数据文件（与报告同名的 .meta.yml）"
#: The advice every decoding refusal ends with.
SAVE_AS_UTF8 = "请用记事本或 WPS 打开该文件，选择“另存为”，编码选 UTF-8 后放回 corpus/"


@dataclass(frozen=True)
class Message:
    """One kind of problem: ``text`` says what is wrong, ``fix`` what to do; both may hold ``{placeholders}``."""

    code: str
    text: str
    fix: str = ""

    def format(self, **values) -> str:
        text = self.text.format(**values)
        return text + (f"处理：{self.fix.format(**values)}" if self.fix else "")


_ALL = [
    # Reading the file
    Message("E-EMPTY", "文件是空的。", "放入报告全文，或把该文件从 corpus/ 中删除。"),
    Message("E-BINARY", "文件是二进制数据（含控制字节），不是文本。",
            "放入报告的 .docx、.pdf 或 UTF-8 编码的 .txt。"),
    Message("E-NOT-CHINESE", "解码后的文字不像中文报告（常用汉字太少，{detail}）。",
            "确认该文件是报告全文；如果是文本文件，" + SAVE_AS_UTF8 + "。"),
    Message("E-ENCODING", "无法确定文件的文字编码（{detail}），为避免乱码没有发布。", SAVE_AS_UTF8 + "。"),
    Message("E-BAD-BOM", "文件开头标明为 {encoding} 编码，但第 {position} 字节起不符合该编码。", SAVE_AS_UTF8 + "。"),
    Message("E-HIDDEN-FILE", "隐藏文件（文件名以“.”开头），不作为报告读取。", "把该文件从 corpus/ 中删除。"),
    Message("E-UNSUPPORTED-TYPE", "不支持的文件类型“{suffix}”（支持：{supported}）。", "{advice}"),
    Message("E-DOCX-TOO-BIG", "该 .docx 解压后超过 200 MB，不是正常的报告文件。", "用 Word 或 WPS 打开后重新另存为 .docx。"),
    Message("E-DOCX-UNREADABLE", "无法读取该 .docx（{detail}）。",
            "用 Word 或 WPS 打开后重新另存为 .docx；打不开说明文件已损坏，请重新获取原件。"),
    Message("E-PDF-NO-PAGES", "该 PDF 没有页面。", "重新获取原件或重新导出 PDF。"),
    Message("E-PDF-NEEDS-OCR", "该 PDF 没有文字层（共 {pages} 页），扫描页经文字识别（OCR）也没有读出文字。",
            "放入该报告的 .docx 或 .txt 版本，或清晰的扫描件（分辨率不低于每英寸 200 点）。"),
    Message("E-PDF-TOO-LONG", "该 PDF 有 {pages} 页（超过 {limit} 页），不是年度报告。", "确认放入的是报告本身。"),
    Message("E-PDF-UNREADABLE", "无法读取该 PDF（{detail}）。", "重新导出 PDF，或放入该报告的 .docx 版本。"),
    Message("E-DOC-ENCRYPTED", "该 {suffix} 文件设有打开密码（已加密），读不出文字。",
            "请发文单位提供未加密的版本，或用 Word/WPS 输入密码打开后“另存为”不设密码的 .docx。"),
    Message("E-DOC-UNREADABLE", "无法读取该 {suffix} 文件（{detail}）。",
            "用 Word 或 WPS 打开后另存为 .docx；打不开说明文件已损坏，请重新获取原件。"),
    Message("E-DOC-TIMEOUT", "转换该 {suffix} 文件超过 {seconds} 秒仍未完成，已停止。",
            "用 Word 或 WPS 打开后另存为 .docx 放入；文件很大或已损坏时请重新获取原件。"),
    Message("E-DOC-NO-LIBREOFFICE", "读取 {suffix} 文件需要办公软件 `LibreOffice`，本机没有安装。",
            "运行 `make site`（会自动安装该软件），或用 Word/WPS 把文件另存为 .docx。"),
    Message("E-OFD-UNREADABLE", "无法读取该 OFD 文件（{detail}）。",
            "用 OFD 阅读器（如数科阅读器）打开后重新另存为 OFD 文件或导出为 PDF；打不开说明文件已损坏，请重新获取原件。"),
    Message("E-OFD-TOO-BIG", "该 OFD 文件解压后超过 200 MB，不是正常的报告文件。", "用 OFD 阅读器打开后导出为 PDF。"),
    Message("E-OFD-TOO-LONG", "该 OFD 有 {pages} 页（超过 {limit} 页），不是年度报告。", "确认放入的是报告本身。"),
    Message("E-OFD-NO-TEXT", "该 OFD 的 {pages} 页中没有文字对象（是扫描图片），读不出文字。",
            "用 OFD 阅读器导出为 PDF 后放入（扫描件会做文字识别），或放入该报告的 .docx 或 .txt 版本。"),
    Message("E-HTML-NO-BODY", "网页中找不到报告正文（没有含足够中文的段落）。",
            "保存报告详情页本身，或把正文复制到 UTF-8 编码的 .txt 文件中。"),
    Message("E-HTML-ENCODING", "网页的文字编码无法识别（不是网页声明的编码，也不是 UTF-8 或 GB18030）。",
            "在浏览器中重新“另存为”网页，或把正文复制到 UTF-8 编码的 .txt 文件中。"),
    # The document itself
    Message("E-NO-TITLE", "文件开头几行不像公文标题，读不出标题（从网页复制的正文常缺标题）。",
            "在该文件旁放一个元数据文件 {sidecar}，写一行 title: 报告标题；标题里没有年份时再写一行 year: 年份。"),
    Message("E-NO-YEAR", "标题“{title}”没有写明唯一的报告年度。",
            "在元数据文件 {sidecar} 中写一行 year: 报告年度（如 year: 2024）；读出的标题不对时，再写一行 title: 报告标题。"),
    Message("E-NO-BODY", "标题下没有正文。", "确认放入的是报告全文。"),
    Message("E-SCHEMA", "元数据不符合规定的格式（{detail}）。", "这是程序的问题，请把本行报给开发人员。"),
    # The corpus as a whole
    Message("E-DUPLICATE-FILE", "与 {other} 字节完全相同（重复文件）。", "删除其中一个。"),
    Message("E-ID-TAKEN", "元数据文件设定的 id“{id}”已被 {other} 使用。", "在 {sidecar} 中改写另一个 id:。"),
    Message("E-OTHER-PROVINCE", "按内容属于{province}（{slug}），不是本次按省生成的 {target}，未发布。",
            "把文件移到 {slug} 的报告文件夹（按省分工时每省一个文件夹，如 corpus/{slug}/）；发文机关读错时在元数据文件中改正。"),
    Message("E-ORPHAN-SIDECAR", "该元数据文件没有对应的报告文件（应与报告同名放在一起：NAME.txt 旁的 NAME.meta.yml 或 NAME.txt.meta.yml）。",
            "把它改成报告的文件名，或删除。"),
    # Sidecars: the report is still published from its own text; only the bad lines are not used.
    Message("E-SIDECAR-YAML", "元数据文件 {sidecar} 第 {line} 行格式有误（{detail}），整个文件未采用。",
            "每行写成“字段: 值”，冒号后留一个空格；值中有冒号、# 或括号时用英文引号括起来。"),
    Message("E-SIDECAR-LINE", "元数据文件 {sidecar} 第 {line} 行不是“字段: 值”的写法，该行未采用（其余各行照常采用）。",
            "写成“字段: 值”，冒号后留一个空格；值中有冒号、# 或括号时用英文引号括起来。"),
    Message("E-SIDECAR-ENCODING", "元数据文件 {sidecar} 不是 UTF-8 编码，整个文件未采用。", SAVE_AS_UTF8 + "。"),
    Message("E-SIDECAR-NOT-MAPPING", "元数据文件 {sidecar} 不是“字段: 值”的写法，整个文件未采用。",
            "每行写一个“字段: 值”，如 doc_number: 马科〔2026〕3号。"),
    Message("E-SIDECAR-UNKNOWN-FIELD", "元数据文件 {sidecar} 第 {line} 行：没有“{field}”这个字段，该行未采用。",
            "{suggestion}可以设定的字段：{allowed}。"),
    Message("E-SIDECAR-BAD-DATE", "元数据文件 {sidecar} 第 {line} 行：{field}（{label}）的值“{value}”不是日期，该行未采用。",
            "写成 2025-03-01、2025年3月1日 或 二〇二五年三月一日。"),
    Message("E-SIDECAR-BAD-VALUE", "元数据文件 {sidecar} 第 {line} 行：{field}（{label}）的值“{value}”不合要求（{detail}），该行未采用。",
            "{hint}"),
    Message("E-ID-HISTORY-CURRENT", "旧地址“{old}”是一篇现有报告的地址，跳转会遮住这篇报告，网站没有生成。",
            "核对 scripts/gongwen/data/id-history.yml 中这一行：写错了就改正；否则在现有报告的元数据文件中另设 id:。"),
    # Warnings: published, but a field is empty or doubtful.
    Message("W-NO-ISSUER", "标题在“关于”或年份前没有写发文机关，也没有版头或落款署名。",
            "如能确定，在元数据文件中写 issuer: 发文机关。"),
    Message("W-NO-DOC-NUMBER", "标题上下没有发文字号行（正文中引用的文号不是本文件的文号）。",
            "原件有文号时，在元数据文件中写 doc_number: 文号。"),
    Message("W-NO-DATE-SIGNED", "落款署名下没有成文日期。", "原件有成文日期时，在元数据文件中写 date_signed: 日期。"),
    Message("W-NO-DATE-PRINTED", "版记中没有“……印发”行。", "原件有印发日期时，在元数据文件中写 date_printed: 日期。"),
    Message("W-NO-PRINTER", "版记中没有印发机关。", "原件有印发机关时，在元数据文件中写 printer: 印发机关。"),
    Message("W-REGION-NO-BUREAU", "读不出报告部门，因此无法确定地区。",
            "在元数据文件中写 bureau:（部门），或写 province:、city:、county:、level:。"),
    Message("W-REGION-UNKNOWN", "部门名称“{bureau}”不以行政区划名称开头，无法确定地区。",
            "在 data/bureaus.yml 中添加该部门，或在元数据文件中写 province:、city:、county:、level:。"),
    Message("W-REGION-AMBIGUOUS", "“{name}”有多处同名（{where}），正文没有写明是哪一处。",
            "在元数据文件中写 province:、city:、county:、level:。"),
    Message("W-NUMBERING", "标题序号应为 {expected}，原文为“{found}”（按原文保留）。", "无需处理，页面按原文显示。"),
    Message("W-SOURCE-DATE", "网页所载日期“{value}”不是日期，该项留空。", "无需处理。"),
    Message("W-SOURCE-DOC-NUMBER", "网页所载文号“{value}”不是发文字号的格式，该项留空。", "无需处理。"),
    Message("W-SOURCE-CONFLICT", "网页所载{label}为 {site}，文件本身为 {document}（两者都保留）。", "核对原件。"),
    Message("W-SOURCE-PUBLISHER", "网页所载发布机构为 {publisher}，文件的发文机关为 {issuer}（两者都保留）。", "核对原件。"),
    Message("W-ID-TAKEN", "id“{id}”已被 {other} 使用，本报告发布为“{new_id}”。", "如需另定，在元数据文件中写 id:。"),
    Message("W-BUREAU-ID-SHARED", "“{bureau_id}”也是 {other} 的 id，两个部门会共用一个部门页。",
            "在 data/bureaus.yml 中为其中一个部门设定不同的 slug。"),
    Message("W-ID-HISTORY-MISSING", "旧地址“{old}”指向的“{new}”不在本库中，没有生成跳转页。",
            "核对 scripts/gongwen/data/id-history.yml 中这一行的新地址。"),
    Message("W-ALTERNATE-SIDECAR", "{other} 与本文件是同一报告，已并入本页；它的元数据文件没有采用。",
            "把需要的字段写进 {source} 的元数据文件，删去 {other} 的元数据文件。"),
    Message("W-OCR", "正文由扫描图像经文字识别（OCR）得出，平均置信度 {confidence}，可能与原件有出入（页面已注明并提供原件下载）。",
            "核对页面文字；有该报告的 .docx、.txt 或带文字层的 PDF 时一并放入，本页会改用其文字。"),
    Message("W-OCR-SIBLING", "扫描件 {scan} 与本文件是同一报告（文字相似度 {similarity}），本页文字取自本文件直接读出的文字"
            "（比文字识别可靠），扫描件作为原件一并提供下载。", "无需处理。"),
    Message("W-NEAR-DUPLICATE", "与 {other} 标题、发文机关和年度相同，但正文有差异（两份都已发布）。",
            "核对两份文件，删除有误的一份；若确是两份不同的报告，可在元数据文件中写 id: 区分。"),
    Message("W-PROVENANCE", "采集记录 {sidecar} 无法读取或缺少原文链接，来源信息留空。",
            "重新运行采集（与上次相同的采集命令）即可重写该文件；不要手改 provenance.yml。"),
]

#: Every message by code.
MESSAGES: dict[str, Message] = {message.code: message for message in _ALL}

#: Chinese labels of the front-matter fields a maintainer meets (metadata box, messages): the one table.
FIELD_LABELS = FIELD_NAMES | GROUP_NAMES

#: A front-matter warning: its field key, its code and the Chinese text.
WARNING_LINE = re.compile(r"^(?P<field>[a-z_]+): \[(?P<code>[EW]-[A-Z0-9-]+)\] (?P<text>.*)$", re.S)


def say(code: str, /, **values) -> str:
    """The Chinese message of ``code`` (problem, then 处理：fix) with its placeholders filled."""
    return MESSAGES[code].format(**values)


def fail(code: str, /, **values) -> InputError:
    """An :class:`InputError` carrying ``code`` and its Chinese message (``raise fail(...)``)."""
    return InputError(say(code, **values), code=code)


class FieldWarning(str):
    """A front-matter warning about one field.  It is the text the front matter keeps (``field: [CODE] 中文说明``)
    and also carries its ``field`` and ``code``, so that the pipeline never parses its own text back."""

    def __new__(cls, field: str, code: str, text: str):
        warning = super().__new__(cls, f"{field}: [{code}] {text}")
        warning.field, warning.code, warning.text = field, code, text
        return warning

    def __getnewargs__(self):
        return self.field, self.code, self.text


class SiteProblem(str):
    """A problem of the site as a whole (the id history), a line of the validation report that carries its code."""

    def __new__(cls, code: str, where: str, /, **values):
        severity = "错误" if code.startswith("E-") else "警告"
        problem = super().__new__(cls, f"{severity} [{code}] {where}：{say(code, **values)}")
        problem.code, problem.where, problem.values = code, where, values
        return problem

    def __getnewargs_ex__(self):
        return (self.code, self.where), self.values

    @property
    def is_error(self) -> bool:
        return self.code.startswith("E-")


def warn(key: str, code: str, /, **values) -> FieldWarning:
    """A front-matter warning about field ``key``: ``key: [CODE] 中文说明``."""
    return FieldWarning(key, code, say(code, **values))


def warning_parts(warning: str) -> tuple[str, str, str]:
    """(field, code, text) of a front-matter warning; a warning without a code gets ``W-OTHER``."""
    match = WARNING_LINE.match(warning)
    if match:
        return match.group("field"), match.group("code"), match.group("text")
    field, _, text = warning.partition(": ")
    return field, "W-OTHER", text


def codes_table() -> str:
    """Every code as a Markdown table (docs/maintaining.md holds it; a test keeps the two equal)."""
    rows = ["| 代码 | 级别 | 问题 | 处理 |", "| --- | --- | --- | --- |"]
    for message in MESSAGES.values():
        problem, fix = (re.sub(r"\{\w+\}", "…", part) for part in (message.text, message.fix))
        rows.append(f"| `{message.code}` | {'错误' if message.code.startswith('E-') else '警告'} | {problem} | {fix} |")
    return "\n".join(rows) + "\n"


def field_label(name: str) -> str:
    """``doc_number`` → ``发文字号`` (the key itself when it has no label)."""
    return FIELD_LABELS.get(name, name)
