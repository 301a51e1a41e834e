"""Stable ASCII ids for report pages, from place names and the bureau's name.

``henan/jiaozuo/kxjsj/2023``: pinyin of each place without its suffix (省, 市,
区…), the initials of the bureau's name after its place (科学技术局 → kxjsj),
and the year.  The id depends only on the report itself, so adding other
reports never changes it; two reports that want one id are a conflict that
``gongwen check`` reports (a sidecar ``id:`` settles it).
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from .textdata import PLACE_SUFFIXES

NON_SLUG = re.compile(r"[^a-z0-9]+")
#: First segment of an id whose bureau could not be placed.
UNPLACED = "other"


def place_slug(name: str) -> str:
    """河南省 → henan, 三门峡市 → sanmenxia (suffix dropped unless it is the whole name)."""
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return NON_SLUG.sub("", "".join(lazy_pinyin(name)).lower())


def initials(text: str) -> str:
    """科学技术局 → kxjsj; ASCII letters and digits kept, lower-cased."""
    return NON_SLUG.sub("", "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower())


def report_id(fields: dict) -> str:
    """The id a report's metadata asks for."""
    places = list(dict.fromkeys(p for p in (fields["province"], fields["city"], fields["county"]) if p))
    bureau = fields["bureau"] or fields["title"]
    name = bureau.removeprefix(fields.get("place_prefix") or "") or bureau
    head = [place_slug(p) for p in places] or [UNPLACED]
    return "/".join([*head, initials(name) or "x", str(fields["year"])])
