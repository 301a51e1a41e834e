"""Tag rules, in one place: which tags a report carries and what kind each tag is.

Below both ``pipeline.py`` (which gives a report its tags) and ``browse/`` (which
links each tag to a page): neither recomputes the other's rules.  A tag is one of

- ``bureau``, ``year``, ``province``, ``city``, ``county`` — the same thing as a
  browse page (按部门, 按年度, 按地区), so its chip links to that page, never to a copy;
- ``level``, ``topic`` — their own generated index pages (``tags/level/…``, ``tags/topic/…``);
- ``other`` — a tag set by hand in a sidecar, with its own index page too.

A tag's kind depends only on the report that carries it (and the topic vocabulary),
so a report page's chips never change when other reports are added.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from .slug import initials

#: Kinds whose tag links to an existing browse page instead of a tag page of its own.
BROWSE_KINDS = ("bureau", "year", "province", "city", "county")
#: Kinds with their own generated index pages, in the order of the tag index.
OWN_PAGE_KINDS = (("topic", "主题"), ("level", "层级"), ("other", "其他"))
LEVEL_SLUGS = {"省级": "province", "市级": "city", "县级": "county", "乡级": "township"}


@dataclass(frozen=True)
class TagKind:
    """What a tag stands for: ``kind`` (see the module docstring) and ``key``, the kind's own value:
    the bureau id, the year, the place chain (province, city, county as far as known), or the slug
    of the tag's own page."""

    kind: str
    key: str | int | tuple[str, ...]


def county_tag(city: str | None, county: str | None) -> str | None:
    """A county's tag carries its city (焦作市马村区): many county names repeat across China."""
    if not county:
        return None
    return county if county == city else (city or "") + county


def year_tag(year: int) -> str:
    """The tag of the year reported on (the one place that spells it)."""
    return f"{year}年度"


def default_tags(fields: Mapping) -> list[str]:
    """Bureau, year, places, level and topics, in that order, without repeats."""
    values = [fields.get("bureau_name") or fields["bureau"], year_tag(fields["year"]), fields["province"], fields["city"],
              county_tag(fields["city"], fields["county"]), fields["level"], *fields.get("topics", [])]
    return list(dict.fromkeys(v for v in values if v))


def tag_kinds(report, topic_slugs: Mapping[str, str]) -> dict[str, TagKind]:
    """tag → :class:`TagKind` for every tag of ``report`` (any object with the front-matter fields).

    ``topic_slugs``: topic tag → its slug (from ``data/topics.yml``)."""
    chain = tuple(dict.fromkeys(p for p in (report.province, report.city, report.county) if p))
    known = {year_tag(report.year): TagKind("year", report.year)}
    county = county_tag(report.city, report.county)
    for kind, value, place in (("province", report.province, report.province), ("city", report.city, report.city),
                               ("county", county, report.county)):
        if value and place in chain:
            known.setdefault(value, TagKind(kind, chain[:chain.index(place) + 1]))
    for name in (report.bureau_name, report.bureau):
        if name:
            known.setdefault(name, TagKind("bureau", report.bureau_id))
    if report.level in LEVEL_SLUGS:
        known.setdefault(report.level, TagKind("level", LEVEL_SLUGS[report.level]))
    for name in report.topics:
        if name in topic_slugs:
            known[name] = TagKind("topic", topic_slugs[name])
    return {tag: known.get(tag) or TagKind("other", other_slug(tag)) for tag in report.tags}


def other_slug(tag: str) -> str:
    """ASCII slug of a hand-set tag: its initials and a short hash of the whole name, so two tags
    never share a page and the slug does not depend on which other tags exist."""
    return f"{initials(tag)[:30] or 'tag'}-{hashlib.sha256(tag.encode('utf-8')).hexdigest()[:6]}"
