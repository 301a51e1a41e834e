"""Walk each source's listing pages, pick the reports by title, save each report's page and attachments.

Sequential on purpose: one request at a time is the politeness the portals are owed, and it makes a
run reproducible (the same portal gives the same corpus, byte for byte, however often the run was
stopped and resumed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from .fetch import Client, Fetched, Politeness, WarcLog
from .listing import decode_page, parse_listing
from .names import PAGE_NAME, attachment_type, disposition_name, report_folder, url_name
from .pagemeta import attachments, page_meta
from .rules import is_report_title
from .state import Known, State
from .store import OutsideCorpus, Store

#: A listing that goes on for more pages than this is cut short, with a message.
MAX_PAGES = 500
#: Failures that are a portal's choice (robots.txt, another host): noted, not errors.
NOTED = {"robots", "host", "scheme", "repeat"}


@dataclass(frozen=True)
class Source:
    url: str
    issuer: str | None = None
    allow_hosts: tuple[str, ...] = ()
    notes: str | None = None


@dataclass
class Tally:
    """What one source gave, and its problems (kind, address, Chinese text)."""

    pages: int = 0
    found: int = 0
    new: int = 0
    unchanged: int = 0
    changed: int = 0
    files: int = 0
    skipped: int = 0
    errors: int = 0
    problems: list[tuple[str, str, str]] = field(default_factory=list)

    def problem(self, kind: str, url: str, text: str) -> None:
        self.problems.append((kind, url, text))
        if kind not in NOTED:
            self.errors += 1


#: Told how a source is going: after each listing page and entry ``(source URL, tally, listing pages
#: still to read)``, and once more with ``None`` when the source is done (``progress.SourceProgress``).
Progress = Callable[[str, "Tally", "int | None"], None]


@dataclass
class Got:
    body: bytes | None
    headers: dict
    changed: bool  # False: the stored copy is current (304, or fetched earlier in this run)


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Harvest:
    def __init__(self, corpus: Path, work: Path, politeness: Politeness = Politeness(),
                 now: Callable[[], str] = utc_now, budget: int | None = None, max_pages: int = MAX_PAGES,
                 progress: Progress | None = None, sleep=None):
        self.store, self.state = Store(corpus), State(work / "state.sqlite")
        self.now, self.max_pages, self.progress = now, max_pages, progress or (lambda url, tally, left: None)
        self.state.start(now())
        self.warc = WarcLog(work / "warc" / f"harvest-{self.state.run:05d}.warc.gz")
        extra = {"sleep": sleep} if sleep else {}
        self.client = Client(politeness, self.warc, budget, **extra)
        self.done: set[str] = set()  # report pages handled in this run (a report listed in two columns)

    def run(self, sources: list[Source]) -> list[tuple[Source, Tally]]:
        """Harvest every source; the run is marked finished only when all are done."""
        try:
            results = [(source, self._source(source)) for source in sources]
            self.state.finish(self.now())
            return results
        finally:
            self.warc.close()
            self.state.close()

    def _source(self, source: Source) -> Tally:
        tally = Tally()
        hosts = {urlsplit(source.url).netloc.lower(), *(h.lower() for h in source.allow_hosts)}
        queue, seen, entries = [source.url], set(), set()
        while queue:
            page = queue.pop(0)
            if page in seen:
                continue
            if tally.pages >= self.max_pages:
                tally.problem("pages", source.url, f"翻页超过 {self.max_pages} 页，已停止（可能是无尽翻页）")
                break
            seen.add(page)
            got = self._get(page, hosts, tally, keep_body=True)
            if got is None or got.body is None:
                continue
            tally.pages += 1
            listing = parse_listing(decode_page(got.body, got.headers.get("content-type", "")), page)
            fresh = [(title, url) for title, url in listing.entries if url not in entries]
            entries.update(url for _, url in fresh)
            if fresh or page == source.url or not listing.entries:
                queue += [p for p in listing.pages if p not in seen and urlsplit(p).netloc.lower() in hosts]
            elif listing.pages:  # a page that repeats earlier ones: follow it no further
                tally.problem("repeat", page, "该页列出的条目与前面的页面完全相同，翻页到此为止")
            left = len(set(queue) - seen)
            self.progress(source.url, tally, left)
            for title, url in fresh:
                self._entry(title, url, page, source, hosts, tally)
                self.progress(source.url, tally, left)
        self.progress(source.url, tally, None)
        return tally

    def _entry(self, title: str, url: str, listing: str, source: Source, hosts: set[str], tally: Tally) -> None:
        if not is_report_title(title):
            tally.skipped += 1
            return
        tally.found += 1
        if url in self.done:  # listed in another column too: saved once
            return
        self.done.add(url)
        try:
            outcome = self._report(title, url, listing, source, hosts, tally)
        except OutsideCorpus as error:
            tally.problem("path", url, f"文件名 {error} 会落到 corpus 文件夹之外，未保存")
            return
        if outcome:
            setattr(tally, outcome, getattr(tally, outcome) + 1)

    def _report(self, title: str, url: str, listing: str, source: Source, hosts: set[str], tally: Tally) -> str | None:
        folder = report_folder(url)
        got = self._get(url, hosts, tally, keep_body=True, folder=folder)
        if got is None or got.body is None:
            return None
        soup = BeautifulSoup(decode_page(got.body, got.headers.get("content-type", "")), "html.parser")
        meta = page_meta(soup)
        head = {"source_url": url, "title": title, "issuer": source.issuer, "listing_url": listing, "page": meta}
        outcomes = [self._save(folder, url, PAGE_NAME, PAGE_NAME, got, head, tally, meta)]
        for number, (text, address) in enumerate(attachments(soup, url), 1):
            got_file = self._get(address, hosts, tally, keep_body=False, folder=folder)
            if got_file is None:
                continue
            suffix = attachment_type(url_name(address), text) or ".bin"
            name = disposition_name(got_file.headers.get("content-disposition")) or url_name(address)
            name = name if attachment_type(name) else (name or f"attachment-{number}") + suffix
            outcomes.append(self._save(folder, address, name, f"attachment-{number}{suffix}", got_file, head, tally))
        if "changed" in outcomes:
            return "changed"
        return "new" if outcomes[0] == "new" else "unchanged"

    def _save(self, folder: PurePosixPath, url: str, name: str, fallback: str, got: Got, head: dict,
              tally: Tally, meta: dict | None = None) -> str:
        if not got.changed and got.body is None:
            return "unchanged"
        headers = got.headers
        entry = {"retrieved_at": self.now(), "etag": headers.get("etag"), "last_modified": headers.get("last-modified"),
                 "content_type": headers.get("content-type")}
        entry = {k: v for k, v in entry.items() if v} | ({"page": meta} if meta else {})
        saved = self.store.save(folder, url, name, fallback, got.body, entry, head)
        tally.files += saved.outcome != "unchanged"
        return saved.outcome

    def _get(self, url: str, hosts: set[str], tally: Tally, keep_body: bool,
             folder: PurePosixPath | None = None) -> Got | None:
        """The current bytes of ``url``: taken from this run's state, or asked for (conditionally when the
        state and the corpus hold a copy); None after a problem, which is counted."""
        known, failed = self.state.known(url), self.state.failure(url)
        held = known is not None and (folder is None or self.store.holds(folder, url))
        if held and known.run == self.state.run:
            return Got(known.body, {"content-type": known.content_type or ""}, False)
        if failed:  # failed earlier in this (resumed) run: said again, not asked again
            tally.problem(failed[0], url, failed[1])
            return None
        answer = self.client.get(url, hosts, *((known.etag, known.last_modified) if held else (None, None)))
        if answer.problem:
            tally.problem(answer.kind or "http", url, answer.problem)
            if answer.kind not in NOTED:
                self.state.remember_failure(url, answer.kind or "http", answer.problem)
            return None
        if answer.status == 304 and held:
            self.state.remember(Known(**{**known.__dict__, "run": self.state.run}))
            return Got(known.body, {"content-type": known.content_type or ""}, False)
        return self._fresh(url, answer, keep_body)

    def _fresh(self, url: str, answer: Fetched, keep_body: bool) -> Got:
        headers, body = answer.headers, answer.body or b""
        self.state.remember(Known(url, self.state.run, headers.get("etag"), headers.get("last-modified"),
                                  hashlib.sha256(body).hexdigest(), body if keep_body else None,
                                  headers.get("content-type"), self.now()))
        return Got(body, headers, True)
