"""What the publishing website says about a report (``source_*``), beside what the report says.

A 政府信息公开 page prints its own metadata table.  Those values are kept in
``source_*`` fields exactly as the site states them (dates parsed, the 文号's
brackets normalised) and never replace a field read from the document; where
both exist and disagree, a warning says so, for a person to settle.  A value
the site prints but that cannot be read (a date that is not a date) is null
with a warning.
"""

from __future__ import annotations

import datetime as dt
import re

from .extract import doc_number, parse_date
from .issuers import same_organ
from .messages import warn

#: ISO-like dates as sites print them: 2024-03-18, 2024/3/18, 2024.03.18.
NUMERIC_DATE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
#: Report fields a source field is compared with, and how to name them in a warning.
COMPARED = {"source_doc_number": ("doc_number", "文号"), "source_date_written": ("date_signed", "成文日期")}


def site_date(text: str) -> dt.date | None:
    """A date as a site prints it (2024-03-18 or 2024年3月18日)."""
    match = NUMERIC_DATE.match(text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    return parse_date(text)


def source_fields(meta: dict[str, str]) -> tuple[dict, list[str]]:
    """``source_*`` fields from a page's metadata table, and warnings for unreadable values."""
    fields: dict = {}
    warnings: list[str] = []
    for name in ("index_number", "publisher", "topic"):
        fields[f"source_{name}"] = meta.get(name)
    for name in ("date_written", "date_published"):
        value = meta.get(name)
        fields[f"source_{name}"] = site_date(value) if value else None
        if value and fields[f"source_{name}"] is None:
            warnings.append(warn(f"source_{name}", "W-SOURCE-DATE", value=value))
    number = meta.get("doc_number")
    fields["source_doc_number"] = doc_number(number) if number else None
    if number and fields["source_doc_number"] is None and number.strip("无-— "):
        warnings.append(warn("source_doc_number", "W-SOURCE-DOC-NUMBER", value=number))
    return fields, warnings


def conflict_warnings(fields: dict) -> list[str]:
    """Where the website and the document disagree; both values are kept."""
    warnings = []
    for source_name, (name, label) in COMPARED.items():
        site, document = fields.get(source_name), fields.get(name)
        if site is not None and document is not None and site != document:
            warnings.append(warn(source_name, "W-SOURCE-CONFLICT", label=label, site=site, document=document))
    publisher, organs = fields.get("source_publisher"), {fields.get("issuer"), fields.get("bureau")} - {None}
    if publisher and organs and not any(same_organ(publisher, organ) for organ in organs):
        warnings.append(warn("source_publisher", "W-SOURCE-PUBLISHER", publisher=publisher, issuer=fields.get("issuer")))
    return warnings

