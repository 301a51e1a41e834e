"""Curated vocabularies the maintainer edits: bureau aliases and topic tags.

The data lives in ``data/bureaus.yml`` and ``data/topics.yml`` beside this
module (documented in the files themselves and in README).  This module turns
their parsed contents into lookup values and applies them to a report's
fields; the files are read once, by :func:`load_vocabulary` through
``datafiles.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .slug import NON_SLUG, initials, place_slug

#: An ASCII slug as the data files may give it.
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Topic tags need this many hits unless their entry says otherwise.
DEFAULT_MIN_HITS = 2


class VocabularyError(ValueError):
    """A data file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Bureau:
    """One bureau across the ways it is printed."""

    name: str
    slug: str
    region: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """A topic tag and the rule that applies it."""

    tag: str
    slug: str
    terms: tuple[str, ...]
    min_hits: int
    description: str

    def rule(self) -> str:
        """The rule in words, for the tag page."""
        terms = "、".join(f"“{t}”" for t in self.terms)
        return f"标题和正文中出现{terms}合计不少于 {self.min_hits} 次"


@dataclass(frozen=True)
class Vocabulary:
    bureaus: dict[str, Bureau] = field(default_factory=dict)      # printed name → bureau
    departments: dict[str, Bureau] = field(default_factory=dict)  # printed department → kind
    topics: tuple[Topic, ...] = ()


def parse_bureaus(data: dict, where: str = "bureaus.yml") -> tuple[dict[str, Bureau], dict[str, Bureau]]:
    """``bureaus:`` and ``departments:`` of bureaus.yml as alias → :class:`Bureau` maps."""
    tables = []
    for key in ("bureaus", "departments"):
        table: dict[str, Bureau] = {}
        for number, entry in enumerate((data or {}).get(key) or [], 1):
            bureau = _bureau_entry(entry, f"{where}: {key} entry {number}")
            for alias in (bureau.name, *(entry.get("aliases") or [])):
                if alias in table and table[alias] != bureau:
                    raise VocabularyError(f"{where}: {key}: “{alias}” is listed for two entries")
                table[str(alias)] = bureau
        tables.append(table)
    return tables[0], tables[1]


def _bureau_entry(entry, where: str) -> Bureau:
    if not isinstance(entry, dict) or not entry.get("name") or not SLUG.match(str(entry.get("slug", ""))):
        raise VocabularyError(f"{where}: needs `name` and an ASCII `slug` (a-z, 0-9, -)")
    return Bureau(str(entry["name"]), str(entry["slug"]), tuple(str(p) for p in entry.get("region") or ()))


def parse_topics(data: list, where: str = "topics.yml") -> tuple[Topic, ...]:
    topics = []
    for number, entry in enumerate(data or [], 1):
        if not isinstance(entry, dict) or not entry.get("tag") or not entry.get("terms") \
                or not SLUG.match(str(entry.get("slug", ""))):
            raise VocabularyError(f"{where}: entry {number} needs `tag`, an ASCII `slug` and `terms`")
        topics.append(Topic(str(entry["tag"]), str(entry["slug"]), tuple(str(t) for t in entry["terms"]),
                            int(entry.get("min_hits", DEFAULT_MIN_HITS)), str(entry.get("description", ""))))
    if len({t.slug for t in topics}) != len(topics) or len({t.tag for t in topics}) != len(topics):
        raise VocabularyError(f"{where}: two topics share a tag or a slug")
    return tuple(topics)


def canonical_bureau(vocabulary: Vocabulary, printed: str, place_prefix: str) -> Bureau:
    """The bureau a printed name stands for; its ``region`` is empty unless the entry gives one."""
    if printed in vocabulary.bureaus:
        return vocabulary.bureaus[printed]
    department = printed.removeprefix(place_prefix) or printed
    kind = vocabulary.departments.get(department)
    if kind is not None:
        return Bureau(place_prefix + kind.name, kind.slug)
    return Bureau(printed, initials(department) or "x")


def bureau_fields(vocabulary: Vocabulary, fields: dict, place_prefix: str) -> dict:
    """``bureau_name`` and ``bureau_id`` for extracted fields; ``place_prefix``: the place printed at the start of
    the bureau's name (``extract.Extracted``)."""
    printed = fields["bureau"]
    if printed is None:
        return {"bureau_name": None, "bureau_id": "/".join([_region_path(fields), initials(fields["title"])[:12] or "x"])}
    bureau = canonical_bureau(vocabulary, printed, place_prefix)
    region = "/".join(place_slug(p) for p in dict.fromkeys(bureau.region)) if bureau.region else _region_path(fields)
    return {"bureau_name": bureau.name, "bureau_id": f"{region}/{bureau.slug}"}


def _region_path(fields: dict) -> str:
    from .slug import UNPLACED
    places = list(dict.fromkeys(p for p in (fields["province"], fields["city"], fields["county"]) if p))
    return "/".join(NON_SLUG.sub("", place_slug(p)) for p in places) or UNPLACED


def topics_of(text: str, topics: tuple[Topic, ...]) -> list[str]:
    """Topic tags whose terms occur at least ``min_hits`` times in ``text`` (vocabulary order)."""
    found = []
    for topic in topics:
        pattern = "|".join(re.escape(t) for t in sorted(topic.terms, key=len, reverse=True))
        if len(re.findall(pattern, text)) >= topic.min_hits:
            found.append(topic.tag)
    return found
