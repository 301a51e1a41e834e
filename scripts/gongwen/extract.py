"""Extract stage: the recognised parts of a report → its metadata.

Each extractor is a small pure function over the text of one part, returning
a value or None; :func:`extract_metadata` collects the values and one warning
for each field left null.  Nothing is guessed: a field is set only when its
part of the document says it plainly.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from .gazetteer import locate
from .issuers import ZONE_KIND, bureau_of, issuer_from_title, kind_of, same_organ
from .layout import CC_LINE, MEETING_START, PRINTED_LINE, Layout, is_organ_line
from .messages import FieldWarning, warn
from .textdata import DATE, DOC_NUMBER, MASTHEAD, TITLE_YEAR, number_value, organ_name

#: The level of an issuer below county level (a 街道, a 乡镇).
BELOW_COUNTY_LEVEL = "乡级"
LIST_SEPARATORS = re.compile(r"[、，,；;]")
#: A second year that names next year's plan, after the year reported on (关于2022年法治工作情况暨2023年工作要点的报告).
NEXT_YEAR_PLAN = re.compile(r"^[^年]{0,3}年度?(?:的)?(?:法治政府建设|法治|依法行政)?(?:工作)?(?:要点|计划|安排|打算|思路|重点)")


def title_text(title_lines: list[str]) -> str | None:
    """Title lines joined with their layout spaces dropped, but the one between co-issuers
    (中共海南省委 海南省人民政府关于…)."""
    title = "".join(_line_text(line.split()) for line in title_lines)
    return title or None


def _line_text(words: list[str]) -> str:
    return "".join(word + (" " if _co_issuers(word, words[index + 1:]) else "") for index, word in enumerate(words))


def _co_issuers(word: str, rest: list[str]) -> bool:
    """Two organs on one title line, as in 中共海南省委 海南省人民政府关于…: the space between them is kept."""
    return (bool(rest) and len(word) >= 4 and organ_name(word) and not word.startswith("关于")
            and not re.search(r"\d|年", word) and not rest[0].startswith(("关于", *"0123456789")))


def report_year(title: str) -> int | None:
    """The year a title reports on: the one year it names (2023 in 关于2023年法治政府建设工作的报告), or the
    first of two when the second names the plan for the next (2022年…情况暨2023年工作要点)."""
    matches = list(TITLE_YEAR.finditer(title))
    years = list(dict.fromkeys(number_value(match.group("y")) for match in matches))
    if len(years) == 2 and years[1] == years[0] + 1:
        second = next(match for match in matches if number_value(match.group("y")) == years[1])
        if title[second.start() - 1: second.start()] in "暨及和与" and NEXT_YEAR_PLAN.match(title[second.end():]):
            return years[0]
    return years[0] if len(years) == 1 else None


def doc_number(line: str | None) -> str | None:
    """The 文号 of a 文号 line, brackets normalised to 〔〕."""
    match = DOC_NUMBER.search(line or "")
    if not match:
        return None
    return f"{match.group('code')}〔{match.group('year')}〕{match.group('serial')}号"


def issuer_from_masthead(masthead: str | None) -> str | None:
    """中共焦作市科学技术局党组文件 → 中共焦作市科学技术局党组."""
    if masthead and MASTHEAD.match(masthead):
        organ = masthead.removesuffix("文件")
        return organ if organ_name(organ) else None
    return None


def issuer_from_signature(closing: list[str]) -> str | None:
    """The organ signed above the 成文日期, when the signature is one line."""
    organs = [line for line in closing[:-1] if is_organ_line(line)]
    return organs[0] if len(organs) == 1 else None


def parse_date(text: str) -> dt.date | None:
    """A printed date (2024年3月18日, 二〇二四年三月十八日) as a date, if it is a real one."""
    match = DATE.search(text)
    if not match:
        return None
    year, month, day = (number_value(match.group(part)) for part in "ymd")
    try:
        return dt.date(year, month, day)
    except (TypeError, ValueError):
        return None


def split_list(text: str) -> list[str]:
    """A list of organs as printed, split at 、，; and stripped of final punctuation."""
    return [item.strip(" 。.") for item in LIST_SEPARATORS.split(text) if item.strip(" 。.")]


def colophon_fields(colophon: list[str]) -> dict:
    """抄送, 印发机关 and 印发日期 from the 版记 lines (抄送 first, 印发 last)."""
    fields: dict = {"cc": [], "printer": None, "date_printed": None}
    lines = list(colophon)
    printed = PRINTED_LINE.match(lines[-1]) if lines else None
    if printed:
        lines.pop()
        fields["date_printed"] = parse_date(printed.group("date"))
        fields["printer"] = printed.group("printer").strip() or None
        if fields["printer"] is None and lines and not CC_LINE.match(lines[-1]) and is_organ_line(lines[-1]):
            fields["printer"] = lines.pop()
    if lines and CC_LINE.match(lines[0]):
        fields["cc"] = split_list(CC_LINE.sub("", "".join(lines)))
    return fields


class Extracted(NamedTuple):
    """What the extract stage found: field values by name, a warning for each one that stays null, and the
    place as printed at the start of the bureau's name (焦作市 in 焦作市科技局), for naming the bureau."""

    fields: dict
    warnings: list[FieldWarning]
    place_prefix: str


