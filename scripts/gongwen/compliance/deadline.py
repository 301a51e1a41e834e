"""On time: a report's 印发/成文 date against the publication deadline of the following year.

Pure.  Deadlines are data (``data/deadlines.yml``: a default, 4月1日, and provinces whose own rule
differs, each with its source).  A report that prints no date is ``on_time = None`` — unknown is
not late.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import yaml

from ..datafiles import data_text


@dataclass(frozen=True)
class Deadline:
    """Month and day of the year after the report's year, and the rule it comes from."""

    month: int
    day: int
    source: str

    def for_report_year(self, year: int) -> dt.date:
        return dt.date(year + 1, self.month, self.day)


@dataclass(frozen=True)
class Deadlines:
    default: Deadline
    provinces: dict[str, Deadline]

    def of(self, province: str | None) -> Deadline:
        return self.provinces.get(province or "", self.default)


@dataclass(frozen=True)
class Timeliness:
    """What the page and the data say about one report's date."""

    deadline: dt.date
    rule: str  # the deadline's source, shown on the page
    issued: dt.date | None  # 印发日期, else 成文日期
    on_time: bool | None
    days_late: int | None


def parse_deadlines(data: dict) -> Deadlines:
    def deadline(entry: dict) -> Deadline:
        dt.date(2001, int(entry["month"]), int(entry["day"]))  # raises on an impossible day
        return Deadline(int(entry["month"]), int(entry["day"]), str(entry["source"]))
    return Deadlines(deadline(data["default"]), {name: deadline(e) for name, e in (data.get("provinces") or {}).items()})


@functools.cache
def load_deadlines() -> Deadlines:
    return parse_deadlines(yaml.safe_load(data_text("deadlines.yml")))


def timeliness(year: int, province: str | None, issued: dt.date | None, deadlines: Deadlines | None = None) -> Timeliness:
    """The deadline day counts as on time; no date → ``on_time`` and ``days_late`` are None."""
    rule = (deadlines or load_deadlines()).of(province)
    due = rule.for_report_year(year)
    if issued is None:
        return Timeliness(due, rule.source, None, None, None)
    late = max(0, (issued - due).days)
    return Timeliness(due, rule.source, issued, late == 0, late)
