"""The compliance fields of one report, added once the report exists (pipeline's last step per file)."""

from __future__ import annotations

from ..browse.places import public_date
from ..model import Report
from .contents import find_items, required_items
from .deadline import timeliness


def with_compliance(report: Report) -> Report:
    """The report with ``required_items``, ``required_items_where``, ``on_time`` and ``days_late`` set.

    ``repeat_share_prev_year`` needs the whole corpus: see :func:`repeats.with_repeat_shares`."""
    found = find_items(report.body, report.year)
    due = timeliness(report.year, report.province, public_date(report)[0])
    return report.model_copy(update={"required_items": required_items(found), "required_items_where": found,
                                     "on_time": due.on_time, "days_late": due.days_late})
