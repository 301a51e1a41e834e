"""Which listing titles are annual rule-of-law reports: the rules are data (``data/harvest-titles.yml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

RULES_FILE = "harvest-titles.yml"


@dataclass(frozen=True)
class TitleRules:
    """A title is a report when a subject is followed, within ``max_gap`` characters, by a kind;
    unless it holds an excluded phrase or ends with a word that alone makes it another document."""

    subjects: tuple[str, ...]
    kinds: tuple[str, ...]
    max_gap: int
    excluded: tuple[str, ...]
    not_alone: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern:
        subjects = "|".join(map(re.escape, self.subjects))
        kinds = "|".join(map(re.escape, sorted(self.kinds, key=len, reverse=True)))
        return re.compile(f"(?:{subjects}).{{0,{self.max_gap}}}?(?:{kinds})")


@lru_cache(maxsize=None)
def load_rules() -> TitleRules:
    data = yaml.safe_load(resources.files("gongwen").joinpath("data").joinpath(RULES_FILE).read_text(encoding="utf-8"))
    return TitleRules(tuple(data["subjects"]), tuple(data["kinds"]), int(data["max_gap"]),
                      tuple(data.get("excluded") or ()), tuple(data.get("not_alone") or ()))


def is_report_title(title: str, rules: TitleRules | None = None) -> bool:
    """``平潭综合实验区2022年法治政府建设情况`` yes; ``2023年政府信息公开工作年度报告`` and
    ``关于印发2024年法治政府建设工作要点的通知`` no."""
    rules = rules or load_rules()
    text = "".join(title.split())
    if not text or any(phrase in text for phrase in rules.excluded):
        return False
    core = text.rstrip("。.）)》>】]")
    if any(core.endswith(word) for word in rules.not_alone):
        return False
    return rules.pattern.search(text) is not None
