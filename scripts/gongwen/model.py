"""The ``Report`` model: the one contract between the pipeline's stages.

The front-matter schema is :class:`FrontMatter`; each field's ``description``
is its documentation (``docs/schema.md`` is generated from it and a test keeps
the two in step).  Every generated page's front matter is validated against
this model at build time, and a failure names the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Section(BaseModel):
    """One heading of the report and the headings under it."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="Heading text as printed, numbering included (一、…, （一）…).")
    level: int = Field(ge=2, le=6, description="Markdown heading level: 一、 is 2, （一） is 3, 1. is 4, （1） is 5.")
    children: list[Section] = Field(default_factory=list, description="Sub-headings, in order.")


#: The four contents Art. 25 requires (the fifth, 其他需要报告的情况, is optional and only located).
REQUIRED_ITEMS = ("measures", "shortcomings", "leaders_duty", "next_year")
ITEM_KEYS = (*REQUIRED_ITEMS, "other")


class RequiredItems(BaseModel):
    """Which of the four required contents the documented rules found (`data/required-items.yml`)."""

    model_config = ConfigDict(extra="forbid")

    measures: bool = Field(description="一 上一年度主要举措和成效.")
    shortcomings: bool = Field(description="二 存在的不足和原因.")
    leaders_duty: bool = Field(description="三 党政主要负责人履行推进法治建设第一责任人职责的情况.")
    next_year: bool = Field(description="四 下一年度主要安排.")


class ItemWhere(BaseModel):
    """Where one required content was found, and by which rule."""

    model_config = ConfigDict(extra="forbid")

    method: Literal["heading", "position", "paragraph"] = Field(description=(
        "heading: a heading names it; position: a section before 不足/下一年度 (measures only); "
        "paragraph: a paragraph's wording."))
    section: str | None = Field(description="The heading found, or the heading the paragraph is under (null: before any).")
    heading_index: int | None = Field(description="0-based position of that heading among the body's headings (for the page link).")
    paragraph: int | None = Field(description="1-based number of the paragraph in the body (paragraph rule only).")
    wording: str = Field(description="The matched wording as printed (the heading, or the sentence around the term).")


#: Formats of an original file (from its extension; .htm is html).
SOURCE_FORMATS = Literal["txt", "docx", "html", "pdf", "doc", "wps", "ofd"]


class Original(BaseModel):
    """Another corpus file holding the same report (another format), offered for download on its page."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(description="Path of the file, relative to the corpus folder.")
    source_format: SOURCE_FORMATS = Field(description="Its format.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of its bytes.")


class Version(BaseModel):
    """An earlier version of a harvested report: the same address gave these bytes before it changed."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(description="Path of the earlier file, relative to the corpus folder.")
    source_format: Literal["txt", "docx", "html", "pdf"] = Field(description="Its format.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of its bytes.")
    version: int = Field(ge=1, description="Its number: 1 is the first harvested.")
    retrieved_at: dt.datetime | None = Field(description="When the harvest fetched it (UTC).")
    source_date_published: dt.date | None = Field(description="The web publication date its page stated.")