def extract_metadata(layout: Layout, text: str, given_title: str | None = None,
                     given_year: int | None = None) -> Extracted:
    """Metadata fields of a report and a warning for each one that stays null.

    ``title`` and ``year`` come from the text, else from what a sidecar gives (``given_*``), else
    are None (the caller refuses the file, saying which sidecar line would publish it)."""
    title = title_text(layout.title_lines) or given_title
    year = (report_year(title) if title else None) or given_year
    warnings: list[FieldWarning] = []
    issuer = (issuer_from_title(title or "") or _cover_issuer(layout) or issuer_from_masthead(layout.masthead)
              or issuer_from_signature(layout.cover.closing if layout.cover else layout.closing))
    closing = _dating_closing(layout, issuer)
    fields = {"title": title, "year": year, "issuer": issuer,
              "bureau": bureau_of(issuer) if issuer else None,
              "doc_number": doc_number(layout.doc_number_line),
              "recipients": split_list((layout.recipients_line or "").rstrip("：:")),
              "date_signed": _date_signed(closing) or _byline_date(layout.delivery),
              "date_delivered": _date_delivered(layout.delivery)}
    fields.update(colophon_fields(layout.colophon))
    region, place_prefix = _region_fields(fields["bureau"], text, warnings)
    fields.update(region)
    kind = kind_of(issuer, fields["bureau"], place_prefix)
    fields["issuer_kind"] = kind.name if kind else None
    if kind and kind.below_county and fields["level"]:
        fields["level"] = BELOW_COUNTY_LEVEL
    elif kind and kind.slug == ZONE_KIND and fields["county"] is None:
        fields["level"] = None  # a zone is not the province or city it lies in
    for name, code in MISSING_CODES.items():
        if fields[name] is None:
            warnings.append(warn(name, code))
    return Extracted(fields, warnings, place_prefix)


#: The warning for each field left null (messages.py says why and what to do).
MISSING_CODES = {"issuer": "W-NO-ISSUER", "doc_number": "W-NO-DOC-NUMBER", "date_signed": "W-NO-DATE-SIGNED",
                 "date_printed": "W-NO-DATE-PRINTED", "printer": "W-NO-PRINTER"}


def _date_signed(closing: list[str]) -> dt.date | None:
    return parse_date(closing[-1]) if closing else None


def _dating_closing(layout: Layout, issuer: str | None) -> list[str]:
    """The 落款 that dates the report: a cover letter's when the issuer signed it (报送 by the issuer itself), not when
    another organ did (区司法局's 请示 to send the 区委's report); else the report's own."""
    if layout.cover is None:
        return layout.closing
    signer = issuer_from_signature(layout.cover.closing)
    same = signer and issuer and any(same_organ(signer, organ) for organ in issuer.split())
    return layout.cover.closing if same else []


def _cover_issuer(layout: Layout) -> str | None:
    """The issuer a cover letter's title names (X关于报送…的报告), when the enclosed title names none."""
    return issuer_from_title(title_text(layout.cover.title_lines) or "") if layout.cover else None


def _byline_date(delivery: list[str]) -> dt.date | None:
    """The date a report prints under its title with its issuer (湖南省农业农村厅 / （2024年1月31日）)."""
    return parse_date(delivery[1]) if len(delivery) == 2 and not MEETING_START.match(delivery[0]) else None


def _date_delivered(delivery: list[str]) -> dt.date | None:
    """The meeting date of a report read to a people's congress (——2021年4月29日在…会议上)."""
    match = MEETING_START.match(delivery[0]) if delivery else None
    return parse_date(match.group("date")) if match else None


def _region_fields(bureau: str | None, text: str, warnings: list[FieldWarning]) -> tuple[dict, str]:
    """The region fields, and the place printed at the start of the bureau's name."""
    empty = {"province": None, "city": None, "county": None, "level": None}
    if bureau is None:
        warnings.append(warn("region", "W-REGION-NO-BUREAU"))
        return empty, ""
    match = locate(bureau, text)
    if match.place is None:
        warnings.append(match.warning)
        return empty, match.prefix
    found = match.place
    return {"province": found.province, "city": found.city, "county": found.county, "level": found.level}, match.prefix
