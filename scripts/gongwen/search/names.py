"""How people name bureaus and places, as general rules over the bureau and place data.

A visitor types 科技局 for 科学技术局, 政府 for 人民政府, 义马 for 义马市, 马村区 for 焦作市马村区.
Rather than a hand list per bureau, each word of the search dictionary gets its *forms*
from three rules over the data the archive already has:

- a department form (bureaus.yml ``departments``: the name and its aliases; 人民政府/政府 after a place)
  at the end of a word may be replaced by any other form of the same department;
- a place of the archive (province, city, county as the reports name them) at the start of a
  word may be written with or without its 省/市/区/县 suffix;
- a place in front of another place may be left out (焦作市马村区 → 马村区).

The builder computes the forms once and ships them with the word (``lexicon.py``), so
the browser applies exactly the same rules without a copy of this code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..model import Report
from ..vocabulary import Vocabulary

#: A government's two names; bureaus.yml lists departments, not governments.  Applied only after a
#: place (市政府, 郑州政府), not inside other words (法治政府 is no 法治人民政府).
GOVERNMENT = ("人民政府", "政府")
#: Suffixes a place may be typed without (义马市 → 义马); the rest must keep two characters.
PLACE_SUFFIXES = "省市区县旗州盟"
#: At most this many forms per word (the browser fetches each one's postings).
MAX_ALTERNATIVES = 6


@dataclass(frozen=True)
class NameRules:
    """Department forms (groups of equivalent endings) and places (full name, short name)."""

    groups: tuple[tuple[str, ...], ...]
    places: tuple[tuple[str, str], ...]

    @cached_property
    def by_first(self) -> dict[str, list[tuple[str, str, str]]]:
        """First character → (as written, other form), longest first: a word is looked up by its first character."""
        index: dict[str, list[tuple[str, str]]] = {}
        for full, short in self.places:
            index.setdefault(full[0], []).append((full, short))
            index.setdefault(short[0], []).append((short, full))
        return {ch: sorted(pairs, key=lambda p: (-len(p[0]), p[0])) for ch, pairs in index.items()}

    @cached_property
    def shorts(self) -> frozenset[str]:
        return frozenset(short for _, short in self.places)


def department_groups(vocabulary: Vocabulary) -> tuple[tuple[str, ...], ...]:
    """Each department kind's printed forms (name and aliases), longest first."""
    forms: dict[str, set[str]] = {}
    for alias, bureau in vocabulary.departments.items():
        forms.setdefault(bureau.name, {bureau.name}).add(alias)
    groups = [tuple(sorted(group, key=lambda f: (-len(f), f))) for _, group in sorted(forms.items())]
    return tuple(groups)


def short_place(name: str) -> str | None:
    """义马市 → 义马, 河南省 → 河南; None when the rest would be one character (城区 stays)."""
    stem = name[:-1] if name and name[-1] in PLACE_SUFFIXES else ""
    return stem if len(stem) >= 2 else None


def name_rules(vocabulary: Vocabulary, reports: list[Report]) -> NameRules:
    """The rules for this archive: its departments and the places its reports are from."""
    names = sorted({p for r in reports for p in (r.province, r.city, r.county) if p})
    places = [(name, short_place(name)) for name in names if short_place(name)]
    return NameRules(department_groups(vocabulary), tuple(sorted(places, key=lambda p: (-len(p[0]), p[0]))))


def place_names(rules: NameRules) -> list[str]:
    """Every place written both ways, for the dictionary."""
    return sorted({name for pair in rules.places for name in pair})


def _is_place(stem: str, rules: NameRules) -> bool:
    return not stem or stem[-1] in PLACE_SUFFIXES or any(stem[i:] in rules.shorts for i in range(len(stem) - 1))


def _departments(word: str, rules: NameRules) -> set[str]:
    for form in GOVERNMENT:
        if word.endswith(form) and _is_place(word[:-len(form)], rules):
            return {word[:-len(form)] + other for other in GOVERNMENT}
    for group in rules.groups:
        for form in group:
            if word.endswith(form) and len(word) >= len(form):
                stem = word[:-len(form)]
                return {stem + other for other in group}
    return {word}


def _leading_place(word: str, rules: NameRules) -> tuple[str, str, str] | None:
    """(the place as written, its other form, the rest) for a word that starts with a place."""
    for written, other in rules.by_first.get(word[:1], ()):
        if word.startswith(written):
            return written, other, word[len(written):]
    return None


def _places(word: str, rules: NameRules) -> set[str]:
    found = _leading_place(word, rules)
    if not found:
        return {word}
    written, other, rest = found
    forms = {written + rest, other + rest}
    if rest and _leading_place(rest, rules):
        forms |= _places(rest, rules)  # a place in front of another may be left out
    return forms


def forms(word: str, rules: NameRules) -> list[str]:
    """The strings that stand for ``word`` (any one of them found = the word found), sorted.

    A form that contains another form is dropped: whatever contains it contains the shorter one,
    so 义马市 is searched as 义马 and 人民政府 as 政府; a word no rule applies to is its own form."""
    found = {alt for place_form in _places(word, rules) for alt in _departments(place_form, rules)}
    found.discard("")
    return sorted(f for f in found if not any(o != f and o in f for o in found))[:MAX_ALTERNATIVES] or [word]