class FrontMatter(BaseModel):
    """Metadata of one report: the YAML front matter of its page.

    A field the text does not establish with certainty is null, and a line in
    ``warnings`` says why.  ``title`` and ``year`` are required: a file without
    them is rejected (listed by ``gongwen check``), not published.
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(?:[-/][a-z0-9]+)*$", description=(
        "Stable ASCII slug and page URL (`reports/<id>/`): `bureau_id` and the year, e.g. "
        "`henan/jiaozuo/kjj/2023`; a second report wanting a taken id gets `-` and six hex digits "
        "of its SHA-256. A sidecar may set it; old ids redirect (`data/id-history.yml`)."))
    title: str = Field(min_length=1, description=(
        "Title as printed: its lines joined, layout spaces dropped."))
    issuer: str | None = Field(description="发文机关 as printed (from the title, else the 版头, else the signature).")
    bureau: str | None = Field(description=(
        "The department reported on, as printed: the issuer without 中共…党组/党委 "
        "(中共焦作市科学技术局党组 → 焦作市科学技术局)."))
    bureau_name: str | None = Field(default=None, description=(
        "Canonical name of the bureau from `data/bureaus.yml` (焦作市科技局 → 焦作市科学技术局): "
        "one bureau across years however it is printed."))
    bureau_id: str = Field(default="other/x", pattern=r"^[a-z0-9]+(?:[-/][a-z0-9]+)*$", description=(
        "ASCII id of the bureau: region slugs and the bureau's slug from `data/bureaus.yml` "
        "(`henan/jiaozuo/kjj`); its page is `bureaus/<bureau_id>/`."))
    province: str | None = Field(description="Province of the bureau, from the gazetteer (河南省).")
    city: str | None = Field(description="Prefecture-level city of the bureau, from the gazetteer (焦作市).")
    county: str | None = Field(description="County-level division of the bureau, from the gazetteer (马村区), null for city- and province-level bureaus.")
    level: Literal["省级", "市级", "县级", "乡级"] | None = Field(description=(
        "Administrative level of the bureau: 省级, 市级 or 县级, by its place; 乡级 for a 街道 or 乡镇 "
        "(below county level); null for a development zone outside any county."))
    issuer_kind: str | None = Field(default=None, description=(
        "Kind of issuer by the rules of `data/issuer-kinds.yml`: 人民政府, 政府部门, 党委政府联合, 党委, "
        "垂直管理和派出机构, 开发区管委会 or 街道乡镇; null when the issuer is unknown."))
    year: int = Field(ge=1949, le=2100, description="The year the report covers (from its title), not the year it was issued.")
    doc_number: str | None = Field(description=(
        "发文字号 of the report itself (from its head, never one cited in the body), "
        "brackets normalised to 〔〕: 焦科组〔2024〕5号."))
    date_signed: dt.date | None = Field(description="成文日期: the date under the signature, ISO format.")
    date_printed: dt.date | None = Field(description="印发日期: the date of the 印发 line in the 版记, ISO format.")
    date_delivered: dt.date | None = Field(default=None, description=(
        "For a report read to a people's congress standing committee: the meeting date printed under the title "
        "(——2021年4月29日在…会议上), ISO format; null otherwise."))
    recipients: list[str] = Field(description="主送机关, as printed, split at 、 and ，.")
    cc: list[str] = Field(description="抄送机关 from the 版记, as printed.")
    printer: str | None = Field(description="印发机关 from the 版记 (焦作市科技局办公室).")
    source: str = Field(description="Path of the original file, relative to the corpus folder, with / separators.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the original file's bytes.")
    topics: list[str] = Field(default_factory=list, description=(
        "Topic tags from the curated vocabulary `data/topics.yml`: a topic applies when its terms "
        "occur often enough in the title and body (the rule is on each topic's tag page)."))
    tags: list[str] = Field(description=(
        "Browse tags: canonical bureau, year (2024年度), province, city, county (焦作市马村区), level and topics."))
    sections: list[Section] = Field(description="The heading tree of the body.")
    overridden: list[str] = Field(description="Fields set by hand in the sidecar `NAME.meta.yml`, shown on the page.")
    warnings: list[str] = Field(description="What the extractor could not establish or found suspicious.")
    source_format: SOURCE_FORMATS = Field(default="txt", description=(
        "Format of the original file (from its extension): txt, docx, html (also .htm), pdf, doc, wps or ofd."))
    ocr_confidence: float | None = Field(default=None, ge=0, le=1, description=(
        "When some of the text was recognised from a scan (OCR): the recogniser's mean confidence over the "
        "recognised characters, 0–1; the page says that the text may differ from the original. Null when "
        "the text was read from the file itself."))
    seals: int = Field(default=0, ge=0, description=(
        "Electronic signatures and stamps the original file carries (an OFD's signatures and stamp "
        "annotations): counted, never read as text."))
    source_index_number: str | None = Field(default=None, description=(
        "索引号 from the 政府信息公开 metadata table of a web page, as the site prints it; "
        "null for other formats and when the page has none."))
    source_publisher: str | None = Field(default=None, description=(
        "发布机构 from the web page's metadata table, as printed. Kept beside `issuer`, never over it; "
        "a disagreement is a warning."))
    source_date_written: dt.date | None = Field(default=None, description=(
        "成文日期 from the web page's metadata table. Kept beside `date_signed`; a disagreement is a warning."))
    source_date_published: dt.date | None = Field(default=None, description=(
        "发布日期 from the web page's metadata table (when the site published it). Never taken from the URL."))
    source_doc_number: str | None = Field(default=None, description=(
        "文号 from the web page's metadata table, brackets normalised to 〔〕. Kept beside `doc_number`; "
        "a disagreement is a warning."))
    source_topic: str | None = Field(default=None, description="主题分类 from the web page's metadata table, as printed.")
    required_items: RequiredItems | None = Field(default=None, description=(
        "The four contents 《法治政府建设与责任落实督察工作规定》 Art. 25 requires, each true when the rules of "
        "`data/required-items.yml` found it (headings first, then paragraphs); false means not found by the rules."))
    required_items_where: dict[Literal[ITEM_KEYS], ItemWhere] = Field(default_factory=dict, description=(
        "Where each found item is (keys as in `required_items`, plus `other` for 其他需要报告的情况): rule, "
        "section, paragraph and matched wording. An item not found has no key."))
    on_time: bool | None = Field(default=None, description=(
        "The date the report reached the public (the web page's publication date where known, else its 印发, 成文 "
        "or congress date) on or before the deadline of the following year (`data/deadlines.yml`, 4月1日 by "
        "default); null when no date is known (unknown is not late)."))
    days_late: int | None = Field(default=None, ge=0, description=(
        "Days after the deadline (0 when on time); null when the report prints no date."))
    repeat_share_prev_year: float | None = Field(default=None, ge=0, le=1, description=(
        "Share of the body text (by characters) in paragraphs that repeat the same bureau's previous report "
        "nearly verbatim; null when the archive has no earlier report of the bureau."))
    alternates: list[Original] = Field(default_factory=list, description=(
        "Other corpus files that hold the same report (same title, issuer, year and body after normalizing, "
        "whatever the format): one page offers every original for download, each with its format and SHA-256."))
    source_url: str | None = Field(default=None, description=(
        "原文链接: the address of the portal page the report was harvested from (`gongwen harvest`, its folder's "
        "`provenance.yml`); http(s) only; null for files added by hand."))
    source_file_url: str | None = Field(default=None, description=(
        "The address of the file itself when it is an attachment of that page; null otherwise."))
    retrieved_at: dt.datetime | None = Field(default=None, description="采集时间: when the harvest fetched the file (UTC).")
    version: int | None = Field(default=None, ge=1, description=(
        "Which version of the file at that address this is (1: as first harvested); null for files added by hand."))
    versions: list[Version] = Field(default_factory=list, description=(
        "Earlier versions of the report (the same address gave other bytes before): each kept in the corpus and "
        "offered for download on the one page, with its dates."))


#: Front-matter fields a sidecar may set (everything but the provenance).
#: ``source_*`` fields record what the original file or its website says, so they are not overridable; nor are
#: ``ocr_confidence`` and ``seals``, which say how the file was read.
#: The compliance fields are computed from the other fields, never set by hand.
HARVESTED = {"retrieved_at", "version", "versions"}
COMPUTED = {"required_items", "required_items_where", "on_time", "days_late", "repeat_share_prev_year"}
OVERRIDABLE = tuple(name for name in FrontMatter.model_fields
                    if name not in {"source", "sha256", "overridden", "warnings", "alternates", "ocr_confidence", "seals",
                                    *COMPUTED, *HARVESTED}
                    and not name.startswith("source_"))


class Block(BaseModel):
    """A unit of the body: a heading, a paragraph (text as cleaned) or a table (``rows`` of cell texts)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["heading", "paragraph", "table"]
    text: str = ""
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()


