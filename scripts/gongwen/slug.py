"""Stable ASCII ids for report pages, from place names, the bureau's slug and the year.

``henan/jiaozuo/kjj/2023``: pinyin of each place without its suffix (省, 市,
区…), the bureau's slug from ``data/bureaus.yml`` (科学技术局 and 科技局 are both
``kjj``; a department not listed there gets the initials of its name), and the
year.  The id depends only on the report itself and the alias file, so adding
other reports never changes it.  Two reports that want one id: the one whose
corpus path sorts first keeps it, each other one gets ``-`` and the first six
hex digits of its own SHA-256 (``.../2024-3fa2b1``), which no other file can
change; ``gongwen check`` warns about it and a sidecar ``id:`` settles it.
"""

from __future__ import annotations

import functools
import re

from pypinyin import Style, lazy_pinyin

from .textdata import PLACE_SLUG_EXCEPTIONS, PLACE_SUFFIXES

NON_SLUG = re.compile(r"[^a-z0-9]+")
#: First segment of an id whose bureau could not be placed.
UNPLACED = "other"


@functools.lru_cache(maxsize=65536)  # a few thousand place names, asked for tens of thousands of times a build
def place_slug(name: str) -> str:
    """河南省 → henan, 三门峡市 → sanmenxia (suffix dropped unless it is the whole name)."""
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    if name in PLACE_SLUG_EXCEPTIONS:
        return PLACE_SLUG_EXCEPTIONS[name]
    return NON_SLUG.sub("", "".join(lazy_pinyin(name)).lower())


def initials(text: str) -> str:
    """科学技术局 → kxjsj; ASCII letters and digits kept, lower-cased."""
    return NON_SLUG.sub("", "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower())


def report_id(fields: dict) -> str:
    """The id a report's metadata asks for: its bureau's id and the year."""
    return f"{fields['bureau_id']}/{fields['year']}"


def colliding_id(wanted: str, sha256: str) -> str:
    """The id of a report whose wanted id is taken (see the module docstring)."""
    return f"{wanted}-{sha256[:6]}"
