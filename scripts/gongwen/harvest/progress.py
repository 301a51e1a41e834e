"""The harvest's progress, one bar per source: listing pages, reports found, files saved, skipped, errors.

On a terminal it is a tqdm bar redrawn in place (the pages read out of those known so far: a column's
page count grows as its page bars are read). Anywhere else (CI, a log file, a pipe) a redraw would
leave carriage returns in the log, so it writes plain lines instead: one per listing page once its
entries are handled, the last one when the source is done. Either way the last line of a source holds
the counts the summary gives.
"""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm

from .crawl import Tally
from .summary import progress_line, tally_counts

#: tqdm's line: the source and its counts (Chinese), the bar of listing pages, the time taken.
BAR_FORMAT = "{desc}｜{bar}｜列表页 {n_fmt}/{total_fmt}｜{elapsed}"


class SourceProgress:
    """Called by :class:`~gongwen.harvest.crawl.Harvest` as ``progress(url, tally, pages_left)``:
    after each listing page and each entry, and with ``pages_left=None`` when the source is done."""

    def __init__(self, stream: TextIO | None = None, live: bool | None = None):
        self.stream = stream or sys.stderr
        self.live = _is_terminal(self.stream) if live is None else live
        self.bar: tqdm | None = None
        self.pages, self.pending = -1, ""

    def __call__(self, url: str, tally: Tally, pages_left: int | None) -> None:
        if self.live:
            self._draw(url, tally, pages_left)
        elif pages_left is None:
            print(f"完成 {progress_line(url, tally)}", file=self.stream, flush=True)
            self.pages, self.pending = -1, ""
        else:  # a line per listing page, once its entries are handled (when the next page is read)
            if tally.pages != self.pages and self.pending:
                print(self.pending, file=self.stream, flush=True)
            self.pages, self.pending = tally.pages, progress_line(url, tally)

    def _draw(self, url: str, tally: Tally, pages_left: int | None) -> None:
        if self.bar is None:
            self.bar = tqdm(unit="页", file=self.stream, bar_format=BAR_FORMAT, leave=True, total=1,
                            dynamic_ncols=True)
        self.bar.total = max(tally.pages + (pages_left or 0), 1)
        self.bar.n = tally.pages
        self.bar.set_description_str(f"{url}：{tally_counts(tally)}", refresh=False)
        self.bar.refresh()
        if pages_left is None:
            self.close()

    def close(self) -> None:
        """End the bar of a source left midway (a stopped run), so that the summary starts on a line of its own."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or fake stream
        return False