class Report(FrontMatter):
    """A report: its front matter plus the parts of the document itself."""

    masthead: str | None = Field(default=None, description="版头 line (中共焦作市科学技术局党组文件).")
    doc_number_line: str | None = Field(default=None, description=(
        "发文字号 line as the document prints it (never a 文号 set by hand: the page shows the text unchanged)."))
    recipients_line: str | None = Field(default=None, description="主送 line as printed (市委、市政府：).")
    body: list[Block] = Field(default_factory=list, description="Body text as headings and paragraphs.")
    closing: list[str] = Field(default_factory=list, description="落款: signature and date lines.")
    colophon: list[str] = Field(default_factory=list, description="版记: 抄送 and 印发 lines.")
    notes: list[str] = Field(default_factory=list, description="Footnotes of a .docx, numbered as referenced ([1] …).")
    delivery: list[str] = Field(default_factory=list, description=(
        "Under the title, as printed: a congress report's meeting line and speaker, or the issuer over a bracketed "
        "date (湖南省农业农村厅 / （2024年1月31日）)."))
    cover_title: str | None = Field(default=None, description=(
        "A cover letter above the enclosed report (关于报送《…》的报告): its title as printed."))
    cover_text: list[str] = Field(default_factory=list, description="The cover letter's lines between 主送 and 落款.")
    cover_closing: list[str] = Field(default_factory=list, description="The cover letter's 落款: signature and date.")

    def front_matter(self) -> dict:
        """The page's front matter as plain JSON-able data, in schema order."""
        return self.model_dump(mode="json", include=set(FrontMatter.model_fields))


class Rejection(BaseModel):
    """A corpus file that was not published, and why (``code`` from ``messages.py``)."""

    source: str
    reason: str
    code: str = "E-OTHER"


def validate_front_matter(data: dict, page: str) -> FrontMatter:
    """Check a page's front matter against the schema; errors name the page and field."""
    try:
        return FrontMatter.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors())
        raise SchemaError(f"{page}: front matter does not fit the schema: {problems}") from None


class SchemaError(ValueError):
    """A generated page's front matter broke the schema (a bug or a bad sidecar)."""


class InputError(ValueError):
    """A corpus file cannot be published; the message says why in one line (``messages.fail`` makes them)."""

    def __init__(self, message: str, code: str = "E-OTHER"):
        super().__init__(message)
        self.code = code
