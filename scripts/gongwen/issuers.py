"""Who issued a report, by general rules over the GB/T 2260 places and the kinds of issuer.

A title names its issuer in one of a few ways, tried in this order:

- an organ before 关于 or before the year (焦作市科学技术局关于2023年…, 广州市公安局增城区分局关于…,
  中共海南省委 海南省人民政府关于…);
- a place alone (静海区2023年度…, 北京市2022年…, 关于安庆市2020年度…, 2025年陇西县…): a 法治政府建设
  report of a place is its people's government's, so the issuer is that place's 人民政府 (a 地区's or
  盟's 行政公署);
- a development zone (天津滨海高新区2023年度…), which is its own issuer.

The kind of issuer (政府, 部门, 党委政府联合, 垂直管理, 开发区, 街道乡镇…) follows from the name by the rules
of ``data/issuer-kinds.yml``, never from a list of names.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .gazetteer import place_chain
from .textdata import HAN, NAME_GLOSS, PARTY_PREFIX, PARTY_SUFFIXES, TITLE_YEAR, organ_name

#: The issuer before ``关于`` in a title (X关于2023年…的报告), or before the year.
TITLE_ISSUER_BEFORE_GUANYU = re.compile(r"^(?P<org>.+?)关于")
TITLE_ISSUER_BEFORE_YEAR = re.compile(rf"^(?P<org>.+?){TITLE_YEAR.pattern}")
#: A title that starts with a place: 关于, a year, then the place, then the year or the subject.
_YEAR = r"(?:(?:19|20)\d\d|[〇零○一二][〇零○一二三四五六七八九]{3})"
PLACE_TITLE = re.compile(rf"^(?:关于)?(?:{_YEAR}\s*年度?)?(?P<place>[{HAN}]{{2,24}}?)(?={_YEAR}|关于|法治|依法行政)")
#: How the name of a development zone ends (天津滨海高新区, 平潭综合实验区, …经济技术开发区管委会).
ZONE_SUFFIXES = ("开发区", "高新区", "经开区", "新区", "实验区", "示范区", "园区", "保税区", "合作区", "试验区", "管委会",
                 "管理委员会")
#: A 乡, 镇 or 街道 named alone before the year (下洋镇2023年…): its government or 办事处 issued it.
TOWNSHIP = re.compile(f"[{HAN}]{{1,8}}(?:镇|乡|街道)")
#: The slugs of the kinds of a development zone and of a people's government (issuer-kinds.yml).
ZONE_KIND = "kfq"
GOVERNMENT_KIND = "zf"
#: The people's government of a place, as its issuer is named; a 地区 or 盟 is governed by its 行政公署.
GOVERNMENT = "人民政府"
ADMINISTRATION = "行政公署"


def issuer_from_title(title: str) -> str | None:
    """The issuer a title names (see the module docstring), or None."""
    for pattern in (TITLE_ISSUER_BEFORE_GUANYU, TITLE_ISSUER_BEFORE_YEAR):
        match = pattern.match(title)
        if match and organ_name(match.group("org")) and not match.group("org").startswith("关于"):
            return match.group("org")
    place = PLACE_TITLE.match(title)
    if place and _is_place(place.group("place")):
        name = place.group("place")
        return name + (ADMINISTRATION if name.endswith(("地区", "盟")) else GOVERNMENT)
    match = TITLE_ISSUER_BEFORE_YEAR.match(title)
    org = match.group("org") if match else ""
    if org.endswith(ZONE_SUFFIXES) and not any(org == suffix for suffix in ZONE_SUFFIXES):
        return org
    if TOWNSHIP.fullmatch(org):
        return org + ("办事处" if org.endswith("街道") else GOVERNMENT)
    return None


def same_organ(a: str, b: str) -> bool:
    """The same organ, or one name containing the other (陇西县人民政府 / 甘肃省陇西县人民政府, 焦作市科学技术局 /
    中共焦作市科学技术局党组; a place's government signing as the place: 静海区人民政府 / 静海区)."""
    a, b = "".join(a.split()), "".join(b.split())
    return a in b or b in a


def _is_place(name: str) -> bool:
    """A name made only of division names (济南市市中区), the province written in full."""
    chain = place_chain(name, short_province=False)
    return bool(chain) and "".join(chain) == name


def co_issuers(issuer: str) -> list[str]:
    """The organs of a joint issuer (中共长宁区委 长宁区人民政府 → two), or the issuer alone."""
    return issuer.split() or [issuer]


def is_party_body(organ: str) -> bool:
    """中共长宁区委, 海关总署党委, 中共X局党组: a party committee or group."""
    return organ.startswith(PARTY_PREFIX) or organ.endswith(PARTY_SUFFIXES)


def bureau_of(issuer: str) -> str:
    """The body a report is filed under: a joint party–government report under the government
    (中共海南省委 海南省人民政府 → 海南省人民政府), a party group under its department (中共X局党组 → X局);
    anything else as printed."""
    organs = co_issuers(issuer)
    state = [organ for organ in organs if not is_party_body(organ)]
    if len(organs) > 1 and len(state) == 1:
        return state[0]
    inner = issuer.removeprefix(PARTY_PREFIX)
    for suffix in PARTY_SUFFIXES:
        department = inner.removesuffix(suffix)
        if department != inner and organ_name(department):
            return department
    return issuer


@dataclass(frozen=True)
class IssuerKind:
    """A kind of issuer: its name on the site, its URL slug, whether it sits below county level, and the patterns
    of the name (after its place) that make it."""

    name: str
    slug: str
    patterns: tuple[re.Pattern[str], ...]
    below_county: bool = False
    joint: bool = False  # the kind of a government's report made jointly with its party committee


def parse_issuer_kinds(data: list) -> tuple[IssuerKind, ...]:
    """The entries of ``issuer-kinds.yml``, checked."""
    kinds = []
    for number, entry in enumerate(data or [], 1):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("slug"):
            raise ValueError(f"issuer-kinds.yml: entry {number} needs `name` and `slug`")
        patterns = tuple(re.compile(str(p)) for p in entry.get("patterns") or ())
        kinds.append(IssuerKind(str(entry["name"]), str(entry["slug"]), patterns,
                                bool(entry.get("below_county")), bool(entry.get("joint"))))
    return tuple(kinds)


@functools.cache
def issuer_kinds() -> tuple[IssuerKind, ...]:
    import yaml

    from .datafiles import data_text
    return parse_issuer_kinds(yaml.safe_load(data_text("issuer-kinds.yml")))


def kind_of(issuer: str | None, bureau: str | None, place_prefix: str = "",
            kinds: tuple[IssuerKind, ...] | None = None) -> IssuerKind | None:
    """The kind of the issuer, by the first rule the bureau's name (after its place) meets; a government that
    reports jointly with its party committee is of the ``joint`` kind.  None when there is no issuer."""
    if not issuer or not bureau:
        return None
    kinds = kinds if kinds is not None else issuer_kinds()
    name = NAME_GLOSS.sub("", bureau.removeprefix(place_prefix)) or bureau
    kind = next((kind for kind in kinds if any(pattern.search(name) for pattern in kind.patterns)), None)
    organs = co_issuers(issuer)
    if kind is not None and kind.slug == GOVERNMENT_KIND and len(organs) > 1 and any(map(is_party_body, organs)):
        return next((kind for kind in kinds if kind.joint), kind)
    return kind
